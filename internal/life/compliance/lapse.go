package compliance

import (
	"context"
	"dangjian/internal/life"
	"database/sql"
	"net/http"
	"time"

	"dangjian/internal/member"
	"dangjian/internal/org"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/clock"
	"dangjian/internal/platform/db"
	"dangjian/internal/platform/httpx"
	"dangjian/internal/platform/i18n"
)

func init() {
	i18n.Register(map[string][2]string{
		"lapse.left":      {"视为自行脱党，由支部大会决定除名并报上级党组织批准", "treated as having left the Party: the branch meeting decides on removal, approved by the level above"},
		"lapse.probation": {"取消预备党员资格", "probationary membership is cancelled"},
		"lost.suspend":    {"停止党籍", "suspend membership"},
		"lost.remove":     {"除名", "remove from the Party"},
	})
}

// AttendanceChanged recomputes members.last_active_at — the start of the latest counting
// activity each member attended — and their lapse figure, for the given members.
func (s *Store) AttendanceChanged(ctx context.Context, q db.Querier, memberIDs []int64) error {
	if len(memberIDs) == 0 {
		return nil
	}
	args := make([]any, len(memberIDs))
	for i, id := range memberIDs {
		args[i] = id
	}
	if err := updateLastActive(ctx, q, `WHERE id IN (`+db.Placeholders(len(memberIDs))+`)`, args...); err != nil {
		return err
	}
	return refreshLapse(ctx, q, clock.Today(s.Clock.Now()), `m.id IN (`+db.Placeholders(len(memberIDs))+`)`, args...)
}

// ExemptionChanged recomputes the lapse figure of a member given or relieved of an exemption.
func (s *Store) ExemptionChanged(ctx context.Context, q db.Querier, memberID int64) error {
	return refreshLapse(ctx, q, clock.Today(s.Clock.Now()), `m.id = ?`, memberID)
}

// RefreshAllLastActive recomputes every member's last participation (after a bulk load).
func RefreshAllLastActive(ctx context.Context, q db.Querier) error {
	return updateLastActive(ctx, q, "")
}

// updateLastActive sets members.last_active_at of the members matching where (empty: all) to
// the start of the latest counting activity they attended: the newest attendance row of a
// member at an activity is the one that counts (a correction appends a row).
func updateLastActive(ctx context.Context, q db.Querier, where string, args ...any) error {
	_, err := q.Exec(ctx, `UPDATE members SET last_active_at = (
		SELECT MAX(a.starts_at) FROM attendance t JOIN activities a ON a.id = t.activity_id
		WHERE t.member_id = members.id AND t.state = 'present'
		  AND t.id = (SELECT MAX(x.id) FROM attendance x WHERE x.activity_id = t.activity_id AND x.member_id = t.member_id)
		  AND `+life.CountingWhere+`)
		`+where, args...)
	return err
}

// lapseMember is what the lapse figure of one member is computed from.
type lapseMember struct {
	id, org, group int64
	start          string // the clock's start (YYYY-MM-DD): last participation (else joining), or an exemption's end
	months         int    // as stored
	exempt         [][2]string
}

// refreshLapse recomputes members.lapse_months for the members matching cond (on members m):
// the calendar months after the clock's start in which the member's branch or group held a
// counting activity with attendance recorded that the member missed without a proper reason
// (a record without any attendance cannot say who was missing). Months without any
// activity count against the branch (the compliance findings), not the member; an exemption
// covering the day or a leave recorded for the activity is a proper reason; the clock
// restarts when an exemption ends (REGULATIONS §4).
func refreshLapse(ctx context.Context, q db.Querier, today, cond string, args ...any) error {
	ms, orgSet, err := lapseMembers(ctx, q, cond, args)
	if err != nil || len(ms) == 0 {
		return err
	}
	if err := lapseExemptions(ctx, q, today, ms); err != nil {
		return err
	}
	byOrg, err := lapseActivities(ctx, q, orgSet)
	if err != nil {
		return err
	}
	for _, m := range ms {
		missed := map[string]bool{}
		for _, o := range []int64{m.org, m.group} {
			for _, a := range byOrg[o] {
				if len(a.state) > 0 && a.day[:7] > m.start[:7] && !excused(m, a.day, a.state[m.id]) {
					missed[a.day[:7]] = true
				}
			}
		}
		if len(missed) != m.months {
			if _, err := q.Exec(ctx, `UPDATE members SET lapse_months = ? WHERE id = ?`, len(missed), m.id); err != nil {
				return err
			}
		}
	}
	return nil
}

// lapseMembers reads the members of cond with the start of their clock, and the set of their
// branches and groups.
func lapseMembers(ctx context.Context, q db.Querier, cond string, args []any) ([]*lapseMember, map[int64]bool, error) {
	var ms []*lapseMember
	orgSet := map[int64]bool{}
	err := db.Each(ctx, q, `SELECT m.id, m.org_id, COALESCE(m.group_id, 0), m.created_at, m.join_date, m.last_active_at, m.lapse_months
		FROM members m WHERE `+cond, args, func(r db.Scanner) error {
		var m lapseMember
		var created time.Time
		var joined string
		var last sql.NullTime
		if err := r.Scan(&m.id, &m.org, &m.group, &created, &joined, &last, &m.months); err != nil {
			return err
		}
		// Without any attendance on record the clock runs from joining the roster: the system
		// cannot know what came before.
		m.start = max(clock.Today(created), joined)
		if last.Valid {
			m.start = clock.Today(last.Time)
		}
		ms = append(ms, &m)
		orgSet[m.org] = true
		if m.group != 0 {
			orgSet[m.group] = true
		}
		return nil
	})
	return ms, orgSet, err
}

// lapseExemptions adds the members' standing exemptions; the clock restarts when one ends.
func lapseExemptions(ctx context.Context, q db.Querier, today string, ms []*lapseMember) error {
	ids := make([]any, 0, len(ms))
	byID := make(map[int64]*lapseMember, len(ms))
	for _, m := range ms {
		ids = append(ids, m.id)
		byID[m.id] = m
	}
	return inChunks(ids, func(chunk []any) error {
		return db.Each(ctx, q, `SELECT member_id, from_date, to_date FROM exemptions WHERE revoked_at IS NULL
			AND member_id IN (`+db.Placeholders(len(chunk))+`)`, chunk, func(r db.Scanner) error {
			var id int64
			var from, to string
			if err := r.Scan(&id, &from, &to); err != nil {
				return err
			}
			if to == "" {
				to = "9999-12-31"
			}
			m := byID[id]
			m.exempt = append(m.exempt, [2]string{from, to})
			if from <= today {
				m.start = max(m.start, to) // the clock restarts when an exemption ends
			}
			return nil
		})
	})
}

// lapseAct is a counting activity as the lapse figure sees it: its organization, its day and
// the newest attendance state of each member recorded.
type lapseAct struct {
	org   int64
	day   string
	state map[int64]string
}

// lapseActivities reads the counting activities of the organizations, by organization, with
// who was present or excused at each (the newest attendance row per member counts).
func lapseActivities(ctx context.Context, q db.Querier, orgSet map[int64]bool) (map[int64][]*lapseAct, error) {
	acts := map[int64]*lapseAct{}
	var actIDs []any
	orgIDs := make([]any, 0, len(orgSet))
	for id := range orgSet {
		orgIDs = append(orgIDs, id)
	}
	err := inChunks(orgIDs, func(chunk []any) error {
		return db.Each(ctx, q, `SELECT a.id, a.org_id, a.starts_at FROM activities a WHERE a.org_id IN (`+db.Placeholders(len(chunk))+`) AND `+life.CountingWhere,
			chunk, func(r db.Scanner) error {
				var id, o int64
				var at time.Time
				if err := r.Scan(&id, &o, &at); err != nil {
					return err
				}
				acts[id] = &lapseAct{org: o, day: clock.Today(at), state: map[int64]string{}}
				actIDs = append(actIDs, id)
				return nil
			})
	})
	if err != nil {
		return nil, err
	}
	err = inChunks(actIDs, func(chunk []any) error {
		return db.Each(ctx, q, `SELECT activity_id, member_id, state FROM attendance WHERE activity_id IN (`+db.Placeholders(len(chunk))+`) ORDER BY id`,
			chunk, func(r db.Scanner) error {
				var a, m int64
				var st string
				if err := r.Scan(&a, &m, &st); err != nil {
					return err
				}
				acts[a].state[m] = st
				return nil
			})
	})
	if err != nil {
		return nil, err
	}
	byOrg := map[int64][]*lapseAct{}
	for _, a := range acts {
		byOrg[a.org] = append(byOrg[a.org], a)
	}
	return byOrg, nil
}

// excused tells whether a member had a proper reason not to be at an activity held on day
// (or was there): present, on leave or exempted for it, or under a standing exemption.
func excused(m *lapseMember, day, state string) bool {
	if state == "present" || state == "leave" || state == "exempt" {
		return true
	}
	for _, e := range m.exempt {
		if e[0] <= day && day <= e[1] {
			return true
		}
	}
	return false
}

// inChunks calls fn with the ids in slices short enough for one IN list.
func inChunks(ids []any, fn func([]any) error) error {
	const n = 500
	for start := 0; start < len(ids); start += n {
		if err := fn(ids[start:min(start+n, len(ids))]); err != nil {
			return err
		}
	}
	return nil
}

// RecountLapse rebuilds every member's lapse figure from the raw records as of today, a few
// hundred branches at a time (the nightly recount and bulk loads).
func RecountLapse(ctx context.Context, q db.Querier, today string) error {
	ids, err := member.Branches(ctx, q)
	if err != nil {
		return err
	}
	orgs := life.AnySlice(ids)
	const branches = 200
	for start := 0; start < len(orgs); start += branches {
		chunk := orgs[start:min(start+branches, len(orgs))]
		if err := refreshLapse(ctx, q, today, `m.org_id IN (`+db.Placeholders(len(chunk))+`)`, chunk...); err != nil {
			return err
		}
	}
	return nil
}

// AtRisk is a member who has missed organizational life for months.
type AtRisk struct {
	MemberID     int64      `json:"member_id"`
	Name         string     `json:"name"`
	Category     string     `json:"category"` // full, probationary
	OrgID        int64      `json:"org_id"`
	OrgName      string     `json:"org_name"`
	OrgLabel     string     `json:"org_label"`                            // parent › branch
	LastActiveAt *time.Time `json:"last_active_at" jsonschema:"nullable"` // null: no attendance on record
	// MonthsSince is the months missed: months of the branch's (or group's) organizational life
	// since the member last took part, not counting months with none held or with a proper reason.
	MonthsSince int    `json:"months_since"`
	Level       string `json:"level"` // warning (before the limit), lapsed (at the limit or beyond)
	// Consequence is what the rule leads to: for a 预备党员, cancelling probationary membership
	// (党章第七条) rather than 自行脱党.
	Consequence     string `json:"consequence"` // left, probation
	ConsequenceText string `json:"consequence_text"`
	// Basis names the conditions counted: organizational life now; dues and assigned work join
	// the rule (党章第九条 has all three) when their modules keep their own months.
	Basis  []string `json:"basis"`
	Rule   string   `json:"rule"`
	Source string   `json:"source"`
}

// AtRiskMembers lists the members in good standing of a subtree who have missed at least
// warnMonths months of organizational life, most first: one range of members_path_lapse.
// Lost and suspended members are in their own process (LostMembers).
func (s *Store) AtRiskMembers(ctx context.Context, sc *auth.Scope, orgID int64, warnMonths int, lang i18n.Lang, p httpx.Page) ([]AtRisk, int, error) {
	o, err := org.Resolve(ctx, s.DB, sc, orgID, auth.Read)
	if err != nil {
		return nil, 0, err
	}
	rule := s.Pack().LapseRule()
	lo, hi := db.SubtreeRange(o.Path)
	where := `m.org_path >= ? AND m.org_path < ? AND m.lapse_months >= ? AND m.status IN ('active', 'mobile')`
	args := []any{lo, hi, warnMonths}
	var total int
	if err := s.DB.QueryRow(ctx, `SELECT COUNT(*) FROM members m WHERE `+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	out := []AtRisk{}
	if err := db.Each(ctx, s.DB, `SELECT m.id, m.name, m.category, m.org_id, o.name, m.last_active_at, m.lapse_months
		FROM members m JOIN orgs o ON o.id = m.org_id WHERE `+where+`
		ORDER BY m.lapse_months DESC, m.id LIMIT ? OFFSET ?`, append(args, p.Size, p.Offset()), func(rs db.Scanner) error {
		var r AtRisk
		var last sql.NullTime
		if err := rs.Scan(&r.MemberID, &r.Name, &r.Category, &r.OrgID, &r.OrgName, &last, &r.MonthsSince); err != nil {
			return err
		}
		if last.Valid {
			t := last.Time.UTC()
			r.LastActiveAt = &t
		}
		r.Level = "warning"
		if r.MonthsSince >= rule.Months {
			r.Level = "lapsed"
		}
		r.Consequence = "left"
		if r.Category == "probationary" {
			r.Consequence = "probation"
		}
		r.ConsequenceText = i18n.T(lang, "lapse."+r.Consequence)
		r.Basis, r.Rule, r.Source = []string{"life"}, rule.Text, rule.Source
		out = append(out, r)
		return nil
	}); err != nil {
		return nil, 0, err
	}
	return out, total, life.LabelRows(ctx, s.DB, out, func(r *AtRisk) (int64, *string) { return r.OrgID, &r.OrgLabel })
}

// Lost is a member in the lost-contact process: 失联 for LostMonths → 停止党籍; suspended for
// SuspendedMonths and still lost → 除名.
type Lost struct {
	MemberID int64  `json:"member_id"`
	Name     string `json:"name"`
	OrgID    int64  `json:"org_id"`
	OrgName  string `json:"org_name"`
	OrgLabel string `json:"org_label"` // parent › branch
	Status   string `json:"status"`    // lost, suspended
	// Since is the day the status was recorded ("" when it predates the record of such days).
	Since    string `json:"since"`
	NextStep string `json:"next_step"` // suspend, remove
	NextText string `json:"next_text"`
	DueOn    string `json:"due_on"` // the day the next step is due ("" when Since is unknown)
	Overdue  bool   `json:"overdue"`
	Rule     string `json:"rule"`
	Source   string `json:"source"`
}

// LostMembers lists the lost and suspended members of a subtree, the longest first, with the
// next step of their process and when it is due.
func (s *Store) LostMembers(ctx context.Context, sc *auth.Scope, orgID int64, lang i18n.Lang, p httpx.Page) ([]Lost, int, error) {
	o, err := org.Resolve(ctx, s.DB, sc, orgID, auth.Read)
	if err != nil {
		return nil, 0, err
	}
	rule := s.Pack().LapseRule()
	today := clock.Today(s.Clock.Now())
	lo, hi := db.SubtreeRange(o.Path)
	where := `m.org_path >= ? AND m.org_path < ? AND m.status IN ('lost', 'suspended')`
	var total int
	if err := s.DB.QueryRow(ctx, `SELECT COUNT(*) FROM members m WHERE `+where, lo, hi).Scan(&total); err != nil {
		return nil, 0, err
	}
	out := []Lost{}
	if err := db.Each(ctx, s.DB, `SELECT m.id, m.name, m.org_id, o.name, m.status, m.status_since
		FROM members m JOIN orgs o ON o.id = m.org_id WHERE `+where+`
		ORDER BY m.status DESC, m.status_since, m.id LIMIT ? OFFSET ?`, []any{lo, hi, p.Size, p.Offset()}, func(rs db.Scanner) error {
		var l Lost
		if err := rs.Scan(&l.MemberID, &l.Name, &l.OrgID, &l.OrgName, &l.Status, &l.Since); err != nil {
			return err
		}
		months := rule.LostMonths
		l.NextStep = "suspend"
		if l.Status == "suspended" {
			months, l.NextStep = rule.SuspendedMonths, "remove"
		}
		if l.Since != "" {
			l.DueOn = addMonths(l.Since, months)
			l.Overdue = l.DueOn <= today
		}
		l.NextText = i18n.T(lang, "lost."+l.NextStep)
		l.Rule, l.Source = rule.LostText, rule.LostSource
		out = append(out, l)
		return nil
	}); err != nil {
		return nil, 0, err
	}
	return out, total, life.LabelRows(ctx, s.DB, out, func(l *Lost) (int64, *string) { return l.OrgID, &l.OrgLabel })
}

// addMonths is the day n calendar months after day (YYYY-MM-DD), clamped to the month's end
// (31 August + 6 months is 28 or 29 February, not 3 March).
func addMonths(day string, n int) string {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return ""
	}
	first := time.Date(t.Year(), t.Month()+time.Month(n), 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	return time.Date(first.Year(), first.Month(), min(t.Day(), last), 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
}

// lapseRoutes are the routes of the 6-month rule and the lost members.
func (s *Store) lapseRoutes() []httpx.Route {
	return []httpx.Route{
		{Method: "GET", Path: "/api/v1/compliance/members", Tag: "life", Summary: "Members in good standing of a subtree who have missed organizational life for months (the 6-month rule of 党章第九条, flagged early)", Perm: auth.NeedRead,
			Query: append([]httpx.Param{{Name: "org", Type: "integer"}, {Name: "months", Type: "integer", Doc: "flag from this many missed months (default: the pack's warn_months; 1 to the pack's months)"}}, life.PageParams...),
			Resp:  httpx.List[AtRisk]{}, Handle: func(w http.ResponseWriter, r *http.Request) error {
				orgID, err := life.RequiredOrg(r)
				if err != nil {
					return err
				}
				rule := s.Pack().LapseRule()
				months, err := httpx.QueryInt(r, "months", rule.WarnMonths, 1, rule.Months)
				if err != nil {
					return err
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
			Query: append([]httpx.Param{{Name: "org", Type: "integer"}}, life.PageParams...),
			Resp:  httpx.List[Lost]{}, Handle: func(w http.ResponseWriter, r *http.Request) error {
				orgID, err := life.RequiredOrg(r)
				if err != nil {
					return err
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
	}
}
