package life

import (
	"dangjian/internal/life/rules"
	"net/http"

	"dangjian/internal/org"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/httpx"
)

// Routes are the organizational-life endpoints, one function per resource next to its code.
// orgs resolves organizations for compliance.
func (s *Store) Routes(orgs *org.Store, packs *rules.Packs) []httpx.Route {
	var out []httpx.Route
	for _, part := range [][]httpx.Route{
		packs.Routes(s.rebuildLater(packs)), s.phoneRoutes(orgs),
		s.activityRoutes(), s.attendanceRoutes(), s.affiliationRoutes(),
		s.complianceRoutes(orgs), s.noticeRoutes(), s.calendarRoutes(), s.lapseRoutes(),
		s.attachmentRoutes(), s.checkinRoutes(), s.reviewRoutes(), s.outcomeRoutes(),
		s.talkRoutes(), s.recordBookRoutes(),
	} {
		out = append(out, part...)
	}
	return out
}

// pageParams are the paging query parameters of a list.
var pageParams = []httpx.Param{{Name: "page", Type: "integer"}, {Name: "page_size", Type: "integer"}}

// activityID reads the activity id of the path.
func activityID(r *http.Request) (int64, error) { return httpx.PathID(r, "id", "f.activity") }

// oneActivity adapts f, which takes the activity id of the path, to a handler answering 200.
func oneActivity(f func(r *http.Request, id int64) (any, error)) httpx.HandlerFunc {
	return httpx.WithID("f.activity", http.StatusOK, f)
}

// requiredOrg reads the org query parameter, which the route needs.
func requiredOrg(r *http.Request) (int64, error) {
	orgID, err := httpx.QueryID(r, "org")
	if err == nil && orgID == 0 {
		err = httpx.Required("org")
	}
	return orgID, err
}

// queryPeriod reads the period query parameter (2026, 2026-Q3 or 2026-07).
func queryPeriod(r *http.Request) (rules.Period, error) {
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
		Handle: oneActivity(func(r *http.Request, n int64) (any, error) {
			var rv Review
			if r.ContentLength != 0 {
				if err := httpx.Decode(r, &rv); err != nil {
					return nil, err
				}
			}
			return s.Transition(r.Context(), auth.From(r.Context()), n, action, rv)
		})}
}
