package life

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"dangjian/internal/org"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/clock"
	"dangjian/internal/platform/db"
	"dangjian/internal/platform/httpx"
	"dangjian/internal/platform/i18n"
)

// ActivityFilter selects activities for the list.
type ActivityFilter struct {
	OrgID    int64
	Subtree  bool
	Kind     string
	State    string
	From, To time.Time
	// ForYear: activities of that year, a 组织生活会/民主评议 by the year it is held for.
	ForYear int
}

// List lists activities in scope, newest first.
func (s *Store) List(ctx context.Context, sc *auth.Scope, f ActivityFilter, p httpx.Page) ([]Activity, int, error) {
	cond, args := sc.Where("o.path", auth.Read)
	where := "(" + cond + ")"
	if f.OrgID != 0 {
		o, err := org.Resolve(ctx, s.DB, sc, f.OrgID, auth.Read)
		if err != nil {
			return nil, 0, err
		}
		if f.Subtree {
			lo, hi := db.SubtreeRange(o.Path)
			where += " AND o.path >= ? AND o.path < ?"
			args = append(args, lo, hi)
		} else {
			where += " AND a.org_id = ?"
			args = append(args, o.ID)
		}
	}
	if f.Kind != "" {
		where += " AND EXISTS (SELECT 1 FROM activity_kinds k WHERE k.activity_id = a.id AND k.kind = ?)"
		args = append(args, f.Kind)
	}
	if f.State != "" {
		where += " AND a.state = ?"
		args = append(args, f.State)
	}
	if !f.From.IsZero() {
		where += " AND a.starts_at >= ?"
		args = append(args, f.From.UTC())
	}
	if !f.To.IsZero() {
		where += " AND a.starts_at < ?"
		args = append(args, f.To.UTC())
	}
	if f.ForYear != 0 {
		per := Period{Year, f.ForYear, 1}
		where += " AND (a.for_year = ? OR (a.for_year IS NULL AND a.starts_at >= ? AND a.starts_at < ?))"
		args = append(args, f.ForYear, per.Start().UTC(), per.End().UTC())
	}
	from := " FROM activities a JOIN orgs o ON o.id = a.org_id WHERE " + where
	var total int
	if err := s.DB.QueryRow(ctx, "SELECT COUNT(*)"+from, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	rows, err := s.DB.Query(ctx, "SELECT "+activityCols+from+" ORDER BY a.starts_at DESC, a.id DESC LIMIT ? OFFSET ?", append(args, p.Size, p.Offset())...)
	if err != nil {
		return nil, 0, err
	}
	var out []Activity
	var ids []int64
	for rows.Next() {
		a, err := scanActivity(rows)
		if err != nil {
			rows.Close()
			return nil, 0, err
		}
		s.permissions(sc, a)
		out = append(out, *a)
		ids = append(ids, a.ID)
	}
	rows.Close()
	kinds, err := s.kindsOf(ctx, s.DB, ids)
	if err != nil {
		return nil, 0, err
	}
	for i := range out {
		out[i].Kinds = nonNil(kinds[out[i].ID])
	}
	if err := labelRows(ctx, s.DB, out, func(a *Activity) (int64, *string) { return a.OrgID, &a.OrgLabel }); err != nil {
		return nil, 0, err
	}
	if out == nil {
		out = []Activity{}
	}
	return out, total, nil
}

// Routes are the organizational-life endpoints. orgs resolves organizations for compliance.
func (s *Store) Routes(orgs *org.Store, packs *Packs) []httpx.Route {
	page := []httpx.Param{{Name: "page", Type: "integer"}, {Name: "page_size", Type: "integer"}}
	id := func(r *http.Request) (int64, error) { return httpx.PathID(r, "id", "f.activity") }
	one := func(f func(r *http.Request, id int64) (any, error)) httpx.HandlerFunc {
		return httpx.WithID("f.activity", http.StatusOK, f)
	}
	transition := func(action string) httpx.Route {
		perm, access := auth.NeedWriteMembers, ""
		if action != "submit" {
			perm, access = auth.NeedEditOrg, "admin; org_staff and secretaries of the level above the activity's organization"
		}
		return httpx.Route{Method: "POST", Path: "/api/v1/activities/{id}/" + action, Tag: "life", Summary: map[string]string{
			"submit": "Submit a held activity to the level above (409 confirm_required with the warnings when no attendance is recorded or the organization has a record of a same kind that day; repeat with confirm: true)",
			"accept": "Accept a submitted record (it is then locked); not by the account that recorded or submitted it, except an admin with a reason",
			"return": "Return a submitted record with a comment"}[action], Perm: perm, Access: access, Body: Review{}, Resp: Activity{},
			Handle: one(func(r *http.Request, n int64) (any, error) {
				var rv Review
				if r.ContentLength != 0 {
					if err := httpx.Decode(r, &rv); err != nil {
						return nil, err
					}
				}
				return s.Transition(r.Context(), auth.From(r.Context()), n, action, rv)
			})}
	}
	return append(append(s.packRoutes(packs), s.phoneRoutes(orgs)...), []httpx.Route{
		{Method: "GET", Path: "/api/v1/activities", Tag: "life", Summary: "Activities of an organization or subtree, newest first", Perm: auth.NeedRead,
			Query: append([]httpx.Param{{Name: "org", Type: "integer"}, {Name: "subtree", Type: "boolean"}, {Name: "kind", Type: "string"},
				{Name: "state", Type: "string", Enum: []string{Planned, HeldState, Submitted, Returned, Accepted}},
				{Name: "from", Type: "string", Doc: "RFC 3339 instant or YYYY-MM-DD (China Standard Time)"}, {Name: "to", Type: "string"}}, page...),
			Resp: httpx.List[Activity]{}, Handle: s.handleList},
		{Method: "POST", Path: "/api/v1/activities", Tag: "life", Summary: "Plan an activity, or record one held (it may count as several kinds)", Perm: auth.NeedWriteMembers,
			Body: ActivityFields{}, Resp: Activity{}, Status: http.StatusCreated, Handle: httpx.Body(http.StatusCreated, func(r *http.Request, f ActivityFields) (any, error) {
				return s.Create(r.Context(), auth.From(r.Context()), f)
			})},
		{Method: "GET", Path: "/api/v1/activities/{id}", Tag: "life", Summary: "One activity", Perm: auth.NeedRead, Resp: Activity{},
			Handle: one(func(r *http.Request, n int64) (any, error) { return s.Get(r.Context(), auth.From(r.Context()), n) })},
		{Method: "PATCH", Path: "/api/v1/activities/{id}", Tag: "life", Summary: "Change a record not yet submitted (or returned)", Perm: auth.NeedWriteMembers,
			Body: ActivityPatch{}, Resp: Activity{}, Handle: one(func(r *http.Request, n int64) (any, error) {
				var p ActivityPatch
				if err := httpx.Decode(r, &p); err != nil {
					return nil, err
				}
				return s.Update(r.Context(), auth.From(r.Context()), n, p)
			})},
		{Method: "GET", Path: "/api/v1/activities/{id}/attendance", Tag: "life", Summary: "The roster with attendance (standing exemptions carried over) and rates", Perm: auth.NeedRead,
			Resp: Attendance{}, Handle: one(func(r *http.Request, n int64) (any, error) {
				return s.GetAttendance(r.Context(), auth.From(r.Context()), n)
			})},
		{Method: "PUT", Path: "/api/v1/activities/{id}/attendance", Tag: "life", Summary: "Record attendance (each change is appended)", Perm: auth.NeedWriteMembers,
			Body: AttendanceUpdate{}, Resp: Attendance{}, Handle: one(func(r *http.Request, n int64) (any, error) {
				var u AttendanceUpdate
				if err := httpx.Decode(r, &u); err != nil {
					return nil, err
				}
				return s.SetAttendance(r.Context(), auth.From(r.Context()), n, u)
			})},
		transition("submit"), transition("accept"), transition("return"),
		{Method: "POST", Path: "/api/v1/activities/{id}/amend", Tag: "life", Summary: "Open a correction of an accepted record (the original is kept)", Perm: auth.NeedWriteMembers,
			Resp: Activity{}, Status: http.StatusCreated, Handle: func(w http.ResponseWriter, r *http.Request) error {
				n, err := id(r)
				if err != nil {
					return err
				}
				a, err := s.Amend(r.Context(), auth.From(r.Context()), n)
				if err != nil {
					return err
				}
				return httpx.JSON(w, http.StatusCreated, a)
			}},
		{Method: "GET", Path: "/api/v1/exemptions", Tag: "life", Summary: "Exemptions of members of a subtree", Perm: auth.NeedRead,
			Query: []httpx.Param{{Name: "org", Type: "integer"}, {Name: "active_on", Type: "string", Doc: "YYYY-MM-DD"}},
			Resp:  httpx.List[Exemption]{}, Handle: func(w http.ResponseWriter, r *http.Request) error {
				orgID, err := httpx.QueryID(r, "org")
				if err != nil {
					return err
				}
				items, err := s.ListExemptions(r.Context(), auth.From(r.Context()), orgID, r.URL.Query().Get("active_on"))
				if err != nil {
					return err
				}
				return httpx.JSON(w, 200, httpx.List[Exemption]{Items: items, Total: len(items)})
			}},
		{Method: "POST", Path: "/api/v1/exemptions", Tag: "life", Summary: "Exempt a member for a period (carries over to every activity in it)", Perm: auth.NeedWriteMembers,
			Body: NewExemption{}, Resp: Exemption{}, Status: http.StatusCreated, Handle: httpx.Body(http.StatusCreated, func(r *http.Request, e NewExemption) (any, error) {
				return s.CreateExemption(r.Context(), auth.From(r.Context()), e)
			})},
		{Method: "DELETE", Path: "/api/v1/exemptions/{id}", Tag: "life", Summary: "Revoke an exemption (kept on record)", Perm: auth.NeedWriteMembers,
			Status: http.StatusNoContent, Handle: httpx.WithID("f.exemption", http.StatusNoContent, func(r *http.Request, n int64) (any, error) {
				return nil, s.RevokeExemption(r.Context(), auth.From(r.Context()), n)
			})},
		{Method: "POST", Path: "/api/v1/affiliations", Tag: "life", Summary: "Add a member to a 临时党支部 or register a 流动党员 at the host organization (a second affiliation; the home branch stays)",
			Perm: auth.NeedWriteMembers, Access: "write on both the member's branch and the organization",
			Body: Affiliation{}, Resp: Affiliation{}, Status: http.StatusCreated, Handle: httpx.Body(http.StatusCreated, func(r *http.Request, a Affiliation) (any, error) {
				return s.AddAffiliation(r.Context(), auth.From(r.Context()), a)
			})},
		{Method: "POST", Path: "/api/v1/affiliations/{id}/end", Tag: "life", Summary: "End a second affiliation (to_date: the first day no longer there); the member stays on the earlier activities",
			Perm: auth.NeedWriteMembers, Access: "write on both the member's branch and the organization", Body: EndAffiliation{}, Resp: AffiliationItem{},
			Handle: httpx.WithID("f.affiliation", http.StatusOK, func(r *http.Request, n int64) (any, error) {
				var e EndAffiliation
				if err := httpx.Decode(r, &e); err != nil {
					return nil, err
				}
				return s.EndAffiliationAt(r.Context(), auth.From(r.Context()), n, e)
			})},
		{Method: "GET", Path: "/api/v1/orgs/{id}/affiliations", Tag: "life", Summary: "Members of other branches attached to an organization (临时党支部 members, 流动党员 at their host); current ones unless all",
			Perm: auth.NeedRead, Query: []httpx.Param{{Name: "all", Type: "boolean", Doc: "include ended affiliations"}}, Resp: httpx.List[AffiliationItem]{},
			Handle: httpx.WithID("f.org", http.StatusOK, func(r *http.Request, n int64) (any, error) {
				items, err := s.OrgAffiliations(r.Context(), auth.From(r.Context()), n, r.URL.Query().Get("all") == "true")
				return httpx.List[AffiliationItem]{Items: items, Total: len(items)}, err
			})},
		{Method: "GET", Path: "/api/v1/members/{id}/affiliations", Tag: "life", Summary: "A member's second affiliations (临时党支部, host organization); current ones unless all",
			Perm: auth.NeedReadOrOwn, Query: []httpx.Param{{Name: "all", Type: "boolean", Doc: "include ended affiliations"}}, Resp: httpx.List[AffiliationItem]{},
			Handle: httpx.WithID("f.member", http.StatusOK, func(r *http.Request, n int64) (any, error) {
				items, err := s.MemberAffiliations(r.Context(), auth.From(r.Context()), n, r.URL.Query().Get("all") == "true")
				return httpx.List[AffiliationItem]{Items: items, Total: len(items)}, err
			})},
		{Method: "GET", Path: "/api/v1/compliance", Tag: "life", Summary: "Findings against the rule pack for an organization or its subtree, per rule and period, each naming its rule and source", Perm: auth.NeedRead,
			Query: append([]httpx.Param{{Name: "org", Type: "integer"}, {Name: "period", Type: "string", Doc: "2026, 2026-Q3 or 2026-07"},
				{Name: "subtree", Type: "boolean"}, {Name: "rule", Type: "string", Doc: "only this rule (its id): the organizations it binds and its findings"},
				{Name: "unmet", Type: "boolean", Doc: "with subtree: only organizations with an ended period of a rule not met (missing); a running period is in progress, not unmet"}}, page...),
			Resp: httpx.List[OrgCompliance]{}, Handle: func(w http.ResponseWriter, r *http.Request) error {
				orgID, err := httpx.QueryID(r, "org")
				if err != nil {
					return err
				}
				per, err := ParsePeriod(r.URL.Query().Get("period"))
				if err != nil {
					return httpx.Invalid(httpx.Issue{Field: "period", Msg: i18n.M("v.invalid", "period", "YYYY, YYYY-Qn, YYYY-MM")})
				}
				if orgID == 0 {
					return httpx.Invalid(httpx.Issue{Field: "org", Msg: i18n.M("v.required", "org")})
				}
				p, err := httpx.PageOf(r)
				if err != nil {
					return err
				}
				q := r.URL.Query()
				f := ComplianceFilter{Subtree: q.Get("subtree") == "true", Rule: q.Get("rule"), Unmet: q.Get("unmet") == "true"}
				items, total, err := s.Compliance(r.Context(), auth.From(r.Context()), orgs, orgID, per, f, p)
				if err != nil {
					return err
				}
				return httpx.JSON(w, 200, httpx.List[OrgCompliance]{Items: items, Total: total})
			}},
		{Method: "GET", Path: "/api/v1/compliance/summary", Tag: "life", Summary: "Share of the subtree's organizations that met each rule in each period (maintained rollup)", Perm: auth.NeedRead,
			Query: []httpx.Param{{Name: "org", Type: "integer"}, {Name: "period", Type: "string", Doc: "2026, 2026-Q3 or 2026-07"}},
			Resp:  Summary{}, Handle: func(w http.ResponseWriter, r *http.Request) error {
				orgID, err := httpx.QueryID(r, "org")
				if err != nil {
					return err
				}
				per, err := ParsePeriod(r.URL.Query().Get("period"))
				if err != nil {
					return httpx.Invalid(httpx.Issue{Field: "period", Msg: i18n.M("v.invalid", "period", "YYYY, YYYY-Qn, YYYY-MM")})
				}
				if orgID == 0 {
					return httpx.Invalid(httpx.Issue{Field: "org", Msg: i18n.M("v.required", "org")})
				}
				sum, err := s.Summary(r.Context(), auth.From(r.Context()), orgs, orgID, per)
				if err != nil {
					return err
				}
				return httpx.JSON(w, 200, sum)
			}},
		{Method: "GET", Path: "/api/v1/notices", Tag: "life", Summary: "The caller's notices (reminders, new activities), newest first", Perm: httpx.AnyUser, Access: "any logged-in user (own notices)",
			Query: append([]httpx.Param{{Name: "unread", Type: "boolean"}}, page...), Resp: httpx.List[Notice]{},
			Handle: func(w http.ResponseWriter, r *http.Request) error {
				p, err := httpx.PageOf(r)
				if err != nil {
					return err
				}
				items, total, err := s.Notices(r.Context(), auth.From(r.Context()), r.URL.Query().Get("unread") == "true", p)
				if err != nil {
					return err
				}
				return httpx.JSON(w, 200, httpx.List[Notice]{Items: items, Total: total})
			}},
		{Method: "POST", Path: "/api/v1/notices/{id}/read", Tag: "life", Summary: "Mark a notice read (id 0: all)", Perm: httpx.AnyUser, Access: "any logged-in user (own notices)",
			Status: http.StatusNoContent, Handle: func(w http.ResponseWriter, r *http.Request) error {
				n, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
				if err != nil || n < 0 {
					return httpx.NotFound("f.notice")
				}
				if err := s.MarkRead(r.Context(), auth.From(r.Context()), n); err != nil {
					return err
				}
				w.WriteHeader(http.StatusNoContent)
				return nil
			}},
		{Method: "POST", Path: "/api/v1/orgs/{id}/calendar-token", Tag: "life", Summary: "Issue a calendar feed address (iCalendar) for an organization", Perm: auth.NeedWriteMembers,
			Resp: CalendarToken{}, Status: http.StatusCreated, Handle: func(w http.ResponseWriter, r *http.Request) error {
				n, err := httpx.PathID(r, "id", "f.org")
				if err != nil {
					return err
				}
				t, err := s.NewCalendarToken(r.Context(), auth.From(r.Context()), n)
				if err != nil {
					return err
				}
				return httpx.JSON(w, http.StatusCreated, t)
			}},
		{Method: "GET", Path: "/api/v1/orgs/{id}/calendar-token", Tag: "life", Summary: "The organization's calendar feed addresses in force: who issued them, when, and when a calendar last read them (the secret itself is shown only when issued)", Perm: auth.NeedWriteMembers,
			Resp: httpx.List[CalendarTokenInfo]{}, Handle: httpx.WithID("f.org", http.StatusOK, func(r *http.Request, n int64) (any, error) {
				items, err := s.CalendarTokens(r.Context(), auth.From(r.Context()), n)
				if err != nil {
					return nil, err
				}
				return httpx.List[CalendarTokenInfo]{Items: items, Total: len(items)}, nil
			})},
		{Method: "DELETE", Path: "/api/v1/orgs/{id}/calendar-token", Tag: "life", Summary: "Revoke every calendar feed address of an organization", Perm: auth.NeedWriteMembers,
			Status: http.StatusNoContent, Handle: httpx.WithID("f.org", http.StatusNoContent, func(r *http.Request, n int64) (any, error) {
				return nil, s.RevokeCalendarTokens(r.Context(), auth.From(r.Context()), n)
			})},
		{Method: "DELETE", Path: "/api/v1/orgs/{id}/calendar-token/{token_id}", Tag: "life", Summary: "Revoke one calendar feed address of an organization", Perm: auth.NeedWriteMembers,
			Status: http.StatusNoContent, Handle: httpx.WithID("f.org", http.StatusNoContent, func(r *http.Request, n int64) (any, error) {
				tok, err := httpx.PathID(r, "token_id", "f.calendar_token")
				if err != nil {
					return nil, err
				}
				return nil, s.RevokeCalendarToken(r.Context(), auth.From(r.Context()), n, tok)
			})},
		{Method: "GET", Path: "/api/v1/orgs/{id}/calendar.ics", Tag: "life", Summary: "The organization's calendar feed: activities and deadlines (authorised by its token, while its issuer may still read the organization)", Perm: httpx.Public,
			Query: []httpx.Param{{Name: "token", Type: "string"}}, RespType: "text/calendar", Handle: func(w http.ResponseWriter, r *http.Request) error {
				n, err := httpx.PathID(r, "id", "f.org")
				if err != nil {
					return err
				}
				b, err := s.Calendar(r.Context(), n, r.URL.Query().Get("token"))
				if errors.Is(err, errNoFeed) {
					return httpx.NotFound("f.org")
				}
				if err != nil {
					return err
				}
				w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
				_, err = w.Write(b)
				return err
			}},
		{Method: "GET", Path: "/api/v1/compliance/members", Tag: "life", Summary: "Members in good standing of a subtree who have missed organizational life for months (the 6-month rule of 党章第九条, flagged early)", Perm: auth.NeedRead,
			Query: append([]httpx.Param{{Name: "org", Type: "integer"}, {Name: "months", Type: "integer", Doc: "flag from this many missed months (default: the pack's warn_months; 1 to the pack's months)"}}, page...),
			Resp:  httpx.List[AtRisk]{}, Handle: func(w http.ResponseWriter, r *http.Request) error {
				orgID, err := httpx.QueryID(r, "org")
				if err != nil {
					return err
				}
				if orgID == 0 {
					return httpx.Invalid(httpx.Issue{Field: "org", Msg: i18n.M("v.required", "org")})
				}
				rule := s.Pack().LapseRule()
				months := rule.WarnMonths
				if v := r.URL.Query().Get("months"); v != "" {
					n, err := strconv.Atoi(v)
					if err != nil || n < 1 || n > rule.Months {
						return httpx.Invalid(httpx.Issue{Field: "months", Msg: i18n.M("v.invalid", "months", fmt.Sprintf("1–%d", rule.Months))})
					}
					months = n
				}
				p, err := httpx.PageOf(r)
				if err != nil {
					return err
				}
				items, total, err := s.AtRiskMembers(r.Context(), auth.From(r.Context()), orgID, months, httpx.Lang(r.Context()), p)
				if err != nil {
					return err
				}
				return httpx.JSON(w, 200, httpx.List[AtRisk]{Items: items, Total: total})
			}},
		{Method: "GET", Path: "/api/v1/compliance/lost", Tag: "life", Summary: "Lost (失联) and suspended members of a subtree with the next step of their process (停止党籍, 除名) and when it is due", Perm: auth.NeedRead,
			Query: append([]httpx.Param{{Name: "org", Type: "integer"}}, page...),
			Resp:  httpx.List[Lost]{}, Handle: func(w http.ResponseWriter, r *http.Request) error {
				orgID, err := httpx.QueryID(r, "org")
				if err != nil {
					return err
				}
				if orgID == 0 {
					return httpx.Invalid(httpx.Issue{Field: "org", Msg: i18n.M("v.required", "org")})
				}
				p, err := httpx.PageOf(r)
				if err != nil {
					return err
				}
				items, total, err := s.LostMembers(r.Context(), auth.From(r.Context()), orgID, httpx.Lang(r.Context()), p)
				if err != nil {
					return err
				}
				return httpx.JSON(w, 200, httpx.List[Lost]{Items: items, Total: total})
			}},
		{Method: "GET", Path: "/api/v1/members/{id}/activities", Tag: "life", Summary: "A member's organizational life as on their own page: their branch's, group's and second affiliations' activities and any they attended elsewhere, each naming its organization", Perm: auth.NeedReadOrOwn,
			Resp: Mine{}, Handle: one(func(r *http.Request, n int64) (any, error) {
				return s.MemberActivities(r.Context(), auth.From(r.Context()), n, 50)
			})},
		{Method: "GET", Path: "/api/v1/me/activities", Tag: "life", Summary: "The caller's own organizational life: their branch's and group's activities with their attendance", Perm: httpx.AnyUser, Access: "any user with a member record (own record)",
			Resp: Mine{}, Handle: func(w http.ResponseWriter, r *http.Request) error {
				m, err := s.MyActivities(r.Context(), auth.From(r.Context()), 50)
				if err != nil {
					return err
				}
				return httpx.JSON(w, 200, m)
			}},
		{Method: "GET", Path: "/api/v1/activities/{id}/attachments", Tag: "life", Summary: "Files of an activity (minutes, photos; photos are never required)", Perm: auth.NeedRead,
			Resp: httpx.List[Attachment]{}, Handle: one(func(r *http.Request, n int64) (any, error) {
				items, err := s.Attachments(r.Context(), auth.From(r.Context()), n)
				if err != nil {
					return nil, err
				}
				return httpx.List[Attachment]{Items: items, Total: len(items)}, nil
			})},
		{Method: "POST", Path: "/api/v1/activities/{id}/attachments", Tag: "life", Summary: "Attach a file (images, PDF, Office, text; 20 MB); images get a thumbnail", Perm: auth.NeedWriteMembers,
			Multipart: true, MaxBody: MaxAttachment + 1<<20, Resp: Attachment{}, Status: http.StatusCreated, Heavy: true, Handle: func(w http.ResponseWriter, r *http.Request) error {
				n, err := id(r)
				if err != nil {
					return err
				}
				_, fh, err := r.FormFile("file")
				if err != nil {
					return httpx.Invalid(httpx.FieldIssue("file", "f.attachment.file", "v.required"))
				}
				a, err := s.Attach(r.Context(), auth.From(r.Context()), s.Files, n, fh)
				if err != nil {
					return err
				}
				return httpx.JSON(w, http.StatusCreated, a)
			}},
		{Method: "GET", Path: "/api/v1/attachments/{id}", Tag: "life", Summary: "Download a file (thumb=true: the image's thumbnail)", Perm: auth.NeedRead,
			Query: []httpx.Param{{Name: "thumb", Type: "boolean"}}, RespType: "application/octet-stream", Handle: func(w http.ResponseWriter, r *http.Request) error {
				n, err := httpx.PathID(r, "id", "f.attachment")
				if err != nil {
					return err
				}
				a, rc, err := s.OpenAttachment(r.Context(), auth.From(r.Context()), s.Files, n, r.URL.Query().Get("thumb") == "true")
				if err != nil {
					return err
				}
				defer rc.Close()
				w.Header().Set("Content-Type", a.ContentType)
				w.Header().Set("X-Content-Type-Options", "nosniff")
				w.Header().Set("Content-Disposition", "inline; filename*=UTF-8''"+url.PathEscape(a.Name))
				_, err = io.Copy(w, rc)
				return err
			}},
		{Method: "DELETE", Path: "/api/v1/attachments/{id}", Tag: "life", Summary: "Take a file off a record that can still be changed", Perm: auth.NeedWriteMembers,
			Status: http.StatusNoContent, Handle: httpx.WithID("f.attachment", http.StatusNoContent, func(r *http.Request, n int64) (any, error) {
				return nil, s.RemoveAttachment(r.Context(), auth.From(r.Context()), n)
			})},
		{Method: "POST", Path: "/api/v1/activities/{id}/checkin-code", Tag: "life", Summary: "Open optional self sign-in: a 6-digit code (and QR link) valid 15 minutes", Perm: auth.NeedWriteMembers,
			Resp: CheckinCode{}, Status: http.StatusCreated, Handle: func(w http.ResponseWriter, r *http.Request) error {
				n, err := id(r)
				if err != nil {
					return err
				}
				c, err := s.NewCheckinCode(r.Context(), auth.From(r.Context()), n)
				if err != nil {
					return err
				}
				return httpx.JSON(w, http.StatusCreated, c)
			}},
		{Method: "POST", Path: "/api/v1/activities/{id}/checkin", Tag: "life", Summary: "A member signs themselves in with the code", Perm: httpx.AnyUser, Access: "members on the activity's roster, with the code",
			Body: CheckinRequest{}, Resp: AttendanceItem{}, Handle: func(w http.ResponseWriter, r *http.Request) error {
				n, err := id(r)
				if err != nil {
					return err
				}
				var c CheckinRequest
				if err := httpx.Decode(r, &c); err != nil {
					return err
				}
				it, err := s.Checkin(r.Context(), auth.From(r.Context()), n, c.Code)
				if err != nil {
					return err
				}
				return httpx.JSON(w, 200, it)
			}},
		{Method: "GET", Path: "/api/v1/activities/{id}/reviews", Tag: "life", Summary: "民主评议: every member's self-appraisal, grade and outcome; counts, the cap on 优秀 (⌊n × the pack's excellent_share⌋ of n full members in good standing) and the 限期改正 dates", Perm: auth.NeedRead,
			Resp: Appraisals{}, Handle: one(func(r *http.Request, n int64) (any, error) {
				return s.GetReviews(r.Context(), auth.From(r.Context()), n, httpx.Lang(r.Context()))
			})},
		{Method: "PUT", Path: "/api/v1/activities/{id}/reviews", Tag: "life", Summary: "Record appraisals (grades for full members in good standing only); 优秀 over the cap needs override_reason; 不合格 gets a 限期改正 deadline (default and maximum from the pack)", Perm: auth.NeedWriteMembers,
			Body: AppraisalUpdate{}, Resp: Appraisals{}, Handle: one(func(r *http.Request, n int64) (any, error) {
				var u AppraisalUpdate
				if err := httpx.Decode(r, &u); err != nil {
					return nil, err
				}
				return s.SetReviews(r.Context(), auth.From(r.Context()), n, u, httpx.Lang(r.Context()))
			})},
		{Method: "POST", Path: "/api/v1/activities/{id}/outcomes", Tag: "life", Summary: "Record the branch's decision on a member after the appraisal (已改正, 劝其退党, then 退党 or 除名; 延长预备期 or 取消预备党员资格); one that ends membership sets the member's status", Perm: auth.NeedWriteMembers,
			Body: NewOutcome{}, Resp: Appraisals{}, Handle: one(func(r *http.Request, n int64) (any, error) {
				var o NewOutcome
				if err := httpx.Decode(r, &o); err != nil {
					return nil, err
				}
				return s.RecordOutcome(r.Context(), auth.From(r.Context()), n, o, httpx.Lang(r.Context()))
			})},
		{Method: "GET", Path: "/api/v1/activities/{id}/rectifications", Tag: "life", Summary: "组织生活会: the problem list and its rectification", Perm: auth.NeedRead,
			Resp: httpx.List[Rectification]{}, Handle: one(func(r *http.Request, n int64) (any, error) {
				items, err := s.Rectifications(r.Context(), auth.From(r.Context()), n)
				if err != nil {
					return nil, err
				}
				return httpx.List[Rectification]{Items: items, Total: len(items)}, nil
			})},
		{Method: "POST", Path: "/api/v1/activities/{id}/rectifications", Tag: "life", Summary: "Add a problem with its measure, owner and deadline", Perm: auth.NeedWriteMembers,
			Body: NewRectification{}, Resp: Rectification{}, Status: http.StatusCreated, Handle: func(w http.ResponseWriter, r *http.Request) error {
				n, err := id(r)
				if err != nil {
					return err
				}
				var nr NewRectification
				if err := httpx.Decode(r, &nr); err != nil {
					return err
				}
				rc, err := s.AddRectification(r.Context(), auth.From(r.Context()), n, nr)
				if err != nil {
					return err
				}
				return httpx.JSON(w, http.StatusCreated, rc)
			}},
		{Method: "PATCH", Path: "/api/v1/rectifications/{id}", Tag: "life", Summary: "Correct an open problem: its text, measure, owner or deadline (one put right stays as recorded)", Perm: auth.NeedWriteMembers,
			Body: NewRectification{}, Resp: Rectification{}, Handle: httpx.WithID("f.rectification", http.StatusOK, func(r *http.Request, n int64) (any, error) {
				var nr NewRectification
				if err := httpx.Decode(r, &nr); err != nil {
					return nil, err
				}
				return s.UpdateRectification(r.Context(), auth.From(r.Context()), n, nr)
			})},
		{Method: "POST", Path: "/api/v1/rectifications/{id}/done", Tag: "life", Summary: "Mark a rectification done", Perm: auth.NeedWriteMembers,
			Body: RectificationDone{}, Status: http.StatusNoContent, Handle: func(w http.ResponseWriter, r *http.Request) error {
				n, err := httpx.PathID(r, "id", "f.rectification")
				if err != nil {
					return err
				}
				var d RectificationDone
				if err := httpx.Decode(r, &d); err != nil {
					return err
				}
				if err := s.CompleteRectification(r.Context(), auth.From(r.Context()), n, d.Note); err != nil {
					return err
				}
				w.WriteHeader(http.StatusNoContent)
				return nil
			}},
		{Method: "GET", Path: "/api/v1/talks", Tag: "life", Summary: "谈心谈话 of an organization in a year, and the members not yet talked with", Perm: auth.NeedRead,
			Query: []httpx.Param{{Name: "org", Type: "integer"}, {Name: "year", Type: "integer"}}, Resp: TalkList{},
			Handle: func(w http.ResponseWriter, r *http.Request) error {
				orgID, err := httpx.QueryID(r, "org")
				if err != nil {
					return err
				}
				year := PeriodOf(Year, s.Clock.Now()).Year
				if v := r.URL.Query().Get("year"); v != "" {
					y, err := strconv.Atoi(v)
					if err != nil || y < 1921 || y > 2200 {
						return httpx.Invalid(httpx.Issue{Field: "year", Msg: i18n.M("v.number", "year")})
					}
					year = y
				}
				tl, err := s.Talks(r.Context(), auth.From(r.Context()), orgID, year)
				if err != nil {
					return err
				}
				return httpx.JSON(w, 200, tl)
			}},
		{Method: "POST", Path: "/api/v1/talks", Tag: "life", Summary: "Record a 谈心谈话", Perm: auth.NeedWriteMembers,
			Body: NewTalk{}, Resp: Talk{}, Status: http.StatusCreated, Handle: httpx.Body(http.StatusCreated, func(r *http.Request, n NewTalk) (any, error) {
				return s.AddTalk(r.Context(), auth.From(r.Context()), n)
			})},
		{Method: "GET", Path: "/api/v1/orgs/{id}/record-book", Tag: "life", Summary: "The year's 组织生活记录本 of an organization: a print-friendly page, or .xlsx with format=xlsx", Perm: auth.NeedRead,
			Query: []httpx.Param{{Name: "year", Type: "integer"}, {Name: "format", Type: "string", Enum: []string{"html", "xlsx"}}}, RespType: "text/html", Heavy: true,
			Handle: func(w http.ResponseWriter, r *http.Request) error {
				n, err := httpx.PathID(r, "id", "f.org")
				if err != nil {
					return err
				}
				year := PeriodOf(Year, s.Clock.Now()).Year
				if v := r.URL.Query().Get("year"); v != "" {
					y, err := strconv.Atoi(v)
					if err != nil || y < 1921 || y > 2200 {
						return httpx.Invalid(httpx.Issue{Field: "year", Msg: i18n.M("v.number", "year")})
					}
					year = y
				}
				book, err := s.Book(r.Context(), auth.From(r.Context()), n, year)
				if err != nil {
					return err
				}
				format := map[bool]string{true: "xlsx", false: "html"}[r.URL.Query().Get("format") == "xlsx"]
				if err := s.AuditBook(r.Context(), auth.From(r.Context()), book, format); err != nil {
					return err
				}
				if format == "xlsx" {
					b, err := book.XLSX(s.Pack())
					if err != nil {
						return err
					}
					w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
					w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(fmt.Sprintf("%s-%d年组织生活记录本.xlsx", book.OrgName, year)))
					_, err = w.Write(b)
					return err
				}
				b, err := book.HTML(s.Pack())
				if err != nil {
					return err
				}
				httpx.AllowInlineHandlers(w, PrintHandler)
				w.Header().Set("Content-Type", "text/html; charset=utf-8")
				_, err = w.Write(b)
				return err
			}},
	}...)
}

func (s *Store) handleList(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	var f ActivityFilter
	var err error
	if f.OrgID, err = httpx.QueryID(r, "org"); err != nil {
		return err
	}
	f.Subtree, f.Kind, f.State = q.Get("subtree") == "true", q.Get("kind"), q.Get("state")
	var is httpx.Issues
	for _, t := range []struct {
		name string
		dst  *time.Time
	}{{"from", &f.From}, {"to", &f.To}} {
		v := q.Get(t.name)
		if v == "" {
			continue
		}
		if tt, err := time.Parse(time.RFC3339, v); err == nil {
			*t.dst = tt
		} else if d, err := time.ParseInLocation("2006-01-02", v, clock.CST); err == nil {
			*t.dst = d
		} else {
			is = append(is, httpx.Issue{Field: t.name, Msg: i18n.M("v.invalid", t.name, "RFC 3339 / YYYY-MM-DD")})
		}
	}
	if err := is.Err(); err != nil {
		return err
	}
	p, err := httpx.PageOf(r)
	if err != nil {
		return err
	}
	items, total, err := s.List(r.Context(), auth.From(r.Context()), f, p)
	if err != nil {
		return err
	}
	return httpx.JSON(w, 200, httpx.List[Activity]{Items: items, Total: total})
}
