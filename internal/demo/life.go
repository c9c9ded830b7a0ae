package demo

import (
	"context"
	"fmt"
	"slices"
	"time"

	"dangjian/internal/life"
	"dangjian/internal/life/compliance"
	"dangjian/internal/life/rules"
	"dangjian/internal/member"
	"dangjian/internal/org"
	"dangjian/internal/platform/clock"
	"dangjian/internal/platform/db"
	"dangjian/internal/tree"
)

// lifeActivity is one generated record.
type lifeActivity struct {
	id      int64
	org     *node
	at      time.Time
	kinds   []string
	topic   string
	state   string
	forYear int // the year a January 组织生活会/民主评议 is held for: the one before
}

var themeTopics = []string{"学习党的创新理论", "学习贯彻全会精神", "重温入党誓词", "党史学习教育", "志愿服务进社区", "学习党章党规",
	"廉洁教育", "红色教育基地参观", "为民办实事", "学习先进典型事迹", "安全生产与应急知识", "垃圾分类宣传"}

// planLife draws a year (to now) of organizational life for every branch and 党小组 with
// realistic gaps: most branches are diligent, some miss meetings, a few barely meet.
func planLife(g *gen, p *planner, now time.Time) []*lifeActivity {
	var out []*lifeActivity
	var id int64
	add := func(o *node, at time.Time, topic string, kinds ...string) *lifeActivity {
		if at.After(now) {
			return nil
		}
		id++
		state := life.HeldState
		if now.Sub(at) > 30*24*time.Hour {
			state = life.Accepted
			if g.chance(0.1) {
				state = life.Submitted
			}
		}
		a := &lifeActivity{id: id, org: o, at: at.UTC(), kinds: kinds, topic: topic, state: state}
		out = append(out, a)
		return a
	}
	start := time.Date(now.In(clock.CST).Year(), now.In(clock.CST).Month(), 1, 0, 0, 0, 0, clock.CST).AddDate(0, -11, 0)
	for _, o := range p.nodes {
		if !o.kind.HoldsMembers() && o.kind != org.Group {
			continue
		}
		diligence := 0.97
		switch x := g.r.Float64(); {
		case x < 0.08:
			diligence = 0.4
		case x < 0.28:
			diligence = 0.75
		}
		day := 1 + g.r.IntN(25)
		lectureMonth := g.r.IntN(12)
		for m := 0; m < 12; m++ {
			month := start.AddDate(0, m, 0)
			at := month.AddDate(0, 0, day-1).Add(9 * time.Hour)
			if o.kind == org.Group {
				if g.chance(diligence) {
					add(o, at.AddDate(0, 0, 2), "党小组学习讨论", "group_meeting")
				}
				continue
			}
			kinds := []string{"theme_day"}
			if int(month.Month())%3 == 2 && g.chance(diligence) {
				kinds = append(kinds, "branch_general_meeting") // the quarter's 党员大会 on the theme day
			}
			if m == lectureMonth && g.chance(diligence) {
				kinds = append(kinds, "party_lecture")
			}
			// The showcase branch (the zhibu account's) has not yet held this month's 主题党日, on
			// any day of the month the demo is made: its landing shows 本月待办 with one due.
			if g.chance(diligence) {
				if topic := themeTopics[g.r.IntN(len(themeTopics))]; !o.showcase || m < 11 {
					add(o, at, topic, kinds...)
				}
			}
			if o.df >= 7 && g.chance(diligence) {
				add(o, at.AddDate(0, 0, 3), "支部委员会会议", "committee_meeting")
			}
			if month.Month() == time.January && g.chance(diligence) {
				if a := add(o, at.AddDate(0, 0, 10), "年度组织生活会和民主评议党员", "life_meeting", "member_review"); a != nil {
					a.forYear = month.Year() - 1 // January's meeting reviews the year before
				}
			}
		}
	}
	return out
}

// insertLife writes the activities with their attendance, their compliance rollup, and the
// members' last participation and lapse figures. A million members make some 27 million
// attendance rows: every bulk phase goes through Tx.Copy (COPY on PostgreSQL) and is followed by
// ANALYZE, so the queries after it are planned on real statistics.
func insertLife(ctx context.Context, tx *db.Tx, g *gen, p *planner, now time.Time, r tree.Rollup, progress func(string, ...any)) (acts, att int, err error) {
	list := planLife(g, p, now)
	if err := insertActivities(ctx, tx, list, now); err != nil {
		return 0, 0, err
	}
	if err := tx.Analyze(ctx, "activities", "activity_kinds"); err != nil {
		return 0, 0, err
	}
	progress("%d activities written", len(list))
	if err := insertMetSets(ctx, tx, list, now, r); err != nil {
		return 0, 0, err
	}
	progress("compliance evaluated")
	last, att, err := insertAttendance(ctx, tx, g, list, now, r)
	if err != nil {
		return 0, 0, err
	}
	if err := tx.Analyze(ctx, "attendance", "exemptions", "life_met"); err != nil {
		return 0, 0, err
	}
	progress("%d attendance rows written", att)
	if err := writeLastActive(ctx, tx, last); err != nil {
		return 0, 0, err
	}
	progress("last participation written")
	return len(list), att, compliance.RecountLapse(ctx, tx, clock.Today(now))
}

// insertActivities writes the activities and the kinds each counts as.
func insertActivities(ctx context.Context, tx *db.Tx, acts []*lifeActivity, now time.Time) error {
	return tx.WithoutForeignKeys(ctx, "activities", func() error { return copyActivities(ctx, tx, acts, now) })
}

func copyActivities(ctx context.Context, tx *db.Tx, acts []*lifeActivity, now time.Time) error {
	i := 0
	_, err := tx.Copy(ctx, "activities", []string{"id", "org_id", "topic", "starts_at", "place", "host", "state", "for_year", "created_at", "updated_at"},
		func() ([]any, error) {
			if i == len(acts) {
				return nil, nil
			}
			a := acts[i]
			i++
			var forYear any // NULL: not held for a year
			if a.forYear != 0 {
				forYear = a.forYear
			}
			return []any{a.id, a.org.id, a.topic, a.at, "党员活动室", a.org.secret, a.state, forYear, now, now}, nil
		})
	if err != nil {
		return err
	}
	i, k := 0, 0
	return tx.WithoutForeignKeys(ctx, "activity_kinds", func() error {
		_, err := tx.Copy(ctx, "activity_kinds", []string{"activity_id", "kind"}, func() ([]any, error) {
			for i < len(acts) && k == len(acts[i].kinds) {
				i, k = i+1, 0
			}
			if i == len(acts) {
				return nil, nil
			}
			k++
			return []any{acts[i].id, acts[i].kinds[k-1]}, nil
		})
		return err
	})
}

// insertMetSets writes life_met and the compliance rollup, from the same evaluation the API uses.
func insertMetSets(ctx context.Context, tx *db.Tx, acts []*lifeActivity, now time.Time, r tree.Rollup) error {
	pack := rules.DefaultPack()
	held := map[*node][]rules.Held{}
	for _, a := range acts {
		held[a.org] = append(held[a.org], rules.Held{At: a.at, Kinds: compliance.UngradedKinds(a.kinds), For: a.forYear}) // no grades or talks generated
	}
	years := []int{now.In(clock.CST).Year() - 1, now.In(clock.CST).Year()}
	ids := make([]int64, 0, len(held))
	for o := range held {
		ids = append(ids, o.id)
	}
	hist := map[int64][]org.FullRow{}
	for start := 0; start < len(ids); start += 500 {
		part, err := org.FullHistory(ctx, tx, ids[start:min(start+500, len(ids))])
		if err != nil {
			return err
		}
		for id, h := range part {
			hist[id] = h
		}
	}
	for o, h := range held {
		rows := hist[o.id]
		if rows == nil {
			rows = []org.FullRow{}
		}
		met := pack.MetSet(rules.Subject{Kind: string(o.kind), History: rows}, h, years)
		compliance.AddMet(r, o.path, met)
		if err := compliance.InsertMet(ctx, tx, o.id, met); err != nil {
			return err
		}
	}
	return nil
}

// attendee is a member as the attendance generator sees them.
type attendee struct {
	id      int64
	stopped bool
	exempt  bool
}

// attendees reads the members who may attend by branch and group, drawing who stopped coming
// and writing the standing exemptions of the elderly and the mobile.
func attendees(ctx context.Context, tx *db.Tx, g *gen, now time.Time) (map[int64][]*attendee, error) {
	byOrg := map[int64][]*attendee{}
	var exemptions [][]any
	today := clock.Today(now)
	err := db.Each(ctx, tx, `SELECT id, org_id, COALESCE(group_id, 0), status, birth_date FROM members
		WHERE status IN ('active', 'mobile', 'lost', 'suspended') ORDER BY id`, nil, func(r db.Scanner) error {
		var id, orgID, groupID int64
		var status, birth string
		if err := r.Scan(&id, &orgID, &groupID, &status, &birth); err != nil {
			return err
		}
		m := &attendee{id: id, stopped: g.chance(0.03)}
		if status == "mobile" || status == "lost" || (member.AgeAt(birth, today) >= 85 && g.chance(0.6)) {
			m.exempt = true
			reason := "年老体弱，行动不便"
			if status != "active" {
				reason = "外出务工，参加流入地党组织活动"
			}
			exemptions = append(exemptions, []any{id, reason, clock.Today(now.AddDate(-1, 0, 0)), "", now})
		}
		byOrg[orgID] = append(byOrg[orgID], m)
		if groupID != 0 {
			byOrg[groupID] = append(byOrg[groupID], m)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return byOrg, tx.WithoutForeignKeys(ctx, "exemptions", func() error {
		_, err := tx.CopyRows(ctx, "exemptions", []string{"member_id", "reason", "from_date", "to_date", "created_at"}, exemptions)
		return err
	})
}

// insertAttendance records who came: most members usually, some on leave, and a few who
// stopped coming half a year ago (so the 6-month rule has someone to flag). Elderly and
// mobile members get standing exemptions. It returns each member's last participation (the
// start of the latest activity they attended: every generated activity counts) and the rows
// written.
func insertAttendance(ctx context.Context, tx *db.Tx, g *gen, acts []*lifeActivity, now time.Time, r tree.Rollup) (map[int64]time.Time, int, error) {
	byOrg, err := attendees(ctx, tx, g, now)
	if err != nil {
		return nil, 0, err
	}
	last := map[int64]time.Time{}
	next := nextAttendance(g, acts, byOrg, now, r, last)
	var n int64
	err = tx.WithoutForeignKeys(ctx, "attendance", func() error {
		n, err = tx.Copy(ctx, "attendance", []string{"activity_id", "member_id", "state", "reason", "recorded_at"}, next)
		return err
	})
	return last, int(n), err
}

// nextAttendance is the row source of insertAttendance: who came to each activity, activity
// by activity; it adds each row to the rollup and keeps each member's last participation.
func nextAttendance(g *gen, acts []*lifeActivity, byOrg map[int64][]*attendee, now time.Time, r tree.Rollup, last map[int64]time.Time) db.RowSource {
	ai, mi := 0, 0
	leave := []string{"外出办事", "身体不适", "单位值班", "照顾家人"}
	return func() ([]any, error) {
		for ai < len(acts) {
			a := acts[ai]
			ms := byOrg[a.org.id]
			for mi < len(ms) {
				m := ms[mi]
				mi++
				state, reason := "present", ""
				switch {
				case m.exempt:
					continue // carried over from the standing exemption
				case m.stopped && now.Sub(a.at) < 200*24*time.Hour:
					state = "absent"
				case g.chance(0.08):
					state, reason = "leave", leave[g.r.IntN(4)]
				case g.chance(0.04):
					state = "absent"
				}
				compliance.AddAttendance(r, a.org.path, a.at, state)
				if state == "present" && a.at.After(last[m.id]) {
					last[m.id] = a.at
				}
				return []any{a.id, m.id, state, reason, a.at.Add(2 * time.Hour)}, nil
			}
			ai, mi = ai+1, 0
		}
		return nil, nil
	}
}

// writeLastActive sets members.last_active_at from the generated attendance, through a
// temporary table and one joined UPDATE: what compliance.RefreshAllLastActive computes from the rows
// (the demo test checks they agree), without its correlated subquery per member, which takes
// minutes at a million members.
func writeLastActive(ctx context.Context, tx *db.Tx, last map[int64]time.Time) error {
	ts := "TIMESTAMP"
	if tx.Dialect() == db.Postgres {
		ts = "TIMESTAMPTZ"
	}
	if _, err := tx.Exec(ctx, `CREATE TEMPORARY TABLE demo_last_active (member_id BIGINT PRIMARY KEY, at `+ts+` NOT NULL)`); err != nil {
		return err
	}
	ids := make([]int64, 0, len(last))
	for id := range last {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	i := 0
	if _, err := tx.Copy(ctx, "demo_last_active", []string{"member_id", "at"}, func() ([]any, error) {
		if i == len(ids) {
			return nil, nil
		}
		i++
		return []any{ids[i-1], last[ids[i-1]]}, nil
	}); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `UPDATE members SET last_active_at = t.at FROM demo_last_active t WHERE t.member_id = members.id`); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `DROP TABLE demo_last_active`); err != nil {
		return err
	}
	return tx.Analyze(ctx, "members")
}

// lifeSummaryLine describes what was written, for the progress output.
func lifeSummaryLine(acts, att int) string {
	return fmt.Sprintf("%d activities of organizational life, %d attendance rows", acts, att)
}
