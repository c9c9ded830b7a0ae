package compliance

import (
	"context"
	"dangjian/internal/life"
	"dangjian/internal/life/rules"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"dangjian/internal/org"
	"dangjian/internal/platform/audit"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/clock"
	"dangjian/internal/platform/db"
	"dangjian/internal/platform/httpx"
	"dangjian/internal/platform/i18n"
)

// Notice is an in-app message to one user.
type Notice struct {
	ID        int64      `json:"id"`
	OrgID     int64      `json:"org_id"`
	Kind      string     `json:"kind"` // activity, due_soon, overdue, submitted (a record awaits the level above)
	Title     string     `json:"title"`
	Body      string     `json:"body"`
	Link      string     `json:"link"`
	CreatedAt time.Time  `json:"created_at"`
	ReadAt    *time.Time `json:"read_at" jsonschema:"nullable"`
}

// Notices lists the caller's notices, newest first.
func (s *Store) Notices(ctx context.Context, sc *auth.Scope, unread bool, p httpx.Page) ([]Notice, int, error) {
	where := "user_id = ?"
	if unread {
		where += " AND read_at IS NULL"
	}
	var total int
	if err := s.DB.QueryRow(ctx, `SELECT COUNT(*) FROM notices WHERE `+where, sc.UserID).Scan(&total); err != nil {
		return nil, 0, err
	}
	out := []Notice{}
	if err := db.Each(ctx, s.DB, `SELECT id, COALESCE(org_id, 0), kind, title, body, link, created_at, read_at FROM notices WHERE `+where+
		` ORDER BY id DESC LIMIT ? OFFSET ?`, []any{sc.UserID, p.Size, p.Offset()}, func(rs db.Scanner) error {
		var n Notice
		var read sql.NullTime
		if err := rs.Scan(&n.ID, &n.OrgID, &n.Kind, &n.Title, &n.Body, &n.Link, &n.CreatedAt, &read); err != nil {
			return err
		}
		n.CreatedAt = n.CreatedAt.UTC()
		n.ReadAt = db.TimeOrNil(read)
		out = append(out, n)
		return nil
	}); err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// MarkRead marks one of the caller's notices (or, with id 0, all of them) as read.
func (s *Store) MarkRead(ctx context.Context, sc *auth.Scope, id int64) error {
	q := `UPDATE notices SET read_at = ? WHERE user_id = ? AND read_at IS NULL`
	args := []any{s.Clock.Now(), sc.UserID}
	if id != 0 {
		q += " AND id = ?"
		args = append(args, id)
	}
	res, err := s.DB.Exec(ctx, q, args...)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 && id != 0 {
		var exists int
		_ = s.DB.QueryRow(ctx, `SELECT COUNT(*) FROM notices WHERE id = ? AND user_id = ?`, id, sc.UserID).Scan(&exists)
		if exists == 0 {
			return httpx.NotFound("f.notice")
		}
	}
	return nil
}

// Remind creates the day's reminders: to an organization's secretaries when a required
// activity is due within the rule's reminder days and not yet held, and to the level above
// when a period ended without it. Notices are created once (dedupe keys), so running it
// again the same day, or on several instances, adds nothing.
func (s *Store) Remind(ctx context.Context, now time.Time) (string, error) {
	kinds := map[string]bool{}
	for _, r := range s.Pack().Rules {
		for _, k := range r.AppliesTo {
			kinds[k] = true
		}
	}
	ks := keys(kinds)
	var all []*org.Org
	if err := db.Each(ctx, s.DB, `SELECT id, COALESCE(parent_id, 0), name, kind, direct_full, setup_date FROM orgs
		WHERE dissolved_at IS NULL AND kind IN (`+db.Placeholders(len(ks))+`) ORDER BY path`, life.AnySlice(ks), func(rs db.Scanner) error {
		var o org.Org
		if err := rs.Scan(&o.ID, &o.ParentID, &o.Name, &o.Kind, &o.DirectFull, &o.SetupDate); err != nil {
			return err
		}
		all = append(all, &o)
		return nil
	}); err != nil {
		return "", err
	}
	// The current month with its year, and the month just ended, cover every period that is
	// running or has just closed; one read of the records of both windows per chunk.
	periods := []rules.Period{rules.PeriodOf(rules.Month, now), rules.PeriodOf(rules.Month, now.AddDate(0, -1, 0))}
	from, _ := window(periods[1])
	_, to := window(periods[0])
	dueSoon, overdue := 0, 0
	const chunk = 500
	for i := 0; i < len(all); i += chunk {
		part := all[i:min(i+chunk, len(all))]
		err := s.DB.InTx(ctx, func(tx *db.Tx) error {
			ids := make([]int64, len(part))
			for j, o := range part {
				ids[j] = o.ID
			}
			held, err := heldByOrg(ctx, tx, ids, from, to)
			if err != nil {
				return err
			}
			hist, err := org.FullHistory(ctx, tx, ids)
			if err != nil {
				return err
			}
			for _, o := range part {
				for _, per := range periods {
					ds, od, err := s.remindOrg(ctx, tx, o, s.judge(o, per, held[o.ID], hist[o.ID]).Findings, now)
					if err != nil {
						return err
					}
					dueSoon, overdue = dueSoon+ds, overdue+od
				}
			}
			return nil
		})
		if err != nil {
			return "", err
		}
	}
	corrections, err := s.Appraisal.RemindCorrections(ctx, now)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%d organizations, %d due-soon and %d overdue notices, %d correction deadlines", len(all), dueSoon, overdue, corrections), nil
}

// remindOrg creates the notices of one organization's findings: due soon to its secretaries,
// missed (within 40 days of the deadline) to the level above.
func (s *Store) remindOrg(ctx context.Context, tx *db.Tx, o *org.Org, findings []rules.Finding, now time.Time) (dueSoon, overdue int, err error) {
	for _, f := range findings {
		switch {
		case f.Status == rules.DueSoon:
			users, err := life.Responsible(ctx, tx, o.ID)
			if err != nil {
				return 0, 0, err
			}
			n, err := life.Notify(ctx, tx, users, o.ID, "due_soon", fmt.Sprintf("%s：%s尚未完成", o.Name, f.Rule),
				fmt.Sprintf("%s（%s）应于%s前完成，当前已开展%d次，要求%d次。依据：%s", f.Rule, f.Period, clock.Today(f.DueAt.Add(-time.Second)), f.Held, f.Required, f.Source),
				fmt.Sprintf("/orgs/%d/life", o.ID), "due_soon:"+f.RuleID+":"+f.Period+":"+fmt.Sprint(o.ID), now)
			if err != nil {
				return 0, 0, err
			}
			dueSoon += n
		case f.Status == rules.Missing && o.ParentID != 0 && !now.Before(f.DueAt) && now.Sub(f.DueAt) < 40*24*time.Hour:
			users, err := life.Responsible(ctx, tx, o.ParentID)
			if err != nil {
				return 0, 0, err
			}
			n, err := life.Notify(ctx, tx, users, o.ID, "overdue", fmt.Sprintf("%s：%s未按时完成", o.Name, f.Rule),
				fmt.Sprintf("%s在%s应开展%d次，实际%d次。依据：%s", o.Name, f.Period, f.Required, f.Held, f.Source),
				fmt.Sprintf("/orgs/%d/life", o.ID), "overdue:"+f.RuleID+":"+f.Period+":"+fmt.Sprint(o.ID), now)
			if err != nil {
				return 0, 0, err
			}
			overdue += n
		}
	}
	return dueSoon, overdue, nil
}

// CalendarToken is a new feed address of an organization.
type CalendarToken struct {
	ID    int64  `json:"id"`
	URL   string `json:"url"`
	Token string `json:"token"`
}

// CalendarTokenInfo is an issued feed address without its secret (only a hash is kept, so an
// address can be shown only when it is issued).
type CalendarTokenInfo struct {
	ID         int64      `json:"id"`
	CreatedBy  string     `json:"created_by"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at" jsonschema:"nullable"`
}

// NewCalendarToken issues a feed token for an organization the caller writes for; earlier
// tokens stay valid until revoked.
func (s *Store) NewCalendarToken(ctx context.Context, sc *auth.Scope, orgID int64) (*CalendarToken, error) {
	if _, err := org.Resolve(ctx, s.DB, sc, orgID, auth.WriteMembers); err != nil {
		return nil, err
	}
	tok := life.NewSecret()
	now := s.Clock.Now()
	t := &CalendarToken{Token: tok, URL: fmt.Sprintf("/api/v1/orgs/%d/calendar.ics?token=%s", orgID, tok)}
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		if err := tx.QueryRow(ctx, `INSERT INTO calendar_tokens (org_id, token_hash, created_by, created_at) VALUES (?, ?, ?, ?) RETURNING id`,
			orgID, life.HashSecret(tok), sc.UserID, now).Scan(&t.ID); err != nil {
			return err
		}
		return audit.Write(ctx, tx, sc.Actor(), now, audit.Entry{Action: "create", Entity: "calendar_token", EntityID: t.ID, OrgID: orgID})
	})
	return t, err
}

// CalendarTokens lists an organization's feed addresses in force, newest first: not revoked,
// and their issuer may still read the organization.
func (s *Store) CalendarTokens(ctx context.Context, sc *auth.Scope, orgID int64) ([]CalendarTokenInfo, error) {
	o, err := org.Reach(ctx, s.DB, sc, orgID, auth.WriteMembers)
	if err != nil {
		return nil, err
	}
	var all []CalendarTokenInfo
	var issuers []int64
	if err := db.Each(ctx, s.DB, `SELECT t.id, COALESCE(NULLIF(u.display_name, ''), u.username, ''), t.created_at, t.last_used_at, COALESCE(t.created_by, 0)
		FROM calendar_tokens t LEFT JOIN users u ON u.id = t.created_by
		WHERE t.org_id = ? AND t.revoked_at IS NULL ORDER BY t.id DESC`, []any{orgID}, func(rs db.Scanner) error {
		var t CalendarTokenInfo
		var used sql.NullTime
		var by int64
		if err := rs.Scan(&t.ID, &t.CreatedBy, &t.CreatedAt, &used, &by); err != nil {
			return err
		}
		t.CreatedAt = t.CreatedAt.UTC()
		t.LastUsedAt = db.TimeOrNil(used)
		all = append(all, t)
		issuers = append(issuers, by)
		return nil
	}); err != nil {
		return nil, err
	}
	out := []CalendarTokenInfo{}
	for i, t := range all {
		ok, err := issuerMayRead(ctx, s.DB, issuers[i], o.Path)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, t)
		}
	}
	return out, nil
}

// issuerMayRead tells whether the account that issued a feed address may still read the
// organization at path: an address dies with its issuer's rights (account disabled, grant
// revoked, organization no longer in the grant's subtree).
func issuerMayRead(ctx context.Context, q db.Querier, userID int64, path string) (bool, error) {
	var disabled bool
	err := q.QueryRow(ctx, `SELECT disabled FROM users WHERE id = ?`, userID).Scan(&disabled)
	if errors.Is(err, sql.ErrNoRows) || disabled {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	sc := &auth.Scope{UserID: userID}
	if err := db.Each(ctx, q, `SELECT g.role, COALESCE(o.path, '') FROM grants g LEFT JOIN orgs o ON o.id = g.org_id
		WHERE g.user_id = ? AND (g.org_id IS NULL OR o.dissolved_at IS NULL)`, []any{userID}, func(rs db.Scanner) error {
		var g auth.Grant
		if err := rs.Scan(&g.Role, &g.OrgPath); err != nil {
			return err
		}
		sc.Grants = append(sc.Grants, g)
		return nil
	}); err != nil {
		return false, err
	}
	return sc.Can(auth.Read, path), nil
}

// RevokeCalendarToken revokes one feed address of an organization.
func (s *Store) RevokeCalendarToken(ctx context.Context, sc *auth.Scope, orgID, tokenID int64) error {
	if _, err := org.Reach(ctx, s.DB, sc, orgID, auth.WriteMembers); err != nil {
		return err
	}
	now := s.Clock.Now()
	return s.DB.InTx(ctx, func(tx *db.Tx) error {
		res, err := tx.Exec(ctx, `UPDATE calendar_tokens SET revoked_at = ? WHERE id = ? AND org_id = ? AND revoked_at IS NULL`, now, tokenID, orgID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return httpx.NotFound("f.calendar_token")
		}
		return audit.Write(ctx, tx, sc.Actor(), now, audit.Entry{Action: "revoke", Entity: "calendar_token", EntityID: tokenID, OrgID: orgID})
	})
}

// RevokeCalendarTokens revokes every feed token of an organization.
func (s *Store) RevokeCalendarTokens(ctx context.Context, sc *auth.Scope, orgID int64) error {
	if _, err := org.Reach(ctx, s.DB, sc, orgID, auth.WriteMembers); err != nil {
		return err
	}
	now := s.Clock.Now()
	return s.DB.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE calendar_tokens SET revoked_at = ? WHERE org_id = ? AND revoked_at IS NULL`, now, orgID); err != nil {
			return err
		}
		return audit.Write(ctx, tx, sc.Actor(), now, audit.Entry{Action: "revoke", Entity: "calendar_token", OrgID: orgID})
	})
}

var errNoFeed = errors.New("no such feed")

// Calendar renders an organization's iCalendar feed (RFC 5545): its activities of the last
// and next year, and the deadlines of the rules it has not yet met, if token is valid.
func (s *Store) Calendar(ctx context.Context, orgID int64, token string) ([]byte, error) {
	if token == "" {
		return nil, errNoFeed
	}
	now := s.Clock.Now()
	var tokenID, issuer int64
	err := s.DB.QueryRow(ctx, `SELECT id, COALESCE(created_by, 0) FROM calendar_tokens WHERE org_id = ? AND token_hash = ? AND revoked_at IS NULL`,
		orgID, life.HashSecret(token)).Scan(&tokenID, &issuer)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNoFeed
	}
	if err != nil {
		return nil, err
	}
	ref, err := org.Lookup(ctx, s.DB, orgID)
	if err != nil {
		return nil, err
	}
	if ref == nil {
		return nil, errNoFeed
	}
	if ok, err := issuerMayRead(ctx, s.DB, issuer, ref.Path); err != nil {
		return nil, err
	} else if !ok {
		return nil, errNoFeed
	}
	// Marks the address as in use (at most hourly, so a polling calendar writes little).
	if _, err := s.DB.Exec(ctx, `UPDATE calendar_tokens SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)`,
		now, tokenID, now.Add(-time.Hour)); err != nil {
		return nil, err
	}
	o, err := s.OrgRow(ctx, orgID)
	if err != nil {
		return nil, err
	}
	var b strings.Builder
	line := func(s string) { b.WriteString(foldICS(s)); b.WriteString("\r\n") }
	line("BEGIN:VCALENDAR")
	line("VERSION:2.0")
	line("PRODID:-//dangjian//organizational life//ZH")
	line("CALSCALE:GREGORIAN")
	line("X-WR-CALNAME:" + escICS(o.Name+" 组织生活"))
	line("X-WR-TIMEZONE:Asia/Shanghai")
	stamp := now.UTC().Format("20060102T150405Z")
	if err := db.Each(ctx, s.DB, `SELECT a.id, a.topic, a.starts_at, a.ends_at, a.place, a.state FROM activities a
		WHERE a.org_id = ? AND a.starts_at >= ? AND a.starts_at < ? AND a.state <> 'cancelled' AND a.superseded_by IS NULL ORDER BY a.starts_at`, []any{orgID, now.AddDate(-1, 0, 0).UTC(), now.AddDate(1, 0, 0).UTC()}, func(rs db.Scanner) error {
		var id int64
		var topic, place, state string
		var start time.Time
		var end sql.NullTime
		if err := rs.Scan(&id, &topic, &start, &end, &place, &state); err != nil {
			return err
		}
		e := start.Add(90 * time.Minute)
		if end.Valid {
			e = end.Time
		}
		line("BEGIN:VEVENT")
		line(fmt.Sprintf("UID:activity-%d@dangjian", id))
		line("DTSTAMP:" + stamp)
		line("DTSTART:" + start.UTC().Format("20060102T150405Z"))
		line("DTEND:" + e.UTC().Format("20060102T150405Z"))
		line("SUMMARY:" + escICS(topic))
		if place != "" {
			line("LOCATION:" + escICS(place))
		}
		line("STATUS:" + map[bool]string{true: "TENTATIVE", false: "CONFIRMED"}[state == life.Planned])
		line("END:VEVENT")
		return nil
	}); err != nil {
		return nil, err
	}
	for _, per := range []rules.Period{rules.PeriodOf(rules.Month, now), rules.PeriodOf(rules.Month, now).Next()} {
		oc, err := s.Evaluate(ctx, s.DB, o, per)
		if err != nil {
			return nil, err
		}
		for _, f := range oc.Findings {
			if f.Status == rules.Met {
				continue
			}
			day := f.DueAt.Add(-time.Second).In(clock.CST)
			line("BEGIN:VEVENT")
			line(fmt.Sprintf("UID:deadline-%s-%s-%d@dangjian", f.RuleID, f.Period, o.ID))
			line("DTSTAMP:" + stamp)
			line("DTSTART;VALUE=DATE:" + day.Format("20060102"))
			line("DTEND;VALUE=DATE:" + day.AddDate(0, 0, 1).Format("20060102"))
			line("SUMMARY:" + escICS("截止："+f.Rule+"（"+f.Period+"）"))
			line("DESCRIPTION:" + escICS(fmt.Sprintf("已开展%d次，要求%d次。依据：%s", f.Held, f.Required, f.Source)))
			line("TRANSP:TRANSPARENT")
			line("END:VEVENT")
		}
	}
	line("END:VCALENDAR")
	return []byte(b.String()), nil
}

func escICS(s string) string {
	return strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\n", `\n`, "\r", "").Replace(s)
}

// foldICS folds a content line at 75 octets without splitting a UTF-8 character.
func foldICS(s string) string {
	if len(s) <= 75 {
		return s
	}
	var b strings.Builder
	n := 0
	for _, r := range s {
		size := len(string(r))
		if n+size > 75 {
			b.WriteString("\r\n ")
			n = 1
		}
		b.WriteRune(r)
		n += size
	}
	return b.String()
}

func init() {
	i18n.Register(map[string][2]string{"f.notice": {"通知", "Notice"}, "f.calendar_token": {"日历订阅地址", "Calendar address"}})
}

// noticeRoutes are the routes of the caller's notices.
func (s *Store) noticeRoutes() []httpx.Route {
	return []httpx.Route{
		{Method: "GET", Path: "/api/v1/notices", Tag: "life", Summary: "The caller's notices (reminders, new activities), newest first", Perm: httpx.AnyUser, Access: "any logged-in user (own notices)",
			Query: append([]httpx.Param{{Name: "unread", Type: "boolean"}}, life.PageParams...), Resp: httpx.List[Notice]{},
			Handle: func(w http.ResponseWriter, r *http.Request) error {
				p, err := httpx.PageOf(r)
				if err != nil {
					return err
				}
				items, total, err := s.Notices(r.Context(), auth.From(r.Context()), httpx.QueryFlag(r, "unread", false), p)
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
	}
}

// calendarRoutes are the routes of the calendar feed and its tokens.
func (s *Store) calendarRoutes() []httpx.Route {
	return []httpx.Route{
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
	}
}
