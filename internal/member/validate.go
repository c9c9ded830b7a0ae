package member

import (
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"dangjian/internal/platform/httpx"
)

// Fields are a member's own data: the body of POST /api/v1/members and one row of an import.
type Fields struct {
	OrgID       int64  `json:"org_id"`
	GroupID     int64  `json:"group_id"`
	Name        string `json:"name"`
	Sex         string `json:"sex"`
	Ethnicity   string `json:"ethnicity"`
	IDNumber    string `json:"id_number"`
	BirthDate   string `json:"birth_date"`
	Education   string `json:"education"`
	NativePlace string `json:"native_place"`
	Category    string `json:"category"`
	JoinDate    string `json:"join_date"`
	FullDate    string `json:"full_date"`
	Position    string `json:"position"`
	Phone       string `json:"phone"`
	Address     string `json:"address"`
	Status      string `json:"status"`
	StatusNote  string `json:"status_note"`
}

var phoneRe = regexp.MustCompile(`^1[3-9][0-9]{9}$`)

func isDate(s string) bool {
	_, err := time.Parse("2006-01-02", s)
	return err == nil
}

// normalize trims text and fills what the ID number implies when it was left empty.
func (f *Fields) normalize() {
	for _, p := range []*string{&f.Name, &f.Sex, &f.Ethnicity, &f.IDNumber, &f.BirthDate, &f.Education, &f.NativePlace,
		&f.Category, &f.JoinDate, &f.FullDate, &f.Position, &f.Phone, &f.Address, &f.Status, &f.StatusNote} {
		*p = strings.TrimSpace(*p)
	}
	f.IDNumber = strings.ToUpper(f.IDNumber)
	if f.Status == "" {
		f.Status = "active"
	}
	if CheckID(f.IDNumber) == IDOK {
		if f.BirthDate == "" {
			f.BirthDate = IDBirthDate(f.IDNumber)
		}
		if f.Sex == "" {
			f.Sex = IDSex(f.IDNumber)
		}
	}
}

// Validate checks one member's fields and the rules between them; today is the business
// date. It does not look at the database (uniqueness and the organization are checked by
// the store), so the API and the import share it.
func (f *Fields) Validate(today string) httpx.Issues {
	f.normalize()
	var is httpx.Issues
	req := func(field, v string) bool {
		if v == "" {
			is.Add(field, "f.member."+field, "v.required")
			return false
		}
		return true
	}
	if req("name", f.Name) && utf8.RuneCountInString(f.Name) > 30 {
		is.Add("name", "f.member.name", "v.too_long", 30)
	}
	enum := func(field, v string, e *Enum, required bool) {
		if v == "" {
			if required {
				req(field, v)
			}
			return
		}
		if !e.Valid(v) {
			is.Add(field, "f.member."+field, "v.choice", httpx.Clip(v))
		}
	}
	enum("sex", f.Sex, Sexes, true)
	enum("ethnicity", f.Ethnicity, Ethnicities, true)
	enum("education", f.Education, Educations, false)
	enum("category", f.Category, Categories, true)
	enum("status", f.Status, Statuses, true)

	idOK := false
	if req("id_number", f.IDNumber) {
		if p := CheckID(f.IDNumber); p != IDOK {
			is.Add("id_number", "f.member.id_number", string(p))
		} else {
			idOK = true
		}
	}
	date := func(field, v string, required bool) bool {
		if v == "" {
			if required {
				req(field, v)
			}
			return false
		}
		if !isDate(v) {
			is.Add(field, "f.member."+field, "v.date")
			return false
		}
		if v > today {
			is.Add(field, "f.member."+field, "v.future")
			return false
		}
		return true
	}
	birthOK := date("birth_date", f.BirthDate, true)
	joinOK := date("join_date", f.JoinDate, true)
	fullOK := date("full_date", f.FullDate, false)
	if idOK && birthOK && IDBirthDate(f.IDNumber) != f.BirthDate {
		is.Add("birth_date", "f.member.birth_date", "v.id.birth_mismatch", IDBirthDate(f.IDNumber))
	}
	if idOK && Sexes.Valid(f.Sex) && IDSex(f.IDNumber) != f.Sex {
		is.Add("sex", "f.member.sex", "v.id.sex_mismatch")
	}
	if birthOK && joinOK {
		if f.JoinDate < f.BirthDate {
			is.Add("join_date", "f.member.join_date", "v.join_after_birth")
		} else if ageOn(f.BirthDate, f.JoinDate) < 18 {
			is.Add("join_date", "f.member.join_date", "v.join_age")
		}
	}
	switch f.Category {
	case "probationary":
		if f.FullDate != "" {
			is.Add("full_date", "f.member.full_date", "v.probationary_full")
		}
	case "full":
		if f.FullDate == "" {
			is.Add("full_date", "f.member.full_date", "v.full_needs_date")
		} else if fullOK && joinOK && f.FullDate <= f.JoinDate {
			is.Add("full_date", "f.member.full_date", "v.full_after_join")
		}
	}
	if f.Phone != "" && !phoneRe.MatchString(f.Phone) {
		is.Add("phone", "f.member.phone", "v.phone")
	}
	for _, t := range []struct {
		field, v string
		max      int
	}{{"native_place", f.NativePlace, 50}, {"position", f.Position, 100}, {"address", f.Address, 200}, {"status_note", f.StatusNote, 200}} {
		if utf8.RuneCountInString(t.v) > t.max {
			is.Add(t.field, "f.member."+t.field, "v.too_long", t.max)
		}
	}
	if f.OrgID == 0 {
		is.Add("org_id", "f.member.org_id", "v.required")
	}
	return is
}

// ageOn is the age on date d (YYYY-MM-DD) of someone born on birth.
func ageOn(birth, d string) int {
	age := int(d[0]-'0')*1000 + int(d[1]-'0')*100 + int(d[2]-'0')*10 + int(d[3]-'0') -
		(int(birth[0]-'0')*1000 + int(birth[1]-'0')*100 + int(birth[2]-'0')*10 + int(birth[3]-'0'))
	if d[5:] < birth[5:] {
		age--
	}
	return age
}
