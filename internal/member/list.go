package member

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"unicode"

	"dangjian/internal/org"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/clock"
	"dangjian/internal/platform/db"
	"dangjian/internal/platform/httpx"
	"dangjian/internal/platform/i18n"
)

// Filter selects members for the roster, the export and the list endpoint alike.
type Filter struct {
	OrgID     int64
	Subtree   bool
	Q         string   // name, phone tail (4 digits), or where the caller may reveal: ID tail, full ID or phone number
	Statuses  []string // empty: the current members
	Category  string
	Sex       string
	AgeBand   string
	Education string
	Field     string
	Sort      string
}

// Sorts are the accepted sort keys.
var Sorts = []string{"name", "-name", "join_date", "-join_date", "birth_date", "-birth_date"}

// ParseFilter reads a Filter from query parameters, naming each bad one.
func ParseFilter(q url.Values) (Filter, error) {
	f := Filter{Subtree: q.Get("subtree") != "false", Q: strings.TrimSpace(q.Get("q")), Category: q.Get("category"),
		Sex: q.Get("sex"), AgeBand: q.Get("age_band"), Education: q.Get("education"), Field: q.Get("field"), Sort: q.Get("sort")}
	var is httpx.Issues
	bad := func(field, v string) { is = append(is, httpx.Issue{Field: field, Msg: i18n.M("v.choice", field, v)}) }
	if v := q.Get("org"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 1 {
			bad("org", v)
		}
		f.OrgID = n
	}
	if v := q.Get("status"); v != "" {
		if v == "all" {
			f.Statuses = Statuses.Codes
		} else {
			for _, s := range strings.Split(v, ",") {
				if !Statuses.Valid(s) {
					bad("status", s)
				}
				f.Statuses = append(f.Statuses, s)
			}
		}
	}
	check := func(field, v string, e *Enum) {
		if v != "" && !e.Valid(v) {
			bad(field, v)
		}
	}
	check("category", f.Category, Categories)
	check("sex", f.Sex, Sexes)
	check("education", f.Education, Educations)
	if f.Field != "" && !oneOf(f.Field, org.FieldCodes) {
		bad("field", f.Field)
	}
	if f.AgeBand != "" && ageBand(f.AgeBand) == nil {
		bad("age_band", f.AgeBand)
	}
	if f.Sort == "" {
		f.Sort = "name"
	} else if !oneOf(f.Sort, Sorts) {
		bad("sort", f.Sort)
	}
	return f, is.Err()
}

func oneOf(v string, xs []string) bool {
	for _, x := range xs {
		if x == v {
			return true
		}
	}
	return false
}

func ageBand(key string) *struct {
	Key      string
	Min, Max int
} {
	for i := range AgeBands {
		if AgeBands[i].Key == key {
			return &AgeBands[i]
		}
	}
	return nil
}

// where builds the SQL condition of f within the caller's scope. The second result is the
// rollup (dimension, key) that counts exactly these members, when there is one.
func (s *Store) where(ctx context.Context, sc *auth.Scope, f Filter) (string, []any, *[2]string, int64, error) {
	cond, args := sc.MemberWhere(auth.Read)
	where := "(" + cond + ")"
	var rollupOrg int64
	if f.OrgID != 0 {
		o, err := org.Lookup(ctx, s.DB, f.OrgID)
		if err != nil {
			return "", nil, nil, 0, err
		}
		readable := o != nil && sc.Can(auth.Read, o.Path)
		switch {
		case !readable && sc.MemberID == 0:
			return "", nil, nil, 0, httpx.NotFound("f.org")
		case !readable:
			// A member sees only their own record: whether the organization exists or not,
			// the answer is that record if it sits in exactly this organization, so the
			// filter tells nothing about organizations outside the caller's scope.
			where += " AND m.org_id = ?"
			args = append(args, f.OrgID)
		case f.Subtree:
			lo, hi := db.SubtreeRange(o.Path)
			where += " AND m.org_path >= ? AND m.org_path < ?"
			args = append(args, lo, hi)
			rollupOrg = o.ID
		default:
			where += " AND m.org_id = ?"
			args = append(args, o.ID)
		}
	}
	var dims [][2]string
	statuses := f.Statuses
	if len(statuses) == 0 {
		statuses = CurrentStatuses
		dims = append(dims, [2]string{DimTotal, ""})
	} else if len(statuses) == 1 {
		dims = append(dims, [2]string{DimStatus, statuses[0]})
	} else {
		dims = append(dims, [2]string{"", ""}, [2]string{"", ""})
	}
	where += " AND m.status IN (" + db.Placeholders(len(statuses)) + ")"
	for _, st := range statuses {
		args = append(args, st)
	}
	for _, c := range []struct{ col, dim, v string }{{"m.category", DimCategory, f.Category}, {"m.sex", DimSex, f.Sex}, {"m.education", DimEducation, f.Education}} {
		if c.v != "" {
			where += " AND " + c.col + " = ?"
			args = append(args, c.v)
			dims = append(dims, [2]string{c.dim, c.v})
		}
	}
	if f.Field != "" {
		where += " AND o.field = ?"
		args = append(args, f.Field)
		dims = append(dims, [2]string{"", ""}, [2]string{"", ""})
	}
	if b := ageBand(f.AgeBand); b != nil {
		// By the age reached this year (born in years Y-max … Y-min): the roster shows the
		// year of birth only, and a band that changed on the birthday would tell it.
		y := s.Clock.Now().In(clock.CST).Year()
		where += " AND m.birth_date >= ? AND m.birth_date < ?"
		args = append(args, fmt.Sprintf("%04d-01-01", y-b.Max), fmt.Sprintf("%04d-01-01", y-b.Min+1))
		dims = append(dims, [2]string{"", ""}, [2]string{"", ""})
	}
	if f.Q != "" {
		q := f.Q
		// Searching by what the mask hides finds only members the caller may reveal, or
		// the search would be an oracle for the hidden digits.
		reveal, rargs := sc.MemberWhere(auth.RevealPII)
		switch {
		case len(q) == 18:
			where += " AND m.id_number = ? AND (" + reveal + ")"
			args = append(append(args, strings.ToUpper(q)), rargs...)
		case len(q) == 11 && allDigits(q):
			where += " AND m.phone = ? AND (" + reveal + ")"
			args = append(append(args, q), rargs...)
		case len(q) == 4 && allDigitsOrX(q):
			where += " AND (m.phone_tail = ? OR (m.id_tail = ? AND (" + reveal + ")))"
			args = append(append(args, q, strings.ToUpper(q)), rargs...)
		default:
			where += " AND m.name LIKE ?"
			args = append(args, "%"+escapeLike(q)+"%")
		}
		dims = append(dims, [2]string{"", ""}, [2]string{"", ""})
	}
	// Exactly one dimension besides the implicit "current" one → a maintained count.
	var rollup *[2]string
	if rollupOrg != 0 {
		switch {
		case len(dims) == 1:
			rollup = &dims[0]
		case len(dims) == 2 && dims[0][0] == DimTotal && dims[1][0] != "":
			rollup = &dims[1]
		}
	}
	return where, args, rollup, rollupOrg, nil
}

func allDigits(s string) bool {
	for _, r := range s {
		if !unicode.IsDigit(r) {
			return false
		}
	}
	return true
}

func allDigitsOrX(s string) bool { return allDigits(strings.TrimSuffix(strings.ToUpper(s), "X")) }

func escapeLike(s string) string {
	return strings.NewReplacer("%", "", "_", "").Replace(s)
}

func orderBy(sort string) string {
	switch sort {
	case "-name":
		return "m.name_key DESC, m.id DESC"
	case "join_date":
		return "m.join_date, m.id"
	case "-join_date":
		return "m.join_date DESC, m.id DESC"
	// By year of birth only: the roster shows the year, and an order by day would tell
	// where in the year each member was born.
	case "birth_date":
		return "substr(m.birth_date, 1, 4), m.name_key, m.id"
	case "-birth_date":
		return "substr(m.birth_date, 1, 4) DESC, m.name_key, m.id"
	default:
		return "m.name_key, m.id"
	}
}

// List returns a page of the roster and the number of members matching; the count comes
// from the maintained rollups when the filter is one they keep.
func (s *Store) List(ctx context.Context, sc *auth.Scope, f Filter, p httpx.Page) ([]*Member, int, error) {
	where, args, rollup, rollupOrg, err := s.where(ctx, sc, f)
	if err != nil {
		return nil, 0, err
	}
	var total int
	if rollup != nil {
		err = s.DB.QueryRow(ctx, `SELECT COALESCE(SUM(n), 0) FROM org_stats WHERE org_id = ? AND dim = ? AND key = ?`, rollupOrg, rollup[0], rollup[1]).Scan(&total)
	} else {
		err = s.DB.QueryRow(ctx, `SELECT COUNT(*)`+memberFrom+` WHERE `+where, args...).Scan(&total)
	}
	if err != nil {
		return nil, 0, err
	}
	out := []*Member{}
	err = s.each(ctx, where, args, orderBy(f.Sort), p.Size, p.Offset(), func(m *Member) error {
		s.present(sc, m, false)
		out = append(out, m)
		return nil
	})
	if err != nil {
		return nil, 0, err
	}
	ids := make([]int64, len(out))
	for i, m := range out {
		ids[i] = m.OrgID
	}
	labels, err := org.Labels(ctx, s.DB, ids)
	for _, m := range out {
		m.OrgLabel = labels[m.OrgID]
	}
	return out, total, err
}

// Each streams every member matching f, in order, to fn (for the export: no page in memory).
func (s *Store) Each(ctx context.Context, sc *auth.Scope, f Filter, reveal bool, fn func(*Member) error) error {
	where, args, _, _, err := s.where(ctx, sc, f)
	if err != nil {
		return err
	}
	return s.each(ctx, where, args, orderBy(f.Sort), -1, 0, func(m *Member) error {
		s.present(sc, m, reveal && sc.CanMember(auth.RevealPII, m.orgPath, m.ID))
		return fn(m)
	})
}

func (s *Store) each(ctx context.Context, where string, args []any, order string, limit, offset int, fn func(*Member) error) error {
	q := `SELECT ` + memberCols + memberFrom + ` WHERE ` + where + ` ORDER BY ` + order
	if limit >= 0 {
		q += ` LIMIT ? OFFSET ?`
		args = append(args, limit, offset)
	}
	return db.Each(ctx, s.DB, q, args, func(r db.Scanner) error {
		m, err := scanMember(r)
		if err != nil {
			return err
		}
		return fn(m)
	})
}
