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
	var todo []int64
	for _, m := range att.Present {
		if _, done := live[m]; !done && want[m] {
			todo = append(todo, m)
		}
	}
	sts, err := standings(ctx, tx, todo)
	if err != nil {
		return err
	}
	// Most attendees share a branch: the scheme in force is read once per branch, not per member.
	inForce := map[string]*SchemeVersion{}
	for _, st := range sts {
		if err := s.derive(ctx, tx, att, st, inForce); err != nil {
			return err
		}
	}
	return nil
}

// standings reads the members' standings a few hundred at a time (one query per chunk, not
// one per attendee), in the order of ids; a member not found is skipped.
func standings(ctx context.Context, tx *db.Tx, ids []int64) ([]member.Standing, error) {
	const chunk = 500
	out := make([]member.Standing, 0, len(ids))
	for start := 0; start < len(ids); start += chunk {
		part := ids[start:min(start+chunk, len(ids))]
		args := make([]any, len(part))
		for i, id := range part {
			args[i] = id
		}
		got := map[int64]member.Standing{}
		err := db.Each(ctx, tx, `SELECT id, name, org_id, org_path, category, status FROM members WHERE id IN (`+db.Placeholders(len(part))+`)`,
			args, func(r db.Scanner) error {
				var st member.Standing
				err := r.Scan(&st.ID, &st.Name, &st.OrgID, &st.OrgPath, &st.Category, &st.Status)
				got[st.ID] = st
				return err
			})
		if err != nil {
			return nil, err
		}
		for _, id := range part {
			if st, ok := got[id]; ok {
				out = append(out, st)
			}
		}
	}
	return out, nil
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
func (s *Store) derive(ctx context.Context, tx *db.Tx, att *life.Attended, st member.Standing, inForce map[string]*SchemeVersion) error {
	v, seen := inForce[st.OrgPath]
	if !seen {
		var err error
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
