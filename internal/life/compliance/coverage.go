package compliance

import (
	"context"
	"dangjian/internal/life"
	"dangjian/internal/life/appraisal"
	"dangjian/internal/life/rules"
	"database/sql"
	"fmt"
	"time"

	"dangjian/internal/member"
	"dangjian/internal/platform/clock"
	"dangjian/internal/platform/db"
)

// Two rules are about every member rather than a count of meetings:
//   - 民主评议党员 is held when every full member of the branch in good standing at the
//     appraisal has a grade; an appraisal not finished does not count as one.
//   - 谈心谈话 is held in a year when every current member of the branch in good standing
//     (full or probationary) has a talk recorded that year; the year's talks then count as
//     one 谈心谈话, dated at the last of them. An activity record of the kind does not count.

// applyCoverage takes 民主评议 off the appraisals not finished and 谈心谈话 off activity records,
// and adds the years in [y0, y1] in which every member was talked with.
func applyCoverage(ctx context.Context, q db.Querier, orgIDs []int64, held map[int64][]rules.Held, y0, y1 int) error {
	var reviews []any
	for _, hs := range held {
		for i := range hs {
			hs[i].Kinds = without(hs[i].Kinds, "heart_talk")
			if rules.HasKind(hs[i].Kinds, "member_review") {
				reviews = append(reviews, hs[i].ID)
			}
		}
	}
	if len(reviews) > 0 {
		open, err := unfinishedAppraisals(ctx, q, reviews)
		if err != nil {
			return err
		}
		for _, hs := range held {
			for i := range hs {
				if open[hs[i].ID] {
					hs[i].Kinds = without(hs[i].Kinds, "member_review")
				}
			}
		}
	}
	talked, err := talkedYears(ctx, q, orgIDs, y0, y1)
	if err != nil {
		return err
	}
	for orgID, days := range talked {
		for y, day := range days {
			at, err := time.ParseInLocation("2006-01-02 15:04", day+" 12:00", clock.CST)
			if err != nil {
				return err
			}
			held[orgID] = append(held[orgID], rules.Held{At: at.UTC(), Kinds: []string{"heart_talk"}, For: y})
		}
	}
	return nil
}

// unfinishedAppraisals are the 民主评议 activities among ids in which a gradable member has no grade.
func unfinishedAppraisals(ctx context.Context, q db.Querier, ids []any) (map[int64]bool, error) {
	// The branch's home full members on the appraisal's day (the span is checked below, the day
	// being CST), as appraisalRoster lists them, in good standing on that day (status history).
	type row struct {
		id, member                   int64
		day, status, fullDate, grade string
	}
	var todo []row
	var members []int64
	if err := db.Each(ctx, q, `SELECT a.id, a.starts_at, m.id, m.category, m.status, m.full_date, s.from_date, s.to_date,
		(SELECT r.grade FROM member_reviews r WHERE r.activity_id = a.id AND r.member_id = m.id ORDER BY r.id DESC LIMIT 1)
		FROM activities a JOIN memberships s ON s.org_id = a.org_id AND s.kind = 'home' JOIN members m ON m.id = s.member_id
		WHERE a.id IN (`+db.Placeholders(len(ids))+`) AND m.category = 'full'`, ids, func(rs db.Scanner) error {
		var id, mid int64
		var at time.Time
		var category, status, fullDate, from, to string
		var grade sql.NullString
		if err := rs.Scan(&id, &at, &mid, &category, &status, &fullDate, &from, &to, &grade); err != nil {
			return err
		}
		day := clock.Today(at)
		if from <= day && (to == "" || to > day) && grade.String == "" {
			todo, members = append(todo, row{id, mid, day, status, fullDate, grade.String}), append(members, mid)
		}
		return nil
	}); err != nil {
		return nil, err
	}
	hist, err := member.StatusHistories(ctx, q, members)
	if err != nil {
		return nil, err
	}
	out := map[int64]bool{}
	for _, r := range todo {
		if appraisal.Gradable("full", member.StatusOn(hist[r.member], r.day, r.status), r.fullDate, r.day) {
			out[r.id] = true
		}
	}
	return out, nil
}

// talkedYears is, per organization and year in [y0, y1], the day of the last talk of a year in
// which every member in good standing whose home branch it was at the year's end was talked
// with (a member who left during the year is owed by the branch they went to).
func talkedYears(ctx context.Context, q db.Querier, orgIDs []int64, y0, y1 int) (map[int64]map[int]string, error) {
	args := make([]any, 0, len(orgIDs)+4)
	for _, id := range orgIDs {
		args = append(args, id)
	}
	in := db.Placeholders(len(orgIDs))
	type span struct {
		member, org int64
		from, to    string
	}
	var spans []span
	if err := db.Each(ctx, q, `SELECT s.member_id, s.org_id, s.from_date, s.to_date FROM memberships s JOIN members m ON m.id = s.member_id
		WHERE s.org_id IN (`+in+`) AND s.kind = 'home' AND m.status IN (?, ?)`, append(args, life.AnySlice(appraisal.GoodStanding)...), func(rs db.Scanner) error {
		var sp span
		if err := rs.Scan(&sp.member, &sp.org, &sp.from, &sp.to); err != nil {
			return err
		}
		spans = append(spans, sp)
		return nil
	}); err != nil {
		return nil, err
	}
	lastTalk := map[int64]map[int]string{} // member → year → day
	if err := db.Each(ctx, q, `SELECT t.member_id, t.talked_on FROM talks t
		WHERE t.member_id IN (SELECT s.member_id FROM memberships s WHERE s.org_id IN (`+in+`) AND s.kind = 'home')
		AND t.talked_on >= ? AND t.talked_on <= ?`, append(args, fmt.Sprintf("%04d-01-01", y0), fmt.Sprintf("%04d-12-31", y1)), func(rs db.Scanner) error {
		var id int64
		var on string
		if err := rs.Scan(&id, &on); err != nil {
			return err
		}
		var y int
		fmt.Sscanf(on, "%4d", &y)
		if lastTalk[id] == nil {
			lastTalk[id] = map[int]string{}
		}
		if on > lastTalk[id][y] {
			lastTalk[id][y] = on
		}
		return nil
	}); err != nil {
		return nil, err
	}
	out := map[int64]map[int]string{}
	missing := map[[2]int64]bool{} // (org, year) with a member not talked with
	for _, sp := range spans {
		for y := y0; y <= y1; y++ {
			end := fmt.Sprintf("%04d-12-31", y)
			if sp.from > end || (sp.to != "" && sp.to <= end) {
				continue
			}
			day, ok := lastTalk[sp.member][y]
			if !ok {
				missing[[2]int64{sp.org, int64(y)}] = true
				continue
			}
			if out[sp.org] == nil {
				out[sp.org] = map[int]string{}
			}
			if day > out[sp.org][y] {
				out[sp.org][y] = day
			}
		}
	}
	for k := range missing {
		delete(out[k[0]], int(k[1]))
	}
	return out, nil
}

func without(xs []string, x string) []string {
	if !rules.HasKind(xs, x) {
		return xs
	}
	out := make([]string, 0, len(xs)-1)
	for _, k := range xs {
		if k != x {
			out = append(out, k)
		}
	}
	return out
}

// UngradedKinds are the kinds an activity counts as while its appraisal has no grades and no
// talks are recorded (bulk loads that write activities only).
func UngradedKinds(kinds []string) []string {
	return without(without(kinds, "heart_talk"), "member_review")
}
