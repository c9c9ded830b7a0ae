package secreport

import (
	"embed"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"dangjian/internal/platform/i18n"
	"dangjian/internal/platform/yamldoc"
)

//go:embed rules
var ruleFiles embed.FS

// Rules are a version of the 述职评议 rules (rules/example.yaml is the shipped example):
// the voter groups with their weights and the grades with their scores. A round keeps the
// version in force when it opened.
type Rules struct {
	Version string  `yaml:"version" json:"version"`
	Name    string  `yaml:"name" json:"name"`
	Source  string  `yaml:"source" json:"source"`
	Groups  []Group `yaml:"groups" json:"groups"`
	Grades  []Grade `yaml:"grades" json:"grades"`
}

// Group is a voter group of the appraisal meeting.
type Group struct {
	Code   string  `yaml:"code" json:"code"`
	Name   string  `yaml:"name" json:"name"`
	Weight float64 `yaml:"weight" json:"weight"`
}

// Grade is a grade a voter gives, its score, and the lowest result that earns it.
type Grade struct {
	Code  string  `yaml:"code" json:"code"`
	Name  string  `yaml:"name" json:"name"`
	Score float64 `yaml:"score" json:"score"`
	Min   float64 `yaml:"min" json:"min"`
}

func init() {
	i18n.Register(map[string][2]string{
		"sr.dup":       {"代码“%s”重复", "code %q appears twice"},
		"sr.no_zero":   {"须有一个等次的 min 为 0（任何得分都有等次）", "one grade must have min 0 (every score gets a grade)"},
		"sr.no_weight": {"各组权重之和须大于 0", "the weights must add up to more than 0"},
	})
}

// ExampleText is the shipped example document.
func ExampleText() []byte {
	b, _ := ruleFiles.ReadFile("rules/example.yaml")
	return b
}

var schema = func() []byte { b, _ := ruleFiles.ReadFile("rules/schema.json"); return b }()

// ParseRules checks a document: the schema, then codes unique, a grade from 0, weights > 0;
// every problem with its line (yamldoc.Problems).
func ParseRules(text []byte) (*Rules, error) {
	doc, ps := yamldoc.Check(text, yamldoc.Compile("secreport.schema.json", schema))
	if ps != nil {
		return nil, ps
	}
	var r Rules
	if err := doc.Decode(&r); err != nil {
		return nil, yamldoc.Problems{yamldoc.At(doc, nil, "yd.raw", err.Error())}
	}
	seen := map[string]bool{}
	total, zero := 0.0, false
	for i, g := range r.Groups {
		if seen["g:"+g.Code] {
			ps = append(ps, yamldoc.At(doc, []string{"groups", strconv.Itoa(i), "code"}, "sr.dup", g.Code))
		}
		seen["g:"+g.Code], total = true, total+g.Weight
	}
	for i, g := range r.Grades {
		if seen["d:"+g.Code] {
			ps = append(ps, yamldoc.At(doc, []string{"grades", strconv.Itoa(i), "code"}, "sr.dup", g.Code))
		}
		seen["d:"+g.Code], zero = true, zero || g.Min == 0
	}
	if total <= 0 {
		ps = append(ps, yamldoc.At(doc, []string{"groups"}, "sr.no_weight"))
	}
	if !zero {
		ps = append(ps, yamldoc.At(doc, []string{"grades"}, "sr.no_zero"))
	}
	if ps != nil {
		return nil, ps
	}
	return &r, nil
}

// Tally is the votes of one group for one grade.
type Tally struct {
	Group string `json:"group"`
	Grade string `json:"grade"`
	N     int    `json:"n"`
}

// Result is the weighted result of a report's votes, with how it was reached.
type Result struct {
	Votes   int      `json:"votes"`
	Score   float64  `json:"score"`      // weighted, 0–100, one decimal
	Grade   string   `json:"grade"`      // code; "" with no votes
	Name    string   `json:"grade_name"` // 好 …
	Explain []string `json:"explain"`    // one line per group, then the sum
}

// Weigh computes the result: each group's average score of its votes, weighted by the
// group's weight over the groups that voted; the grade is the one with the highest min at
// or below the score.
func (r *Rules) Weigh(votes []Tally) Result {
	score := map[string]Grade{}
	for _, g := range r.Grades {
		score[g.Code] = g
	}
	var out Result
	var sum, weights float64
	for _, g := range r.Groups {
		n, pts := 0, 0.0
		var parts []string
		for _, v := range votes {
			if v.Group == g.Code && v.N > 0 {
				n, pts = n+v.N, pts+float64(v.N)*score[v.Grade].Score
				parts = append(parts, fmt.Sprintf("%s%d票", score[v.Grade].Name, v.N))
			}
		}
		if n == 0 {
			out.Explain = append(out.Explain, fmt.Sprintf("%s（权重%g）：未投票，不计入", g.Name, g.Weight))
			continue
		}
		avg := pts / float64(n)
		out.Votes += n
		sum, weights = sum+avg*g.Weight, weights+g.Weight
		out.Explain = append(out.Explain, fmt.Sprintf("%s（权重%g）：%s，平均%.1f分", g.Name, g.Weight, strings.Join(parts, "、"), avg))
	}
	if weights == 0 {
		return out
	}
	out.Score = float64(int(sum/weights*10+0.5)) / 10
	grades := append([]Grade(nil), r.Grades...)
	sort.SliceStable(grades, func(i, j int) bool { return grades[i].Min > grades[j].Min })
	for _, g := range grades {
		if out.Score >= g.Min {
			out.Grade, out.Name = g.Code, g.Name
			break
		}
	}
	out.Explain = append(out.Explain, fmt.Sprintf("加权得分 = Σ(组平均分×权重) ÷ Σ权重 = %.1f ÷ %g = %.1f分，等次：%s", sum, weights, out.Score, out.Name))
	return out
}
