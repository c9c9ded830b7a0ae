package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sort"
	"time"

	"dangjian/internal/member"
	"dangjian/internal/platform/clock"
	"dangjian/internal/platform/db"
	"dangjian/internal/points"
	"dangjian/internal/tree"
)

// entriesPerMember is about how many ledger entries a demo member has by the end of a year
// (issue 14's volume: a year of entries, ≈ 30 per member); a member gets fewer early in the year.
const entriesPerMember = 30

// ledgerYear writes a year of points entries for every current member without one yet (the
// showcase branch's derive from its records), scored under the scheme in force at the district
// through the caps as record scores them (points.Score), as source "import" — a running year's
// ledger loaded when a district moves in. One COPY (multi-row INSERTs on SQLite); then the
// totals and the rollups are computed from the ledger by the points part's own recount, so
// they equal what a recount finds.
func ledgerYear(ctx context.Context, d *db.DB, seed uint64, now time.Time, progress func(string, ...any)) (int64, error) {
	today := clock.Today(now)
	year := now.In(clock.CST).Year()
	ps := &points.Store{DB: d, Clock: clock.NewFake(now)}
	var rootPath string
	if err := d.QueryRow(ctx, `SELECT path FROM orgs WHERE parent_id IS NULL ORDER BY id LIMIT 1`).Scan(&rootPath); err != nil {
		return 0, err
	}
	v, err := ps.InForce(ctx, d, rootPath, today)
	if err != nil || v == nil {
		return 0, fmt.Errorf("points: no scheme in force at the district (%v)", err)
	}
	type who struct {
		id, org          int64
		category, status string
	}
	ms, err := db.All(ctx, d, `SELECT m.id, m.org_id, m.category, m.status FROM members m
		WHERE m.status IN (`+db.Placeholders(len(member.CurrentStatuses))+`)
		AND NOT EXISTS (SELECT 1 FROM points_entries e WHERE e.member_id = m.id AND e.year = ?) ORDER BY m.id`,
		append(anys(member.CurrentStatuses), year), func(r db.Scanner) (w who, err error) {
			err = r.Scan(&w.id, &w.org, &w.category, &w.status)
			return
		})
	if err != nil {
		return 0, err
	}
	r := rand.New(rand.NewPCG(seed^0x14, seed+30))
	jan1 := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC)
	t, _ := time.Parse("2006-01-02", today)
	days := int(t.Sub(jan1).Hours()/24) + 1
	// Entries of the year so far: a share of 30 as the year goes on.
	per := max(1, entriesPerMember*days/365)
	created := now.UTC()
	i, pending := 0, [][]any{}
	next := func() ([]any, error) {
		for len(pending) == 0 {
			if i == len(ms) {
				return nil, nil
			}
			w := ms[i]
			i++
			l := v.Scheme.LayerFor(w.category, w.status)
			if l == nil {
				continue
			}
			n := per - per/6 + r.IntN(per/3+1)
			dates := make([]string, n)
			codes := make([]string, n)
			for k := range n {
				dates[k] = jan1.AddDate(0, 0, r.IntN(days)).Format("2006-01-02")
			}
			sort.Strings(dates)
			for k := range n {
				codes[k] = pickItem(r, l)
			}
			for k, s := range points.Score(v.Scheme, l, codes) {
				pending = append(pending, []any{w.id, w.org, int64(year), v.RowID, l.Code, s.Item.Code, s.Item.Category, int64(s.Requested),
					int64(s.Applied), s.Reason, s.ReasonEN, points.SourceImport, int64(0), dates[k], "", created})
			}
		}
		row := pending[0]
		pending = pending[1:]
		return row, nil
	}
	var n int64
	err = d.InTx(ctx, func(tx *db.Tx) error {
		n, err = tx.Copy(ctx, "points_entries", []string{"member_id", "org_id", "year", "scheme_id", "layer", "item_code", "category",
			"requested", "applied", "reason", "reason_en", "source_kind", "source_id", "event_date", "note", "created_at"}, next)
		if err != nil {
			return err
		}
		return tx.Analyze(ctx, "points_entries")
	})
	if err != nil {
		return 0, err
	}
	progress("%d points entries written for %d members (≈ %d each so far this year)", n, len(ms), per)
	if _, err := tree.New(points.Part()).RecountPart(ctx, d, "points"); err != nil {
		return 0, err
	}
	if _, err := d.Exec(ctx, `ANALYZE points_totals`); err != nil {
		return 0, err
	}
	progress("points totals, bands and rollups counted from the ledger")
	return n, nil
}

// pickItem draws an item of the layer: mostly what arises from records and claims, a few
// deductions, a 一票否决 almost never.
func pickItem(r *rand.Rand, l *points.Layer) string {
	for {
		it := l.Items[r.IntN(len(l.Items))]
		switch {
		case it.Category == points.Veto && r.IntN(20000) != 0:
		case it.Category == points.Deduct && r.IntN(4) != 0:
		default:
			return it.Code
		}
	}
}
