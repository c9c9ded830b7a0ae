package demo

import (
	"context"
	"dangjian/internal/life/compliance"
	"fmt"
	"strings"
	"time"

	"dangjian/internal/life"
	"dangjian/internal/life/rules"
	"dangjian/internal/member"
	"dangjian/internal/org"
	"dangjian/internal/platform/clock"
	"dangjian/internal/platform/db"
	"dangjian/internal/tree"
)

// AttendanceLimit: above this many members the demo records activities without attendance
// (a million members would need some twenty million attendance rows).
const AttendanceLimit = 200000

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
			if g.chance(diligence) {
				add(o, at, themeTopics[g.r.IntN(len(themeTopics))], kinds...)
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

// insertLife writes the activities (with attendance for districts up to AttendanceLimit),
// their compliance rollup, and the members' last participation.
func insertLife(ctx context.Context, tx *db.Tx, g *gen, p *planner, members int, now time.Time, r tree.Rollup) (int, error) {
	acts := planLife(g, p, now)
	pack := rules.DefaultPack()
	const chunk = 400
	for s := 0; s < len(acts); s += chunk {
		part := acts[s:min(s+chunk, len(acts))]
		args := make([]any, 0, len(part)*10)
		var kargs []any
		nk := 0
		for _, a := range part {
			var forYear any // NULL: not held for a year
			if a.forYear != 0 {
				forYear = a.forYear
			}
			args = append(args, a.id, a.org.id, a.topic, a.at, "党员活动室", a.org.secret, a.state, forYear, now, now)
			for _, k := range a.kinds {
				kargs = append(kargs, a.id, k)
				nk++
			}
		}
		if _, err := tx.Exec(ctx, `INSERT INTO activities (id, org_id, topic, starts_at, place, host, state, for_year, created_at, updated_at) VALUES `+rows(len(part), 10), args...); err != nil {
			return 0, err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO activity_kinds (activity_id, kind) VALUES `+rows(nk, 2), kargs...); err != nil {
			return 0, err
		}
	}
	// Compliance rollup, from the same evaluation the API uses.
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
			return 0, err
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
			return 0, err
		}
	}
	if members > AttendanceLimit {
		return len(acts), nil
	}
	if err := insertAttendance(ctx, tx, g, acts, now, r); err != nil {
		return 0, err
	}
	if err := compliance.RefreshAllLastActive(ctx, tx); err != nil {
		return 0, err
	}
	return len(acts), compliance.RecountLapse(ctx, tx, clock.Today(now))
}

// insertAttendance records who came: most members usually, some on leave, and a few who
// stopped coming half a year ago (so the 6-month rule has someone to flag). Elderly and
// mobile members get standing exemptions.
func insertAttendance(ctx context.Context, tx *db.Tx, g *gen, acts []*lifeActivity, now time.Time, r tree.Rollup) error {
	type mem struct {
		id      int64
		stopped bool
		exempt  bool
	}
	byOrg := map[int64][]*mem{}
	var exemptions []any
	nEx := 0
	today := clock.Today(now)
	err := db.Each(ctx, tx, `SELECT id, org_id, COALESCE(group_id, 0), status, birth_date FROM members
		WHERE status IN ('active', 'mobile', 'lost', 'suspended') ORDER BY id`, nil, func(r db.Scanner) error {
		var id, orgID, groupID int64
		var status, birth string
		if err := r.Scan(&id, &orgID, &groupID, &status, &birth); err != nil {
			return err
		}
		m := &mem{id: id, stopped: g.chance(0.03)}
		if status == "mobile" || status == "lost" || (member.AgeAt(birth, today) >= 85 && g.chance(0.6)) {
			m.exempt = true
			reason := "年老体弱，行动不便"
			if status != "active" {
				reason = "外出务工，参加流入地党组织活动"
			}
			exemptions = append(exemptions, id, reason, clock.Today(now.AddDate(-1, 0, 0)), "", now)
			nEx++
		}
		byOrg[orgID] = append(byOrg[orgID], m)
		if groupID != 0 {
			byOrg[groupID] = append(byOrg[groupID], m)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for s := 0; s < nEx; s += 400 {
		e := min(s+400, nEx)
		if _, err := tx.Exec(ctx, `INSERT INTO exemptions (member_id, reason, from_date, to_date, created_at) VALUES `+rows(e-s, 5), exemptions[s*5:e*5]...); err != nil {
			return err
		}
	}
	var args []any
	n := 0
	flush := func() error {
		if n == 0 {
			return nil
		}
		_, err := tx.Exec(ctx, `INSERT INTO attendance (activity_id, member_id, state, reason, recorded_at) VALUES `+rows(n, 5), args...)
		args, n = args[:0], 0
		return err
	}
	for _, a := range acts {
		for _, m := range byOrg[a.org.id] {
			state, reason := "present", ""
			switch {
			case m.exempt:
				continue // carried over from the standing exemption
			case m.stopped && now.Sub(a.at) < 200*24*time.Hour:
				state = "absent"
			case g.chance(0.08):
				state, reason = "leave", []string{"外出办事", "身体不适", "单位值班", "照顾家人"}[g.r.IntN(4)]
			case g.chance(0.04):
				state = "absent"
			}
			args = append(args, a.id, m.id, state, reason, a.at.Add(2*time.Hour))
			compliance.AddAttendance(r, a.org.path, a.at, state)
			n++
			if n == 400 {
				if err := flush(); err != nil {
					return err
				}
			}
		}
	}
	return flush()
}

// lifeSummaryLine describes what was written, for the progress output.
func lifeSummaryLine(n, members int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d activities of organizational life", n)
	if members > AttendanceLimit {
		fmt.Fprintf(&b, " (without attendance above %d members)", AttendanceLimit)
	}
	return b.String()
}
