package life

import (
	"dangjian/internal/life/rules"
	"net/http"

	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/httpx"
)

// Routes are the endpoints of the records, one function per resource next to its code (the
// rule packs, compliance, appraisals, attachments, sign-in and the record book mount their
// own).
func (s *Store) Routes() []httpx.Route {
	var out []httpx.Route
	for _, part := range [][]httpx.Route{
		s.phoneRoutes(), s.activityRoutes(), s.attendanceRoutes(), s.affiliationRoutes(),
	} {
		out = append(out, part...)
	}
	return out
}

// PageParams are the paging query parameters of a list.
var PageParams = []httpx.Param{{Name: "page", Type: "integer"}, {Name: "page_size", Type: "integer"}}

// ActivityID reads the activity id of the path.
func ActivityID(r *http.Request) (int64, error) { return httpx.PathID(r, "id", "f.activity") }

// OneActivity adapts f, which takes the activity id of the path, to a handler answering 200.
func OneActivity(f func(r *http.Request, id int64) (any, error)) httpx.HandlerFunc {
	return httpx.WithID("f.activity", http.StatusOK, f)
}

// RequiredOrg reads the org query parameter, which the route needs.
func RequiredOrg(r *http.Request) (int64, error) {
	orgID, err := httpx.QueryID(r, "org")
	if err == nil && orgID == 0 {
		err = httpx.Required("org")
	}
	return orgID, err
}

// QueryPeriod reads the period query parameter (2026, 2026-Q3 or 2026-07).
func QueryPeriod(r *http.Request) (rules.Period, error) {
	return httpx.QueryWith(r, "period", "YYYY, YYYY-Qn, YYYY-MM", rules.ParsePeriod)
}

// transitionRoute is the route of a review transition: submit, accept or return.
func (s *Store) transitionRoute(action string) httpx.Route {
	perm, access := auth.NeedWriteMembers, ""
	if action != "submit" {
		perm, access = auth.NeedEditOrg, "admin; org_staff and secretaries of the level above the activity's organization"
	}
	return httpx.Route{Method: "POST", Path: "/api/v1/activities/{id}/" + action, Tag: "life", Summary: map[string]string{
		"submit": "Submit a held activity to the level above (409 confirm_required with the warnings when no attendance is recorded or the organization has a record of a same kind that day; repeat with confirm: true)",
		"accept": "Accept a submitted record (it is then locked); not by the account that recorded or submitted it, except an admin with a reason",
		"return": "Return a submitted record with a comment"}[action], Perm: perm, Access: access, Body: Review{}, Resp: Activity{},
		Handle: OneActivity(func(r *http.Request, n int64) (any, error) {
			var rv Review
			if r.ContentLength != 0 {
				if err := httpx.Decode(r, &rv); err != nil {
					return nil, err
				}
			}
			return s.Transition(r.Context(), auth.From(r.Context()), n, action, rv)
		})}
}
