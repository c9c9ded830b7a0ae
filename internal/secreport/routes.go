package secreport

import (
	"io"
	"net/http"
	"strconv"

	"dangjian/internal/leveldoc"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/clock"
	"dangjian/internal/platform/httpx"
)

// NewRound opens a round.
type NewRound struct {
	Year int `json:"year"`
}

var yearParam = httpx.Param{Name: "year", Type: "integer", Doc: "calendar year (CST); default last year (述职 reports on the year just ended)"}

func (s *Store) year(r *http.Request) (int, error) {
	y, _ := strconv.Atoi(clock.Today(s.Clock.Now())[:4])
	return httpx.QueryYear(r, "year", y-1)
}

// Routes are the 述职评议 endpoints.
func (s *Store) Routes() []httpx.Route {
	byID := func(method, path, summary string, perm httpx.Perm, access string, body any, fn func(r *http.Request, id int64) (*Report, error)) httpx.Route {
		return httpx.Route{Method: method, Path: path, Tag: "secreport", Summary: summary, Perm: perm, Access: access, Body: body, Resp: Report{},
			Handle: httpx.WithID("f.secreport.report", http.StatusOK, fn)}
	}
	return []httpx.Route{
		{Method: "GET", Path: "/api/v1/secreport/rules/example", Tag: "secreport", Summary: "The shipped example of the 述职评议 rules (voter groups, weights, grades, scores; YAML with its source)", Perm: httpx.AnyUser,
			RespType: "application/yaml", Handle: func(w http.ResponseWriter, r *http.Request) error {
				w.Header().Set("Content-Type", "application/yaml; charset=utf-8")
				_, err := w.Write(ExampleText())
				return err
			}},
		{Method: "POST", Path: "/api/v1/orgs/{id}/secreport/rules", Tag: "secreport", Summary: "Publish a version of the 述职评议 rules for the level's subtree (YAML body); a broken document is refused with each line and reason; open rounds keep their version",
			Perm: auth.NeedManageOrgs, Resp: leveldoc.Doc{}, Status: http.StatusCreated, MaxBody: 256 << 10,
			Handle: httpx.WithID("f.org", http.StatusCreated, func(r *http.Request, id int64) (*leveldoc.Doc, error) {
				text, err := io.ReadAll(r.Body)
				if err != nil {
					return nil, err
				}
				return s.Publish(r.Context(), auth.From(r.Context()), id, text)
			})},
		{Method: "POST", Path: "/api/v1/orgs/{id}/secreport/rounds", Tag: "secreport", Summary: "Open the level's 述职评议 round of a year: the rules in force are kept, each child organization gets a draft report with the year's skeleton",
			Perm: auth.NeedManageOrgs, Body: NewRound{}, Resp: Round{}, Status: http.StatusCreated,
			Handle: httpx.WithID("f.org", http.StatusCreated, func(r *http.Request, id int64) (*Round, error) {
				b, err := httpx.DecodeInto[NewRound](r)
				if err != nil {
					return nil, err
				}
				return s.OpenRound(r.Context(), auth.From(r.Context()), id, b.Year)
			})},
		{Method: "GET", Path: "/api/v1/orgs/{id}/secreport/round", Tag: "secreport", Summary: "The level's round of a year: the rules version it keeps, every report with its state, votes and weighted result",
			Perm: auth.NeedRead, Query: []httpx.Param{yearParam}, Resp: Round{},
			Handle: httpx.WithID("f.org", http.StatusOK, func(r *http.Request, id int64) (*Round, error) {
				y, err := s.year(r)
				if err != nil {
					return nil, err
				}
				return s.RoundOf(r.Context(), auth.From(r.Context()), id, y)
			})},
		{Method: "GET", Path: "/api/v1/orgs/{id}/secreport/report", Tag: "secreport", Summary: "The organization's own report of a year (its secretary's 述职), with the skeleton, votes, result and problems",
			Perm: auth.NeedRead, Query: []httpx.Param{yearParam}, Resp: Report{},
			Handle: httpx.WithID("f.org", http.StatusOK, func(r *http.Request, id int64) (*Report, error) {
				y, err := s.year(r)
				if err != nil {
					return nil, err
				}
				return s.ReportOf(r.Context(), auth.From(r.Context()), id, y)
			})},
		byID("GET", "/api/v1/secreport/reports/{id}", "A report with its skeleton, votes, weighted result with its explanation, and problems", auth.NeedRead, "", nil,
			func(r *http.Request, id int64) (*Report, error) {
				return s.Get(r.Context(), auth.From(r.Context()), id)
			}),
		byID("PATCH", "/api/v1/secreport/reports/{id}", "Save the text of a draft report (the organization's secretary)", auth.NeedWriteMembers, "", Edit{},
			func(r *http.Request, id int64) (*Report, error) {
				b, err := httpx.DecodeInto[Edit](r)
				if err != nil {
					return nil, err
				}
				return s.Save(r.Context(), auth.From(r.Context()), id, b, false)
			}),
		byID("POST", "/api/v1/secreport/reports/{id}/submit", "Submit the report with its text (the organization's secretary); it no longer changes", auth.NeedWriteMembers, "", Edit{},
			func(r *http.Request, id int64) (*Report, error) {
				b, err := httpx.DecodeInto[Edit](r)
				if err != nil {
					return nil, err
				}
				return s.Save(r.Context(), auth.From(r.Context()), id, b, true)
			}),
		byID("PUT", "/api/v1/secreport/reports/{id}/votes", "Record the appraisal meeting's votes per voter group and grade and the 点评 (the level running the round); the result is weighted by the round's rules", auth.NeedWriteMembers,
			"write on the level that runs the round", Votes{},
			func(r *http.Request, id int64) (*Report, error) {
				b, err := httpx.DecodeInto[Votes](r)
				if err != nil {
					return nil, err
				}
				return s.RecordVotes(r.Context(), auth.From(r.Context()), id, b)
			}),
		byID("POST", "/api/v1/secreport/reports/{id}/problems", "Name problems found at the meeting: each becomes a rectification item of the organization (carried into next year's skeleton)", auth.NeedWriteMembers,
			"write on the level that runs the round", Problems{},
			func(r *http.Request, id int64) (*Report, error) {
				b, err := httpx.DecodeInto[Problems](r)
				if err != nil {
					return nil, err
				}
				return s.NameProblems(r.Context(), auth.From(r.Context()), id, b)
			}),
	}
}
