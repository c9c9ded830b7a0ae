package life

import (
	"context"
	"dangjian/internal/life/rules"
	"database/sql"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"dangjian/internal/member"
	"dangjian/internal/org"
	"dangjian/internal/platform/audit"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/clock"
	"dangjian/internal/platform/db"
	"dangjian/internal/platform/httpx"
	"dangjian/internal/platform/i18n"
)

// Attendance states.
var AttendanceStates = []string{"present", "leave", "absent", "exempt"}

func init() {
	i18n.Register(map[string][2]string{
		"f.attendance.member_id":  {"党员", "Member"},
		"f.attendance.state":      {"出勤情况", "Attendance"},
		"f.attendance.reason":     {"原因", "Reason"},
		"f.exemption":             {"免参加记录", "Exemption"},
		"f.exemption.member_id":   {"党员", "Member"},
		"f.exemption.reason":      {"免参加原因", "Reason"},
		"f.exemption.from_date":   {"开始日期", "From"},
		"f.exemption.to_date":     {"结束日期", "To"},
		"v.attendance.not_roster": {"%s：不在本次活动的名册中", "%s: not on this activity's roster"},
		"v.attendance.reason":     {"%s：请假或免参加应填写原因", "%s: a leave or an exemption needs a reason"},
		"v.exemption.order":       {"%s：不能早于开始日期", "%s: before the start date"},
		"attendance.present":      {"出席", "Present"},
		"attendance.leave":        {"请假", "On leave"},
		"attendance.absent":       {"缺席", "Absent"},
		"attendance.exempt":       {"免参加", "Exempted"},
	})
}

// AttendanceItem is one member's attendance of an activity.
type AttendanceItem struct {
	MemberID int64  `json:"member_id"`
	Name     string `json:"name"`
	State    string `json:"state"` // "" while not recorded
	Reason   string `json:"reason"`
	// FromExemption tells that the state comes from a standing exemption, not a record.
	FromExemption bool `json:"from_exemption"`
	// CheckedIn tells that the member signed in themself with the activity's code.
	CheckedIn bool `json:"checked_in"`
	// Affiliation is "temporary" (临时党支部) or "host" (流动党员 here at the 流入地) for a
	// member whose home branch is elsewhere, "" for a home member.
	Affiliation string `json:"affiliation"`
}

// Guest is a non-member attending (列席).
type Guest struct {
	Name string `json:"name"`
	Note string `json:"note"`
}

// Attendance is the roster of an activity with each member's state and the rates.
type Attendance struct {
	ActivityID int64            `json:"activity_id"`
	Expected   int              `json:"expected"`
	Present    int              `json:"present"`
	Leave      int              `json:"leave"`
	Absent     int              `json:"absent"`
	Exempt     int              `json:"exempt"`
	Rate       float64          `json:"rate"` // present / (expected - exempt)
	Items      []AttendanceItem `json:"items"`
	Guests     []Guest          `json:"guests"`
}

// AttendanceUpdate is the body of PUT /api/v1/activities/{id}/attendance.
type AttendanceUpdate struct {
	Items  []AttendanceItem `json:"items"`
	Guests *[]Guest         `json:"guests,omitempty"`
}

// Roster lists the members an activity is for, as they were on its day (rollAt), with
// anyone already recorded for it — a member transferred since keeps their record there.
func Roster(ctx context.Context, q db.Querier, a *Activity) ([]AttendanceItem, error) {
	if items, ok, err := committeeRoster(ctx, q, a); ok || err != nil {
		return items, err
	}
	o, err := org.Lookup(ctx, q, a.OrgID)
	if err != nil {
		return nil, err
	}
	day := clock.Today(a.StartsAt)
	cond, args := member.RollAtSQL(o, day)
	// The roll and those recorded read as a UNION of two index reads: as an OR, PostgreSQL
	// scanned every member of the district (1.5–2 s an activity at 200k, PERFORMANCE.md).
	var out []AttendanceItem
	if err := db.Each(ctx, q, `SELECT m.id, m.name, COALESCE((SELECT MIN(s.kind) FROM memberships s WHERE s.member_id = m.id AND s.org_id = ?
		AND s.kind <> 'home' AND s.from_date <= ? AND (s.to_date = '' OR s.to_date > ?)), '')
		FROM members m WHERE m.id IN (SELECT m.id FROM members m WHERE `+cond+`
		UNION SELECT t.member_id FROM attendance t WHERE t.activity_id = ?) ORDER BY m.name_key, m.id`, append(append([]any{a.OrgID, day, day}, args...), a.ID), func(rs db.Scanner) error {
		var it AttendanceItem
		if err := rs.Scan(&it.MemberID, &it.Name, &it.Affiliation); err != nil {
			return err
		}
		out = append(out, it)
		return nil
	}); err != nil {
		return nil, err
	}
	return out, nil
}

// committeeRoster is the roster of a 支委会 (an activity of that kind only): the members
// holding a committee post on the meeting's day; anyone else attends as a 列席 guest. ok is
// false for other activities.
func committeeRoster(ctx context.Context, q db.Querier, a *Activity) (items []AttendanceItem, ok bool, err error) {
	var n, committee int
	if err := q.QueryRow(ctx, `SELECT COUNT(*), COUNT(CASE WHEN kind = 'committee_meeting' THEN 1 END) FROM activity_kinds WHERE activity_id = ?`, a.ID).
		Scan(&n, &committee); err != nil || n == 0 || committee != n {
		return nil, false, err
	}
	posts, err := org.CommitteeAt(ctx, q, a.OrgID, clock.Today(a.StartsAt))
	if err != nil {
		return nil, true, err
	}
	seen := map[int64]bool{}
	for _, p := range posts {
		if !seen[p.MemberID] {
			seen[p.MemberID] = true
			items = append(items, AttendanceItem{MemberID: p.MemberID, Name: p.Name})
		}
	}
	return items, true, nil
}

// AnySlice is xs as query arguments.
func AnySlice[T any](xs []T) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out
}

// GetAttendance returns the roster of an activity with recorded states, standing exemptions
// carried over for members not yet recorded, and the rates (exempted members excluded).
func (s *Store) GetAttendance(ctx context.Context, sc *auth.Scope, id int64) (*Attendance, error) {
	a, err := s.Get(ctx, sc, id)
	if err != nil {
		return nil, err
	}
	return s.AttendanceOf(ctx, s.DB, a)
}

// AttendanceOf is the attendance of activity a: its roster with each member's current state.
func (s *Store) AttendanceOf(ctx context.Context, q db.Querier, a *Activity) (*Attendance, error) {
	items, err := Roster(ctx, q, a)
	if err != nil {
		return nil, err
	}
	recorded := map[int64][3]string{}
	if err := db.Each(ctx, q, `SELECT t.member_id, t.state, t.reason, t.source FROM attendance t WHERE t.activity_id = ?
		AND t.id = (SELECT MAX(x.id) FROM attendance x WHERE x.activity_id = t.activity_id AND x.member_id = t.member_id)`, []any{a.ID}, func(rs db.Scanner) error {
		var mid int64
		var st, reason, source string
		if err := rs.Scan(&mid, &st, &reason, &source); err != nil {
			return err
		}
		recorded[mid] = [3]string{st, reason, source}
		return nil
	}); err != nil {
		return nil, err
	}
	exempt, err := exemptionsOn(ctx, q, a.OrgID, clock.Today(a.StartsAt))
	if err != nil {
		return nil, err
	}
	out := tally(a.ID, items, recorded, exempt)
	if err := db.Each(ctx, q, `SELECT name, note FROM guests WHERE activity_id = ? ORDER BY id`, []any{a.ID}, func(rs db.Scanner) error {
		var g Guest
		if err := rs.Scan(&g.Name, &g.Note); err != nil {
			return err
		}
		out.Guests = append(out.Guests, g)
		return nil
	}); err != nil {
		return nil, err
	}
	return out, nil
}

// exemptionsOn maps the members of an organization exempted on date d to the reason.
func exemptionsOn(ctx context.Context, q db.Querier, orgID int64, d string) (map[int64]string, error) {
	out := map[int64]string{}
	if err := db.Each(ctx, q, `SELECT e.member_id, e.reason FROM exemptions e JOIN members m ON m.id = e.member_id
		WHERE (m.org_id = ? OR m.group_id = ?) AND e.revoked_at IS NULL AND e.from_date <= ? AND (e.to_date = '' OR e.to_date >= ?)`, []any{orgID, orgID, d, d}, func(rs db.Scanner) error {
		var id int64
		var reason string
		if err := rs.Scan(&id, &reason); err != nil {
			return err
		}
		out[id] = reason
		return nil
	}); err != nil {
		return nil, err
	}
	return out, nil
}

// SetAttendance records attendance: each changed state is a new row (the old ones stay).
func (s *Store) SetAttendance(ctx context.Context, sc *auth.Scope, id int64, u AttendanceUpdate) (*Attendance, error) {
	now := s.Clock.Now()
	var out *Attendance
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		a, err := s.ForWrite(ctx, tx, sc, id, MayWrite(sc), func(a *Activity) bool { return a.Can.Edit })
		if err != nil {
			return err
		}
		cur, err := s.AttendanceOf(ctx, tx, a)
		if err != nil {
			return err
		}
		byID := map[int64]AttendanceItem{}
		for _, it := range cur.Items {
			byID[it.MemberID] = it
		}
		var is httpx.Issues
		for i, it := range u.Items {
			field := "items[" + strconv.Itoa(i) + "]"
			_, onRoster := byID[it.MemberID]
			switch {
			case !onRoster:
				is = append(is, httpx.FieldIssue(field+".member_id", "f.attendance.member_id", "v.attendance.not_roster"))
			case !OneOf(it.State, AttendanceStates):
				is = append(is, httpx.FieldIssue(field+".state", "f.attendance.state", "v.choice", it.State))
			case (it.State == "leave" || it.State == "exempt") && strings.TrimSpace(it.Reason) == "":
				is = append(is, httpx.FieldIssue(field+".reason", "f.attendance.reason", "v.attendance.reason"))
			case utf8.RuneCountInString(it.Reason) > 200:
				is = append(is, httpx.FieldIssue(field+".reason", "f.attendance.reason", "v.too_long", 200))
			}
		}
		if err := is.Err(); err != nil {
			return err
		}
		changes := map[string]audit.Change{}
		var touched []int64
		err = s.Track(ctx, tx, a.OrgID, []int{rules.YearOf(a.StartsAt)}, func() error {
			for _, it := range u.Items {
				old := byID[it.MemberID]
				if old.State == it.State && old.Reason == it.Reason && !old.FromExemption {
					continue
				}
				touched = append(touched, it.MemberID)
				if _, err := tx.Exec(ctx, `INSERT INTO attendance (activity_id, member_id, state, reason, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?)`,
					id, it.MemberID, it.State, strings.TrimSpace(it.Reason), sc.UserID, now); err != nil {
					return err
				}
				changes[old.Name] = audit.Change{Before: old.State, After: it.State}
			}
			if u.Guests != nil {
				if _, err := tx.Exec(ctx, `DELETE FROM guests WHERE activity_id = ?`, id); err != nil {
					return err
				}
				for _, g := range *u.Guests {
					if strings.TrimSpace(g.Name) == "" {
						continue
					}
					if _, err := tx.Exec(ctx, `INSERT INTO guests (activity_id, name, note) VALUES (?, ?, ?)`, id, strings.TrimSpace(g.Name), g.Note); err != nil {
						return err
					}
				}
				changes["guests"] = audit.Change{After: len(*u.Guests)}
			}
			return nil
		})
		if err != nil {
			return err
		}
		if err := s.AttendanceChanged(ctx, tx, touched); err != nil {
			return err
		}
		if err := s.ActivitiesChanged(ctx, tx, id); err != nil {
			return err
		}
		if len(changes) > 0 {
			if err := audit.Write(ctx, tx, sc.Actor(), now, audit.Entry{Action: "attendance", Entity: "activity", EntityID: id, OrgID: a.OrgID,
				Summary: a.Topic, Changes: changes}); err != nil {
				return err
			}
		}
		out, err = s.AttendanceOf(ctx, tx, a)
		return err
	})
	return out, err
}

// OneOf tells whether v is one of xs.
func OneOf(v string, xs []string) bool {
	for _, x := range xs {
		if x == v {
			return true
		}
	}
	return false
}

// Exemption excuses a member from organizational life for a period (ill, elderly, away…);
// it carries over to every activity in the period until it ends or is revoked.
type Exemption struct {
	ID         int64      `json:"id"`
	MemberID   int64      `json:"member_id"`
	MemberName string     `json:"member_name"`
	Reason     string     `json:"reason"`
	FromDate   string     `json:"from_date"`
	ToDate     string     `json:"to_date"`
	CreatedAt  time.Time  `json:"created_at"`
	RevokedAt  *time.Time `json:"revoked_at" jsonschema:"nullable"`
}

// NewExemption is the body of POST /api/v1/exemptions.
type NewExemption struct {
	MemberID int64  `json:"member_id"`
	Reason   string `json:"reason"`
	FromDate string `json:"from_date"`
	ToDate   string `json:"to_date"`
}

// IsDate tells whether s is a date YYYY-MM-DD.
func IsDate(s string) bool {
	_, err := time.Parse("2006-01-02", s)
	return err == nil
}

// CreateExemption records an exemption for a member in the caller's scope.
func (s *Store) CreateExemption(ctx context.Context, sc *auth.Scope, e NewExemption) (*Exemption, error) {
	now := s.Clock.Now()
	mr, err := member.ResolveField(ctx, s.DB, sc, e.MemberID, auth.WriteMembers, "member_id", "f.exemption.member_id")
	if err != nil {
		return nil, err
	}
	orgID := mr.OrgID
	var is httpx.Issues
	e.Reason = strings.TrimSpace(e.Reason)
	if e.Reason == "" {
		is.Add("reason", "f.exemption.reason", "v.required")
	} else if utf8.RuneCountInString(e.Reason) > 200 {
		is.Add("reason", "f.exemption.reason", "v.too_long", 200)
	}
	if !IsDate(e.FromDate) {
		is.Add("from_date", "f.exemption.from_date", "v.date")
	}
	if e.ToDate != "" {
		if !IsDate(e.ToDate) {
			is.Add("to_date", "f.exemption.to_date", "v.date")
		} else if e.ToDate < e.FromDate {
			is.Add("to_date", "f.exemption.to_date", "v.exemption.order")
		}
	}
	if err := is.Err(); err != nil {
		return nil, err
	}
	var id int64
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		if err := tx.QueryRow(ctx, `INSERT INTO exemptions (member_id, reason, from_date, to_date, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
			e.MemberID, e.Reason, e.FromDate, e.ToDate, sc.UserID, now).Scan(&id); err != nil {
			return err
		}
		if err := s.exemptionChanged(ctx, tx, e.MemberID); err != nil {
			return err
		}
		return audit.Write(ctx, tx, sc.Actor(), now, audit.Entry{Action: "create", Entity: "exemption", EntityID: id, OrgID: orgID,
			Summary: e.Reason, Changes: audit.Snapshot(e)})
	})
	if err != nil {
		return nil, err
	}
	return &Exemption{ID: id, MemberID: e.MemberID, Reason: e.Reason, FromDate: e.FromDate, ToDate: e.ToDate, CreatedAt: now}, nil
}

// ListExemptions lists the exemptions of members in an organization's subtree (in scope).
func (s *Store) ListExemptions(ctx context.Context, sc *auth.Scope, orgID int64, activeOn string) ([]Exemption, error) {
	cond, args := sc.MemberWhere(auth.Read)
	where := "(" + cond + ")"
	if orgID != 0 {
		o, err := org.Resolve(ctx, s.DB, sc, orgID, auth.Read)
		if err != nil {
			return nil, err
		}
		lo, hi := db.SubtreeRange(o.Path)
		where += " AND m.org_path >= ? AND m.org_path < ?"
		args = append(args, lo, hi)
	}
	if activeOn != "" {
		where += " AND e.revoked_at IS NULL AND e.from_date <= ? AND (e.to_date = '' OR e.to_date >= ?)"
		args = append(args, activeOn, activeOn)
	}
	out := []Exemption{}
	if err := db.Each(ctx, s.DB, `SELECT e.id, e.member_id, m.name, e.reason, e.from_date, e.to_date, e.created_at, e.revoked_at
		FROM exemptions e JOIN members m ON m.id = e.member_id WHERE `+where+` ORDER BY e.from_date DESC, e.id DESC LIMIT 1000`, args, func(rs db.Scanner) error {
		var e Exemption
		var revoked sql.NullTime
		if err := rs.Scan(&e.ID, &e.MemberID, &e.MemberName, &e.Reason, &e.FromDate, &e.ToDate, &e.CreatedAt, &revoked); err != nil {
			return err
		}
		e.CreatedAt = e.CreatedAt.UTC()
		e.RevokedAt = db.TimeOrNil(revoked)
		out = append(out, e)
		return nil
	}); err != nil {
		return nil, err
	}
	return out, nil
}

// RevokeExemption ends an exemption (it stays on record, marked revoked).
func (s *Store) RevokeExemption(ctx context.Context, sc *auth.Scope, id int64) error {
	now := s.Clock.Now()
	return s.DB.InTx(ctx, func(tx *db.Tx) error {
		var memberID int64
		var revoked sql.NullTime
		err := tx.QueryRow(ctx, `SELECT member_id, revoked_at FROM exemptions WHERE id = ?`, id).Scan(&memberID, &revoked)
		if errors.Is(err, sql.ErrNoRows) {
			return sc.Refuse(httpx.NotFound("f.exemption"))
		}
		if err != nil {
			return err
		}
		path, orgID, err := member.Home(ctx, tx, memberID)
		if err != nil {
			return err
		}
		if !sc.Can(auth.WriteMembers, path) {
			return httpx.Forbidden()
		}
		if revoked.Valid {
			return nil
		}
		if _, err := tx.Exec(ctx, `UPDATE exemptions SET revoked_at = ? WHERE id = ?`, now, id); err != nil {
			return err
		}
		if err := s.exemptionChanged(ctx, tx, memberID); err != nil {
			return err
		}
		return audit.Write(ctx, tx, sc.Actor(), now, audit.Entry{Action: "revoke", Entity: "exemption", EntityID: id, OrgID: orgID})
	})
}

// attendanceRoutes are the routes of attendance and exemptions.
func (s *Store) attendanceRoutes() []httpx.Route {
	return []httpx.Route{
		{Method: "GET", Path: "/api/v1/activities/{id}/attendance", Tag: "life", Summary: "The roster with attendance (standing exemptions carried over) and rates", Perm: auth.NeedRead,
			Resp: Attendance{}, Handle: OneActivity(func(r *http.Request, n int64) (any, error) {
				return s.GetAttendance(r.Context(), auth.From(r.Context()), n)
			})},
		{Method: "PUT", Path: "/api/v1/activities/{id}/attendance", Tag: "life", Summary: "Record attendance (each change is appended)", Perm: auth.NeedWriteMembers,
			Body: AttendanceUpdate{}, Resp: Attendance{}, Handle: OneActivity(func(r *http.Request, n int64) (any, error) {
				var u AttendanceUpdate
				if err := httpx.Decode(r, &u); err != nil {
					return nil, err
				}
				return s.SetAttendance(r.Context(), auth.From(r.Context()), n, u)
			})},
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
	}
}

// attendeesOf lists every member with attendance recorded for an activity.
func attendeesOf(ctx context.Context, q db.Querier, ids ...int64) ([]int64, error) {
	var out []int64
	for _, id := range ids {
		if id == 0 {
			continue
		}
		if err := db.Each(ctx, q, `SELECT DISTINCT member_id FROM attendance WHERE activity_id = ?`, []any{id}, func(rs db.Scanner) error {
			var m int64
			if err := rs.Scan(&m); err != nil {
				return err
			}
			out = append(out, m)
			return nil
		}); err != nil {
			return nil, err
		}
	}
	return out, nil
}
