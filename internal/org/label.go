package org

import (
	"context"
	"strconv"
	"strings"

	"dangjian/internal/platform/db"
)

// LabelSep joins the names of a label (和平社区党委 › 第一党支部).
const LabelSep = " › "

// Naming is how an organization is named where names repeat (thirty 第一党支部 in a district).
type Naming struct {
	// Label is the parent's name › its own name (its own name at a root): enough to tell apart
	// the branches of the same name under different parents.
	Label string
	// PathNames are the names from the root down to the organization itself.
	PathNames []string
}

// Namings names a page of organizations in two queries (their paths, then every ancestor's
// name), never one per row.
func Namings(ctx context.Context, q db.Querier, ids []int64) (map[int64]Naming, error) {
	out := map[int64]Naming{}
	uniq := map[int64]bool{}
	var args []any
	for _, id := range ids {
		if id != 0 && !uniq[id] {
			uniq[id] = true
			args = append(args, id)
		}
	}
	if len(args) == 0 {
		return out, nil
	}
	paths := map[int64]string{}
	need := map[int64]bool{}
	if err := scanPairs(ctx, q, `SELECT id, path FROM orgs WHERE id IN (`+db.Placeholders(len(args))+`)`, args, func(id int64, path string) {
		paths[id] = path
		for _, a := range pathIDs(path) {
			need[a] = true
		}
	}); err != nil {
		return nil, err
	}
	var nargs []any
	for id := range need {
		nargs = append(nargs, id)
	}
	names := map[int64]string{}
	if len(nargs) > 0 {
		if err := scanPairs(ctx, q, `SELECT id, name FROM orgs WHERE id IN (`+db.Placeholders(len(nargs))+`)`, nargs, func(id int64, name string) {
			names[id] = name
		}); err != nil {
			return nil, err
		}
	}
	for id, path := range paths {
		var n Naming
		for _, a := range pathIDs(path) {
			n.PathNames = append(n.PathNames, names[a])
		}
		switch k := len(n.PathNames); {
		case k >= 2:
			n.Label = n.PathNames[k-2] + LabelSep + n.PathNames[k-1]
		case k == 1:
			n.Label = n.PathNames[0]
		}
		out[id] = n
	}
	return out, nil
}

// Labels is Namings reduced to the labels.
func Labels(ctx context.Context, q db.Querier, ids []int64) (map[int64]string, error) {
	ns, err := Namings(ctx, q, ids)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]string, len(ns))
	for id, n := range ns {
		out[id] = n.Label
	}
	return out, nil
}

// pathIDs are the ids of a materialized path, root first ("/1/5/23/" → 1, 5, 23).
func pathIDs(path string) []int64 {
	var out []int64
	for _, p := range strings.Split(strings.Trim(path, "/"), "/") {
		if n, err := strconv.ParseInt(p, 10, 64); err == nil {
			out = append(out, n)
		}
	}
	return out
}

func scanPairs(ctx context.Context, q db.Querier, query string, args []any, fn func(int64, string)) error {
	return db.Each(ctx, q, query, args, func(r db.Scanner) error {
		var id int64
		var s string
		if err := r.Scan(&id, &s); err != nil {
			return err
		}
		fn(id, s)
		return nil
	})
}

// PathIDsOf are the ids of a materialized path, root first.
func PathIDsOf(path string) []int64 { return pathIDs(path) }
