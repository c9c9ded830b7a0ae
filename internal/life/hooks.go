package life

import (
	"context"

	"dangjian/internal/platform/db"
)

// Hooks are what the figures kept over the records (compliance: the met rollup, life_met,
// attendance sums, members' last participation and lapse) do when a record changes. The
// records call them inside the write's transaction; compliance.Store implements them and the
// server wires it in (Store.Hooks), so records do not import compliance.
type Hooks interface {
	// Track runs write, a change to the counting records of organization orgID held in or
	// for years, and keeps the compliance figures of those years in step.
	Track(ctx context.Context, tx *db.Tx, orgID int64, years []int, write func() error) error
	// AttendanceChanged refreshes the last participation and lapse figure of the members
	// whose attendance changed.
	AttendanceChanged(ctx context.Context, q db.Querier, memberIDs []int64) error
	// ExemptionChanged refreshes the lapse figure of a member given or relieved of an exemption.
	ExemptionChanged(ctx context.Context, q db.Querier, memberID int64) error
}

// Track runs write through the hooks (without hooks — a tool reading records — write alone).
func (s *Store) Track(ctx context.Context, tx *db.Tx, orgID int64, years []int, write func() error) error {
	if s.Hooks == nil {
		return write()
	}
	return s.Hooks.Track(ctx, tx, orgID, years, write)
}

// AttendanceChanged tells the hooks whose attendance changed.
func (s *Store) AttendanceChanged(ctx context.Context, q db.Querier, memberIDs []int64) error {
	if s.Hooks == nil || len(memberIDs) == 0 {
		return nil
	}
	return s.Hooks.AttendanceChanged(ctx, q, memberIDs)
}

// exemptionChanged tells the hooks a member's exemptions changed.
func (s *Store) exemptionChanged(ctx context.Context, q db.Querier, memberID int64) error {
	if s.Hooks == nil {
		return nil
	}
	return s.Hooks.ExemptionChanged(ctx, q, memberID)
}

// Follower is a domain that derives records of its own from an activity's attendance (points:
// 出席 at a counting activity yields points). Records call it inside the write's transaction
// whenever an activity's attendance, or whether it counts, may have changed; it must be
// idempotent (it reconciles with what it derived before). The server wires the followers.
type Follower interface {
	ActivityChanged(ctx context.Context, tx *db.Tx, activityID int64) error
}

// ActivitiesChanged tells every follower that these activities changed.
func (s *Store) ActivitiesChanged(ctx context.Context, tx *db.Tx, activityIDs ...int64) error {
	for _, f := range s.Followers {
		for _, id := range activityIDs {
			if err := f.ActivityChanged(ctx, tx, id); err != nil {
				return err
			}
		}
	}
	return nil
}
