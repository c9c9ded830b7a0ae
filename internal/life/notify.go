package life

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"time"

	"dangjian/internal/platform/db"
)

// Notify creates a notice for each user unless they already have one with the same key.
func Notify(ctx context.Context, q db.Querier, users []int64, orgID int64, kind, title, body, link, key string, now time.Time) (int, error) {
	n := 0
	for _, u := range users {
		res, err := q.Exec(ctx, `INSERT INTO notices (user_id, org_id, kind, title, body, link, dedupe_key, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (user_id, dedupe_key) DO NOTHING`, u, orgID, kind, title, body, link, key, now)
		if err != nil {
			return n, err
		}
		if k, _ := res.RowsAffected(); k > 0 {
			n++
		}
	}
	return n, nil
}

// userIDs runs a query of user ids.
func userIDs(ctx context.Context, q db.Querier, query string, args ...any) ([]int64, error) {
	var out []int64
	if err := db.Each(ctx, q, query, args, func(rs db.Scanner) error {
		var id int64
		if err := rs.Scan(&id); err != nil {
			return err
		}
		out = append(out, id)
		return nil
	}); err != nil {
		return nil, err
	}
	return out, nil
}

// Responsible are the users who run an organization: its secretaries and staff.
func Responsible(ctx context.Context, q db.Querier, orgID int64) ([]int64, error) {
	return userIDs(ctx, q, `SELECT DISTINCT g.user_id FROM grants g JOIN users u ON u.id = g.user_id
		WHERE g.org_id = ? AND g.role IN ('secretary', 'org_staff') AND NOT u.disabled ORDER BY g.user_id`, orgID)
}

// MembersOf are the accounts of an organization's current members.
func MembersOf(ctx context.Context, q db.Querier, orgID int64) ([]int64, error) {
	return userIDs(ctx, q, `SELECT u.id FROM users u JOIN members m ON m.id = u.member_id
		WHERE (m.org_id = ? OR m.group_id = ?) AND m.status IN ('active', 'mobile', 'lost', 'suspended') AND NOT u.disabled ORDER BY u.id`, orgID, orgID)
}

// NewSecret is a random secret for a link or code (calendar feeds).
func NewSecret() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// HashSecret is how a secret is stored: its SHA-256, hex.
func HashSecret(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}
