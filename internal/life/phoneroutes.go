package life

import (
	"net/http"

	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/httpx"
	"dangjian/internal/platform/i18n"
)

// phoneRoutes are the endpoints of the phone-first work (the secretary's to-dos are
// compliance's todoRoutes): the level above's review inbox, and topic suggestions (the member's sign-in page is signin's).
func (s *Store) phoneRoutes() []httpx.Route {
	return []httpx.Route{
		{Method: "GET", Path: "/api/v1/reviews/inbox", Tag: "life", Summary: "待审核: submitted records the caller may accept or return (organizations whose parent the caller may edit; an admin: all), newest submission first, each with its organization's label", Perm: auth.NeedEditOrg, Access: "admin; org_staff and secretaries: records of the organizations below their grants",
			Query: []httpx.Param{{Name: "page", Type: "integer"}, {Name: "page_size", Type: "integer"}}, Resp: httpx.List[Activity]{},
			Handle: func(w http.ResponseWriter, r *http.Request) error {
				p, err := httpx.PageOf(r)
				if err != nil {
					return err
				}
				items, total, err := s.Inbox(r.Context(), auth.From(r.Context()), p)
				if err != nil {
					return err
				}
				return httpx.JSON(w, 200, httpx.List[Activity]{Items: items, Total: total})
			}},
		{Method: "GET", Path: "/api/v1/orgs/{id}/topics", Tag: "life", Summary: "Topics to suggest for a new record: the organization's recent topics of the kind (distinct, newest first, 5) and the month's theme when the rule pack has one", Perm: auth.NeedRead,
			Query: []httpx.Param{{Name: "kind", Type: "string"}, {Name: "month", Type: "integer", Doc: "1–12 (default: the current month, China Standard Time)"}}, Resp: Topics{},
			Handle: httpx.WithID("f.org", http.StatusOK, func(r *http.Request, n int64) (any, error) {
				q := r.URL.Query()
				kind := q.Get("kind")
				if kind != "" && !s.knownKind(kind) {
					return nil, httpx.Invalid(httpx.Issue{Field: "kind", Msg: i18n.M("v.choice", "kind", kind)})
				}
				month, err := httpx.QueryInt(r, "month", 0, 1, 12)
				if err != nil {
					return nil, err
				}
				return s.Topics(r.Context(), auth.From(r.Context()), n, kind, month)
			})},
	}
}

// knownKind tells whether kind is an activity kind of the pack in force.
func (s *Store) knownKind(kind string) bool {
	for _, k := range s.Pack().KindNames() {
		if k.Code == kind {
			return true
		}
	}
	return false
}
