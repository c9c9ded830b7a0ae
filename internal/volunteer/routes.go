package volunteer

import (
	"net/http"
	"strconv"

	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/clock"
	"dangjian/internal/platform/httpx"
)

var yearParam = httpx.Param{Name: "year", Type: "integer", Doc: "calendar year (CST); default this year"}

func (s *Store) year(r *http.Request) (int, error) {
	y, _ := strconv.Atoi(clock.Today(s.Clock.Now())[:4])
	return httpx.QueryYear(r, "year", y)
}

const ownOrWriter = "the member themselves; or a role that writes members on the member's branch"

// Routes are the volunteer endpoints: registrations with a community, volunteer records.
func (s *Store) Routes() []httpx.Route {
	return append(s.registrationRoutes(), s.recordRoutes()...)
}

func (s *Store) registrationRoutes() []httpx.Route {
	return []httpx.Route{
		{Method: "GET", Path: "/api/v1/volunteer/communities", Tag: "volunteer", Summary: "Live community Party organizations by name (at most 20), to register with where one lives",
			Perm: httpx.AnyUser, Query: []httpx.Param{{Name: "q", Type: "string", Doc: "part of the name"}}, Resp: httpx.List[VolunteerCommunity]{},
			Handle: func(w http.ResponseWriter, r *http.Request) error {
				cs, err := s.Communities(r.Context(), r.URL.Query().Get("q"))
				if err != nil {
					return err
				}
				return httpx.JSON(w, 200, httpx.List[VolunteerCommunity]{Items: cs, Total: len(cs)})
			}},
		{Method: "POST", Path: "/api/v1/volunteer/registrations", Tag: "volunteer", Summary: "Register a member with the community where they live (在职党员到社区报到): one live registration at a time",
			Perm: httpx.AnyUser, Access: ownOrWriter, Body: NewVolunteerRegistration{}, Resp: VolunteerRegistration{}, Status: http.StatusCreated,
			Handle: httpx.Body(http.StatusCreated, func(r *http.Request, b NewVolunteerRegistration) (*VolunteerRegistration, error) {
				return s.Register(r.Context(), auth.From(r.Context()), b)
			})},
		{Method: "POST", Path: "/api/v1/volunteer/registrations/{id}/end", Tag: "volunteer", Summary: "Un-register (the registration keeps its dates: the history)",
			Perm: httpx.AnyUser, Access: "the member themselves; or a role that writes members on the member's branch or on the community", Resp: VolunteerRegistration{},
			Handle: httpx.WithID("f.registration", http.StatusOK, func(r *http.Request, id int64) (*VolunteerRegistration, error) {
				return s.End(r.Context(), auth.From(r.Context()), id)
			})},
		{Method: "GET", Path: "/api/v1/orgs/{id}/volunteer/registrations", Tag: "volunteer", Summary: "Who registered with the communities of the organization's subtree, from which unit and branch (live only, or with the history)",
			Perm: auth.NeedRead, Query: []httpx.Param{{Name: "all", Type: "boolean", Doc: "include ended registrations"}, {Name: "page", Type: "integer"}, {Name: "page_size", Type: "integer"}},
			Resp: httpx.List[VolunteerRegistration]{}, Handle: httpx.WithID("f.org", http.StatusOK, func(r *http.Request, id int64) (*httpx.List[VolunteerRegistration], error) {
				all, err := httpx.QueryBool(r, "all", false)
				if err != nil {
					return nil, err
				}
				p, err := httpx.PageOf(r)
				if err != nil {
					return nil, err
				}
				return s.Registrations(r.Context(), auth.From(r.Context()), id, all, p)
			})},
		{Method: "GET", Path: "/api/v1/orgs/{id}/volunteer/summary", Tag: "volunteer", Summary: "The subtree's volunteer figures: registrations in and out, records pending, confirmed records and hours of a year (maintained rollups)",
			Perm: auth.NeedRead, Query: []httpx.Param{yearParam}, Resp: VolunteerSummary{}, Handle: httpx.WithID("f.org", http.StatusOK, func(r *http.Request, id int64) (*VolunteerSummary, error) {
				y, err := s.year(r)
				if err != nil {
					return nil, err
				}
				return s.Summary(r.Context(), auth.From(r.Context()), id, y)
			})},
		{Method: "GET", Path: "/api/v1/members/{id}/volunteer", Tag: "volunteer", Summary: "A member's registrations (with the history) and volunteer records of a year",
			Perm: auth.NeedReadOrOwn, Query: []httpx.Param{yearParam}, Resp: MemberVolunteer{},
			Handle: httpx.WithID("f.member", http.StatusOK, func(r *http.Request, id int64) (*MemberVolunteer, error) {
				y, err := s.year(r)
				if err != nil {
					return nil, err
				}
				return s.OfMember(r.Context(), auth.From(r.Context()), id, y)
			})},
	}
}

func (s *Store) recordRoutes() []httpx.Route {
	return []httpx.Route{
		{Method: "POST", Path: "/api/v1/volunteer/records", Tag: "volunteer", Summary: "Record a volunteer service (date, hours, what, for whom, the organizer: the member's branch or their registered community); it waits for the organizer's confirmation",
			Perm: httpx.AnyUser, Access: ownOrWriter, Body: NewVolunteerRecord{}, Resp: VolunteerRecord{}, Status: http.StatusCreated,
			Handle: httpx.Body(http.StatusCreated, func(r *http.Request, b NewVolunteerRecord) (*VolunteerRecord, error) {
				return s.Add(r.Context(), auth.From(r.Context()), b)
			})},
		{Method: "POST", Path: "/api/v1/volunteer/records/{id}/decide", Tag: "volunteer", Summary: "The organizer confirms or rejects a pending record, or revokes a confirmation (a reason to reject or revoke); confirmation yields points under the scheme, revocation reverses them",
			Perm: auth.NeedWriteMembers, Access: "write on the organizer", Body: VolunteerDecision{}, Resp: VolunteerRecord{},
			Handle: httpx.WithID("f.vol.record", http.StatusOK, func(r *http.Request, id int64) (*VolunteerRecord, error) {
				b, err := httpx.DecodeInto[VolunteerDecision](r)
				if err != nil {
					return nil, err
				}
				return s.Decide(r.Context(), auth.From(r.Context()), id, b)
			})},
		{Method: "POST", Path: "/api/v1/volunteer/records/{id}/withdraw", Tag: "volunteer", Summary: "Take back a pending record",
			Perm: httpx.AnyUser, Access: ownOrWriter, Resp: VolunteerRecord{},
			Handle: httpx.WithID("f.vol.record", http.StatusOK, func(r *http.Request, id int64) (*VolunteerRecord, error) {
				return s.Withdraw(r.Context(), auth.From(r.Context()), id)
			})},
		{Method: "GET", Path: "/api/v1/orgs/{id}/volunteer/records", Tag: "volunteer", Summary: "The volunteer records organized by the organization's subtree in a state (default pending: the organizer's inbox), newest first",
			Perm: auth.NeedRead, Query: []httpx.Param{{Name: "state", Type: "string", Enum: States, Doc: "default pending"}, {Name: "page", Type: "integer"}, {Name: "page_size", Type: "integer"}},
			Resp: httpx.List[VolunteerRecord]{}, Handle: httpx.WithID("f.org", http.StatusOK, func(r *http.Request, id int64) (*httpx.List[VolunteerRecord], error) {
				state := r.URL.Query().Get("state")
				if state == "" {
					state = Pending
				}
				ok := false
				for _, st := range States {
					ok = ok || st == state
				}
				if !ok {
					return nil, httpx.Invalid(httpx.FieldIssue("state", "f.vol.record", "v.choice", state))
				}
				p, err := httpx.PageOf(r)
				if err != nil {
					return nil, err
				}
				return s.Records(r.Context(), auth.From(r.Context()), id, state, p)
			})},
	}
}
