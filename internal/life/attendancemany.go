package life

import (
	"context"

	"dangjian/internal/member"
	"dangjian/internal/org"
	"dangjian/internal/platform/clock"
	"dangjian/internal/platform/db"
)

// AttendanceOfMany is AttendanceOf of several activities (a record book's year), with the same
// answers, read in a few queries instead of five per activity: the recorded states and the
// guests of all of them in one query each, and the roster, the 支委会 posts and the standing
// exemptions once per organization and day (at 20,000 members a branch's year took 1.7 s).
func (s *Store) AttendanceOfMany(ctx context.Context, q db.Querier, acts []*Activity) (map[int64]*Attendance, error) {
	out := map[int64]*Attendance{}
	if len(acts) == 0 {
		return out, nil
	}
	ids := make([]any, len(acts))
	for i, a := range acts {
		ids[i] = a.ID
	}
	recorded, err := recordedOf(ctx, q, ids)
	if err != nil {
		return nil, err
	}
	rosters, err := rostersByDay(ctx, q, acts, recorded)
	if err != nil {
		return nil, err
	}
	exempts := map[dayKey]map[int64]string{}
	for _, a := range acts {
		k := dayKey{a.OrgID, clock.Today(a.StartsAt)}
		if _, ok := exempts[k]; !ok {
			if exempts[k], err = exemptionsOn(ctx, q, k.org, k.day); err != nil {
				return nil, err
			}
		}
		out[a.ID] = tally(a.ID, rosters[a.ID], recorded[a.ID], exempts[k])
	}
	if err := db.Each(ctx, q, `SELECT activity_id, name, note FROM guests WHERE activity_id IN (`+db.Placeholders(len(ids))+`) ORDER BY activity_id, id`, ids, func(rs db.Scanner) error {
		var id int64
		var g Guest
		if err := rs.Scan(&id, &g.Name, &g.Note); err != nil {
			return err
		}
		out[id].Guests = append(out[id].Guests, g)
		return nil
	}); err != nil {
		return nil, err
	}
	return out, nil
}

type dayKey struct {
	org int64
	day string
}

// tally is AttendanceOf's counting: a recorded state first, else a standing exemption.
func tally(id int64, items []AttendanceItem, recorded map[int64][3]string, exempt map[int64]string) *Attendance {
	out := &Attendance{ActivityID: id, Items: []AttendanceItem{}, Guests: []Guest{}}
	for _, it := range items {
		if r, ok := recorded[it.MemberID]; ok {
			it.State, it.Reason, it.CheckedIn = r[0], r[1], r[2] == SourceCheckin
		} else if reason, ok := exempt[it.MemberID]; ok {
			it.State, it.Reason, it.FromExemption = "exempt", reason, true
		}
		switch it.State {
		case "present":
			out.Present++
		case "leave":
			out.Leave++
		case "absent":
			out.Absent++
		case "exempt":
			out.Exempt++
		}
		out.Items = append(out.Items, it)
	}
	out.Expected = len(out.Items)
	if d := out.Expected - out.Exempt; d > 0 {
		out.Rate = float64(out.Present) / float64(d)
	}
	return out
}

// recordedOf maps activity → member → the latest recorded (state, reason, source).
func recordedOf(ctx context.Context, q db.Querier, ids []any) (map[int64]map[int64][3]string, error) {
	out := map[int64]map[int64][3]string{}
	err := db.Each(ctx, q, `SELECT t.activity_id, t.member_id, t.state, t.reason, t.source FROM attendance t WHERE t.activity_id IN (`+db.Placeholders(len(ids))+`)
		AND t.id = (SELECT MAX(x.id) FROM attendance x WHERE x.activity_id = t.activity_id AND x.member_id = t.member_id)`, ids, func(rs db.Scanner) error {
		var aid, mid int64
		var r [3]string
		if err := rs.Scan(&aid, &mid, &r[0], &r[1], &r[2]); err != nil {
			return err
		}
		if out[aid] == nil {
			out[aid] = map[int64][3]string{}
		}
		out[aid][mid] = r
		return nil
	})
	return out, err
}

// rostersByDay is Roster of each activity: a 支委会's committee from the posts of its day, any
// other's from one read per organization and day of the members on its roll that day or
// recorded at one of that day's activities, each activity keeping its roll and its own records.
func rostersByDay(ctx context.Context, q db.Querier, acts []*Activity, recorded map[int64]map[int64][3]string) (map[int64][]AttendanceItem, error) {
	out := map[int64][]AttendanceItem{}
	days := map[dayKey][]*Activity{}
	var order []dayKey
	for _, a := range acts {
		k := dayKey{a.OrgID, clock.Today(a.StartsAt)}
		if onlyCommittee(a.Kinds) {
			posts, err := org.CommitteeAt(ctx, q, k.org, k.day)
			if err != nil {
				return nil, err
			}
			seen := map[int64]bool{}
			out[a.ID] = nil
			for _, p := range posts {
				if !seen[p.MemberID] {
					seen[p.MemberID] = true
					out[a.ID] = append(out[a.ID], AttendanceItem{MemberID: p.MemberID, Name: p.Name})
				}
			}
			continue
		}
		if days[k] == nil {
			order = append(order, k)
		}
		days[k] = append(days[k], a)
	}
	for _, k := range order {
		if err := dayRoster(ctx, q, k, days[k], recorded, out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// onlyCommittee tells a 支委会 record: kinds all committee_meeting (committeeRoster's test).
func onlyCommittee(kinds []string) bool {
	for _, k := range kinds {
		if k != "committee_meeting" {
			return false
		}
	}
	return len(kinds) > 0
}

// dayRoster reads the roll of one organization on one day with the members recorded at any of
// that day's activities, and gives each activity the roll plus its own recorded members. The
// two sources are a UNION: Roster's OR of two IN lists had PostgreSQL scan every member
// (1.5–2 s each at 200,000 members).
func dayRoster(ctx context.Context, q db.Querier, k dayKey, acts []*Activity, recorded map[int64]map[int64][3]string, out map[int64][]AttendanceItem) error {
	o, err := org.Lookup(ctx, q, k.org)
	if err != nil {
		return err
	}
	cond, cargs := member.RollAtSQL(o, k.day)
	ids := make([]any, len(acts))
	for i, a := range acts {
		ids[i] = a.ID
	}
	type row struct {
		it     AttendanceItem
		onRoll bool
	}
	var rows []row
	args := append(append(append([]any{k.org, k.day, k.day}, cargs...), cargs...), ids...) // CASE, then the UNION
	if err := db.Each(ctx, q, `SELECT m.id, m.name, COALESCE((SELECT MIN(s.kind) FROM memberships s WHERE s.member_id = m.id AND s.org_id = ?
		AND s.kind <> 'home' AND s.from_date <= ? AND (s.to_date = '' OR s.to_date > ?)), ''), CASE WHEN (`+cond+`) THEN 1 ELSE 0 END
		FROM members m WHERE m.id IN (SELECT m.id FROM members m WHERE `+cond+`
		UNION SELECT t.member_id FROM attendance t WHERE t.activity_id IN (`+db.Placeholders(len(ids))+`))
		ORDER BY m.name_key, m.id`, args, func(rs db.Scanner) error {
		var r row
		var on int
		if err := rs.Scan(&r.it.MemberID, &r.it.Name, &r.it.Affiliation, &on); err != nil {
			return err
		}
		r.onRoll = on == 1
		rows = append(rows, r)
		return nil
	}); err != nil {
		return err
	}
	if len(acts) == 1 {
		for _, r := range rows {
			out[acts[0].ID] = append(out[acts[0].ID], r.it)
		}
		return nil
	}
	for _, a := range acts {
		for _, r := range rows {
			if r.onRoll || hasRecord(recorded[a.ID], r.it.MemberID) {
				out[a.ID] = append(out[a.ID], r.it)
			}
		}
	}
	return nil
}

func hasRecord(m map[int64][3]string, id int64) bool {
	_, ok := m[id]
	return ok
}
