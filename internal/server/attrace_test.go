package server

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"dangjian/internal/life"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/db"
)

// TestConcurrentAttendanceKeepsRollups: attendance saved at once on several records of one
// branch (a secretary and a committee member at two phones) keeps the maintained figures equal
// to a recount. Track reads the branch's figures before and after each write; on PostgreSQL,
// without the branch locked for the write, another save committing between those reads was
// counted twice or not at all.
func TestConcurrentAttendanceKeepsRollups(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		const n = 6
		acts := make([]int64, n)
		for i := range acts {
			acts[i] = f.newActivity("A1", "held")
		}
		members := []string{"a1m1", "a1m2", "a1m3"}
		for round := 0; round < 4; round++ {
			var wg sync.WaitGroup
			errs := make(chan error, n)
			for i, id := range acts {
				wg.Add(1)
				go func(i int, id int64) {
					defer wg.Done()
					state := []string{"present", "absent"}[(i+round)%2]
					items := make([]life.AttendanceItem, 0, len(members))
					for _, m := range members {
						items = append(items, life.AttendanceItem{MemberID: f.members[m], State: state})
					}
					if _, err := f.app.Life.SetAttendance(context.Background(), auth.System(), id, life.AttendanceUpdate{Items: items}); err != nil {
						errs <- fmt.Errorf("activity %d round %d: %w", id, round, err)
					}
				}(i, id)
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Fatal(err)
			}
		}
		maintained := rollupSnapshot(t, d)
		if _, err := f.app.Tree.Recount(context.Background(), d); err != nil {
			t.Fatal(err)
		}
		if recount := rollupSnapshot(t, d); fmt.Sprint(maintained) != fmt.Sprint(recount) {
			t.Fatalf("maintained rollups differ from a recount after concurrent saves:\nmaintained %v\nrecount    %v", maintained, recount)
		}
	})
}
