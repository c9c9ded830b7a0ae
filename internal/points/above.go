package points

import (
	"context"
	"math"
	"strconv"
	"strings"

	"dangjian/internal/member"
	"dangjian/internal/org"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/db"
	"dangjian/internal/platform/httpx"
)

// PointsSummary is a subtree's points figures for a year, one read of its rollup rows (the
// levels above: 积分概况, and each row of its drill-down).
type PointsSummary struct {
	OrgID   int64   `json:"org_id"`
	Name    string  `json:"name"`
	Kind    string  `json:"kind"`
	Year    int     `json:"year"`
	Pending int     `json:"pending"` // claims waiting for a decision (all years)
	Entries int     `json:"entries"` // live ledger entries of the year
	Points  int     `json:"points"`  // applied points of the year
	Members int     `json:"members"` // members with an entry in the year (the bands' sum)
	Average float64 `json:"average"` // applied points per member with an entry (base not included), one decimal
	Base    int     `json:"base"`    // the base score of the scheme that closes the year here (0: none)
	Bands   []Band  `json:"bands"`   // proposed stars, highest first, then 0 (no star)
}

type orgRow struct {
	id               int64
	name, kind, path string
}

// Summary reads an organization's subtree figures for a year (read scope).
func (s *Store) Summary(ctx context.Context, sc *auth.Scope, orgID int64, year int) (*PointsSummary, error) {
	o, err := org.Resolve(ctx, s.DB, sc, orgID, auth.Read)
	if err != nil {
		return nil, err
	}
	out, err := s.summaries(ctx, []orgRow{{o.ID, o.Name, string(o.Kind), o.Path}}, year)
	if err != nil {
		return nil, err
	}
	return &out[0], nil
}

// Children is the drill-down: an organization's direct children, each with its subtree's
// figures (read scope on the organization; paged in sort order). Party groups (党小组) are
// left out: members and their points belong to the branch, so a branch's drill-down is its
// members' list.
func (s *Store) Children(ctx context.Context, sc *auth.Scope, orgID int64, year int, p httpx.Page) (*httpx.List[PointsSummary], error) {
	if _, err := org.Resolve(ctx, s.DB, sc, orgID, auth.Read); err != nil {
		return nil, err
	}
	var total int
	if err := s.DB.QueryRow(ctx, `SELECT COUNT(*) FROM orgs WHERE parent_id = ? AND dissolved_at IS NULL AND kind <> ?`, orgID, org.Group).Scan(&total); err != nil {
		return nil, err
	}
	rows, err := db.All(ctx, s.DB, `SELECT id, name, kind, path FROM orgs WHERE parent_id = ? AND dissolved_at IS NULL AND kind <> ?
		ORDER BY sort_order, id LIMIT `+strconv.Itoa(p.Size)+` OFFSET `+strconv.Itoa(p.Offset()), []any{orgID, org.Group}, func(r db.Scanner) (orgRow, error) {
		var o orgRow
		return o, r.Scan(&o.id, &o.name, &o.kind, &o.path)
	})
	if err != nil {
		return nil, err
	}
	items, err := s.summaries(ctx, rows, year)
	return &httpx.List[PointsSummary]{Items: items, Total: total}, err
}

// summaries reads the figures of many organizations in one query of org_stats.
func (s *Store) summaries(ctx context.Context, orgs []orgRow, year int) ([]PointsSummary, error) {
	out := make([]PointsSummary, len(orgs))
	if len(orgs) == 0 {
		return out, nil
	}
	at := map[int64]*PointsSummary{}
	bands := map[int64]map[int]int{}
	args := []any{}
	for i, o := range orgs {
		out[i] = PointsSummary{OrgID: o.id, Name: o.name, Kind: o.kind, Year: year}
		at[o.id], bands[o.id] = &out[i], map[int]int{}
		args = append(args, o.id)
	}
	y := strconv.Itoa(year)
	args = append(args, DimPending, DimEntries, DimPoints, y, DimBand, y+":", y+";")
	err := db.Each(ctx, s.DB, `SELECT org_id, dim, key, n FROM org_stats WHERE org_id IN (`+db.Placeholders(len(orgs))+`)
		AND ((dim = ? AND key = 'all') OR (dim IN (?, ?) AND key = ?) OR (dim = ? AND key >= ? AND key < ?))`, args, func(r db.Scanner) error {
		var id int64
		var dim, key string
		var n int
		if err := r.Scan(&id, &dim, &key, &n); err != nil {
			return err
		}
		o := at[id]
		switch dim {
		case DimPending:
			o.Pending = n
		case DimEntries:
			o.Entries = n
		case DimPoints:
			o.Points = n
		case DimBand:
			stars, _ := strconv.Atoi(strings.TrimPrefix(key, y+":"))
			bands[id][stars] += n
			o.Members += n
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	c := closing{}
	for i, o := range orgs {
		v, err := c.at(ctx, s, s.DB, o.path, year)
		if err != nil {
			return nil, err
		}
		if v != nil {
			out[i].Base = v.Scheme.Base
		}
		out[i].Bands = bandsOf(v, bands[o.id])
		if out[i].Members > 0 {
			out[i].Average = math.Round(float64(out[i].Points)*10/float64(out[i].Members)) / 10
		}
	}
	return out, nil
}

// MemberTotal is a member's year as the levels above list it.
type MemberTotal struct {
	MemberID  int64  `json:"member_id"`
	Name      string `json:"name"`
	OrgID     int64  `json:"org_id"`
	OrgName   string `json:"org_name"`
	Earned    int    `json:"earned"`
	Total     int    `json:"total"` // base + earned, 0 after a 一票否决; base alone without entries
	Entries   int    `json:"entries"`
	Vetoed    bool   `json:"vetoed"`
	Stars     int    `json:"stars"`
	StarName  string `json:"star_name"`
	HasPoints bool   `json:"has_points"` // an entry in the year (counted in the bands)
}

// Members lists the current members of an organization's subtree with their year's totals
// and proposed stars, in roster order (read scope; paged).
func (s *Store) Members(ctx context.Context, sc *auth.Scope, orgID int64, year int, p httpx.Page) (*httpx.List[MemberTotal], error) {
	o, err := org.Resolve(ctx, s.DB, sc, orgID, auth.Read)
	if err != nil {
		return nil, err
	}
	var total int
	if err := s.DB.QueryRow(ctx, `SELECT COALESCE(SUM(n), 0) FROM org_stats WHERE org_id = ? AND dim = ? AND key = ''`, orgID, member.DimTotal).Scan(&total); err != nil {
		return nil, err
	}
	items := []MemberTotal{}
	err = s.eachMemberTotal(ctx, o.Path, year, `LIMIT `+strconv.Itoa(p.Size)+` OFFSET `+strconv.Itoa(p.Offset()), func(m MemberTotal) error {
		items = append(items, m)
		return nil
	})
	return &httpx.List[MemberTotal]{Items: items, Total: total}, err
}

// eachMemberTotal walks the current members of the subtree at path in roster order with
// their year (tail: LIMIT/OFFSET or ""), judged by the scheme closing the year at their branch.
func (s *Store) eachMemberTotal(ctx context.Context, path string, year int, tail string, fn func(MemberTotal) error) error {
	lo, hi := db.SubtreeRange(path)
	c := closing{}
	return db.Each(ctx, s.DB, `SELECT m.id, m.name, m.org_id, o.name, m.org_path, t.points, t.times, COALESCE(v.times, 0)
		FROM members m JOIN orgs o ON o.id = m.org_id
		LEFT JOIN points_totals t ON t.member_id = m.id AND t.year = ? AND t.bucket = ''
		LEFT JOIN points_totals v ON v.member_id = m.id AND v.year = ? AND v.bucket = 'cat:veto'
		WHERE m.org_path >= ? AND m.org_path < ? AND `+org.CurrentCond+`
		ORDER BY m.org_path, m.name_key, m.id `+tail, []any{year, year, lo, hi}, func(r db.Scanner) error {
		var m MemberTotal
		var mpath string
		var earned, times *int
		var vetoes int
		if err := r.Scan(&m.MemberID, &m.Name, &m.OrgID, &m.OrgName, &mpath, &earned, &times, &vetoes); err != nil {
			return err
		}
		if earned != nil {
			m.Earned, m.Entries, m.HasPoints = *earned, *times, true
		}
		m.Vetoed = vetoes > 0
		v, err := c.at(ctx, s, s.DB, mpath, year)
		if err != nil {
			return err
		}
		if v != nil {
			m.Total = v.Scheme.Base + m.Earned
			if m.Vetoed {
				m.Total = 0
			}
			if b := v.Scheme.Band(m.Total); b != nil && m.HasPoints {
				m.Stars, m.StarName = b.Stars, b.Name
			}
		}
		return fn(m)
	})
}
