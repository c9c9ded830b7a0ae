package server

import (
	"context"
	"testing"
	"time"

	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/db"
	"dangjian/internal/platform/httpx"
)

// TestListSubtreeCountLimit: a filtered subtree list counts up to its limit and says so past
// it; the page itself is the same either way.
func TestListSubtreeCountLimit(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		root, err := f.app.Orgs.Get(ctx, auth.System(), f.orgs["R"])
		if err != nil {
			t.Fatal(err)
		}
		since := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
		p := httpx.Page{Page: 1, Size: 2}
		all, exact, capped, err := f.app.Orgs.ListSubtreeSince(ctx, auth.System(), root, nil, since, "o.id > 0", nil, p, 0)
		if err != nil || capped || exact < 5 || len(all) != 2 {
			t.Fatalf("exact: %d orgs, capped %v, page %d, %v", exact, capped, len(all), err)
		}
		page, n, capped, err := f.app.Orgs.ListSubtreeSince(ctx, auth.System(), root, nil, since, "o.id > 0", nil, p, 3)
		if err != nil || !capped || n != 3 || len(page) != 2 || page[0].ID != all[0].ID || page[1].ID != all[1].ID {
			t.Fatalf("limited to 3 of %d: total %d, capped %v, page %d, %v", exact, n, capped, len(page), err)
		}
		if _, n, capped, _ := f.app.Orgs.ListSubtreeSince(ctx, auth.System(), root, nil, since, "o.id > 0", nil, p, exact); capped || n != exact {
			t.Errorf("a limit equal to the count: %d, capped %v", n, capped)
		}
	})
}
