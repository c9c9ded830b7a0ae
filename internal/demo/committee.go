package demo

import (
	"context"
	"time"

	"dangjian/internal/org"
	"dangjian/internal/platform/db"
)

// statusSince is the day a demo member's status began: the joining date for one in good
// standing, else a day of the last two years (after joining) that varies with i.
func statusSince(today time.Time, join, status string, i int) string {
	if status == "active" {
		return join
	}
	d := day(today.AddDate(0, 0, -(30 + (i*37)%700)))
	if d < join {
		return join
	}
	return d
}

// insertStatusHistory seeds member_status_history as the member store keeps it: the status
// since status_since, and 在册 from joining before a later change.
func insertStatusHistory(ctx context.Context, tx *db.Tx) error {
	if _, err := tx.Exec(ctx, `INSERT INTO member_status_history (member_id, status, from_date, created_at)
		SELECT id, 'active', join_date, created_at FROM members WHERE status <> 'active' AND status_since > join_date`); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `INSERT INTO member_status_history (member_id, status, from_date, created_at)
		SELECT id, status, status_since, created_at FROM members`)
	return err
}

// committeeRoles are the posts a demo branch committee fills, in the order of its members.
var committeeRoles = []string{"secretary", "organization", "propaganda", "discipline", org.RoleMember}

// insertCommittees gives nine in ten branches that have the pack's number of full members in good
// standing (支部委员会 from 7) a committee of its last recorded full members in good standing (书记 and
// 委员s, a term begun two years ago or when the member became full), as AddToCommittee would
// record it: the 书记's name becomes the organization's secretary. finishOrgs writes the
// secretary and committee_size with the counts.
func insertCommittees(ctx context.Context, tx *db.Tx, nodes []*node, today string, now time.Time) error {
	th, err := org.CurrentThresholds(ctx, tx)
	if err != nil {
		return err
	}
	byID := map[int64]*node{}
	for _, x := range nodes {
		// One in ten has not recorded its committee yet (the check 应设支部委员会 finds them).
		if (x.kind == org.Branch || x.kind == org.JointBranch) && th.CommitteeFrom > 0 && x.good >= th.CommitteeFrom && x.id%10 != 0 {
			byID[x.id] = x
		}
	}
	if len(byID) == 0 {
		return nil
	}
	t, _ := time.Parse("2006-01-02", today)
	termFrom := day(t.AddDate(-2, 0, 0))
	// The last recorded, so the demo member account (the first full member) stays an ordinary member.
	var args []any
	n := 0
	err = db.Each(ctx, tx, `SELECT org_id, id, name, full_date FROM (SELECT org_id, id, name, full_date,
		ROW_NUMBER() OVER (PARTITION BY org_id ORDER BY id DESC) AS rn FROM members WHERE category = 'full' AND status = 'active') x
		WHERE rn <= ? ORDER BY org_id, rn`, []any{len(committeeRoles)}, func(r db.Scanner) error {
		var orgID, id int64
		var name, full string
		if err := r.Scan(&orgID, &id, &name, &full); err != nil {
			return err
		}
		x := byID[orgID]
		if x == nil {
			return nil
		}
		from := termFrom
		if full > from {
			from = full
		}
		if x.committee == 0 {
			x.secret = name
		}
		args = append(args, orgID, id, committeeRoles[x.committee], from, now)
		x.committee++
		n++
		return nil
	})
	if err != nil {
		return err
	}
	for s := 0; s < n; s += 400 {
		e := min(s+400, n)
		if _, err := tx.Exec(ctx, `INSERT INTO committee_members (org_id, member_id, role, from_date, created_at) VALUES `+rows(e-s, 5), args[s*5:e*5]...); err != nil {
			return err
		}
	}
	return nil
}
