package classify

import (
	"io"
	"net/http"
	"strconv"

	"dangjian/internal/leveldoc"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/clock"
	"dangjian/internal/platform/httpx"
)

// Routes are the classification and conversion-plan endpoints.
func (s *Store) Routes() []httpx.Route {
	yearParam := httpx.Param{Name: "year", Type: "integer", Doc: "calendar year (CST); default last year"}
	return []httpx.Route{
		{Method: "GET", Path: "/api/v1/classify/rules/example", Tag: "classify", Summary: "The shipped example of the classes and their share bounds (YAML with its source)", Perm: httpx.AnyUser,
			RespType: "application/yaml", Handle: func(w http.ResponseWriter, r *http.Request) error {
				w.Header().Set("Content-Type", "application/yaml; charset=utf-8")
				_, err := w.Write(ExampleText())
				return err
			}},
		{Method: "POST", Path: "/api/v1/orgs/{id}/classify/rules", Tag: "classify", Summary: "Publish a version of the classes and share bounds for the level's subtree (YAML body); refused with each line and reason when broken",
			Perm: auth.NeedManageOrgs, Resp: leveldoc.Doc{}, Status: http.StatusCreated, MaxBody: 64 << 10,
			Handle: httpx.WithID("f.org", http.StatusCreated, func(r *http.Request, id int64) (*leveldoc.Doc, error) {
				text, err := io.ReadAll(r.Body)
				if err != nil {
					return nil, err
				}
				return s.Publish(r.Context(), auth.From(r.Context()), id, text)
			})},
		{Method: "GET", Path: "/api/v1/orgs/{id}/classify", Tag: "classify", Summary: "The level's classification of a year: the distribution over its subtree (rollup), share warnings, the branches' current classes",
			Perm: auth.NeedRead, Query: []httpx.Param{yearParam}, Resp: Overview{},
			Handle: httpx.WithID("f.org", http.StatusOK, func(r *http.Request, id int64) (*Overview, error) {
				y, _ := strconv.Atoi(clock.Today(s.Clock.Now())[:4])
				year, err := httpx.QueryYear(r, "year", y-1)
				if err != nil {
					return nil, err
				}
				return s.OverviewOf(r.Context(), auth.From(r.Context()), id, year)
			})},
		{Method: "POST", Path: "/api/v1/orgs/{id}/classify", Tag: "classify", Summary: "Classify branches of the level's subtree for a year, each with reasons (supersedes an earlier decision); shares outside the bounds come back as warnings",
			Perm: auth.NeedWriteMembers, Body: Decision{}, Resp: Overview{},
			Handle: httpx.WithID("f.org", http.StatusOK, func(r *http.Request, id int64) (*Overview, error) {
				b, err := httpx.DecodeInto[Decision](r)
				if err != nil {
					return nil, err
				}
				return s.Decide(r.Context(), auth.From(r.Context()), id, b)
			})},
		{Method: "GET", Path: "/api/v1/orgs/{id}/standing", Tag: "classify", Summary: "The organization's current class, the history of its classes and its conversion plans with their measures",
			Perm: auth.NeedRead, Resp: Standing{},
			Handle: httpx.WithID("f.org", http.StatusOK, func(r *http.Request, id int64) (*Standing, error) {
				return s.StandingOf(r.Context(), auth.From(r.Context()), id)
			})},
		{Method: "POST", Path: "/api/v1/orgs/{id}/conversion-plans", Tag: "classify", Summary: "Make the branch's conversion plan (整顿转化): leader in charge, problems, measures with milestones (each a rectification item)",
			Perm: auth.NeedWriteMembers, Access: "write on the level above the branch", Body: NewPlan{}, Resp: Plan{}, Status: http.StatusCreated,
			Handle: httpx.WithID("f.org", http.StatusCreated, func(r *http.Request, id int64) (*Plan, error) {
				b, err := httpx.DecodeInto[NewPlan](r)
				if err != nil {
					return nil, err
				}
				return s.CreatePlan(r.Context(), auth.From(r.Context()), id, b)
			})},
		{Method: "POST", Path: "/api/v1/conversion-plans/{id}/accept", Tag: "classify", Summary: "The acceptance check of a conversion plan: converted (销号) or extended to a new due date",
			Perm: auth.NeedWriteMembers, Access: "write on the level above the branch", Body: Acceptance{}, Resp: Plan{},
			Handle: httpx.WithID("f.plan", http.StatusOK, func(r *http.Request, id int64) (*Plan, error) {
				b, err := httpx.DecodeInto[Acceptance](r)
				if err != nil {
					return nil, err
				}
				return s.Accept(r.Context(), auth.From(r.Context()), id, b)
			})},
	}
}
