// Package points is members' points (党员积分, 分层量化动态积分制): schemes published as data per
// organization and year, claims approved by the branch, entries derived from our own records
// (attendance), an append-only ledger whose caps never drop points silently, the totals
// maintained in the entry's transaction, and the subtree rollups of its tree part.
package points

import (
	"embed"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"dangjian/internal/platform/yamldoc"
)

//go:embed schemes
var schemeFiles embed.FS

// Categories of an item. Basic and reward items add, deductions subtract, a 一票否决 item
// sets the year's total to zero.
const (
	Basic  = "basic"  // 基础
	Reward = "reward" // 奖励
	Deduct = "deduct" // 扣减
	Veto   = "veto"   // 一票否决
)

// How an item arises.
const (
	ByClaim      = "claim"      // the member claims it, the branch approves
	ByBranch     = "branch"     // the branch enters it
	ByAttendance = "attendance" // derived from attendance recorded as 出席 (record once)
)

// Scheme is one version of a points scheme (DESIGN principle 4): a published version never
// changes; a correction is a new version.
type Scheme struct {
	ID            string     `json:"id" yaml:"id"`
	Name          string     `json:"name" yaml:"name"`
	Version       string     `json:"version" yaml:"version"`
	Year          int        `json:"year" yaml:"year"`
	EffectiveFrom string     `json:"effective_from" yaml:"effective_from"`
	Source        string     `json:"source" yaml:"source"`
	Description   string     `json:"description" yaml:"description"`
	Base          int        `json:"base" yaml:"base"`
	Categories    []CatCap   `json:"categories" yaml:"categories"`
	Stars         []StarBand `json:"stars" yaml:"stars"`
	Layers        []Layer    `json:"layers" yaml:"layers"`
	// PublicRanking turns on a league table beyond the member and the branch (off by default).
	PublicRanking bool `json:"public_ranking" yaml:"public_ranking"`
	// YearEnd is how the year's rating ends (the 公示); nil: the scheme sets none, and a
	// branch cannot start the year's 公示 under it.
	YearEnd *YearEndRule `json:"yearend,omitempty" yaml:"yearend"`
}

// YearEndRule: the year's star ratings are published (公示) for PublicityDays working days
// before they are confirmed; Source is where the number comes from.
type YearEndRule struct {
	PublicityDays int    `json:"publicity_days" yaml:"publicity_days"`
	Source        string `json:"source,omitempty" yaml:"source"`
}

// CatCap caps a category's points in a year (absolute: a deduction's cap bounds what is
// taken off).
type CatCap struct {
	Code string `json:"code" yaml:"code"`
	Cap  int    `json:"cap" yaml:"cap"`
}

// StarBand: a total of at least Min earns Stars. Share, when set ("1/10"), is the share of
// a branch above which the band is flagged — a warning, never a forced distribution.
type StarBand struct {
	Min   int    `json:"min" yaml:"min"`
	Stars int    `json:"stars" yaml:"stars"`
	Name  string `json:"name" yaml:"name"`
	Share string `json:"share,omitempty" yaml:"share"`
}

// Layer is a group of members with their own items (在职, 离退休, 流动 …).
type Layer struct {
	Code    string `json:"code" yaml:"code"`
	Name    string `json:"name" yaml:"name"`
	Default bool   `json:"default" yaml:"default"`
	// Categories and Statuses select the members (member category and status codes); a
	// layer matches when each given list holds the member's value. The first match wins;
	// the default layer takes the rest.
	Categories []string `json:"categories,omitempty" yaml:"categories"`
	Statuses   []string `json:"statuses,omitempty" yaml:"statuses"`
	Items      []Item   `json:"items" yaml:"items"`
}

// Item is one way to earn or lose points.
type Item struct {
	Code     string `json:"code" yaml:"code"`
	Name     string `json:"name" yaml:"name"`
	NameEN   string `json:"name_en" yaml:"name_en"`
	Category string `json:"category" yaml:"category"`
	Points   int    `json:"points" yaml:"points"`       // per event, positive; a deduction subtracts it
	Cap      int    `json:"cap" yaml:"cap"`             // the most per year (0: a 一票否决 item)
	MaxTimes int    `json:"max_times" yaml:"max_times"` // the most events per year (0: no limit)
	Evidence string `json:"evidence" yaml:"evidence"`   // none, record (a link to our records), attachment
	Arises   string `json:"arises" yaml:"arises"`       // claim, branch, attendance
	// Kinds are the activity kinds whose attendance yields the item (arises: attendance).
	Kinds    []string `json:"kinds,omitempty" yaml:"kinds"`
	Approver string   `json:"approver" yaml:"approver"` // branch or parent (claims)
	Note     string   `json:"note,omitempty" yaml:"note"`
}

// LayerFor is the layer a member of category and status falls in.
func (s *Scheme) LayerFor(category, status string) *Layer {
	for i := range s.Layers {
		l := &s.Layers[i]
		if !l.Default && (len(l.Categories) == 0 || has(l.Categories, category)) && (len(l.Statuses) == 0 || has(l.Statuses, status)) {
			return l
		}
	}
	for i := range s.Layers {
		if s.Layers[i].Default {
			return &s.Layers[i]
		}
	}
	return nil
}

// Item finds an item of the layer by code.
func (l *Layer) Item(code string) *Item {
	for i := range l.Items {
		if l.Items[i].Code == code {
			return &l.Items[i]
		}
	}
	return nil
}

// CatCap is the category's yearly cap, 0 when the scheme sets none.
func (s *Scheme) CatCap(code string) int {
	for _, c := range s.Categories {
		if c.Code == code {
			return c.Cap
		}
	}
	return 0
}

// Band is the star band a total reaches (nil: none).
func (s *Scheme) Band(total int) *StarBand {
	var best *StarBand
	for i := range s.Stars {
		b := &s.Stars[i]
		if total >= b.Min && (best == nil || b.Min > best.Min) {
			best = b
		}
	}
	return best
}

func has(xs []string, v string) bool {
	for _, x := range xs {
		if x == v {
			return true
		}
	}
	return false
}

// ExampleText is the documented example scheme shipped with the product.
func ExampleText() []byte {
	b, err := schemeFiles.ReadFile("schemes/example.yaml")
	if err != nil {
		panic(err)
	}
	return b
}

// SchemaJSON is the JSON Schema of the scheme format.
func SchemaJSON() []byte {
	b, _ := schemeFiles.ReadFile("schemes/schema.json")
	return b
}

// ParseScheme reads a scheme (YAML or JSON), checks it against the schema, the rules between
// its parts and the anti-formalism rules, and returns every problem with its line.
func ParseScheme(text []byte) (*Scheme, error) {
	doc, errs := validateYAML(text)
	if errs != nil {
		return nil, errs
	}
	var s Scheme
	if err := doc.Decode(&s); err != nil {
		return nil, SchemeErrors{schemeErr(doc.Line, "/", "ys.raw", err.Error())}
	}
	errs = append(s.check(doc), s.forbidden(doc)...)
	if len(errs) > 0 {
		sortErrors(errs)
		return nil, errs
	}
	return &s, nil
}

// check finds what the schema cannot: duplicate codes, one default layer, a year that
// matches the effective date, kinds on attendance items only, caps that fit the points.
func (s *Scheme) check(doc *yaml.Node) SchemeErrors {
	var out SchemeErrors
	add := func(loc []string, key string, args ...any) {
		out = append(out, schemeErr(yamldoc.NodeAt(doc, loc).Line, "/"+strings.Join(loc, "/"), key, args...))
	}
	if d, err := time.Parse("2006-01-02", s.EffectiveFrom); err != nil {
		add([]string{"effective_from"}, "ys.date", s.EffectiveFrom)
	} else if d.Year() != s.Year {
		add([]string{"effective_from"}, "pts.year", s.EffectiveFrom, s.Year)
	}
	cats := map[string]bool{}
	for i, c := range s.Categories {
		if cats[c.Code] {
			add([]string{"categories", strconv.Itoa(i), "code"}, "pts.dup", c.Code)
		}
		cats[c.Code] = true
	}
	defaults := 0
	layers := map[string]bool{}
	for i, l := range s.Layers {
		at := []string{"layers", strconv.Itoa(i)}
		if layers[l.Code] {
			add(append(at, "code"), "pts.dup", l.Code)
		}
		layers[l.Code] = true
		if l.Default {
			defaults++
		}
		items := map[string]bool{}
		for j, it := range l.Items {
			iat := append(append([]string{}, at...), "items", strconv.Itoa(j))
			f := func(name string) []string { return append(append([]string{}, iat...), name) }
			if items[it.Code] {
				add(f("code"), "pts.dup", it.Code)
			}
			items[it.Code] = true
			if it.Category != Veto && it.Cap < it.Points {
				add(f("cap"), "pts.cap_small", it.Cap, it.Points)
			}
			if (it.Arises == ByAttendance) != (len(it.Kinds) > 0) {
				add(f("kinds"), "pts.kinds")
			}
			if it.Arises == ByAttendance && it.Category != Basic && it.Category != Reward {
				add(f("category"), "pts.derived_cat")
			}
		}
	}
	if defaults != 1 {
		add([]string{"layers"}, "pts.default", defaults)
	}
	return out
}
