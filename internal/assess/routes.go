package assess

import (
	"io"
	"net/http"
	"sort"
	"strconv"

	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/clock"
	"dangjian/internal/platform/httpx"
	"dangjian/internal/publicity"
)

// Routes are the assessment endpoints, one function per resource.
func (s *Store) Routes() []httpx.Route {
	var rs []httpx.Route
	for _, f := range []func() []httpx.Route{s.setRoutes, s.roundRoutes, s.sheetRoutes, s.publicityRoutes, s.starRoutes} {
		rs = append(rs, f()...)
	}
	return rs
}

// Example is a shipped example set.
type Example struct {
	Name string `json:"name"`
	Text string `json:"text"`
}

// withTwo adapts fn to a path with {id} (the round) and {org}.
func withTwo[R any](status int, fn func(r *http.Request, id, orgID int64) (R, error)) httpx.HandlerFunc {
	return httpx.WithID("f.assess.round", status, func(r *http.Request, id int64) (R, error) {
		orgID, err := httpx.PathID(r, "org", "f.org")
		if err != nil {
			var zero R
			return zero, err
		}
		return fn(r, id, orgID)
	})
}

func (s *Store) setRoutes() []httpx.Route {
	return []httpx.Route{
		{Method: "GET", Path: "/api/v1/assess/examples", Tag: "assess", Summary: "The shipped example indicator sets (示例: village 五星3A, community 五星和美, enterprise 五星双强, offices/schools/hospitals), YAML to start a level's own from", Perm: httpx.AnyUser,
			Resp: []Example{}, Handle: func(w http.ResponseWriter, r *http.Request) error {
				var out []Example
				for name, text := range Examples() {
					out = append(out, Example{Name: name, Text: string(text)})
				}
				sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
				return httpx.JSON(w, http.StatusOK, out)
			}},
		{Method: "GET", Path: "/api/v1/assess/schema", Tag: "assess", Summary: "The JSON Schema of the indicator-set format", Perm: httpx.AnyUser,
			RespType: "application/schema+json", Handle: func(w http.ResponseWriter, r *http.Request) error {
				w.Header().Set("Content-Type", "application/schema+json")
				_, err := w.Write(SchemaJSON())
				return err
			}},
		{Method: "GET", Path: "/api/v1/assess/bindings", Tag: "assess", Summary: "The registered bindings an indicator may read our data through", Perm: httpx.AnyUser,
			Resp: []Binding{}, Handle: func(w http.ResponseWriter, r *http.Request) error { return httpx.JSON(w, http.StatusOK, Bindings()) }},
		{Method: "POST", Path: "/api/v1/orgs/{id}/assess/sets", Tag: "assess", Summary: "Publish a version of an indicator set (YAML or JSON body) for the organization's subtree; a set with the id of one in force above must extend it without loosening; every problem is refused with its line and nothing changes",
			Perm: auth.NeedManageOrgs, Resp: SetVersion{}, Status: http.StatusCreated, MaxBody: 1 << 20,
			Handle: httpx.WithID("f.org", http.StatusCreated, func(r *http.Request, id int64) (*SetVersion, error) {
				text, err := io.ReadAll(r.Body)
				if err != nil {
					return nil, err
				}
				return s.PublishSet(r.Context(), auth.From(r.Context()), id, text)
			})},
		{Method: "GET", Path: "/api/v1/orgs/{id}/assess/sets", Tag: "assess", Summary: "The indicator sets in force at the organization for a year (its own or the nearest publisher's above) and the versions it published",
			Perm: auth.NeedRead, Query: []httpx.Param{{Name: "year", Type: "integer", Doc: "default this year"}}, Resp: Sets{},
			Handle: httpx.WithID("f.org", http.StatusOK, func(r *http.Request, id int64) (*Sets, error) {
				y, err := httpx.QueryYear(r, "year", s.thisYear())
				if err != nil {
					return nil, err
				}
				return s.SetsAt(r.Context(), auth.From(r.Context()), id, y)
			})},
	}
}

func (s *Store) thisYear() int {
	y, _ := strconv.Atoi(clock.Today(s.Clock.Now())[:4])
	return y
}

func (s *Store) roundRoutes() []httpx.Route {
	return []httpx.Route{
		{Method: "POST", Path: "/api/v1/orgs/{id}/assess/rounds", Tag: "assess", Summary: "Open an assessment round over the organization's subtree: every bound indicator computed from our records for every assessed organization",
			Perm: auth.NeedManageOrgs, Body: NewRound{}, Resp: Round{}, Status: http.StatusCreated,
			Handle: httpx.WithID("f.org", http.StatusCreated, func(r *http.Request, id int64) (*Round, error) {
				b, err := httpx.DecodeInto[NewRound](r)
				if err != nil {
					return nil, err
				}
				return s.Open(r.Context(), auth.From(r.Context()), id, b)
			})},
		{Method: "GET", Path: "/api/v1/orgs/{id}/assess/rounds", Tag: "assess", Summary: "The rounds the organization opened or is assessed in, newest first", Perm: auth.NeedRead,
			Resp: httpx.List[*Round]{}, Handle: httpx.WithID("f.org", http.StatusOK, func(r *http.Request, id int64) (*httpx.List[*Round], error) {
				rs, err := s.RoundsAt(r.Context(), auth.From(r.Context()), id)
				if err != nil {
					return nil, err
				}
				return &httpx.List[*Round]{Items: rs, Total: len(rs)}, nil
			})},
		{Method: "GET", Path: "/api/v1/assess/rounds/{id}", Tag: "assess", Summary: "A round with its progress (not started / returned / self-assessed / reviewed / awarded: maintained counts)", Perm: auth.NeedRead,
			Access: "read on the organization that opened the round", Resp: Round{},
			Handle: httpx.WithID("f.assess.round", http.StatusOK, func(r *http.Request, id int64) (*Round, error) {
				return s.Round(r.Context(), auth.From(r.Context()), id)
			})},
		{Method: "GET", Path: "/api/v1/assess/rounds/{id}/ranking", Tag: "assess", Summary: "A page of the round's ranking with the scores that make it (equal totals share a rank)", Perm: auth.NeedRead,
			Access: "read on the organization that opened the round", Query: []httpx.Param{{Name: "page", Type: "integer"}, {Name: "page_size", Type: "integer"}}, Resp: Ranking{},
			Handle: httpx.WithID("f.assess.round", http.StatusOK, func(r *http.Request, id int64) (*Ranking, error) {
				p, err := httpx.PageOf(r)
				if err != nil {
					return nil, err
				}
				return s.Ranking(r.Context(), auth.From(r.Context()), id, p)
			})},
		{Method: "GET", Path: "/api/v1/assess/rounds/{id}/distribution", Tag: "assess", Summary: "How the round's results fall into the set's star bands, with share warnings", Perm: auth.NeedRead,
			Access: "read on the organization that opened the round", Resp: Distribution{},
			Handle: httpx.WithID("f.assess.round", http.StatusOK, func(r *http.Request, id int64) (*Distribution, error) {
				return s.Distribution(r.Context(), auth.From(r.Context()), id)
			})},
		{Method: "GET", Path: "/api/v1/assess/rounds/{id}/export", Tag: "assess", Summary: "The round as an Excel workbook: the ranking with every indicator's data, self-assessed and reviewed values", Perm: auth.NeedRead,
			Access: "read on the organization that opened the round", RespType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", Heavy: true,
			Handle: func(w http.ResponseWriter, r *http.Request) error {
				id, err := httpx.PathID(r, "id", "f.assess.round")
				if err != nil {
					return err
				}
				return s.Export(r.Context(), auth.From(r.Context()), id, w)
			}},
	}
}

func (s *Store) sheetRoutes() []httpx.Route {
	return []httpx.Route{
		{Method: "GET", Path: "/api/v1/assess/rounds/{id}/orgs/{org}", Tag: "assess", Summary: "An organization's sheet: each indicator's data (with the link to its records), self-assessment and review side by side, totals, vetoes and stars", Perm: auth.NeedRead,
			Access: "read on the assessed organization", Resp: Sheet{},
			Handle: withTwo(http.StatusOK, func(r *http.Request, id, orgID int64) (*Sheet, error) {
				return s.Sheet(r.Context(), auth.From(r.Context()), id, orgID)
			})},
		{Method: "GET", Path: "/api/v1/assess/rounds/{id}/orgs/{org}/report", Tag: "assess", Summary: "A printable report of an organization's assessment (HTML)", Perm: auth.NeedRead,
			Access: "read on the assessed organization", RespType: "text/html",
			Handle: func(w http.ResponseWriter, r *http.Request) error {
				id, err := httpx.PathID(r, "id", "f.assess.round")
				if err != nil {
					return err
				}
				orgID, err := httpx.PathID(r, "org", "f.org")
				if err != nil {
					return err
				}
				return s.Report(r.Context(), auth.From(r.Context()), id, orgID, w)
			}},
		{Method: "PUT", Path: "/api/v1/assess/rounds/{id}/orgs/{org}/self", Tag: "assess", Summary: "The organization's self-assessment values (a value departing from our data needs a note; manual scores need their evidence)",
			Perm: auth.NeedEditOrg, Access: "edit on the assessed organization (its secretary)", Body: Values{}, Resp: Sheet{},
			Handle: withTwo(http.StatusOK, func(r *http.Request, id, orgID int64) (*Sheet, error) {
				b, err := httpx.DecodeInto[Values](r)
				if err != nil {
					return nil, err
				}
				return s.SaveSelf(r.Context(), auth.From(r.Context()), id, orgID, b)
			})},
		{Method: "POST", Path: "/api/v1/assess/rounds/{id}/orgs/{org}/submit", Tag: "assess", Summary: "Submit the self-assessment to the level above",
			Perm: auth.NeedEditOrg, Access: "edit on the assessed organization", Resp: Sheet{},
			Handle: withTwo(http.StatusOK, func(r *http.Request, id, orgID int64) (*Sheet, error) {
				return s.Submit(r.Context(), auth.From(r.Context()), id, orgID)
			})},
		{Method: "PUT", Path: "/api/v1/assess/rounds/{id}/orgs/{org}/review", Tag: "assess", Summary: "The reviewer's values, kept beside the self-assessment (a change needs a comment; a veto its reason)",
			Perm: auth.NeedManageOrgs, Access: "manage on the organization that opened the round", Body: Values{}, Resp: Sheet{},
			Handle: withTwo(http.StatusOK, func(r *http.Request, id, orgID int64) (*Sheet, error) {
				b, err := httpx.DecodeInto[Values](r)
				if err != nil {
					return nil, err
				}
				return s.SaveReview(r.Context(), auth.From(r.Context()), id, orgID, b)
			})},
		{Method: "POST", Path: "/api/v1/assess/rounds/{id}/orgs/{org}/return", Tag: "assess", Summary: "Return the whole sheet for correction, with a reason",
			Perm: auth.NeedManageOrgs, Access: "manage on the organization that opened the round", Body: Reason{}, Resp: Sheet{},
			Handle: withTwo(http.StatusOK, func(r *http.Request, id, orgID int64) (*Sheet, error) {
				b, err := httpx.DecodeInto[Reason](r)
				if err != nil {
					return nil, err
				}
				return s.Return(r.Context(), auth.From(r.Context()), id, orgID, b)
			})},
		{Method: "POST", Path: "/api/v1/assess/rounds/{id}/orgs/{org}/approve", Tag: "assess", Summary: "End the review of an organization: its result is the reviewed one",
			Perm: auth.NeedManageOrgs, Access: "manage on the organization that opened the round", Resp: Sheet{},
			Handle: withTwo(http.StatusOK, func(r *http.Request, id, orgID int64) (*Sheet, error) {
				return s.Approve(r.Context(), auth.From(r.Context()), id, orgID)
			})},
	}
}

func (s *Store) publicityRoutes() []httpx.Route {
	return []httpx.Route{
		{Method: "POST", Path: "/api/v1/assess/rounds/{id}/publicity", Tag: "assess", Summary: "Open the round's 公示 (every organization reviewed) for the set's number of working days",
			Perm: auth.NeedManageOrgs, Access: "manage on the organization that opened the round", Resp: Publicity{}, Status: http.StatusCreated,
			Handle: httpx.WithID("f.assess.round", http.StatusCreated, func(r *http.Request, id int64) (*Publicity, error) {
				return s.Publish(r.Context(), auth.From(r.Context()), id)
			})},
		{Method: "GET", Path: "/api/v1/assess/rounds/{id}/publicity", Tag: "assess", Summary: "The round's 公示 and its objections", Perm: auth.NeedRead,
			Access: "read on the organization that opened the round", Resp: Publicity{},
			Handle: httpx.WithID("f.assess.round", http.StatusOK, func(r *http.Request, id int64) (*Publicity, error) {
				return s.Publicity(r.Context(), auth.From(r.Context()), id)
			})},
		{Method: "POST", Path: "/api/v1/assess/rounds/{id}/objections", Tag: "assess", Summary: "Object to an organization's result during the 公示",
			Perm: httpx.AnyUser, Access: "read on the organization objected to", Body: NewObjection{}, Resp: publicity.Objection{}, Status: http.StatusCreated,
			Handle: httpx.WithID("f.assess.round", http.StatusCreated, func(r *http.Request, id int64) (*publicity.Objection, error) {
				b, err := httpx.DecodeInto[NewObjection](r)
				if err != nil {
					return nil, err
				}
				return s.Object(r.Context(), auth.From(r.Context()), id, b)
			})},
		{Method: "POST", Path: "/api/v1/assess/rounds/{id}/objections/{oid}/answer", Tag: "assess", Summary: "Uphold (the organization's star is withheld) or dismiss an objection, with the answer",
			Perm: auth.NeedManageOrgs, Access: "manage on the organization that opened the round", Body: AnswerIn{}, Resp: publicity.Objection{},
			Handle: httpx.WithID("f.assess.round", http.StatusOK, func(r *http.Request, id int64) (*publicity.Objection, error) {
				oid, err := httpx.PathID(r, "oid", "f.objection")
				if err != nil {
					return nil, err
				}
				b, err := httpx.DecodeInto[AnswerIn](r)
				if err != nil {
					return nil, err
				}
				return s.Answer(r.Context(), auth.From(r.Context()), id, oid, b)
			})},
		{Method: "POST", Path: "/api/v1/assess/rounds/{id}/award", Tag: "assess", Summary: "Close the 公示 (after its last day, every objection answered) and award each organization its star",
			Perm: auth.NeedManageOrgs, Access: "manage on the organization that opened the round", Resp: Round{},
			Handle: httpx.WithID("f.assess.round", http.StatusOK, func(r *http.Request, id int64) (*Round, error) {
				return s.Award(r.Context(), auth.From(r.Context()), id)
			})},
	}
}

func (s *Store) starRoutes() []httpx.Route {
	return []httpx.Route{
		{Method: "GET", Path: "/api/v1/orgs/{id}/stars", Tag: "assess", Summary: "The organization's current star and its history (awards, 摘星, restorations)", Perm: auth.NeedRead,
			Resp: Star{}, Handle: httpx.WithID("f.org", http.StatusOK, func(r *http.Request, id int64) (*Star, error) {
				return s.Stars(r.Context(), auth.From(r.Context()), id)
			})},
		{Method: "POST", Path: "/api/v1/orgs/{id}/stars/withdraw", Tag: "assess", Summary: "Withdraw the organization's star (摘星) with a reason",
			Perm: auth.NeedManageOrgs, Access: "manage on the organization that awarded the star", Body: StarChange{}, Resp: Star{},
			Handle: httpx.WithID("f.org", http.StatusOK, func(r *http.Request, id int64) (*Star, error) {
				b, err := httpx.DecodeInto[StarChange](r)
				if err != nil {
					return nil, err
				}
				return s.Withdraw(r.Context(), auth.From(r.Context()), id, b)
			})},
		{Method: "POST", Path: "/api/v1/orgs/{id}/stars/restore", Tag: "assess", Summary: "Restore a withdrawn star with a reason (valid until the award's end)",
			Perm: auth.NeedManageOrgs, Access: "manage on the organization that awarded the star", Body: StarChange{}, Resp: Star{},
			Handle: httpx.WithID("f.org", http.StatusOK, func(r *http.Request, id int64) (*Star, error) {
				b, err := httpx.DecodeInto[StarChange](r)
				if err != nil {
					return nil, err
				}
				return s.Restore(r.Context(), auth.From(r.Context()), id, b)
			})},
	}
}
