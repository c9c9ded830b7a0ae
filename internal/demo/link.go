package demo

import (
	"context"
	"database/sql"
	"errors"

	"dangjian/internal/member"
	"dangjian/internal/platform/db"
)

// secretaryMember is the member record of a branch's secretary, so that the demo's secretary
// account is linked to it (a secretary is a member too): the branch's current member named as
// its secretary, or — the generator names secretaries apart from the roster — its last full
// member, given the secretary's name. notID is the member the member account holds.
func secretaryMember(ctx context.Context, d *db.DB, branchID, notID int64) (int64, error) {
	var name string
	if err := d.QueryRow(ctx, `SELECT secretary FROM orgs WHERE id = ?`, branchID).Scan(&name); err != nil || name == "" {
		return 0, err
	}
	var id int64
	err := d.QueryRow(ctx, `SELECT id FROM members WHERE org_id = ? AND name = ? AND status = 'active' ORDER BY id LIMIT 1`, branchID, name).Scan(&id)
	if err == nil || !errors.Is(err, sql.ErrNoRows) {
		return id, err
	}
	if err := d.QueryRow(ctx, `SELECT id FROM members WHERE org_id = ? AND status = 'active' AND category = 'full' AND id <> ? ORDER BY id DESC LIMIT 1`,
		branchID, notID).Scan(&id); err != nil {
		return 0, err
	}
	_, err = d.Exec(ctx, `UPDATE members SET name = ?, name_key = ? WHERE id = ?`, name, member.NameKey(name), id)
	return id, err
}
