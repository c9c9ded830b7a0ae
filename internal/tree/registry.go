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
	// Dims and DimPrefixes are the dimensions of org_stats the part owns: Recount starts
	// from none of them.
	Dims        []string
	DimPrefixes []string
	// Recount rebuilds the part's dimensions (and its other maintained figures) from the raw
	// rows; the registry has deleted the part's dimensions first.
	Recount func(ctx context.Context, tx *db.Tx) error
	// Paths are the part's columns carrying an organization path.
	Paths []PathColumn
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

// Recount rebuilds every part's rollups from the raw rows in one transaction (repair: the
// nightly job, `migrate --recount`; tests compare it with the maintained figures); it
// returns how long it took.
func (r *Registry) Recount(ctx context.Context, d *db.DB) (time.Duration, error) {
	start := time.Now()
	err := d.InTx(ctx, func(tx *db.Tx) error {
		for _, p := range r.parts {
			if err := p.recount(ctx, tx); err != nil {
				return fmt.Errorf("recount %s: %w", p.Name, err)
			}
		}
		return nil
	})
	return time.Since(start), err
}

// RecountPart rebuilds one part's rollups (by name) in its own transaction.
func (r *Registry) RecountPart(ctx context.Context, d *db.DB, name string) (time.Duration, error) {
	start := time.Now()
	for _, p := range r.parts {
		if p.Name == name {
			err := d.InTx(ctx, func(tx *db.Tx) error { return p.recount(ctx, tx) })
			return time.Since(start), err
		}
	}
	return 0, fmt.Errorf("tree: no part %q", name)
}

func (p Part) recount(ctx context.Context, tx *db.Tx) error {
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
	if len(conds) > 0 {
		if _, err := tx.Exec(ctx, `DELETE FROM org_stats WHERE `+strings.Join(conds, " OR "), args...); err != nil {
			return err
		}
	}
	if p.Recount == nil {
		return nil
	}
	return p.Recount(ctx, tx)
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
	return out, nil
}
