package member

import (
	"context"
	"database/sql"
	"errors"

	"dangjian/internal/platform/db"
)

// Standing is what the points scheme needs of a member to place them in a layer: their
// branch, category and status, and name for lists.
type Standing struct {
	ID       int64
	Name     string
	OrgID    int64
	OrgPath  string
	Category string
	Status   string
}

// StandingOf reads a member's Standing; found is false when there is no such member.
func StandingOf(ctx context.Context, q db.Querier, id int64) (st Standing, found bool, err error) {
	st.ID = id
	err = q.QueryRow(ctx, `SELECT name, org_id, org_path, category, status FROM members WHERE id = ?`, id).
		Scan(&st.Name, &st.OrgID, &st.OrgPath, &st.Category, &st.Status)
	if errors.Is(err, sql.ErrNoRows) {
		return st, false, nil
	}
	return st, err == nil, err
}
