package server

import (
	"context"
	"fmt"
	"reflect"
	"testing"

	"dangjian/internal/life"
	"dangjian/internal/life/rules"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/clock"
	"dangjian/internal/platform/db"
	"dangjian/internal/platform/httpx"
)

// The record book's batched attendance (two activities on one day, a member recorded at only
// one of them, one recorded elsewhere) answers exactly what each activity's page answers.
func TestAttendanceOfManyMatchesAttendanceOf(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		var a, b life.Activity
		for _, x := range []*life.Activity{&a, &b} {
			f.do("secA", "POST", "/api/v1/activities", map[string]any{"org_id": f.orgs["A1"], "kinds": []string{"theme_day"},
				"topic": "同日活动", "starts_at": "2026-11-10T01:00:00Z", "held": true}).decode(t, x)
		}
		f.do("secA", "PUT", fmt.Sprintf("/api/v1/activities/%d/attendance", a.ID), map[string]any{"items": []map[string]any{
			{"member_id": f.members["a1m1"], "state": "present"}, {"member_id": f.members["a1m2"], "state": "leave", "reason": "出差"}}})
		f.do("secA", "PUT", fmt.Sprintf("/api/v1/activities/%d/attendance", b.ID), map[string]any{"items": []map[string]any{
			{"member_id": f.members["a1m1"], "state": "absent"}}})
		f.newActivity("A1", "accepted")
		ctx := context.Background()
		s := &life.Store{DB: d, Clock: clock.System{}, Pack: rules.DefaultPack}
		list, _, err := s.List(ctx, auth.System(), life.ActivityFilter{OrgID: f.orgs["A1"], ForYear: 2026}, httpx.Page{Page: 1, Size: 100})
		if err != nil || len(list) < 3 {
			t.Fatalf("%d activities, %v", len(list), err)
		}
		acts := make([]*life.Activity, len(list))
		for i := range list {
			acts[i] = &list[i]
		}
		many, err := s.AttendanceOfMany(ctx, d, acts)
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range acts {
			one, err := s.AttendanceOf(ctx, d, x)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(one, many[x.ID]) {
				t.Errorf("activity %d: one by one %+v, batched %+v", x.ID, one, many[x.ID])
			}
		}
	})
}
