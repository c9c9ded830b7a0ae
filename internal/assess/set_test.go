package assess

import (
	"strings"
	"testing"
)

// Every shipped example parses, is marked 示例, names its source and scores 100 at most.
func TestExamplesParse(t *testing.T) {
	ex := Examples()
	for _, name := range []string{"village", "community", "enterprise", "generic"} {
		text, ok := ex[name]
		if !ok {
			t.Fatalf("example %s missing", name)
		}
		s, err := ParseSet(text)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !s.Example || !strings.Contains(s.Name, "示例") || s.Source == "" {
			t.Errorf("%s: not marked as an example with a source", name)
		}
		if s.MaxTotal() != 100 {
			t.Errorf("%s: max total %v", name, s.MaxTotal())
		}
	}
}

func village(t *testing.T) *Set {
	t.Helper()
	s, err := ParseSet(Examples()["village"])
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// Each method scores as documented; a formula reads earlier scores; a veto zeroes the total
// and denies the star while the raw total stays visible.
func TestScoreMethods(t *testing.T) {
	s := village(t)
	r := s.Score(map[string]float64{"life_met": 0.9, "attendance": 0.9, "points": 30, "income": 1, "environment": 14, "disputes": 15, "civility": 20})
	want := map[string]float64{"life_met": 13.5, "attendance": 5, "points": 5, "party_bonus": 4.5, "income": 20, "environment": 14, "disputes": 15, "civility": 20}
	for code, v := range want {
		if r.Scores[code] != v {
			t.Errorf("%s: %v, want %v", code, r.Scores[code], v)
		}
	}
	if r.Total != 97 || r.Stars != 5 || r.Band != "五星" || r.Dims["party"] != 28 {
		t.Errorf("total %v stars %d band %s party %v", r.Total, r.Stars, r.Band, r.Dims["party"])
	}
	// A manual score over the max is capped; yes/no 0 scores nothing; a negative count is 0.
	r = s.Score(map[string]float64{"environment": 99, "income": 0, "life_met": -3})
	if r.Scores["environment"] != 15 || r.Scores["income"] != 0 || r.Scores["life_met"] != 0 {
		t.Errorf("caps: %v", r.Scores)
	}
	// Veto.
	r = s.Score(map[string]float64{"life_met": 1, "attendance": 1, "points": 40, "income": 1, "environment": 15, "disputes": 15, "civility": 20, "petition": 1})
	if r.Total != 0 || r.Raw != 100 || r.Stars != 0 || len(r.Vetoed) != 1 || r.Vetoed[0] != "petition" {
		t.Errorf("veto: %+v", r)
	}
}

func TestFormula(t *testing.T) {
	vars := map[string]float64{"a": 6, "b": 4}
	for src, want := range map[string]float64{
		"a + b * 2":                 14,
		"(a + b) * 2":               20,
		"-a + 10":                   4,
		"min(a, b, 5)":              4,
		"max(a / b, 1)":             1.5,
		"a / 0":                     0,
		"min(a + 1, max(b, 3)) - 1": 3,
		"2.5":                       2.5,
	} {
		e, err := parseExpr(src)
		if err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		if got := e.eval(vars); got != want {
			t.Errorf("%s = %v, want %v", src, got, want)
		}
	}
	for _, bad := range []string{"a +", "os.Exit(1)", "exec(a)", "(a", "a b", "min a", "1..2", "a; b", ""} {
		if _, err := parseExpr(bad); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
	e, _ := parseExpr("min(life_met, x) + y")
	if got := strings.Join(e.codes(), ","); got != "life_met,x,y" {
		t.Errorf("codes %s", got)
	}
}

// Errors name the line and the path, in Chinese first.
func TestSetErrorsHaveLines(t *testing.T) {
	text := strings.Replace(string(Examples()["village"]), `formula: "min(life_met / 15, attendance / 5) * 5"`, `formula: "min(life_met, nowhere) * 5"`, 1)
	text = strings.Replace(text, "method: yesno", "method: maybe", 1)
	text = strings.Replace(text, "binding: points.avg_earned", "binding: points.logins", 1)
	_, err := ParseSet([]byte(text))
	if err == nil {
		t.Fatal("accepted")
	}
	es := err.(SetErrors)
	lines := strings.Split(text, "\n")
	found := map[string]bool{}
	for _, e := range es {
		if e.Line < 1 || e.Line > len(lines) {
			t.Errorf("line %d out of range: %v", e.Line, e)
			continue
		}
		found[e.Path] = true
		if !strings.Contains(lines[e.Line-1], strings.Split(e.Path[strings.LastIndex(e.Path, "/")+1:], "/")[0]) {
			t.Errorf("line %d (%q) does not hold %s", e.Line, lines[e.Line-1], e.Path)
		}
	}
	if len(es) == 0 {
		t.Fatal("no errors")
	}
	// The schema refuses first (method), so fix it and see the rest.
	text = strings.Replace(text, "method: maybe", "method: yesno", 1)
	_, err = ParseSet([]byte(text))
	es, _ = err.(SetErrors)
	var paths []string
	for _, e := range es {
		paths = append(paths, e.Path+" "+e.Msg.Render("zh-CN"))
	}
	all := strings.Join(paths, "\n")
	for _, want := range []string{"/formula 公式中的“nowhere”", "/binding 不认识的数据绑定“points.logins”"} {
		if !strings.Contains(all, want) {
			t.Errorf("missing %q in\n%s", want, all)
		}
	}
}

// extend edits the village example: pairs of old, new.
func extend(t *testing.T, pairs ...string) SetErrors {
	t.Helper()
	parent := village(t)
	text := strings.NewReplacer(pairs...).Replace(string(Examples()["village"]))
	child, doc, err := parseSet([]byte(text))
	if err != nil {
		t.Fatalf("child does not parse: %v", err)
	}
	return checkExtends(parent, child, doc)
}

// A lower level may add indicators and tighten, never loosen; every rule is tested both ways.
func TestExtensionCannotLoosen(t *testing.T) {
	const addOne = `bands:
`
	added := `      - {code: extra, name: 街道特色加分, method: manual, max: 5, evidence: attachment}
bands:
`
	cases := []struct {
		name  string
		pairs []string
		want  string // a fragment of the one error, "" = accepted
	}{
		{"identical", nil, ""},
		{"raise a target", []string{"target: 0.9", "target: 0.95"}, ""},
		{"lower a target", []string{"target: 0.9", "target: 0.8"}, "/target"},
		{"change a max", []string{"max: 20\n        evidence: attachment", "max: 25\n        evidence: attachment"}, "/max"},
		{"remove an indicator", []string{"      - code: income\n        name: 村集体经济收入达到年度目标\n        method: yesno\n        max: 20\n        evidence: attachment\n", "      - code: income2\n        name: 村集体经济收入达到年度目标\n        method: yesno\n        max: 20\n        evidence: attachment\n"}, "缺少“income”"},
		{"remove a veto", []string{"method: veto\n        max: 0", "method: manual\n        max: 1"}, "/method"},
		{"weaken evidence", []string{"rubric: 按乡镇（街道）人居环境检查结果评分，每项问题扣 1–3 分\n        evidence: attachment", "rubric: 按乡镇（街道）人居环境检查结果评分，每项问题扣 1–3 分\n        evidence: none"}, "/evidence"},
		{"lower a band", []string{"{min: 95, stars: 5", "{min: 94, stars: 5"}, "/min"},
		{"raise a band", []string{"{min: 95, stars: 5", "{min: 97, stars: 5"}, ""},
		{"add an indicator without raising the bands", []string{addOne, added}, "/bands/0/min"},
		{"loosen a share", []string{`share: "1/10"`, `share: "1/5"`}, "/share"},
		{"widen the organizations", []string{"fields: [rural]", "fields: [rural, community]"}, "/applies_to"},
		{"shorten the 公示", []string{"publicity_days: 5", "publicity_days: 3"}, "/publicity_days"},
		{"change a binding", []string{"binding: life.attendance_rate", "binding: life.rules_met_share"}, "/binding"},
	}
	for _, c := range cases {
		errs := extend(t, c.pairs...)
		if c.want == "" {
			if len(errs) > 0 {
				t.Errorf("%s: refused: %v", c.name, errs)
			}
			continue
		}
		if len(errs) == 0 {
			t.Errorf("%s: accepted", c.name)
			continue
		}
		got := errs[0].Path + " " + errs[0].Msg.Render("zh-CN")
		if !strings.Contains(got, c.want) || errs[0].Line < 1 {
			t.Errorf("%s: %s (line %d), want %q", c.name, got, errs[0].Line, c.want)
		}
	}
	// Adding an indicator worth 5 with every band raised by 5 extends.
	raised := strings.NewReplacer("{min: 60,", "{min: 65,", "{min: 65, stars: 2", "{min: 70, stars: 2", "{min: 75,", "{min: 80,", "{min: 85,", "{min: 90,", "{min: 95,", "{min: 100,")
	text := raised.Replace(strings.Replace(string(Examples()["village"]), addOne, added, 1))
	child, doc, err := parseSet([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	if errs := checkExtends(village(t), child, doc); len(errs) > 0 {
		t.Errorf("added with raised bands refused: %v", errs)
	}
}
