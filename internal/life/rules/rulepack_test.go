package rules

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"dangjian/internal/platform/i18n"
)

func cst(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, time.FixedZone("CST", 8*3600))
}

func find(fs []Finding, rule, period string) *Finding {
	for i := range fs {
		if fs[i].RuleID == rule && fs[i].Period == period {
			return &fs[i]
		}
	}
	return nil
}

// Every default rule, with one activity on the first minute and one on the last minute of
// its period: each counts in its own period and not in the neighbours.
func TestDefaultRulesAtPeriodBoundaries(t *testing.T) {
	p := DefaultPack()
	if len(p.Rules) != 8 {
		t.Fatalf("%d rules", len(p.Rules))
	}
	now := cst(2027, 3, 1, 0, 0)
	for _, r := range p.Rules {
		subject := Subject{Kind: r.AppliesTo[0], FullMembers: 10}
		per := PeriodOf(r.Period, cst(2026, 7, 15, 12, 0))
		firstMinute := per.Start()
		lastMinute := per.End().Add(-time.Minute)
		cases := []struct {
			name string
			at   time.Time
			held int
		}{
			{"first minute", firstMinute, 1},
			{"last minute", lastMinute, 1},
			{"minute before", firstMinute.Add(-time.Minute), 0},
			{"minute after", per.End(), 0},
		}
		for _, c := range cases {
			fs := p.Evaluate(subject, per, []Held{{At: c.at, Kinds: []string{r.Activity}, BySecretary: true}}, now)
			f := find(fs, r.ID, per.String())
			if f == nil {
				t.Fatalf("%s: no finding for %s in %v", r.ID, per, fs)
			}
			want := Missing
			if c.held == 1 {
				want = Met
			}
			if f.Held != c.held || f.Status != want || f.Source == "" {
				t.Errorf("%s %s (%s): held %d status %s, want %d %s", r.ID, c.name, c.at, f.Held, f.Status, c.held, want)
			}
		}
	}
}

// One 支部党员大会 held on the 主题党日 with a 党课 satisfies three rules.
func TestOneActivityCountsForSeveralKinds(t *testing.T) {
	p := DefaultPack()
	q3, _ := ParsePeriod("2026-Q3")
	held := []Held{{At: cst(2026, 8, 5, 9, 0), Kinds: []string{"branch_general_meeting", "theme_day", "party_lecture"}}}
	fs := p.Evaluate(Subject{Kind: "branch", FullMembers: 5}, q3, held, cst(2026, 12, 1, 0, 0))
	for _, want := range []struct{ rule, period string }{{"branch_general_meeting.quarter", "2026-Q3"}, {"theme_day.month", "2026-08"}} {
		if f := find(fs, want.rule, want.period); f == nil || f.Status != Met {
			t.Errorf("%s %s: %+v", want.rule, want.period, f)
		}
	}
	if f := find(fs, "theme_day.month", "2026-07"); f == nil || f.Status != Missing {
		t.Errorf("July theme day: %+v", f)
	}
	// Fewer than 7 full members: no committee, so no committee-meeting rule.
	if f := find(fs, "committee_meeting.month", "2026-07"); f != nil {
		t.Errorf("committee rule applied to a 5-member branch: %+v", f)
	}
}

// Moving an activity across the boundary moves its credit to the other period.
func TestActivityMovedAcrossBoundary(t *testing.T) {
	p := DefaultPack()
	year, _ := ParsePeriod("2026")
	now := cst(2027, 1, 15, 0, 0)
	before := p.Evaluate(Subject{Kind: "branch"}, year, []Held{{At: cst(2026, 9, 30, 23, 59), Kinds: []string{"branch_general_meeting"}}}, now)
	after := p.Evaluate(Subject{Kind: "branch"}, year, []Held{{At: cst(2026, 10, 1, 0, 0), Kinds: []string{"branch_general_meeting"}}}, now)
	if find(before, "branch_general_meeting.quarter", "2026-Q3").Status != Met || find(before, "branch_general_meeting.quarter", "2026-Q4").Status != Missing {
		t.Error("before the move")
	}
	if find(after, "branch_general_meeting.quarter", "2026-Q3").Status != Missing || find(after, "branch_general_meeting.quarter", "2026-Q4").Status != Met {
		t.Error("after the move")
	}
}

func TestStatusesOverTime(t *testing.T) {
	p := DefaultPack()
	oct, _ := ParsePeriod("2026-10")
	s := Subject{Kind: "branch"}
	at := func(now time.Time) Status {
		return find(p.Evaluate(s, oct, nil, now), "theme_day.month", "2026-10").Status
	}
	if at(cst(2026, 9, 30, 23, 59)) != Upcoming || at(cst(2026, 10, 10, 0, 0)) != Pending ||
		at(cst(2026, 10, 25, 0, 0)) != DueSoon || at(cst(2026, 11, 1, 0, 0)) != Missing {
		t.Error("upcoming → pending → due soon (7 days) → missing")
	}
}

// A district's stricter pack: a 党课 every quarter, with a local kind, effective from 2026.
func TestLocalStricterPack(t *testing.T) {
	text := `
id: yuecheng-2026
name: 某区组织生活规则
version: "2026.1"
effective_from: "2026-01-01"
kinds:
  - {code: volunteer, name: 志愿服务, name_en: Volunteer service}
rules:
  - id: party_lecture.quarter
    name: 党课每季度1次
    activity: party_lecture
    applies_to: [branch]
    period: quarter
    min_count: 1
    source: 区委组织部文件（2026）
  - id: volunteer.quarter
    name: 志愿服务每季度2次
    activity: volunteer
    applies_to: [branch]
    period: quarter
    min_count: 2
    source: 区委组织部文件（2026）
    effective_from: "2026-07-01"
`
	p, err := ParsePack([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	year, _ := ParsePeriod("2026")
	fs := p.Evaluate(Subject{Kind: "branch"}, year, []Held{{At: cst(2026, 2, 1, 10, 0), Kinds: []string{"party_lecture"}}, {At: cst(2026, 8, 1, 10, 0), Kinds: []string{"volunteer"}}}, cst(2027, 1, 2, 0, 0))
	if find(fs, "party_lecture.quarter", "2026-Q1").Status != Met || find(fs, "party_lecture.quarter", "2026-Q2").Status != Missing {
		t.Errorf("quarterly lecture: %+v", fs)
	}
	if find(fs, "volunteer.quarter", "2026-Q2") != nil {
		t.Error("a rule counted before its effective date")
	}
	if f := find(fs, "volunteer.quarter", "2026-Q3"); f == nil || f.Held != 1 || f.Status != Missing {
		t.Errorf("volunteer Q3: %+v", f)
	}
}

// A bad pack is refused with the line and the reason of each problem.
func TestBadPacks(t *testing.T) {
	base := `id: bad
name: 坏规则包
version: "1"
effective_from: "2026-01-01"
rules:
  - id: a.month
    name: 规则A
    activity: theme_day
    applies_to: [branch]
    period: month
    min_count: 1
    source: 文件
`
	cases := []struct {
		name, from, to string
		line           int
		reason, zh     string // in the English reason; in the Chinese message
	}{
		{"bad period", "period: month", "period: fortnight", 10, "fortnight", "应为 month、quarter、year 之一，实际为“fortnight”"},
		{"missing source", "    source: 文件\n", "", 6, "source", "缺少必填项 source"},
		{"unknown kind", "activity: theme_day", "activity: picnic", 8, "unknown activity kind \"picnic\"", "未知的活动类型“picnic”"},
		{"bad org kind", "applies_to: [branch]", "applies_to: [club]", 9, "club", "实际为“club”"},
		{"zero count", "min_count: 1", "min_count: 0", 11, "at least 1 (got 0)", "不能小于 1，实际为 0"},
		{"count as text", "min_count: 1", "min_count: 一次", 11, "must be an integer (got a string)", "应为整数，实际为文本"},
		{"empty name", "    name: 规则A", "    name: \"\"", 7, "must not be empty", "不能为空"},
		{"bad id", "  - id: a.month", "  - id: A", 6, "does not match", "格式不符"},
		{"broken yaml", "    name: 规则A\n", "    name: [规则A\n", 6, "yaml", "yaml"},
		{"unknown field", "    source: 文件\n", "    source: 文件\n    colour: red\n", 6, "colour", "不认识的字段 colour"},
		{"dates reversed", "effective_from: \"2026-01-01\"\n", "effective_from: \"2026-01-01\"\neffective_to: \"2025-01-01\"\n", 5, "ends before it starts", "结束日期早于开始日期"},
	}
	for _, c := range cases {
		text := strings.Replace(base, c.from, c.to, 1)
		_, err := ParsePack([]byte(text))
		pe, ok := err.(PackErrors)
		if !ok || len(pe) == 0 {
			t.Errorf("%s: accepted (err %v)", c.name, err)
			continue
		}
		if pe[0].Line != c.line || !strings.Contains(strings.ToLower(pe.Error()), strings.ToLower(c.reason)) {
			t.Errorf("%s: got %v, want line %d mentioning %q", c.name, pe, c.line, c.reason)
		}
		if zh := pe[0].Msg.Render(i18n.ZH); !strings.Contains(zh, c.zh) {
			t.Errorf("%s: Chinese message %q, want it to say %q", c.name, zh, c.zh)
		}
	}
	dup := base + `  - id: a.month
    name: 规则B
    activity: theme_day
    applies_to: [branch]
    period: month
    min_count: 1
    source: 文件
`
	if _, err := ParsePack([]byte(dup)); err == nil || !strings.Contains(err.Error(), "line 13") {
		t.Errorf("duplicate id: %v", err)
	}
	if _, err := ParsePack([]byte(base)); err != nil {
		t.Errorf("the base pack itself is valid: %v", err)
	}
}

// An organization owes a monthly rule for the month it was set up in, even on its last day,
// and nothing for the months before.
func TestNothingOwedBeforeSetUp(t *testing.T) {
	p := DefaultPack()
	q4 := Period{Quarter, 2026, 4}
	months := func(since string) []string {
		var out []string
		for _, f := range p.Evaluate(Subject{Kind: "branch", Since: since}, q4, nil, cst(2027, 1, 5, 0, 0)) {
			if f.RuleID == "theme_day.month" {
				out = append(out, f.Period)
			}
		}
		return out
	}
	for since, want := range map[string]string{
		"":           "[2026-10 2026-11 2026-12]",
		"2026-10-31": "[2026-10 2026-11 2026-12]",
		"2026-11-01": "[2026-11 2026-12]",
		"2026-12-31": "[2026-12]",
		"2027-01-01": "[]",
	} {
		if got := fmt.Sprint(months(since)); got != want {
			t.Errorf("set up %q: theme days owed in %s, want %s", since, got, want)
		}
	}
}

// The example local pack keeps every national rule as it is and adds the two local 党课 rules,
// marked as local practice; every national rule names its article.
func TestExampleLocalPack(t *testing.T) {
	text, err := packFiles.ReadFile("rulepacks/examples/zhejiang-example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	ex, err := ParsePack(text)
	if err != nil {
		t.Fatal(err)
	}
	nat := DefaultPack()
	byID := map[string]Rule{}
	for _, r := range ex.Rules {
		byID[r.ID] = r
	}
	for _, r := range nat.Rules {
		if fmt.Sprint(byID[r.ID]) != fmt.Sprint(r) {
			t.Errorf("%s differs in the example pack", r.ID)
		}
		if !strings.Contains(r.Source, "第") || !strings.Contains(r.Source, "条") {
			t.Errorf("%s: source %q names no article", r.ID, r.Source)
		}
	}
	for _, id := range []string{"party_lecture.quarter", "party_lecture.branch_secretary.year"} {
		if r, ok := byID[id]; !ok || !strings.Contains(r.Source, "地方规定") {
			t.Errorf("%s: %+v", id, r)
		}
	}
	if byID["party_lecture.branch_secretary.year"].Speaker != "secretary" || len(ex.Rules) != len(nat.Rules)+2 {
		t.Errorf("example pack: %d rules", len(ex.Rules))
	}
}

// The appraisal figures are checked: a share above one and a default longer than the maximum
// are refused with their lines; a pack without them takes the national ones.
func TestAppraisalFigures(t *testing.T) {
	base := "id: dd\nname: d\nversion: \"1\"\neffective_from: \"2026-01-01\"\nrules:\n  - {id: a.b, name: x, activity: theme_day, applies_to: [branch], period: month, min_count: 1, source: s}\n"
	_, err := ParsePack([]byte(base + "appraisal:\n  excellent_share: 4/3\n  correction_months: 13\n  correction_max_months: 12\n  source: s\n"))
	var pe PackErrors
	if !errors.As(err, &pe) || len(pe) != 2 || pe[0].Line != 8 || pe[1].Line != 9 {
		t.Fatalf("bad figures: %v", err)
	}
	p, err := ParsePack([]byte(base))
	if err != nil {
		t.Fatal(err)
	}
	a := p.Appraising()
	for n, want := range map[int]int{0: 0, 2: 0, 3: 1, 5: 1, 6: 2, 8: 2, 9: 3, 10: 3} {
		if got := a.ExcellentCap(n); got != want {
			t.Errorf("cap of %d: %d, want %d", n, got, want)
		}
	}
	if a.CorrectionMonths != 6 || a.CorrectionMaxMonths != 12 {
		t.Errorf("national figures: %+v", a)
	}
	// Held for a year: January and February count for the year before, March for its own.
	for at, want := range map[time.Time]int{cst(2027, 1, 1, 0, 0): 2026, cst(2027, 2, 28, 23, 59): 2026, cst(2027, 3, 1, 0, 0): 2027} {
		if got := p.ForYear([]string{"life_meeting"}, at); got != want {
			t.Errorf("组织生活会 at %s: for %d, want %d", at, got, want)
		}
	}
	if got := p.ForYear([]string{"theme_day"}, cst(2027, 1, 5, 0, 0)); got != 2027 {
		t.Errorf("主题党日 in January: for %d", got)
	}
}

// Themes are a local pack's (the example has some, the national pack none); sign-in opens
// 30 minutes before by the national pack, and a local pack without the block inherits it. A
// theme for an unknown kind is refused with its line.
func TestThemesAndCheckinFigures(t *testing.T) {
	text, err := packFiles.ReadFile("rulepacks/examples/zhejiang-example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	ex, err := ParsePack(text)
	if err != nil {
		t.Fatal(err)
	}
	nat := DefaultPack()
	if ex.ThemeFor(7, "theme_day") == "" || ex.ThemeFor(7, "party_lecture") != "" || ex.ThemeFor(2, "theme_day") != "" || nat.ThemeFor(7, "theme_day") != "" {
		t.Errorf("themes: %q %q", ex.ThemeFor(7, "theme_day"), nat.ThemeFor(7, "theme_day"))
	}
	if nat.Checkins().OpensMinutesBefore != 30 || ex.Checkins().OpensMinutesBefore != 30 || !strings.Contains(nat.Checkins().Source, "实践") {
		t.Errorf("checkin: %+v / %+v", nat.Checkins(), ex.Checkins())
	}
	bad := strings.Replace(string(text), "{month: 3, theme:", "{month: 3, kinds: [nope], theme:", 1)
	var pe PackErrors
	if _, err := ParsePack([]byte(bad)); !errors.As(err, &pe) || !strings.Contains(pe.Error(), "themes/1/kinds/0") {
		t.Errorf("unknown theme kind: %v", err)
	}
}
