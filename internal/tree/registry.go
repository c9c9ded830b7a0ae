package tree

import (
	"context"
	"fmt"
	"strings"
	"time"

	"dangjian/internal/platform/db"
)

// PathColumn is a column that holds a copy of an organization's materialized path
// ("/1/7/"), kept for subtree ranges; a move rewrites it.
type PathColumn struct {
	Table, Column string
}

// Part is what one domain keeps in the rollups.
type Part struct {
	Name string
	// Dims and DimPrefixes are the dimensions of org_stats the part owns.
	Dims        []string
	DimPrefixes []string
	// Recount adds the part's figures, counted from the raw rows, to r and rebuilds the
	// part's other maintained tables. It runs in a snapshot transaction (db.InSnapshotTx) and
	// must not write org_stats: the registry reads the maintained figures in the same
	// snapshot and applies the difference afterwards, in short transactions.
	Recount func(ctx context.Context, tx *db.Tx, r Rollup) error
	// After, when set, runs in a transaction of its own once the part's figures are applied:
	// work that keeps org_stats in step itself, or long updates that must not run under the
	// snapshot (a row updated by a request meanwhile would fail it on PostgreSQL).
	After func(ctx context.Context, tx *db.Tx) error
	// Paths are the part's columns carrying an organization path.
	Paths []PathColumn
	// Moved, when set, runs in a subtree move's transaction after every path was rewritten
	// (orgs and the Paths columns; org_stats already moved with MoveCounts): for figures that
	// depend on the ancestors themselves (points: the scheme in force comes from up the tree).
	Moved func(ctx context.Context, tx *db.Tx, oldPath, newPath string) error
}

// Registry is the list of parts, in the order they recount.
type Registry struct {
	parts []Part
}

// New makes a registry of parts; a dimension claimed twice, or a path column named twice, is
// a programming error.
func New(parts ...Part) *Registry {
	dims, cols := map[string]string{}, map[PathColumn]string{}
	for _, p := range parts {
		for _, d := range p.Dims {
			claim(dims, d, p.Name)
		}
		for _, d := range p.DimPrefixes {
			claim(dims, d+"*", p.Name)
		}
		for _, c := range p.Paths {
			if other, ok := cols[c]; ok {
				panic(fmt.Sprintf("tree: %s.%s claimed by %s and %s", c.Table, c.Column, other, p.Name))
			}
			cols[c] = p.Name
		}
	}
	for d, owner := range dims {
		for prefix, other := range dims {
			if strings.HasSuffix(prefix, "*") && d != prefix && strings.HasPrefix(strings.TrimSuffix(d, "*"), strings.TrimSuffix(prefix, "*")) {
				panic(fmt.Sprintf("tree: dimension %q of %s falls under prefix %q of %s", d, owner, prefix, other))
			}
		}
	}
	return &Registry{parts: parts}
}

func claim(seen map[string]string, dim, part string) {
	if other, ok := seen[dim]; ok {
		panic(fmt.Sprintf("tree: dimension %q claimed by %s and %s", dim, other, part))
	}
	seen[dim] = part
}

// Parts are the registered parts, in order.
func (r *Registry) Parts() []Part { return r.parts }

// Owns tells whether a registered part owns dimension dim.
func (r *Registry) Owns(dim string) bool {
	for _, p := range r.parts {
		if p.owns(dim) {
			return true
		}
	}
	return false
}

func (p Part) owns(dim string) bool {
	for _, d := range p.Dims {
		if d == dim {
			return true
		}
	}
	for _, d := range p.DimPrefixes {
		if strings.HasPrefix(dim, d) {
			return true
		}
	}
	return false
}

// Recount rebuilds every part's rollups from the raw rows (repair: the nightly job,
// `migrate --recount`; tests compare it with the maintained figures); it returns how long it
// took. It never deletes org_stats rows nor holds them locked for long, so requests keep
// writing meanwhile: each part counts in a snapshot, then adds (recounted − maintained as of
// that snapshot) to the rows as they stand, a thousand rows per transaction. A write that
// commits after the snapshot is in neither figure, so its own delta is kept once.
func (r *Registry) Recount(ctx context.Context, d *db.DB) (time.Duration, error) {
	start := time.Now()
	for _, p := range r.parts {
		if err := p.recountIn(ctx, d); err != nil {
			return time.Since(start), err
		}
	}
	return time.Since(start), nil
}

// RecountPart rebuilds one part's rollups (by name).
func (r *Registry) RecountPart(ctx context.Context, d *db.DB, name string) (time.Duration, error) {
	start := time.Now()
	p, err := r.part(name)
	if err == nil {
		err = p.recountIn(ctx, d)
	}
	return time.Since(start), err
}

func (r *Registry) part(name string) (Part, error) {
	for _, p := range r.parts {
		if p.Name == name {
			return p, nil
		}
	}
	return Part{}, fmt.Errorf("tree: no part %q", name)
}

func (p Part) recountIn(ctx context.Context, d *db.DB) error {
	dl, err := p.count(ctx, d)
	if err == nil {
		err = dl.Apply(ctx, d)
	}
	if err != nil {
		return fmt.Errorf("recount %s: %w", p.Name, err)
	}
	return nil
}

// Delta is what a recount of one part changes in org_stats: recounted − maintained, both as
// of one snapshot.
type Delta struct {
	part Part
	d    Rollup
}

// Count is the first step of a part's recount: it counts the part (by name) in a snapshot
// and returns the difference to apply; nothing of org_stats is written or locked.
func (r *Registry) Count(ctx context.Context, d *db.DB, name string) (*Delta, error) {
	p, err := r.part(name)
	if err != nil {
		return nil, err
	}
	return p.count(ctx, d)
}

func (p Part) count(ctx context.Context, d *db.DB) (*Delta, error) {
	dl := &Delta{part: p, d: Rollup{}}
	err := d.InSnapshotTx(ctx, func(tx *db.Tx) error {
		where, args := p.dimsWhere()
		if where != "" {
			err := db.Each(ctx, tx, `SELECT org_id, dim, key, n FROM org_stats WHERE `+where, args, func(row db.Scanner) error {
				var k rollupKey
				var n int
				err := row.Scan(&k.org, &k.dim, &k.key, &n)
				dl.d[k] -= n
				return err
			})
			if err != nil {
				return err
			}
		}
		if p.Recount == nil {
			return nil
		}
		return p.Recount(ctx, tx, dl.d)
	})
	return dl, err
}

// Changed is how many org_stats rows the delta changes.
func (dl *Delta) Changed() int { return len(dl.d.sortedKeys()) }

// Apply adds the delta to org_stats as the rows stand, a thousand rows per transaction, then
// runs the part's After.
func (dl *Delta) Apply(ctx context.Context, d *db.DB) error {
	keys := dl.d.sortedKeys()
	const batch = 1000
	for start := 0; start < len(keys); start += batch {
		part := keys[start:min(start+batch, len(keys))]
		if err := d.InTx(ctx, func(tx *db.Tx) error { return dl.d.flushKeys(ctx, tx, part) }); err != nil {
			return err
		}
	}
	if dl.part.After == nil {
		return nil
	}
	return d.InTx(ctx, func(tx *db.Tx) error { return dl.part.After(ctx, tx) })
}

// dimsWhere is the condition on org_stats selecting the part's dimensions ("" for none).
func (p Part) dimsWhere() (string, []any) {
	var conds []string
	var args []any
	if len(p.Dims) > 0 {
		conds = append(conds, "dim IN ("+db.Placeholders(len(p.Dims))+")")
		for _, d := range p.Dims {
			args = append(args, d)
		}
	}
	for _, d := range p.DimPrefixes {
		conds = append(conds, "dim LIKE ?")
		args = append(args, d+"%")
	}
	return strings.Join(conds, " OR "), args
}

// RewritePaths rewrites every registered path column of the subtree at oldPath to start with
// newPath instead (a move, in the mover's transaction); it returns the rows rewritten per
// table.
func (r *Registry) RewritePaths(ctx context.Context, tx *db.Tx, oldPath, newPath string) (map[string]int64, error) {
	if r == nil {
		return nil, fmt.Errorf("tree: no registry to rewrite the paths of %s", oldPath)
	}
	lo, hi := db.SubtreeRange(oldPath)
	cut := len(oldPath) + 1
	out := map[string]int64{}
	for _, p := range r.parts {
		for _, c := range p.Paths {
			res, err := tx.Exec(ctx, `UPDATE `+c.Table+` SET `+c.Column+` = CAST(? AS TEXT) || substr(`+c.Column+`, CAST(? AS INTEGER)) WHERE `+
				c.Column+` >= ? AND `+c.Column+` < ?`, newPath, cut, lo, hi)
			if err != nil {
				return nil, err
			}
			n, _ := res.RowsAffected()
			out[c.Table] += n
		}
	}
	for _, p := range r.parts {
		if p.Moved != nil {
			if err := p.Moved(ctx, tx, oldPath, newPath); err != nil {
				return nil, fmt.Errorf("%s after the move: %w", p.Name, err)
			}
		}
	}
	return out, nil
}
