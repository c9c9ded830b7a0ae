package member

import (
	"context"
	"strconv"

	"dangjian/internal/org"
	"dangjian/internal/platform/db"
	"dangjian/internal/tree"
)

// The roster's dimensions of the subtree rollups (table org_stats). Members count in every
// dimension while current (CurrentStatuses); "status" counts every member. The field of the
// member's organization (org.DimField) is counted here too: org keeps it in step when a field
// changes, this part recounts it.
const (
	DimTotal     = "total"     // key "": current members
	DimStatus    = "status"    // every member, by status
	DimCategory  = "category"  // full / probationary
	DimSex       = "sex"       // male / female
	DimBirth     = "birth"     // YYYY-MM of birth; age bands are derived at read time (by year, AgeInYear)
	DimEducation = "education" // education code
	DimEthnicity = "ethnicity" // GB/T 3304 code
)

// Part is the roster's part of the rollups: its dimensions, rebuilt from members, and the
// path copy members.org_path.
func Part() tree.Part {
	return tree.Part{Name: "member",
		Dims:    []string{DimTotal, DimStatus, DimCategory, DimSex, DimBirth, DimEducation, DimEthnicity, org.DimField},
		Recount: recount,
		Paths:   []tree.PathColumn{{Table: "members", Column: "org_path"}}}
}

// recount counts every member along its organization's path into r.
func recount(ctx context.Context, tx *db.Tx, r tree.Rollup) error {
	return db.Each(ctx, tx, `SELECT o.path, m.status, m.category, m.sex, substr(m.birth_date, 1, 7), m.education, m.ethnicity, o.field
		FROM members m JOIN orgs o ON o.id = m.org_id`, nil, func(row db.Scanner) error {
		var path string
		var mr MemberRollup
		if err := row.Scan(&path, &mr.Status, &mr.Category, &mr.Sex, &mr.BirthMonth, &mr.Education, &mr.Ethnicity, &mr.Field); err != nil {
			return err
		}
		mr.Add(r, path, 1)
		return nil
	})
}

// MemberRollup is what one member contributes to the rollups.
type MemberRollup struct {
	Status, Category, Sex, BirthMonth, Education, Ethnicity, Field string
}

// CurrentStatuses are the statuses of people who are members now (org.CurrentCond in SQL).
var CurrentStatuses = []string{"active", "mobile", "lost", "suspended"}

// IsCurrent tells whether a status counts as a current member.
func IsCurrent(status string) bool { return oneOf(status, CurrentStatuses) }

// Add counts the member sign times (1 or -1) along path.
func (m MemberRollup) Add(r tree.Rollup, path string, sign int) {
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
	r.Add(path, org.DimField, m.Field, sign)
}

// FillStats fills the roster's half of an organization's statistics from its rollup rows
// (org.ReadStats reads them).
func FillStats(st *org.Stats, rows []org.StatRow) {
	st.ByEthnicity["han"], st.ByEthnicity["minority"] = 0, 0
	for _, b := range AgeBands {
		st.ByAgeBand[b.Key] = 0
	}
	for _, row := range rows {
		key, n := row.Key, row.N
		switch row.Dim {
		case DimTotal:
			st.MembersTotal = n
		case DimStatus:
			st.ByStatus[key] = n
		case DimCategory:
			st.ByCategory[key] = n
		case DimSex:
			st.BySex[key] = n
		case DimBirth:
			st.ByAgeBand[AgeBand(AgeInYear(key, st.AsOf))] += n
		case DimEducation:
			st.ByEducation[key] = n
		case DimEthnicity:
			st.ByEthnicityCode[key] = n
			if key == "01" {
				st.ByEthnicity["han"] += n
			} else {
				st.ByEthnicity["minority"] += n
			}
		}
	}
}

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
