package org

import (
	"context"
	"strconv"
	"time"

	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/clock"
	"dangjian/internal/platform/db"
	"dangjian/internal/platform/httpx"
)

// AgeBands are the age groups of the statistics, youngest first; the last is open-ended.
var AgeBands = []struct {
	Key      string
	Min, Max int
}{{"0-30", 0, 30}, {"31-40", 31, 40}, {"41-50", 41, 50}, {"51-60", 51, 60}, {"61-70", 61, 70}, {"71-", 71, 200}}

// AgeBand returns the band of an age.
func AgeBand(age int) string {
	for _, b := range AgeBands {
		if age <= b.Max {
			return b.Key
		}
	}
	return AgeBands[len(AgeBands)-1].Key
}

// AgeAt is the age on date today (YYYY-MM-DD) of someone born on birth (YYYY-MM-DD or YYYY-MM,
// a month counting as reached on its first day).
func AgeAt(birth, today string) int {
	if len(birth) < 7 || len(today) < 10 {
		return 0
	}
	by, _ := strconv.Atoi(birth[:4])
	bm, _ := strconv.Atoi(birth[5:7])
	ty, _ := strconv.Atoi(today[:4])
	tm, _ := strconv.Atoi(today[5:7])
	age := ty - by
	if tm < bm {
		age--
	} else if tm == bm && len(birth) >= 10 && today[8:10] < birth[8:10] {
		age--
	}
	return age
}

// AgeInYear is the age someone born on birth (YYYY…) reaches in the year of today: the age the
// statistics and the roster's band filter go by, so that no count moves on a birthday (the
// roster shows the year of birth only, and a small branch's counts would tell the month).
func AgeInYear(birth, today string) int {
	if len(birth) < 4 || len(today) < 4 {
		return 0
	}
	by, _ := strconv.Atoi(birth[:4])
	ty, _ := strconv.Atoi(today[:4])
	return ty - by
}

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
	return ReadStats(ctx, s.DB, o.ID, o.Path, clock.Today(s.Clock.Now()))
}

// ReadStats reads the statistics of the organization id at path, ages reckoned on today.
func ReadStats(ctx context.Context, q db.Querier, id int64, path, today string) (*Stats, error) {
	st := &Stats{OrgID: id, AsOf: today,
		ByStatus: map[string]int{}, ByCategory: map[string]int{}, BySex: map[string]int{}, ByAgeBand: map[string]int{},
		ByEducation: map[string]int{}, ByEthnicity: map[string]int{"han": 0, "minority": 0}, ByEthnicityCode: map[string]int{},
		ByField: map[string]int{}, OrgsByKind: map[string]int{}, Checks: map[string]CheckList{}}
	for _, b := range AgeBands {
		st.ByAgeBand[b.Key] = 0
	}
	rows, err := q.Query(ctx, `SELECT dim, key, n FROM org_stats WHERE org_id = ? AND n <> 0`, id)
	if err != nil {
		return nil, err
	}
	checkCounts := map[string]int{}
	for rows.Next() {
		var dim, key string
		var n int
		if err := rows.Scan(&dim, &key, &n); err != nil {
			rows.Close()
			return nil, err
		}
		switch dim {
		case DimTotal:
			st.MembersTotal = n
		case DimStatus:
			st.ByStatus[key] = n
		case DimCategory:
			st.ByCategory[key] = n
		case DimSex:
			st.BySex[key] = n
		case DimBirth:
			st.ByAgeBand[AgeBand(AgeInYear(key, today))] += n
		case DimEducation:
			st.ByEducation[key] = n
		case DimEthnicity:
			st.ByEthnicityCode[key] = n
			if key == "01" {
				st.ByEthnicity["han"] += n
			} else {
				st.ByEthnicity["minority"] += n
			}
		case DimField:
			st.ByField[key] = n
		case DimKind:
			st.OrgsByKind[key] = n
		case DimCheck:
			checkCounts[key] = n
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
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
	rows, err := q.Query(ctx, `SELECT o.id, o.name, o.path, o.kind, o.direct_members, o.direct_full, o.secretary
		FROM org_checks c JOIN orgs o ON o.id = c.org_id
		WHERE c.check_name = ? AND c.path >= ? AND c.path < ? ORDER BY c.path LIMIT ? OFFSET ?`, check, lo, hi, limit, offset)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []CheckItem{}
	for rows.Next() {
		var it CheckItem
		if err := rows.Scan(&it.ID, &it.Name, &it.Path, &it.Kind, &it.DirectMembers, &it.DirectFull, &it.Secretary); err != nil {
			return nil, err
		}
		out = append(out, it)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
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

// RecountStats rebuilds every rollup from the raw rows (the naive way, used by `bench` for the
// comparison and by `migrate --recount` to repair); it returns how long it took.
func RecountStats(ctx context.Context, d *db.DB) (time.Duration, error) {
	start := time.Now()
	err := d.InTx(ctx, func(tx *db.Tx) error {
		// Only the dimensions of the tree and the roster: other domains keep their own
		// rollups in the same table (e.g. organizational life's "life:<rule>").
		own := []any{DimTotal, DimStatus, DimCategory, DimSex, DimBirth, DimEducation, DimEthnicity, DimField, DimKind, DimCheck}
		if _, err := tx.Exec(ctx, `DELETE FROM org_stats WHERE dim IN (`+db.Placeholders(len(own))+`)`, own...); err != nil {
			return err
		}
		r := Rollup{}
		rows, err := tx.Query(ctx, `SELECT o.path, m.status, m.category, m.sex, substr(m.birth_date, 1, 7), m.education, m.ethnicity, o.field
			FROM members m JOIN orgs o ON o.id = m.org_id`)
		if err != nil {
			return err
		}
		for rows.Next() {
			var path string
			var mr MemberRollup
			if err := rows.Scan(&path, &mr.Status, &mr.Category, &mr.Sex, &mr.BirthMonth, &mr.Education, &mr.Ethnicity, &mr.Field); err != nil {
				rows.Close()
				return err
			}
			mr.Add(r, path, 1)
		}
		rows.Close()
		orgRows, err := tx.Query(ctx, `SELECT path, kind, flags FROM orgs WHERE dissolved_at IS NULL`)
		if err != nil {
			return err
		}
		for orgRows.Next() {
			var path, kind, flags string
			if err := orgRows.Scan(&path, &kind, &flags); err != nil {
				orgRows.Close()
				return err
			}
			r.Add(path, DimKind, kind, 1)
			for _, f := range splitFlags(flags) {
				r.Add(path, DimCheck, f, 1)
			}
		}
		orgRows.Close()
		return r.Flush(ctx, tx)
	})
	return time.Since(start), err
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

// MemberRollup is what one member contributes to the rollups.
type MemberRollup struct {
	Status, Category, Sex, BirthMonth, Education, Ethnicity, Field string
}

// CurrentStatuses are the statuses of people who are members now.
var CurrentStatuses = []string{"active", "mobile", "lost", "suspended"}

// IsCurrent tells whether a status counts as a current member.
func IsCurrent(status string) bool { return oneOf(status, CurrentStatuses) }

// Add counts the member sign times (1 or -1) along path.
func (m MemberRollup) Add(r Rollup, path string, sign int) {
	r.Add(path, DimStatus, m.Status, sign)
	if !IsCurrent(m.Status) {
		return
	}
	r.Add(path, DimTotal, "", sign)
	r.Add(path, DimCategory, m.Category, sign)
	r.Add(path, DimSex, m.Sex, sign)
	r.Add(path, DimBirth, m.BirthMonth, sign)
	r.Add(path, DimEducation, m.Education, sign)
	r.Add(path, DimEthnicity, m.Ethnicity, sign)
	r.Add(path, DimField, m.Field, sign)
}
