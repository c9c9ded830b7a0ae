package member

import (
	"context"
	"database/sql"
	"errors"
	"strconv"

	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/db"
	"dangjian/internal/platform/httpx"
)

// Ref is what other domains need of a member to attach something to them.
type Ref struct {
	ID      int64
	OrgID   int64
	OrgPath string
}

// ResolveField loads member id, named by a request body's field (label is its message key),
// for a write needing perm on the member's organization — the member half of org.ResolveField:
// missing or invisible → 422 v.choice on the field, through Scope.Refuse (so 403 for a
// non-admin); visible but perm not held there → 403.
func ResolveField(ctx context.Context, q db.Querier, sc *auth.Scope, id int64, perm auth.Perm, field, label string) (*Ref, error) {
	r := Ref{ID: id}
	err := q.QueryRow(ctx, `SELECT org_id, org_path FROM members WHERE id = ?`, id).Scan(&r.OrgID, &r.OrgPath)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	if err != nil || !sc.CanMember(auth.Read, r.OrgPath, id) {
		return nil, sc.Refuse(httpx.Invalid(httpx.FieldIssue(field, label, "v.choice", strconv.FormatInt(id, 10))))
	}
	if !sc.Can(perm, r.OrgPath) {
		return nil, httpx.Forbidden()
	}
	return &r, nil
}
