package server

import (
	"context"
	"database/sql"
	"errors"

	"dangjian/internal/org"
)

// MeMember is the caller's own member record, briefly.
type MeMember struct {
	ID       int64  `json:"id"`
	Name     string `json:"name"`
	OrgID    int64  `json:"org_id"` // their branch
	OrgName  string `json:"org_name"`
	OrgLabel string `json:"org_label"`
	Category string `json:"category"`
	Status   string `json:"status"`
}

// meMember reads the caller's linked member record (nil: none).
func (a *App) meMember(ctx context.Context, memberID int64) (*MeMember, error) {
	if memberID == 0 {
		return nil, nil
	}
	var m MeMember
	err := a.DB.QueryRow(ctx, `SELECT m.id, m.name, m.org_id, o.name, m.category, m.status FROM members m JOIN orgs o ON o.id = m.org_id WHERE m.id = ?`,
		memberID).Scan(&m.ID, &m.Name, &m.OrgID, &m.OrgName, &m.Category, &m.Status)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	labels, err := org.Labels(ctx, a.DB, []int64{m.OrgID})
	m.OrgLabel = labels[m.OrgID]
	return &m, err
}
