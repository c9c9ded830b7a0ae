package points

import (
	"io"
	"net/http"
	"strconv"

	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/clock"
	"dangjian/internal/platform/httpx"
)

// Routes are the points endpoints, one function per resource.
func (s *Store) Routes() []httpx.Route {
	return append(append(s.schemeRoutes(), s.claimRoutes()...), s.entryRoutes()...)
}

var yearParam = httpx.Param{Name: "year", Type: "integer", Doc: "calendar year (CST); default this year"}

// year reads ?year=, this year (CST) by default.
func (s *Store) year(r *http.Request) (int, error) {
	y, _ := strconv.Atoi(clock.Today(s.Clock.Now())[:4])
	return httpx.QueryYear(r, "year", y)
}

func (s *Store) schemeRoutes() []httpx.Route {
	return []httpx.Route{
		{Method: "GET", Path: "/api/v1/points/schemes/example", Tag: "points", Summary: "The documented example points scheme (YAML), to start an organization's own from", Perm: httpx.AnyUser,
			RespType: "application/yaml", Handle: func(w http.ResponseWriter, r *http.Request) error {
				w.Header().Set("Content-Type", "application/yaml; charset=utf-8")
				_, err := w.Write(ExampleText())
				return err
			}},
		{Method: "GET", Path: "/api/v1/points/schemes/schema", Tag: "points", Summary: "The JSON Schema of the points-scheme format", Perm: httpx.AnyUser,
			RespType: "application/schema+json", Handle: func(w http.ResponseWriter, r *http.Request) error {
				w.Header().Set("Content-Type", "application/schema+json")
				_, err := w.Write(SchemaJSON())
				return err
			}},
		{Method: "POST", Path: "/api/v1/orgs/{id}/points/schemes", Tag: "points", Summary: "Publish a version of a points scheme (YAML or JSON body) for the organization's subtree; a broken scheme, or an item the anti-formalism rules forbid, is refused with each line and reason and nothing changes",
			Perm: auth.NeedManageOrgs, Resp: SchemeVersion{}, Status: http.StatusCreated, MaxBody: 1 << 20,
			Handle: httpx.WithID("f.org", http.StatusCreated, func(r *http.Request, id int64) (*SchemeVersion, error) {
				text, err := io.ReadAll(r.Body)
				if err != nil {
					return nil, err
				}
				return s.Publish(r.Context(), auth.From(r.Context()), id, text)
			})},
		{Method: "GET", Path: "/api/v1/orgs/{id}/points/schemes", Tag: "points", Summary: "The points-scheme versions the organization published, newest first", Perm: auth.NeedRead,
			Resp: httpx.List[SchemeVersion]{}, Handle: httpx.WithID("f.org", http.StatusOK, func(r *http.Request, id int64) (*httpx.List[SchemeVersion], error) {
				vs, err := s.Versions(r.Context(), auth.From(r.Context()), id)
				if err != nil {
					return nil, err
				}
				return &httpx.List[SchemeVersion]{Items: vs, Total: len(vs)}, nil
			})},
		{Method: "GET", Path: "/api/v1/orgs/{id}/points/summary", Tag: "points", Summary: "The subtree's points figures: claims pending, live entries and applied points of a year (maintained rollups)", Perm: auth.NeedRead,
			Query: []httpx.Param{yearParam}, Resp: PointsSummary{}, Handle: httpx.WithID("f.org", http.StatusOK, func(r *http.Request, id int64) (*PointsSummary, error) {
				y, err := s.year(r)
				if err != nil {
					return nil, err
				}
				return s.Summary(r.Context(), auth.From(r.Context()), id, y)
			})},
	}
}

func (s *Store) claimRoutes() []httpx.Route {
	return []httpx.Route{
		{Method: "POST", Path: "/api/v1/points/claims", Tag: "points", Summary: "Claim an item: a member for themselves, or a secretary on behalf of a member of their subtree (attributed to both)",
			Perm: httpx.AnyUser, Access: "the member themselves; or a role that writes members on the member's branch", Body: NewClaim{}, Resp: Claim{}, Status: http.StatusCreated,
			Handle: httpx.Body(http.StatusCreated, func(r *http.Request, b NewClaim) (*Claim, error) {
				return s.File(r.Context(), auth.From(r.Context()), b)
			})},
		{Method: "GET", Path: "/api/v1/orgs/{id}/points/claims", Tag: "points", Summary: "The claims of the organization's subtree in a state (default pending: the branch's inbox), newest first", Perm: auth.NeedRead,
			Query: []httpx.Param{{Name: "state", Type: "string", Enum: []string{Pending, Returned, Approved, Rejected}, Doc: "default pending"},
				{Name: "page", Type: "integer"}, {Name: "page_size", Type: "integer"}},
			Resp: httpx.List[Claim]{}, Handle: httpx.WithID("f.org", http.StatusOK, func(r *http.Request, id int64) (*httpx.List[Claim], error) {
				state := r.URL.Query().Get("state")
				if state == "" {
					state = Pending
				}
				if !has([]string{Pending, Returned, Approved, Rejected}, state) {
					return nil, httpx.Invalid(httpx.FieldIssue("state", "f.claim", "v.choice", state))
				}
				p, err := httpx.PageOf(r)
				if err != nil {
					return nil, err
				}
				return s.Claims(r.Context(), auth.From(r.Context()), id, state, p)
			})},
		{Method: "POST", Path: "/api/v1/points/claims/{id}/resubmit", Tag: "points", Summary: "Correct a returned claim and send it to the branch again (the member, whoever filed it, or a secretary who writes the member); it waits at the member's current branch",
			Perm: httpx.AnyUser, Access: "the member themselves or the account that filed the claim; or a role that writes members on the member's branch",
			Body: Correction{}, Resp: Claim{}, Handle: httpx.WithID("f.claim", http.StatusOK, func(r *http.Request, id int64) (*Claim, error) {
				b, err := httpx.DecodeInto[Correction](r)
				if err != nil {
					return nil, err
				}
				return s.Resubmit(r.Context(), auth.From(r.Context()), id, b)
			})},
		{Method: "POST", Path: "/api/v1/points/claims/decide", Tag: "points", Summary: "Approve, return (with a reason) or reject many claims at once, all or none; approving writes each claim's ledger entry under the caps",
			Perm: auth.NeedWriteMembers, Access: "write on each claim's branch (on the level above for items the scheme has approved by the parent)",
			Body: Decision{}, Resp: []Claim{}, Handle: httpx.Body(http.StatusOK, func(r *http.Request, b Decision) ([]Claim, error) {
				return s.Decide(r.Context(), auth.From(r.Context()), b)
			})},
	}
}

func (s *Store) entryRoutes() []httpx.Route {
	return []httpx.Route{
		{Method: "POST", Path: "/api/v1/points/entries", Tag: "points", Summary: "The branch enters an item that arises by the branch (a deduction, a 一票否决) for a member, under the caps",
			Perm: auth.NeedWriteMembers, Body: NewEntry{}, Resp: Entry{}, Status: http.StatusCreated,
			Handle: httpx.Body(http.StatusCreated, func(r *http.Request, b NewEntry) (*Entry, error) {
				return s.Enter(r.Context(), auth.From(r.Context()), b)
			})},
		{Method: "POST", Path: "/api/v1/points/entries/{id}/reverse", Tag: "points", Summary: "Take an entry back by a reversal entry with a reason (the entry stays; the totals follow)",
			Perm: auth.NeedWriteMembers, Body: Reversal{}, Resp: Entry{}, Status: http.StatusCreated,
			Handle: httpx.WithID("f.entry", http.StatusCreated, func(r *http.Request, id int64) (*Entry, error) {
				b, err := httpx.DecodeInto[Reversal](r)
				if err != nil {
					return nil, err
				}
				return s.Reverse(r.Context(), auth.From(r.Context()), id, b)
			})},
		{Method: "GET", Path: "/api/v1/members/{id}/points", Tag: "points", Summary: "A member's points of a year: total, star band, breakdown by category and item with caps, every entry with its reason, their claims, and the items they may claim",
			Perm: auth.NeedReadOrOwn, Query: []httpx.Param{yearParam}, Resp: MemberYear{},
			Handle: httpx.WithID("f.member", http.StatusOK, func(r *http.Request, id int64) (*MemberYear, error) {
				y, err := s.year(r)
				if err != nil {
					return nil, err
				}
				return s.Year(r.Context(), auth.From(r.Context()), id, y)
			})},
	}
}
