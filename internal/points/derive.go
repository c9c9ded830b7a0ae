package points

import (
	"context"

	"dangjian/internal/life"
	"dangjian/internal/member"
	"dangjian/internal/platform/db"
)

// Reconcile brings the entries derived from an activity's attendance in line with it
// (record once, DESIGN principle 3): every member whose current attendance is 出席 at a
// counting activity has one live entry under the item their layer derives from the
// activity's kinds; an entry whose source went (attendance changed, record cancelled or
// superseded) is taken back by a reversal. Idempotent: calling it again changes nothing.
// Life's writes call it in their transaction through ActivityChanged.
func (s *Store) Reconcile(ctx context.Context, tx *db.Tx, activityID int64) error {
	att, err := life.AttendedAt(ctx, tx, activityID)
	if err != nil {
		return err
	}
	want := map[int64]bool{}
	if att != nil && att.Counts {
		for _, m := range att.Present {
			want[m] = true
		}
	}
	live, err := liveDerived(ctx, tx, activityID)
	if err != nil {
		return err
	}
	for m, entryID := range live {
		if !want[m] {
			if _, err := s.reverse(ctx, tx, entryID, 0, "出席记录已更改或活动记录已撤销，自动冲正", "attendance changed or the record withdrawn: reversed automatically"); err != nil {
				return err
			}
		}
	}
	if att == nil {
		return nil
	}
	// Most attendees share a branch: the scheme in force is read once per branch, not per member.
	inForce := map[string]*SchemeVersion{}
	for _, m := range att.Present {
		if _, done := live[m]; done || !want[m] {
			continue
		}
		if err := s.derive(ctx, tx, att, m, inForce); err != nil {
			return err
		}
	}
	return nil
}

// liveDerived maps each member to their live entry derived from the activity.
func liveDerived(ctx context.Context, tx *db.Tx, activityID int64) (map[int64]int64, error) {
	out := map[int64]int64{}
	err := db.Each(ctx, tx, `SELECT e.member_id, e.id FROM points_entries e WHERE e.source_kind = ? AND e.source_id = ? AND e.reverses_id IS NULL
		AND NOT EXISTS (SELECT 1 FROM points_entries r WHERE r.reverses_id = e.id)`, []any{SourceAttendance, activityID}, func(r db.Scanner) error {
		var m, id int64
		err := r.Scan(&m, &id)
		out[m] = id
		return err
	})
	return out, err
}

// derive writes a member's entry for attending, under the scheme in force for them on the
// activity's day; nothing when no scheme or no item of their layer derives from its kinds.
func (s *Store) derive(ctx context.Context, tx *db.Tx, att *life.Attended, memberID int64, inForce map[string]*SchemeVersion) error {
	st, found, err := member.StandingOf(ctx, tx, memberID)
	if err != nil || !found {
		return err
	}
	v, seen := inForce[st.OrgPath]
	if !seen {
		if v, err = s.InForce(ctx, tx, st.OrgPath, att.Day); err != nil {
			return err
		}
		inForce[st.OrgPath] = v
	}
	if v == nil {
		return nil
	}
	layer := v.Scheme.LayerFor(st.Category, st.Status)
	if layer == nil {
		return nil
	}
	for i := range layer.Items {
		it := &layer.Items[i]
		if it.Arises == ByAttendance && overlaps(it.Kinds, att.Kinds) {
			_, err := s.record(ctx, tx, write{member: st, day: att.Day, version: v, layer: layer, item: it,
				sourceKind: SourceAttendance, sourceID: att.ActivityID})
			return err
		}
	}
	return nil
}

func overlaps(a, b []string) bool {
	for _, x := range a {
		if has(b, x) {
			return true
		}
	}
	return false
}

// ActivityChanged makes the points a follower of life's records (life.Follower): every write
// that may change an activity's attendance or whether it counts reconciles its entries.
func (s *Store) ActivityChanged(ctx context.Context, tx *db.Tx, activityID int64) error {
	return s.Reconcile(ctx, tx, activityID)
}
