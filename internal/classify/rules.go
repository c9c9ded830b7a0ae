package classify

import (
	"embed"
	"fmt"
	"strconv"

	"dangjian/internal/platform/i18n"
	"dangjian/internal/platform/yamldoc"
)

//go:embed rules
var ruleFiles embed.FS

// Rules are a version of the classes a level sorts its branches into (rules/example.yaml).
type Rules struct {
	Version string  `yaml:"version" json:"version"`
	Name    string  `yaml:"name" json:"name"`
	Source  string  `yaml:"source" json:"source"`
	Classes []Class `yaml:"classes" json:"classes"`
}

// Class is one class with its optional share bounds (warnings) and whether a branch of it
// gets a conversion plan.
type Class struct {
	Code       string   `yaml:"code" json:"code"`
	Name       string   `yaml:"name" json:"name"`
	MinPercent *float64 `yaml:"min_percent" json:"min_percent,omitempty"`
	MaxPercent *float64 `yaml:"max_percent" json:"max_percent,omitempty"`
	NeedsPlan  bool     `yaml:"needs_plan" json:"needs_plan"`
	// MinStars/MaxStars: an assessment round's result with stars in [min, max] proposes this
	// class (the first class that matches, in the document's order); a class with neither is
	// never proposed. A proposal is a reason the level may take, never the decision.
	MinStars *int `yaml:"min_stars" json:"min_stars,omitempty"`
	MaxStars *int `yaml:"max_stars" json:"max_stars,omitempty"`
}

func init() {
	i18n.Register(map[string][2]string{
		"cl.dup":          {"代码“%s”重复", "code %q appears twice"},
		"cl.minmax":       {"min_percent 不能大于 max_percent", "min_percent exceeds max_percent"},
		"cl.minmax_stars": {"min_stars 不能大于 max_stars", "min_stars exceeds max_stars"},
	})
}

// ExampleText is the shipped example.
func ExampleText() []byte {
	b, _ := ruleFiles.ReadFile("rules/example.yaml")
	return b
}

var schema = func() []byte { b, _ := ruleFiles.ReadFile("rules/schema.json"); return b }()

// ParseRules checks a document (schema, unique codes, min ≤ max), every problem with its line.
func ParseRules(text []byte) (*Rules, error) {
	doc, ps := yamldoc.Check(text, yamldoc.Compile("classify.schema.json", schema))
	if ps != nil {
		return nil, ps
	}
	var r Rules
	if err := doc.Decode(&r); err != nil {
		return nil, yamldoc.Problems{yamldoc.At(doc, nil, "yd.raw", err.Error())}
	}
	seen := map[string]bool{}
	for i, c := range r.Classes {
		if seen[c.Code] {
			ps = append(ps, yamldoc.At(doc, []string{"classes", strconv.Itoa(i), "code"}, "cl.dup", c.Code))
		}
		seen[c.Code] = true
		if c.MinPercent != nil && c.MaxPercent != nil && *c.MinPercent > *c.MaxPercent {
			ps = append(ps, yamldoc.At(doc, []string{"classes", strconv.Itoa(i), "min_percent"}, "cl.minmax"))
		}
		if c.MinStars != nil && c.MaxStars != nil && *c.MinStars > *c.MaxStars {
			ps = append(ps, yamldoc.At(doc, []string{"classes", strconv.Itoa(i), "min_stars"}, "cl.minmax_stars"))
		}
	}
	if ps != nil {
		return nil, ps
	}
	return &r, nil
}

func (r *Rules) class(code string) *Class {
	for i := range r.Classes {
		if r.Classes[i].Code == code {
			return &r.Classes[i]
		}
	}
	return nil
}

// Warnings compares a distribution (class → branches) with the shares of the rules.
func (r *Rules) Warnings(dist map[string]int) []string {
	total := 0
	for _, n := range dist {
		total += n
	}
	if total == 0 {
		return []string{}
	}
	out := []string{}
	for _, c := range r.Classes {
		pct := float64(dist[c.Code]) * 100 / float64(total)
		if c.MaxPercent != nil && pct > *c.MaxPercent {
			out = append(out, fmt.Sprintf("%s占%.1f%%（%d/%d），超过上限%g%%", c.Name, pct, dist[c.Code], total, *c.MaxPercent))
		}
		if c.MinPercent != nil && pct < *c.MinPercent {
			out = append(out, fmt.Sprintf("%s占%.1f%%（%d/%d），低于下限%g%%", c.Name, pct, dist[c.Code], total, *c.MinPercent))
		}
	}
	return out
}

// FromStars is the class an assessment result with n stars proposes ("" when none).
func (r *Rules) FromStars(n int) string {
	for _, c := range r.Classes {
		if c.MinStars == nil && c.MaxStars == nil {
			continue
		}
		if (c.MinStars == nil || n >= *c.MinStars) && (c.MaxStars == nil || n <= *c.MaxStars) {
			return c.Code
		}
	}
	return ""
}
