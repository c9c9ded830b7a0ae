// Package assess is the assessment of organizations (星级评定, 考核): indicator sets published
// as data per organization and year (a lower level extends, never loosens), rounds opened by a
// level over its subtree with bound indicators computed from our own records, self-assessment
// kept apart from the review, results with star bands, 公示 through internal/publicity, awards,
// 摘星 and restore as append-only star events (docs/ASSESS.md).
package assess

import (
	"embed"
	"math"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"dangjian/internal/platform/yamldoc"
)

//go:embed sets
var setFiles embed.FS

// Methods of an indicator.
const (
	YesNo   = "yesno"   // 是/否: full marks or none
	Count   = "count"   // a number against a target: max × min(value/target, 1)
	Formula = "formula" // an expression over other indicators' scores
	Manual  = "manual"  // scored by hand against a rubric
	Veto    = "veto"    // 一票否决: a true value sets the total to 0 and denies every star
)

// Evidence an indicator needs for a score given by hand.
const (
	EvNone       = "none"
	EvRecord     = "record"     // a link to a record we hold
	EvAttachment = "attachment" // a file
)

// Set is one version of an indicator set (DESIGN principle 4): a published version never
// changes; a correction is a new version.
type Set struct {
	ID            string      `json:"id" yaml:"id"`
	Name          string      `json:"name" yaml:"name"`
	Version       string      `json:"version" yaml:"version"`
	Year          int         `json:"year" yaml:"year"`
	Example       bool        `json:"example" yaml:"example"`
	Source        string      `json:"source" yaml:"source"`
	Description   string      `json:"description" yaml:"description"`
	AppliesTo     AppliesTo   `json:"applies_to" yaml:"applies_to"`
	PublicityDays int         `json:"publicity_days" yaml:"publicity_days"` // 公示, working days
	ValidMonths   int         `json:"valid_months" yaml:"valid_months"`     // how long an awarded star holds
	Dimensions    []Dimension `json:"dimensions" yaml:"dimensions"`
	Bands         []Band      `json:"bands" yaml:"bands"`
}

// AppliesTo selects the organizations a set is for: kinds and fields (an empty list: any).
type AppliesTo struct {
	Kinds  []string `json:"kinds" yaml:"kinds"`
	Fields []string `json:"fields" yaml:"fields"`
}

// Dimension is a group of indicators (党建星, 富裕星 …).
type Dimension struct {
	Code       string      `json:"code" yaml:"code"`
	Name       string      `json:"name" yaml:"name"`
	Indicators []Indicator `json:"indicators" yaml:"indicators"`
}

// Indicator is one criterion.
type Indicator struct {
	Code     string  `json:"code" yaml:"code"`
	Name     string  `json:"name" yaml:"name"`
	Method   string  `json:"method" yaml:"method"`
	Max      float64 `json:"max" yaml:"max"`                           // the most it scores (0 for a veto)
	Target   float64 `json:"target,omitempty" yaml:"target"`           // count: the value that earns full marks
	Formula  string  `json:"formula,omitempty" yaml:"formula"`         // formula: over other indicators' codes
	Rubric   string  `json:"rubric,omitempty" yaml:"rubric"`           // manual, veto: what the assessor judges
	Evidence string  `json:"evidence" yaml:"evidence"`                 // none, record, attachment
	Binding  string  `json:"binding,omitempty" yaml:"binding"`         // a registered binding's code
	Reason   string  `json:"reason,omitempty" yaml:"reason,omitempty"` // veto: the reason shown when it applies
}

// Band: a total of at least Min earns Stars. Share ("1/10"), when set, is the share of the
// round above which the band is flagged — a warning, never a forced distribution.
type Band struct {
	Min   float64 `json:"min" yaml:"min"`
	Stars int     `json:"stars" yaml:"stars"`
	Name  string  `json:"name" yaml:"name"`
	Share string  `json:"share,omitempty" yaml:"share"`
}

// Indicators lists every indicator with its dimension's code, in order.
func (s *Set) Indicators() []IndicatorAt {
	var out []IndicatorAt
	for di, d := range s.Dimensions {
		for ii := range d.Indicators {
			out = append(out, IndicatorAt{Dim: d.Code, DimIndex: di, Index: ii, Indicator: d.Indicators[ii]})
		}
	}
	return out
}

// IndicatorAt is an indicator with where it sits.
type IndicatorAt struct {
	Dim      string
	DimIndex int
	Index    int
	Indicator
}

// Indicator finds an indicator by code.
func (s *Set) Indicator(code string) *Indicator {
	for di := range s.Dimensions {
		for ii := range s.Dimensions[di].Indicators {
			if s.Dimensions[di].Indicators[ii].Code == code {
				return &s.Dimensions[di].Indicators[ii]
			}
		}
	}
	return nil
}

// Band is the band a total reaches (nil: none).
func (s *Set) Band(total float64) *Band {
	var best *Band
	for i := range s.Bands {
		b := &s.Bands[i]
		if total >= b.Min && (best == nil || b.Min > best.Min) {
			best = b
		}
	}
	return best
}

// For tells whether the set applies to an organization of kind and field.
func (a AppliesTo) For(kind, field string) bool {
	return (len(a.Kinds) == 0 || has(a.Kinds, kind)) && (len(a.Fields) == 0 || has(a.Fields, field))
}

// overlaps tells whether two selections share an organization.
func (a AppliesTo) overlaps(b AppliesTo) bool {
	meet := func(x, y []string) bool {
		if len(x) == 0 || len(y) == 0 {
			return true
		}
		for _, v := range x {
			if has(y, v) {
				return true
			}
		}
		return false
	}
	return meet(a.Kinds, b.Kinds) && meet(a.Fields, b.Fields)
}

// shareOf reads a share "1/10" (or "0.1").
func shareOf(s string) (float64, bool) {
	if n, d, ok := strings.Cut(s, "/"); ok {
		a, e1 := strconv.ParseFloat(strings.TrimSpace(n), 64)
		b, e2 := strconv.ParseFloat(strings.TrimSpace(d), 64)
		return a / b, e1 == nil && e2 == nil && b > 0 && a >= 0 && a <= b
	}
	v, err := strconv.ParseFloat(s, 64)
	return v, err == nil && v >= 0 && v <= 1
}

func has(xs []string, v string) bool {
	for _, x := range xs {
		if x == v {
			return true
		}
	}
	return false
}

// round2 rounds a score to hundredths (what is stored and shown).
func round2(v float64) float64 { return math.Round(v*100) / 100 }

// Examples are the shipped example sets (示例), by file name.
func Examples() map[string][]byte {
	out := map[string][]byte{}
	entries, _ := setFiles.ReadDir("sets")
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".yaml") {
			b, _ := setFiles.ReadFile("sets/" + e.Name())
			out[strings.TrimSuffix(e.Name(), ".yaml")] = b
		}
	}
	return out
}

// SchemaJSON is the JSON Schema of the set format.
func SchemaJSON() []byte {
	b, _ := setFiles.ReadFile("sets/schema.json")
	return b
}

// ParseSet reads a set (YAML or JSON), checks it against the schema and the rules between its
// parts, and returns every problem with its line.
func ParseSet(text []byte) (*Set, error) {
	s, _, err := parseSet(text)
	return s, err
}

func parseSet(text []byte) (*Set, *yaml.Node, error) {
	doc, errs := validateYAML(text)
	if errs != nil {
		return nil, nil, errs
	}
	var s Set
	if err := doc.Decode(&s); err != nil {
		return nil, nil, SetErrors{setErr(doc.Line, "/", "as.raw", err.Error())}
	}
	if errs := s.check(doc); len(errs) > 0 {
		sortErrors(errs)
		return nil, nil, errs
	}
	return &s, doc, nil
}

// check finds what the schema cannot: duplicate codes, what each method needs, formulas that
// parse and name earlier indicators only, bands with distinct stars and shares that read.
func (s *Set) check(doc *yaml.Node) SetErrors {
	var out SetErrors
	add := func(loc []string, key string, args ...any) {
		out = append(out, setErr(yamldoc.NodeAt(doc, loc).Line, "/"+strings.Join(loc, "/"), key, args...))
	}
	seen := map[string]bool{}
	dims := map[string]bool{}
	for di, d := range s.Dimensions {
		if dims[d.Code] {
			add([]string{"dimensions", strconv.Itoa(di), "code"}, "as.dup", d.Code)
		}
		dims[d.Code] = true
		for ii, in := range d.Indicators {
			at := func(f string) []string {
				return []string{"dimensions", strconv.Itoa(di), "indicators", strconv.Itoa(ii), f}
			}
			if seen[in.Code] || dims[in.Code] && in.Code != d.Code {
				add(at("code"), "as.dup", in.Code)
			}
			switch in.Method {
			case Count:
				if in.Target <= 0 {
					add(at("target"), "as.target")
				}
			case Formula:
				e, err := parseExpr(in.Formula)
				if err != nil {
					add(at("formula"), "as.formula", err.Error())
					break
				}
				for _, c := range e.codes() {
					if !seen[c] {
						add(at("formula"), "as.formula_code", c)
					}
				}
				if in.Binding != "" {
					add(at("binding"), "as.formula_binding")
				}
			case Veto:
				if in.Max != 0 {
					add(at("max"), "as.veto_max")
				}
			}
			if in.Method != Veto && in.Max <= 0 {
				add(at("max"), "as.max_pos")
			}
			if in.Method != Formula && in.Formula != "" {
				add(at("formula"), "as.formula_only")
			}
			if in.Binding != "" && !knownBinding(in.Binding) {
				add(at("binding"), "as.binding", in.Binding)
			}
			seen[in.Code] = true
		}
	}
	stars := map[int]bool{}
	for bi, b := range s.Bands {
		if stars[b.Stars] {
			add([]string{"bands", strconv.Itoa(bi), "stars"}, "as.dup", strconv.Itoa(b.Stars))
		}
		stars[b.Stars] = true
		if b.Share != "" {
			if _, ok := shareOf(b.Share); !ok {
				add([]string{"bands", strconv.Itoa(bi), "share"}, "as.share", b.Share)
			}
		}
	}
	for bi := 1; bi < len(s.Bands); bi++ {
		if (s.Bands[bi].Stars > s.Bands[bi-1].Stars) != (s.Bands[bi].Min > s.Bands[bi-1].Min) {
			add([]string{"bands", strconv.Itoa(bi), "min"}, "as.band_order")
		}
	}
	return out
}
