package commitment

import (
	"context"
	"fmt"
	"time"

	"dangjian/internal/life"
	"dangjian/internal/platform/clock"
	"dangjian/internal/platform/db"
)

// Remind sends the branch's secretaries and staff a notice (the notices of life, kind
// due_soon) for each confirmed commitment without an outcome whose due date falls within the
// catalogue's reminder days — once per commitment (the notice's dedupe key). The daily job of
// `serve` runs it, cluster-wide once.
func (s *Store) Remind(ctx context.Context, now time.Time) (string, error) {
	cat := Current()
	today, until := clock.Today(now), clock.Today(now.AddDate(0, 0, cat.RemindDays))
	type due struct {
		id, org       int64
		member, what  string
		date, orgName string
	}
	list, err := db.All(ctx, s.DB, `SELECT c.id, c.org_id, m.name, c.content, c.due_date, o.name FROM commitments c
		JOIN members m ON m.id = c.member_id JOIN orgs o ON o.id = c.org_id
		WHERE c.state = ? AND c.due_date >= ? AND c.due_date <= ? ORDER BY c.org_id, c.due_date, c.id`, []any{Confirmed, today, until},
		func(r db.Scanner) (due, error) {
			var d due
			err := r.Scan(&d.id, &d.org, &d.member, &d.what, &d.date, &d.orgName)
			return d, err
		})
	if err != nil {
		return "", err
	}
	sent := 0
	users := map[int64][]int64{}
	for _, d := range list {
		if _, ok := users[d.org]; !ok {
			if users[d.org], err = life.Responsible(ctx, s.DB, d.org); err != nil {
				return "", err
			}
		}
		n, err := life.Notify(ctx, s.DB, users[d.org], d.org, "due_soon", fmt.Sprintf("%s：%s的公开承诺将于%s到期", d.orgName, d.member, d.date),
			fmt.Sprintf("承诺内容：%s。到期后请支部记录践诺情况（已践诺或未践诺，并写明说明）。依据：承诺分类 %s", d.what, cat.Version),
			"/service/branch", fmt.Sprintf("commitment:%d", d.id), now)
		if err != nil {
			return "", err
		}
		sent += n
	}
	return fmt.Sprintf("%d commitment reminders", sent), nil
}
