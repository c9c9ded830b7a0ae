package member

import (
	"context"

	"dangjian/internal/platform/db"
)

// Membership kinds: the home branch, and the second affiliations that do not transfer the
// relationship (支部条例): a 临时党支部 and the host organization (流入地) of a 流动党员.
const (
	HomeMembership      = "home"
	TemporaryMembership = "temporary"
	HostMembership      = "host"
)

// followHome keeps the member's home span in memberships in step with a change of branch or
// status, from day on: the old span ends when the member leaves the branch or stops being a
// current member, a new one starts when they arrive or come back.
func followHome(ctx context.Context, tx *db.Tx, id int64, before, after *Fields, oldOrg, newOrg int64, day string) error {
	was, is := IsCurrent(before.Status), IsCurrent(after.Status)
	moved := oldOrg != newOrg
	if was && (!is || moved) {
		if _, err := tx.Exec(ctx, `UPDATE memberships SET to_date = ? WHERE member_id = ? AND kind = 'home' AND to_date = ''`, day, id); err != nil {
			return err
		}
	}
	if is && (!was || moved) {
		return openHome(ctx, tx, id, newOrg, day)
	}
	if before.JoinDate != after.JoinDate {
		// A corrected joining date moves the span that started with it.
		_, err := tx.Exec(ctx, `UPDATE memberships SET from_date = ? WHERE member_id = ? AND kind = 'home' AND from_date = ?`, after.JoinDate, id, before.JoinDate)
		return err
	}
	return nil
}

func openHome(ctx context.Context, tx *db.Tx, id, orgID int64, from string) error {
	_, err := tx.Exec(ctx, `INSERT INTO memberships (member_id, org_id, kind, from_date) VALUES (?, ?, 'home', ?)`, id, orgID, from)
	return err
}
