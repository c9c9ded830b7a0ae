package life

import (
	"context"
	"dangjian/internal/platform/db"
	"strconv"

	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/clock"
)

// topicsFirst is how many recent topics are suggested.
const topicsFirst = 5

// Topics are suggestions for the topic of a new record: the organization's recent topics of
// the kind (distinct, newest first) and the month's theme when the rule pack has one.
type Topics struct {
	Recent []string `json:"recent"`
	Theme  string   `json:"theme"` // "" when the pack suggests none for the month
	Month  int      `json:"month"`
}

// Topics suggests topics for a record of kind ("" : any) of an organization the caller may read.
func (s *Store) Topics(ctx context.Context, sc *auth.Scope, orgID int64, kind string, month int) (*Topics, error) {
	if _, err := s.OrgForRead(ctx, sc, orgID); err != nil {
		return nil, err
	}
	if month == 0 {
		month, _ = strconv.Atoi(clock.Today(s.Clock.Now())[5:7])
	}
	cond, args := "", []any{orgID}
	if kind != "" {
		cond, args = " AND EXISTS (SELECT 1 FROM activity_kinds k WHERE k.activity_id = a.id AND k.kind = ?)", append(args, kind)
	}
	t := &Topics{Recent: []string{}, Month: month}
	if err := db.Each(ctx, s.DB, `SELECT a.topic FROM activities a WHERE a.org_id = ? AND a.state <> 'cancelled'`+cond+`
		GROUP BY a.topic ORDER BY MAX(a.starts_at) DESC LIMIT ?`, append(args, topicsFirst), func(rs db.Scanner) error {
		var topic string
		if err := rs.Scan(&topic); err != nil {
			return err
		}
		t.Recent = append(t.Recent, topic)
		return nil
	}); err != nil {
		return nil, err
	}
	k := kind
	if k == "" {
		k = "theme_day"
	}
	t.Theme = s.Pack().ThemeFor(month, k)
	return t, nil
}
