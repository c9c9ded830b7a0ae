package classify

import (
	"context"
	"fmt"
	"time"

	"dangjian/internal/life"
	"dangjian/internal/platform/clock"
	"dangjian/internal/platform/db"
)

// Sweep is the daily job of conversion plans (their measures remind as rectification items):
// an open plan is announced to the branch and the level above on the reminder days before
// its due date (rectify's rules), and to the level above once the day after it passed
// without acceptance. Notices are deduplicated by key: any number of runs a day is one.
func (s *Store) Sweep(ctx context.Context, now time.Time) (string, error) {
	today := clock.Today(now)
	type plan struct {
		id, branch, parent int64
		name, due          string
	}
	sent := 0
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		var open []plan
		if err := db.Each(ctx, tx, `SELECT p.id, p.branch_id, COALESCE(o.parent_id, 0), o.name, p.due_date FROM classify_plans p JOIN orgs o ON o.id = p.branch_id
			WHERE p.state = ?`, []any{PlanOpen}, func(r db.Scanner) error {
			var p plan
			err := r.Scan(&p.id, &p.branch, &p.parent, &p.name, &p.due)
			open = append(open, p)
			return err
		}); err != nil {
			return err
		}
		notify := func(orgID int64, p plan, kind, title, key string) error {
			users, err := life.Responsible(ctx, tx, orgID)
			if err != nil {
				return err
			}
			n, err := life.Notify(ctx, tx, users, p.branch, kind, title, fmt.Sprintf("转化时限 %s。", p.due), fmt.Sprintf("/orgs/%d", p.branch), key, now)
			sent += n
			return err
		}
		for _, p := range open {
			if p.due < today && p.parent != 0 {
				if err := notify(p.parent, p, "overdue", p.name+"：整顿转化方案逾期未验收", fmt.Sprintf("plan-overdue:%d:%s", p.id, p.due)); err != nil {
					return err
				}
				continue
			}
			for _, days := range s.Rectify.Reminders().RemindDaysBefore {
				if clock.Today(now.AddDate(0, 0, days)) != p.due {
					continue
				}
				key := fmt.Sprintf("plan-due:%d:%s:%d", p.id, p.due, days)
				for _, o := range []int64{p.branch, p.parent} {
					if o == 0 {
						continue
					}
					if err := notify(o, p, "due_soon", fmt.Sprintf("%s：整顿转化方案%d天后到期", p.name, days), key); err != nil {
						return err
					}
				}
			}
		}
		return nil
	})
	return fmt.Sprintf("%d plan notices", sent), err
}
