package rectify

import (
	"context"
	"fmt"
	"time"

	"dangjian/internal/life"
	"dangjian/internal/platform/clock"
	"dangjian/internal/platform/db"
	"dangjian/internal/tree"
)

// Reminders are the reminder rules in use (the shipped document unless a Store sets its own);
// conversion plans remind by the same days.
func (s *Store) Reminders() *Rules { return s.rules() }

func (s *Store) rules() *Rules {
	if s.Rules != nil {
		return s.Rules
	}
	return shipped
}

var shipped = Shipped()

// Sweep is the daily job (and safe to run any number of times): items past their due date
// on the CST day of now become overdue — the flag the subtree's overdue rollup counts — and
// the reminders of the rules are sent: to the organization's secretaries the days before the
// due date, to the level above once an item is overdue. Notices are deduplicated by key.
func (s *Store) Sweep(ctx context.Context, now time.Time) (string, error) {
	today := clock.Today(now)
	marked, reminded := 0, 0
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		type due struct {
			id, org, parent int64
			path, problem   string
			dueDate         string
		}
		var late []due
		if err := db.Each(ctx, tx, `SELECT i.id, i.org_id, COALESCE(o.parent_id, 0), i.org_path, i.problem, i.due_date FROM rectify_items i JOIN orgs o ON o.id = i.org_id
			WHERE i.state <> ? AND i.overdue = 0 AND i.due_date < ?`, []any{Closed, today}, func(r db.Scanner) error {
			var d due
			err := r.Scan(&d.id, &d.org, &d.parent, &d.path, &d.problem, &d.dueDate)
			late = append(late, d)
			return err
		}); err != nil {
			return err
		}
		r := tree.Rollup{}
		for _, d := range late {
			if _, err := tx.Exec(ctx, `UPDATE rectify_items SET overdue = 1 WHERE id = ?`, d.id); err != nil {
				return err
			}
			r.Add(d.path, DimOverdue, "all", 1)
			if s.rules().NotifyParent && d.parent != 0 {
				users, err := life.Responsible(ctx, tx, d.parent)
				if err != nil {
					return err
				}
				n, err := life.Notify(ctx, tx, users, d.org, "overdue", "整改事项逾期未销号："+d.problem,
					fmt.Sprintf("整改时限 %s 已过，尚未销号。", d.dueDate), fmt.Sprintf("/rectify/%d", d.id), fmt.Sprintf("rectify-overdue:%d", d.id), now)
				if err != nil {
					return err
				}
				reminded += n
			}
		}
		marked = len(late)
		if err := r.Flush(ctx, tx); err != nil {
			return err
		}
		for _, days := range s.rules().RemindDaysBefore {
			day := clock.Today(now.AddDate(0, 0, days))
			// Collected first: a statement cannot run while a result is being read (PostgreSQL).
			var soon []due
			if err := db.Each(ctx, tx, `SELECT id, org_id, problem FROM rectify_items WHERE state IN (?, ?) AND due_date = ?`, []any{Open, Returned, day}, func(row db.Scanner) error {
				var d due
				err := row.Scan(&d.id, &d.org, &d.problem)
				soon = append(soon, d)
				return err
			}); err != nil {
				return err
			}
			for _, d := range soon {
				users, err := life.Responsible(ctx, tx, d.org)
				if err != nil {
					return err
				}
				n, err := life.Notify(ctx, tx, users, d.org, "due_soon", fmt.Sprintf("整改事项%d天后到期：%s", days, d.problem),
					fmt.Sprintf("整改时限 %s，请填写进展并申请销号。", day), fmt.Sprintf("/rectify/%d", d.id), fmt.Sprintf("rectify-due:%d:%d", d.id, days), now)
				if err != nil {
					return err
				}
				reminded += n
			}
		}
		return nil
	})
	return fmt.Sprintf("%d items fell overdue, %d notices", marked, reminded), err
}
