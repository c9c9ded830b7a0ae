package org

import (
	"context"

	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/clock"
	"dangjian/internal/platform/db"
	"dangjian/internal/platform/httpx"
	"dangjian/internal/tree"
)

// CheckItem is an organization failing a check.
type CheckItem struct {
	ID            int64  `json:"id"`
	Name          string `json:"name"`
	Path          string `json:"path"`
	Kind          Kind   `json:"kind"`
	DirectMembers int    `json:"direct_members"`
	DirectFull    int    `json:"direct_full"`
	Secretary     string `json:"secretary"`
	OrgLabel      string `json:"org_label"` // parent › name
}

// CheckList is the count of organizations failing a check and the first of them.
type CheckList struct {
	Count int         `json:"count"`
	Items []CheckItem `json:"items"`
}

// Stats are the statistics of a subtree, read from the maintained rollups.
type Stats struct {
	OrgID           int64                `json:"org_id"`
	MembersTotal    int                  `json:"members_total"`
	ByStatus        map[string]int       `json:"by_status"`
	ByCategory      map[string]int       `json:"by_category"`
	BySex           map[string]int       `json:"by_sex"`
	ByAgeBand       map[string]int       `json:"by_age_band"`
	ByEducation     map[string]int       `json:"by_education"`
	ByEthnicity     map[string]int       `json:"by_ethnicity"` // han, minority
	ByEthnicityCode map[string]int       `json:"by_ethnicity_code"`
	ByField         map[string]int       `json:"by_field"`
	OrgsByKind      map[string]int       `json:"orgs_by_kind"`
	Checks          map[string]CheckList `json:"checks"`
	AsOf            string               `json:"as_of"` // the date ages are reckoned at (China Standard Time)
}

// CheckPreview is how many failing organizations Stats lists per check.
const CheckPreview = 20

// Stats returns the statistics of the subtree of a readable organization: one read of its
// rollup rows plus one index range per check, whatever the size of the subtree.
func (s *Store) Stats(ctx context.Context, sc *auth.Scope, id int64) (*Stats, error) {
	o, err := s.Get(ctx, sc, id)
	if err != nil {
		return nil, err
	}
	return ReadStats(ctx, s.DB, o.ID, o.Path, clock.Today(s.Clock.Now()), s.StatsFill)
}

// StatRow is one rollup row of an organization.
type StatRow struct {
	Dim, Key string
	N        int
}

// StatsFiller fills another domain's half of Stats from the organization's rollup rows
// (member.FillStats: the roster's dimensions).
type StatsFiller func(st *Stats, rows []StatRow)

// ReadStats reads the statistics of the organization id at path, ages reckoned on today: the
// organization's own dimensions here, the rest by fill.
func ReadStats(ctx context.Context, q db.Querier, id int64, path, today string, fill StatsFiller) (*Stats, error) {
	st := &Stats{OrgID: id, AsOf: today,
		ByStatus: map[string]int{}, ByCategory: map[string]int{}, BySex: map[string]int{}, ByAgeBand: map[string]int{},
		ByEducation: map[string]int{}, ByEthnicity: map[string]int{}, ByEthnicityCode: map[string]int{},
		ByField: map[string]int{}, OrgsByKind: map[string]int{}, Checks: map[string]CheckList{}}
	checkCounts := map[string]int{}
	var others []StatRow
	err := db.Each(ctx, q, `SELECT dim, key, n FROM org_stats WHERE org_id = ? AND n <> 0`, []any{id}, func(r db.Scanner) error {
		var row StatRow
		if err := r.Scan(&row.Dim, &row.Key, &row.N); err != nil {
			return err
		}
		switch row.Dim {
		case DimField:
			st.ByField[row.Key] = row.N
		case DimKind:
			st.OrgsByKind[row.Key] = row.N
		case DimCheck:
			checkCounts[row.Key] = row.N
		default:
			others = append(others, row)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if fill != nil {
		fill(st, others)
	}
	for _, c := range Checks {
		items, err := checkItems(ctx, q, c, path, CheckPreview, 0)
		if err != nil {
			return nil, err
		}
		st.Checks[c] = CheckList{Count: checkCounts[c], Items: items}
	}
	return st, nil
}

func checkItems(ctx context.Context, q db.Querier, check, path string, limit, offset int) ([]CheckItem, error) {
	lo, hi := db.SubtreeRange(path)
	out := []CheckItem{}
	err := db.Each(ctx, q, `SELECT o.id, o.name, o.path, o.kind, o.direct_members, o.direct_full, o.secretary
		FROM org_checks c JOIN orgs o ON o.id = c.org_id
		WHERE c.check_name = ? AND c.path >= ? AND c.path < ? ORDER BY c.path LIMIT ? OFFSET ?`, []any{check, lo, hi, limit, offset}, func(r db.Scanner) error {
		var it CheckItem
		if err := r.Scan(&it.ID, &it.Name, &it.Path, &it.Kind, &it.DirectMembers, &it.DirectFull, &it.Secretary); err != nil {
			return err
		}
		out = append(out, it)
		return nil
	})
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(out))
	for i, it := range out {
		ids[i] = it.ID
	}
	labels, err := Labels(ctx, q, ids)
	for i := range out {
		out[i].OrgLabel = labels[out[i].ID]
	}
	return out, err
}

// CheckList pages through the organizations of a subtree failing one check.
func (s *Store) CheckList(ctx context.Context, sc *auth.Scope, id int64, check string, p httpx.Page) ([]CheckItem, int, error) {
	o, err := s.Get(ctx, sc, id)
	if err != nil {
		return nil, 0, err
	}
	if !oneOf(check, Checks) {
		return nil, 0, httpx.Invalid(httpx.Issue{Field: "check", Msg: invalidChoice("check", check)})
	}
	var total int
	_ = s.DB.QueryRow(ctx, `SELECT COALESCE(SUM(n), 0) FROM org_stats WHERE org_id = ? AND dim = ? AND key = ?`, o.ID, DimCheck, check).Scan(&total)
	items, err := checkItems(ctx, s.DB, check, o.Path, p.Size, p.Offset())
	return items, total, err
}

// Part is the organization's part of the rollups: organizations by kind and failing checks
// (from the flags they carry), the history of full members ("fullm:<kind>"), and the path copy
// org_checks.path. The field dimension is the roster's (member.Part recounts it).
func (s *Store) Part() tree.Part {
	return tree.Part{Name: "org", Dims: []string{DimKind, DimCheck}, DimPrefixes: []string{DimFullPrefix},
		Recount: func(ctx context.Context, tx *db.Tx, r tree.Rollup) error {
			if err := recountOrgs(ctx, tx, r); err != nil {
				return err
			}
			return recountFull(ctx, tx, s.Clock.Now(), r)
		},
		Paths: []tree.PathColumn{{Table: "org_checks", Column: "path"}}}
}

// recountOrgs counts every live organization by kind and failing check into r.
func recountOrgs(ctx context.Context, tx *db.Tx, r tree.Rollup) error {
	return db.Each(ctx, tx, `SELECT path, kind, flags FROM orgs WHERE dissolved_at IS NULL`, nil, func(row db.Scanner) error {
		var path, kind, flags string
		if err := row.Scan(&path, &kind, &flags); err != nil {
			return err
		}
		r.Add(path, DimKind, kind, 1)
		for _, f := range splitFlags(flags) {
			r.Add(path, DimCheck, f, 1)
		}
		return nil
	})
}

func splitFlags(s string) []string {
	if s == "" {
		return nil
	}
	var out []string
	start := 0
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == ',' {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return out
}
