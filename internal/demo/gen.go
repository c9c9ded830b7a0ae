package demo

import (
	"math/rand/v2"
	"strconv"
	"time"

	"dangjian/internal/member"
)

// gen draws everything random from one PCG stream, so a seed gives one district.
type gen struct {
	r     *rand.Rand
	today time.Time // business date (midnight UTC of the CST date)
	ids   map[uint64]uint8
}

func newGen(seed uint64, today time.Time) *gen {
	return &gen{r: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), today: today, ids: map[uint64]uint8{}}
}

func (g *gen) chance(p float64) bool { return g.r.Float64() < p }

// personName is a Chinese name; older people more often have the names of their generation.
func (g *gen) personName(male bool, age int) string {
	s := surnames.pick(g)
	if age >= 60 && g.chance(0.45) {
		if male {
			return s + oldMale[g.r.IntN(len(oldMale))]
		}
		return s + oldFemale[g.r.IntN(len(oldFemale))]
	}
	chars := femaleChars
	if male {
		chars = maleChars
	}
	given := string(chars[g.r.IntN(len(chars))])
	if g.chance(0.72) || len([]rune(s)) > 1 && g.chance(0.5) {
		given += string(chars[g.r.IntN(len(chars))])
	}
	return s + given
}

var phonePrefixes = []string{"130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "153", "155", "157", "158", "159", "166", "173", "177", "180", "181", "182", "185", "186", "187", "188", "189", "191", "198", "199"}

func (g *gen) phone() string {
	b := make([]byte, 0, 11)
	b = append(b, phonePrefixes[g.r.IntN(len(phonePrefixes))]...)
	for i := 0; i < 8; i++ {
		b = append(b, byte('0'+g.r.IntN(10)))
	}
	return string(b)
}

func (g *gen) dateBetween(y0, y1 int) string {
	d := time.Date(y0, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, g.r.IntN((y1-y0+1)*365))
	if t := g.today.AddDate(0, 0, -1); d.After(t) {
		d = t
	}
	return d.Format("2006-01-02")
}

// person is one generated member.
type person struct {
	member.Fields
	nameKey string
}

type profSpec struct {
	male           float64
	ageMin, ageMax int
	ageMode        int
	edu            *weighted // by age under 45
	eduOld         *weighted // 45 and over
	positions      []string
}

func edu(ws ...float64) *weighted {
	return newWeighted([]string{"doctor", "master", "bachelor", "college", "secondary", "high", "junior", "primary"}, ws)
}

var profs = map[profile]profSpec{
	profCommunity: {0.68, 22, 80, 45, edu(0, 1, 20, 28, 12, 20, 15, 4), edu(0, 0.5, 8, 15, 12, 30, 28, 6),
		[]string{"社区工作者", "企业职工", "个体工商户", "自由职业", "退休人员", "网格员", "物业管理人员", "教师", "医务人员"}},
	profRetired: {0.74, 60, 95, 72, edu(0, 0.5, 8, 15, 12, 30, 28, 6), edu(0, 0.2, 5, 10, 10, 30, 30, 15),
		[]string{"退休人员", "离休干部", "退休职工", "退休教师"}},
	profRural: {0.86, 22, 88, 56, edu(0, 0.2, 8, 16, 14, 25, 30, 7), edu(0, 0, 1, 4, 8, 25, 45, 17),
		[]string{"农民", "村干部", "种养殖户", "个体工商户", "外出务工", "村务监督委员会成员", "乡村医生"}},
	profGov: {0.68, 24, 60, 40, edu(1, 25, 65, 8, 1, 0, 0, 0), edu(0.5, 12, 60, 22, 4, 1.5, 0, 0),
		[]string{"科员", "副科长", "科长", "副局长", "四级主任科员", "一级科员", "办公室主任", "干部"}},
	profSchool: {0.35, 23, 60, 38, edu(1, 20, 72, 7, 0, 0, 0, 0), edu(0.5, 10, 65, 22, 2, 0.5, 0, 0),
		[]string{"教师", "班主任", "教研组长", "年级组长", "副校长", "校长", "后勤人员"}},
	profHospital: {0.40, 23, 60, 37, edu(5, 25, 55, 15, 0, 0, 0, 0), edu(3, 15, 55, 22, 5, 0, 0, 0),
		[]string{"主治医师", "副主任医师", "主任医师", "住院医师", "护士", "护士长", "药剂师", "检验师", "行政人员"}},
	profSOE: {0.80, 24, 60, 40, edu(0.2, 10, 55, 28, 5, 2, 0, 0), edu(0, 4, 40, 35, 12, 8, 1, 0),
		[]string{"职工", "工程师", "项目经理", "部门经理", "财务人员", "技术员", "驾驶员"}},
	profPrivate: {0.77, 22, 58, 35, edu(0.2, 6, 45, 30, 8, 8, 3, 0), edu(0, 2, 25, 30, 15, 18, 10, 0),
		[]string{"职工", "技术员", "销售经理", "生产主管", "总经理", "人事专员", "工程师", "财务人员"}},
	profSocial: {0.55, 24, 62, 38, edu(0.5, 15, 60, 20, 3, 1.5, 0, 0), edu(0, 8, 55, 25, 8, 4, 0, 0),
		[]string{"律师", "会计师", "社工", "项目主管", "协会秘书长", "培训师", "志愿者骨干"}},
}

// age draws an age in [min, max], peaked at mode (triangular).
func (g *gen) age(s profSpec) int {
	a, b, c := float64(s.ageMin), float64(s.ageMax)+0.999, float64(s.ageMode)
	u := g.r.Float64()
	f := (c - a) / (b - a)
	var x float64
	if u < f {
		x = a + sqrt(u*(b-a)*(c-a))
	} else {
		x = b - sqrt((1-u)*(b-a)*(b-c))
	}
	return int(x)
}

func day(t time.Time) string { return t.Format("2006-01-02") }

// member draws one member of a branch with profile pr; idx is its place in the branch.
// It makes a probationary member when probationary is set.
func (g *gen) member(pr profile, address string) person {
	s := profs[pr]
	var p person
	f := &p.Fields
	age := g.age(s)
	male := g.chance(s.male)
	if age >= 70 && pr != profRetired { // fewer women among the oldest members
		male = male || g.chance(0.2)
	}
	f.Sex = "female"
	if male {
		f.Sex = "male"
	}
	f.Name = g.personName(male, age)
	// Birth: age years and a random part of a year before today.
	birth := g.today.AddDate(-age-1, 0, 1+g.r.IntN(364))
	if birth.After(g.today.AddDate(-age, 0, 0)) {
		birth = g.today.AddDate(-age, 0, 0)
	}
	f.BirthDate = day(birth)
	f.Ethnicity = "01"
	if g.chance(0.035) {
		f.Ethnicity = minorities.pick(g)
	}
	if age < 45 {
		f.Education = s.edu.pick(g)
	} else {
		f.Education = s.eduOld.pick(g)
	}
	f.Position = s.positions[g.r.IntN(len(s.positions))]
	// Joining: mostly in the twenties and thirties, never before 18.
	adult := birth.AddDate(18, 0, 1)
	probationary := age < 60 && g.chance(0.03*1.4) || g.chance(0.004)
	if probationary {
		f.Category = "probationary"
		join := g.today.AddDate(0, 0, -1-g.r.IntN(360))
		if join.Before(adult) {
			join = adult
		}
		f.JoinDate = day(join)
	} else {
		f.Category = "full"
		joinAge := 19 + int(g.r.ExpFloat64()*7)
		join := birth.AddDate(joinAge, 0, g.r.IntN(365))
		latest := g.today.AddDate(-1, 0, -40)
		if join.After(latest) {
			join = latest
		}
		if join.Before(adult) {
			join = adult
		}
		full := join.AddDate(1, 0, g.r.IntN(20))
		if !full.Before(g.today) {
			full = g.today.AddDate(0, 0, -1)
		}
		f.JoinDate, f.FullDate = day(join), day(full)
	}
	f.Status = "active"
	switch x := g.r.Float64(); {
	case x < 0.005:
		f.Status, f.StatusNote = "mobile", "外出务工，已纳入流动党员管理"
	case x < 0.008:
		f.Status, f.StatusNote = "lost", "多次联系未果"
	case x < 0.011 && age >= 68 && !probationary:
		f.Status, f.StatusNote = "deceased", strconv.Itoa(g.today.Year()-1-g.r.IntN(3))+"年病故"
	case x < 0.014 && !probationary:
		f.Status, f.StatusNote = "transferred", "组织关系转出至外地"
	case x < 0.0143 && !probationary:
		f.Status, f.StatusNote = "suspended", "停止党籍"
	}
	if g.chance(0.93) {
		f.Phone = g.phone()
	}
	ri := int(regionPick.pick(g)[0] - 'A')
	f.NativePlace = regions[ri].place
	f.Address = address + roadWds[g.r.IntN(len(roadWds))] + strconv.Itoa(1+g.r.IntN(300)) + "号" +
		strconv.Itoa(1+g.r.IntN(30)) + "幢" + strconv.Itoa(1+g.r.IntN(6)) + "0" + strconv.Itoa(1+g.r.IntN(4)) + "室"
	f.IDNumber = g.idNumber(ri, birth, male)
	return p
}

// idNumber makes a valid, unique 18-digit ID number: region, birth date, a sequence per
// (region, birth date, sex) in digits 15–16, a sex digit, the check character.
func (g *gen) idNumber(ri int, birth time.Time, male bool) string {
	dayNo := uint64(birth.Unix() / 86400 & 0xffffffff)
	for k := 0; ; k++ {
		r := (ri + k) % len(regions)
		sx := uint64(0)
		if male {
			sx = 1
		}
		key := uint64(r)<<40 | dayNo<<1 | sx
		seq := g.ids[key]
		if seq >= 100 {
			continue
		}
		g.ids[key] = seq + 1
		b := make([]byte, 0, 18)
		b = append(b, regions[r].code...)
		b = birth.AppendFormat(b, "20060102")
		b = append(b, byte('0'+seq/10), byte('0'+seq%10))
		d := 2 * g.r.IntN(5)
		if male {
			d++
		}
		b = append(b, byte('0'+d))
		b = append(b, member.IDCheckChar(string(b)))
		return string(b)
	}
}
