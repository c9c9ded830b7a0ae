package points

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"dangjian/internal/platform/db"
	"dangjian/internal/tree"
)

// DimBand counts members per proposed star (key "YEAR:STARS", 0 = no star), at the branch of
// the member's latest entry of the year. A member is counted once they have an entry in the
// year (a row in points_totals); members without one are in no band.
const DimBand = "pts:band"

// The band a member-year is in is judged by the scheme that closes the year: the version in
// force on 31 December for the branch it is counted at (whatever today is), so the figure
// depends on the ledger and the published versions only — a recount finds the same, and
// publishing a version recomputes the publisher's subtree in its transaction (rebandPublished).

// bandKey is the org_stats key of a year's band.
func bandKey(year, stars int) string { return strconv.Itoa(year) + ":" + strconv.Itoa(stars) }

// standing is what a member-year's band depends on.
type standing struct {
	counted bool   // the member-year has an entry, so it is in a band
	path    string // the branch it is counted at: of the latest entry
	earned  int    // applied points
	vetoes  int    // live 一票否决 entries
}

// closing is the scheme version that closes a year for a branch, cached per (path, year) for
// a transaction or a recount.
type closing map[string]*SchemeVersion

func (c closing) at(ctx context.Context, s *Store, q db.Querier, path string, year int) (*SchemeVersion, error) {
	k := path + "|" + strconv.Itoa(year)
	if v, ok := c[k]; ok {
		return v, nil
	}
	v, err := s.InForce(ctx, q, path, fmt.Sprintf("%d-12-31", year))
	c[k] = v
	return v, err
}

// starsOf is the star a member-year reaches under v (0: none, no scheme, or a veto below the
// lowest band).
func starsOf(v *SchemeVersion, earned, vetoes int) int {
	if v == nil {
		return 0
	}
	total := v.Scheme.Base + earned
	if vetoes > 0 {
		total = 0
	}
	if b := v.Scheme.Band(total); b != nil {
		return b.Stars
	}
	return 0
}

// standingBefore reads a member-year as it stood before entry id was written: the totals
// (read before the entry's are added; on PostgreSQL locked first, so a concurrent write for the
// member — a reversal does not go through totalsOf — waits and is seen whole) and the branch of
// its latest earlier entry.
func standingBefore(ctx context.Context, tx *db.Tx, memberID int64, year int, id int64) (standing, error) {
	var st standing
	lock := ""
	if tx.Dialect() == db.Postgres {
		lock = " FOR UPDATE"
	}
	err := db.Each(ctx, tx, `SELECT bucket, points, times FROM points_totals WHERE member_id = ? AND year = ? AND bucket IN ('', ?)`+lock,
		[]any{memberID, year, "cat:" + Veto}, func(r db.Scanner) error {
			var k string
			var p, n int
			if err := r.Scan(&k, &p, &n); err != nil {
				return err
			}
			if k == "" {
				st.earned = p
			} else {
				st.vetoes = n
			}
			return nil
		})
	if err != nil {
		return st, err
	}
	err = db.Each(ctx, tx, `SELECT o.path FROM points_entries e JOIN orgs o ON o.id = e.org_id
		WHERE e.member_id = ? AND e.year = ? AND e.id < ? ORDER BY e.id DESC LIMIT 1`, []any{memberID, year, id}, func(r db.Scanner) error {
		st.counted = true
		return r.Scan(&st.path)
	})
	return st, err
}

// moveBand counts a member-year out of its old band and into its new one (no change when
// both are the same band at the same branch).
func (s *Store) moveBand(ctx context.Context, tx *db.Tx, r tree.Rollup, year int, before, after standing) error {
	c := closing{}
	key := func(st standing) (string, error) {
		v, err := c.at(ctx, s, tx, st.path, year)
		return bandKey(year, starsOf(v, st.earned, st.vetoes)), err
	}
	na, err := key(after)
	if err != nil {
		return err
	}
	if !before.counted {
		r.Add(after.path, DimBand, na, 1)
		return nil
	}
	nb, err := key(before)
	if err != nil {
		return err
	}
	if nb != na || before.path != after.path {
		r.Add(before.path, DimBand, nb, -1)
		r.Add(after.path, DimBand, na, 1)
	}
	return nil
}

// memberYears reads every member-year with an entry, at its counted branch, with its
// totals; where narrows it (on e, the latest entry, and o, its branch). The rows are read
// first and fn runs after: fn reads schemes, and a transaction's connection serves one query
// at a time.
func memberYears(ctx context.Context, q db.Querier, where string, args []any, fn func(memberID int64, year int, st standing) error) error {
	if where == "" {
		where = "1 = 1"
	}
	type row struct {
		m  int64
		y  int
		st standing
	}
	var rows []row
	err := db.Each(ctx, q, `SELECT e.member_id, e.year, o.path, COALESCE(t.points, 0), COALESCE(v.times, 0)
		FROM (SELECT member_id, year, MAX(id) AS id FROM points_entries GROUP BY member_id, year) l
		JOIN points_entries e ON e.id = l.id JOIN orgs o ON o.id = e.org_id
		LEFT JOIN points_totals t ON t.member_id = l.member_id AND t.year = l.year AND t.bucket = ''
		LEFT JOIN points_totals v ON v.member_id = l.member_id AND v.year = l.year AND v.bucket = 'cat:veto'
		WHERE `+where, args, func(r db.Scanner) error {
		var m int64
		var y int
		st := standing{counted: true}
		err := r.Scan(&m, &y, &st.path, &st.earned, &st.vetoes)
		rows = append(rows, row{m, y, st})
		return err
	})
	for _, r := range rows {
		if err == nil {
			err = fn(r.m, r.y, r.st)
		}
	}
	return err
}

// recountBands counts every member-year into its band (the recount's half for DimBand; the
// totals must be rebuilt first).
func recountBands(ctx context.Context, tx *db.Tx, r tree.Rollup) error {
	s, c := &Store{}, closing{}
	return memberYears(ctx, tx, "", nil, func(_ int64, y int, st standing) error {
		v, err := c.at(ctx, s, tx, st.path, y)
		r.Add(st.path, DimBand, bandKey(y, starsOf(v, st.earned, st.vetoes)), 1)
		return err
	})
}

// subtreeBands is every band of a year's member-years counted in the subtree at path, as
// the versions published so far judge them: (path, key) → members.
func (s *Store) subtreeBands(ctx context.Context, tx *db.Tx, path string, year int) (map[[2]string]int, error) {
	lo, hi := db.SubtreeRange(path)
	out, c := map[[2]string]int{}, closing{}
	err := memberYears(ctx, tx, `e.year = ? AND o.path >= ? AND o.path < ?`, []any{year, lo, hi}, func(_ int64, y int, st standing) error {
		v, err := c.at(ctx, s, tx, st.path, y)
		out[[2]string{st.path, bandKey(y, starsOf(v, st.earned, st.vetoes))}]++
		return err
	})
	return out, err
}

// rebandPublished moves the bands of a year in the publisher's subtree from how the versions
// judged them before the new one (before) to how they judge them now: run in the publishing
// transaction, after the new row is written.
func (s *Store) rebandPublished(ctx context.Context, tx *db.Tx, path string, year int, before map[[2]string]int) error {
	after, err := s.subtreeBands(ctx, tx, path, year)
	if err != nil {
		return err
	}
	r := tree.Rollup{}
	for k, n := range before {
		r.Add(k[0], DimBand, k[1], -n)
	}
	for k, n := range after {
		r.Add(k[0], DimBand, k[1], n)
	}
	return r.Flush(ctx, tx)
}

// Band is a star level and how many members reach it.
type Band struct {
	Stars   int    `json:"stars"` // 0: no star
	Name    string `json:"name"`  // the band's name in the scheme that closes the year ("" for 0)
	Members int    `json:"members"`
}

// bandsOf turns an organization's DimBand rows for a year into the bands of v (every band of
// the scheme, highest first, then 0), with members counted in bands v does not name kept.
func bandsOf(v *SchemeVersion, counts map[int]int) []Band {
	out := []Band{}
	seen := map[int]bool{}
	if v != nil {
		for _, b := range v.Scheme.Stars {
			out = append(out, Band{Stars: b.Stars, Name: b.Name, Members: counts[b.Stars]})
			seen[b.Stars] = true
		}
	}
	for st, n := range counts {
		if !seen[st] && st != 0 {
			out = append(out, Band{Stars: st, Name: strings.Repeat("★", st), Members: n})
		}
	}
	sortBands(out)
	return append(out, Band{Stars: 0, Name: "", Members: counts[0]})
}

func sortBands(bs []Band) {
	for i := 1; i < len(bs); i++ {
		for j := i; j > 0 && bs[j].Stars > bs[j-1].Stars; j-- {
			bs[j], bs[j-1] = bs[j-1], bs[j]
		}
	}
}

// rebandMoved re-judges the bands of a moved subtree (tree.Part.Moved): its member-years were
// judged by the schemes up the old path, now by those up the new one. org_stats already moved
// with the subtree, so each change is −1/+1 at the new branch path.
func rebandMoved(ctx context.Context, tx *db.Tx, oldPath, newPath string) error {
	lo, hi := db.SubtreeRange(newPath)
	s, c, r := &Store{}, closing{}, tree.Rollup{}
	err := memberYears(ctx, tx, `o.path >= ? AND o.path < ?`, []any{lo, hi}, func(_ int64, y int, st standing) error {
		was := st
		was.path = oldPath + strings.TrimPrefix(st.path, newPath)
		vb, err := c.at(ctx, s, tx, was.path, y)
		if err != nil {
			return err
		}
		va, err := c.at(ctx, s, tx, st.path, y)
		if err != nil {
			return err
		}
		if b, a := starsOf(vb, st.earned, st.vetoes), starsOf(va, st.earned, st.vetoes); b != a {
			r.Add(st.path, DimBand, bandKey(y, b), -1)
			r.Add(st.path, DimBand, bandKey(y, a), 1)
		}
		return nil
	})
	if err != nil {
		return err
	}
	return r.Flush(ctx, tx)
}
