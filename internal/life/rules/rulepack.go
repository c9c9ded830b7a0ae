package rules

import (
	"bytes"
	"dangjian/internal/org"
	"embed"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"go.yaml.in/yaml/v3"

	"dangjian/internal/platform/clock"
	"dangjian/internal/platform/i18n"
	"dangjian/internal/platform/yamldoc"
)

//go:embed rulepacks
var packFiles embed.FS

// Kind is an activity kind: the national ones, plus local kinds a pack adds.
type Kind struct {
	Code   string `json:"code" yaml:"code"`
	Name   string `json:"name" yaml:"name"`
	NameEN string `json:"name_en" yaml:"name_en"`
	Local  bool   `json:"local,omitempty" yaml:"-"` // defined by the pack, not by 支部工作条例
}

// NationalKinds are the activities of 支部工作条例.
var NationalKinds = []Kind{
	{Code: "branch_general_meeting", Name: "支部党员大会", NameEN: "Branch general meeting"},
	{Code: "committee_meeting", Name: "支部委员会会议", NameEN: "Branch committee meeting"},
	{Code: "group_meeting", Name: "党小组会", NameEN: "Party group meeting"},
	{Code: "party_lecture", Name: "党课", NameEN: "Party lecture"},
	{Code: "theme_day", Name: "主题党日", NameEN: "Theme Party day"},
	{Code: "life_meeting", Name: "组织生活会", NameEN: "Organizational life meeting"},
	{Code: "member_review", Name: "民主评议党员", NameEN: "Democratic appraisal of members"},
	{Code: "heart_talk", Name: "谈心谈话", NameEN: "Heart-to-heart talk"},
}

// Rule says how often an activity must be held by which organizations, and why.
type Rule struct {
	ID             string   `json:"id" yaml:"id"`
	Name           string   `json:"name" yaml:"name"`
	NameEN         string   `json:"name_en" yaml:"name_en"`
	Activity       string   `json:"activity" yaml:"activity"`
	AppliesTo      []string `json:"applies_to" yaml:"applies_to"`
	MinFullMembers int      `json:"min_full_members" yaml:"min_full_members"`
	Period         Unit     `json:"period" yaml:"period"`
	MinCount       int      `json:"min_count" yaml:"min_count"`
	RemindDays     int      `json:"remind_days" yaml:"remind_days"`
	Source         string   `json:"source" yaml:"source"`
	Note           string   `json:"note" yaml:"note"`
	EffectiveFrom  string   `json:"effective_from" yaml:"effective_from"`
	EffectiveTo    string   `json:"effective_to" yaml:"effective_to"`
	// Speaker "secretary": only activities whose speaker is the organization's secretary
	// count (党委书记每年至少讲1次党课).
	Speaker string `json:"speaker,omitempty" yaml:"speaker"`
}

// AppraisalRules are the figures of 民主评议党员 and of what follows a 不合格 grade.
type AppraisalRules struct {
	// ExcellentShare is the most 优秀 may be of the full members graded, "1/3": at most
	// ⌊n × share⌋ (不超过 rounds down).
	ExcellentShare string `json:"excellent_share" yaml:"excellent_share"`
	// CorrectionMonths is the default 限期改正 after the appraisal; CorrectionMaxMonths the most.
	CorrectionMonths    int    `json:"correction_months" yaml:"correction_months"`
	CorrectionMaxMonths int    `json:"correction_max_months" yaml:"correction_max_months"`
	CorrectionRemind    int    `json:"correction_remind_days" yaml:"correction_remind_days"`
	Source              string `json:"source" yaml:"source"`
}

// YearFor says which activities are held for a year: by default those held in the first
// CarryMonths months of a year count for the year before.
type YearFor struct {
	Kinds       []string `json:"kinds" yaml:"kinds"`
	CarryMonths int      `json:"carry_months" yaml:"carry_months"`
	Source      string   `json:"source" yaml:"source"`
}

// OrgRules are the figures of the organization checks (支部工作条例 第二章, 第六章).
type OrgRules struct {
	MinFullMembers int `json:"min_full_members" yaml:"min_full_members"` // a branch: at least this many full members
	MaxMembers     int `json:"max_members" yaml:"max_members"`           // … and generally at most this many members
	// CommitteeMinMembers: a branch bound to have a committee (the 支委会 rule's
	// min_full_members) has none while fewer hold a post.
	CommitteeMinMembers int    `json:"committee_min_members" yaml:"committee_min_members"`
	Source              string `json:"source" yaml:"source"`
}

// Pack is a versioned set of rules with effective dates (DESIGN principle 4).
type Pack struct {
	ID            string `json:"id" yaml:"id"`
	Name          string `json:"name" yaml:"name"`
	Version       string `json:"version" yaml:"version"`
	Description   string `json:"description" yaml:"description"`
	EffectiveFrom string `json:"effective_from" yaml:"effective_from"`
	EffectiveTo   string `json:"effective_to" yaml:"effective_to"`
	Kinds         []Kind `json:"kinds" yaml:"kinds"`
	Rules         []Rule `json:"rules" yaml:"rules"`
	Lapse         *Lapse `json:"lapse,omitempty" yaml:"lapse"` // the 6-month rule (lapse.go)
	// Appraisal and YearFor, when a pack leaves them out, are the national pack's.
	Appraisal *AppraisalRules `json:"appraisal,omitempty" yaml:"appraisal"`
	YearFor   *YearFor        `json:"year_for,omitempty" yaml:"year_for"`
	Org       *OrgRules       `json:"org,omitempty" yaml:"org"`
	Checkin   *CheckinRules   `json:"checkin,omitempty" yaml:"checkin"`
	// Themes are suggested topics by month (optional; a local pack's 主题党日 themes).
	Themes []Theme `json:"themes,omitempty" yaml:"themes"`
}

// CheckinRules bound self sign-in: a code works from OpensMinutesBefore the start to the end.
type CheckinRules struct {
	OpensMinutesBefore int    `json:"opens_minutes_before" yaml:"opens_minutes_before"`
	Source             string `json:"source" yaml:"source"`
}

// Theme is a suggested topic for the records of kinds (none: theme_day) held in a month.
type Theme struct {
	Month int      `json:"month" yaml:"month"`
	Kinds []string `json:"kinds,omitempty" yaml:"kinds"`
	Theme string   `json:"theme" yaml:"theme"`
}

// Checkins is the pack's sign-in figures, or the national pack's.
func (p *Pack) Checkins() CheckinRules {
	if p.Checkin != nil || p == national {
		return *p.Checkin
	}
	return national.Checkins()
}

// ThemeFor is the pack's suggested theme for a record of kind in month (1–12), "" when none.
func (p *Pack) ThemeFor(month int, kind string) string {
	for _, t := range p.Themes {
		if t.Month != month {
			continue
		}
		if (len(t.Kinds) == 0 && kind == "theme_day") || HasKind(t.Kinds, kind) {
			return t.Theme
		}
	}
	return ""
}

// Orgs is the pack's organization figures, or the national pack's.
func (p *Pack) Orgs() OrgRules {
	if p.Org != nil || p == national {
		return *p.Org
	}
	return national.Orgs()
}

// OrgThresholds are the figures the org checks run with: the pack's org section, and the
// committee from the 支委会 rule's min_full_members (one figure, not two).
func (p *Pack) OrgThresholds() org.Thresholds {
	o := p.Orgs()
	t := org.Thresholds{MinFull: o.MinFullMembers, MaxMembers: o.MaxMembers, CommitteeMin: o.CommitteeMinMembers}
	for _, r := range p.Rules {
		if r.Activity == "committee_meeting" && r.MinFullMembers > 0 {
			t.CommitteeFrom = r.MinFullMembers
		}
	}
	return t
}

// Appraising is the pack's appraisal figures, or the national pack's.
func (p *Pack) Appraising() AppraisalRules {
	if p.Appraisal != nil || p == national {
		return *p.Appraisal
	}
	return national.Appraising()
}

// Years is the pack's year attribution, or the national pack's.
func (p *Pack) Years() YearFor {
	if p.YearFor != nil || p == national {
		return *p.YearFor
	}
	return national.Years()
}

// ExcellentCap is the most 优秀 among n full members: ⌊n × share⌋ (the ⅓ cap of 民主评议,
// enforced by the appraisal package).
func (a AppraisalRules) ExcellentCap(n int) int {
	num, den, _ := parseShare(a.ExcellentShare)
	return n * num / den
}

// parseShare reads "1/3" (the schema has checked its shape).
func parseShare(s string) (num, den int, ok bool) {
	a, b, found := strings.Cut(s, "/")
	num, err1 := strconv.Atoi(a)
	den, err2 := strconv.Atoi(b)
	if !found || err1 != nil || err2 != nil || den <= 0 || num < 0 || num > den {
		return 0, 1, false
	}
	return num, den, true
}

// ForYear is the year an activity of kinds held at t counts for by default: the year before
// when held in the pack's first months of a year and of a kind held for a year.
func (p *Pack) ForYear(kinds []string, t time.Time) int {
	y := p.Years()
	local := t.In(clock.CST)
	for _, k := range kinds {
		if HasKind(y.Kinds, k) && int(local.Month()) <= y.CarryMonths {
			return local.Year() - 1
		}
	}
	return local.Year()
}

// HeldForYear tells whether activities of kind k count for the year they are held for.
func (p *Pack) HeldForYear(k string) bool { return HasKind(p.Years().Kinds, k) }

// PackError is one problem in a rule pack, at a line of its text.
type PackError struct {
	Line   int    `json:"line"`
	Path   string `json:"path"` // e.g. /rules/2/period
	Reason string `json:"reason"`
	// Msg is the reason in the reader's language (Reason is its English text).
	Msg i18n.Msg `json:"-"`
}

// packErr is a problem at a line, its reason a message of the catalog.
func packErr(line int, path, key string, args ...any) PackError {
	return PackError{Line: line, Path: path, Reason: i18n.T(i18n.EN, key, args...), Msg: i18n.M(key, args...)}
}

func init() {
	i18n.Register(map[string][2]string{
		"pack.raw":       {"%s", "%s"},
		"pack.empty":     {"规则包是空的", "empty pack"},
		"pack.enum":      {"应为 %s 之一，实际为“%s”", "must be one of %s (got %q)"},
		"pack.required":  {"缺少必填项 %s", "missing %s"},
		"pack.type":      {"应为%s，实际为%s", "must be %s (got %s)"},
		"pack.unknown":   {"不认识的字段 %s（是否拼写有误？）", "unknown field %s"},
		"pack.blank":     {"不能为空", "must not be empty"},
		"pack.minlen":    {"至少 %d 个字符", "at least %d characters"},
		"pack.maxlen":    {"至多 %d 个字符", "at most %d characters"},
		"pack.pattern":   {"格式不符（应匹配 %s），实际为“%s”", "does not match %s (got %q)"},
		"pack.min":       {"不能小于 %s，实际为 %s", "must be at least %s (got %s)"},
		"pack.max":       {"不能大于 %s，实际为 %s", "must be at most %s (got %s)"},
		"pack.minitems":  {"至少要有 %d 项", "needs at least %d item(s)"},
		"pack.date":      {"“%s”不是日期（应为 YYYY-MM-DD）", "%q is not a date"},
		"pack.reversed":  {"结束日期早于开始日期（%s）", "ends before it starts (%s)"},
		"pack.kind_dup":  {"活动类型“%s”已有定义", "kind %q is already defined"},
		"pack.rule_dup":  {"规则编号“%s”与第 %d 条规则重复", "rule id %q is also used by rule %d"},
		"pack.share":     {"比例应为 0 到 1 之间的分数，如 1/3，实际为“%s”", "must be a fraction between 0 and 1 such as 1/3 (got %q)"},
		"pack.months":    {"默认期限（%d个月）不能超过最长期限（%d个月）", "the default (%d months) exceeds the maximum (%d months)"},
		"pack.kind_none": {"未知的活动类型“%s”（应为全国通用类型或本规则包 kinds 中定义的类型）", "unknown activity kind %q (national kinds or this pack's kinds)"},
		"type.string":    {"文本", "a string"},
		"type.integer":   {"整数", "an integer"},
		"type.number":    {"数字", "a number"},
		"type.array":     {"列表", "a list"},
		"type.object":    {"对象（键: 值）", "an object"},
		"type.boolean":   {"true 或 false", "true or false"},
		"type.null":      {"空值", "null"},
	})
}

// PackErrors is everything wrong with a pack; a pack with any is never loaded.
type PackErrors []PackError

func (es PackErrors) Error() string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = fmt.Sprintf("line %d (%s): %s", e.Line, e.Path, e.Reason)
	}
	return strings.Join(parts, "; ")
}

var (
	schemaOnce sync.Once
	schema     *jsonschema.Schema
	schemaErr  error
)

func packSchema() (*jsonschema.Schema, error) {
	schemaOnce.Do(func() {
		raw, err := packFiles.ReadFile("rulepacks/schema.json")
		if err != nil {
			schemaErr = err
			return
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
		if err != nil {
			schemaErr = err
			return
		}
		c := jsonschema.NewCompiler()
		if err := c.AddResource("rulepack.schema.json", doc); err != nil {
			schemaErr = err
			return
		}
		schema, schemaErr = c.Compile("rulepack.schema.json")
	})
	return schema, schemaErr
}

// SchemaJSON is the JSON Schema of the pack format (served with the API and documented).
func SchemaJSON() []byte {
	b, _ := packFiles.ReadFile("rulepacks/schema.json")
	return b
}

// ParsePack reads a YAML (or JSON) rule pack, checks it against the schema and the rules
// between its parts, and returns every problem with its line.
func ParsePack(text []byte) (*Pack, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(text, &root); err != nil {
		return nil, PackErrors{packErr(yamldoc.ErrorLine(err), "/", "pack.raw", err.Error())}
	}
	if len(root.Content) == 0 {
		return nil, PackErrors{packErr(1, "/", "pack.empty")}
	}
	doc := root.Content[0]
	var generic any
	if err := doc.Decode(&generic); err != nil {
		return nil, PackErrors{packErr(doc.Line, "/", "pack.raw", err.Error())}
	}
	sch, err := packSchema()
	if err != nil {
		return nil, err
	}
	if err := sch.Validate(yamldoc.JSONCompatible(generic)); err != nil {
		var ve *jsonschema.ValidationError
		if !errors.As(err, &ve) {
			return nil, err
		}
		var out PackErrors
		for _, leaf := range yamldoc.Leaves(ve) {
			n := yamldoc.NodeAt(doc, leaf.InstanceLocation)
			key, args := leafMessage(leaf)
			out = append(out, packErr(n.Line, "/"+strings.Join(leaf.InstanceLocation, "/"), key, args...))
		}
		sortErrors(out)
		return nil, out
	}
	var p Pack
	if err := doc.Decode(&p); err != nil {
		return nil, PackErrors{packErr(doc.Line, "/", "pack.raw", err.Error())}
	}
	if errs := p.check(doc); len(errs) > 0 {
		sortErrors(errs)
		return nil, errs
	}
	return &p, nil
}

// check finds what the schema cannot: unknown activity kinds, duplicate ids, bad dates.
func (p *Pack) check(doc *yaml.Node) PackErrors {
	var out PackErrors
	add := func(loc []string, key string, args ...any) {
		out = append(out, packErr(yamldoc.LineAt(doc, loc), "/"+strings.Join(loc, "/"), key, args...))
	}
	dateOK := func(loc []string, s string) bool {
		if s == "" {
			return true
		}
		if _, err := time.Parse("2006-01-02", s); err != nil {
			add(loc, "pack.date", s)
			return false
		}
		return true
	}
	if dateOK([]string{"effective_from"}, p.EffectiveFrom) && dateOK([]string{"effective_to"}, p.EffectiveTo) &&
		p.EffectiveTo != "" && p.EffectiveTo < p.EffectiveFrom {
		add([]string{"effective_to"}, "pack.reversed", p.EffectiveFrom)
	}
	kinds := map[string]bool{}
	for _, k := range NationalKinds {
		kinds[k.Code] = true
	}
	for i, k := range p.Kinds {
		if kinds[k.Code] {
			add([]string{"kinds", strconv.Itoa(i), "code"}, "pack.kind_dup", k.Code)
		}
		kinds[k.Code] = true
	}
	if a := p.Appraisal; a != nil {
		if _, _, ok := parseShare(a.ExcellentShare); !ok {
			add([]string{"appraisal", "excellent_share"}, "pack.share", a.ExcellentShare)
		}
		if a.CorrectionMonths > a.CorrectionMaxMonths {
			add([]string{"appraisal", "correction_months"}, "pack.months", a.CorrectionMonths, a.CorrectionMaxMonths)
		}
	}
	if y := p.YearFor; y != nil {
		for i, k := range y.Kinds {
			if !kinds[k] {
				add([]string{"year_for", "kinds", strconv.Itoa(i)}, "pack.kind_none", k)
			}
		}
	}
	for i, t := range p.Themes {
		for j, k := range t.Kinds {
			if !kinds[k] {
				add([]string{"themes", strconv.Itoa(i), "kinds", strconv.Itoa(j)}, "pack.kind_none", k)
			}
		}
	}
	ids := map[string]int{}
	for i, r := range p.Rules {
		at := func(f string) []string { return []string{"rules", strconv.Itoa(i), f} }
		if j, dup := ids[r.ID]; dup {
			add(at("id"), "pack.rule_dup", r.ID, j+1)
		}
		ids[r.ID] = i
		if !kinds[r.Activity] {
			add(at("activity"), "pack.kind_none", r.Activity)
		}
		if dateOK(at("effective_from"), r.EffectiveFrom) && dateOK(at("effective_to"), r.EffectiveTo) &&
			r.EffectiveTo != "" && r.EffectiveFrom != "" && r.EffectiveTo < r.EffectiveFrom {
			add(at("effective_to"), "pack.reversed", r.EffectiveFrom)
		}
	}
	return out
}

// KindNames lists every activity kind the pack knows: national first, then local.
func (p *Pack) KindNames() []Kind {
	out := append([]Kind{}, NationalKinds...)
	for _, k := range p.Kinds {
		k.Local = true
		out = append(out, k)
	}
	return out
}

// nationalText is the text of the national pack shipped with the product.
func nationalText() []byte {
	text, err := packFiles.ReadFile("rulepacks/national.yaml")
	if err != nil {
		panic(err)
	}
	return text
}

// DefaultPack is the national pack shipped with the product.
func DefaultPack() *Pack {
	p, err := ParsePack(nationalText())
	if err != nil {
		panic("the embedded national rule pack is invalid: " + err.Error())
	}
	return p
}

// leafMessage says what a schema violation means, as a message of the catalog (the library's
// own text is English only).
func leafMessage(e *jsonschema.ValidationError) (string, []any) {
	switch k := e.ErrorKind.(type) {
	case *kind.Enum:
		want := make([]string, len(k.Want))
		for i, w := range k.Want {
			want[i] = fmt.Sprint(w)
		}
		return "pack.enum", []any{strings.Join(want, "、"), fmt.Sprint(k.Got)}
	case *kind.Required:
		return "pack.required", []any{strings.Join(k.Missing, "、")}
	case *kind.Type:
		want := make([]any, len(k.Want))
		for i, w := range k.Want {
			want[i] = i18n.M("type." + w)
		}
		if len(want) == 1 {
			return "pack.type", []any{want[0], i18n.M("type." + k.Got)}
		}
		return "pack.raw", []any{leafReason(e)}
	case *kind.AdditionalProperties:
		return "pack.unknown", []any{strings.Join(k.Properties, "、")}
	case *kind.MinLength:
		if k.Want == 1 {
			return "pack.blank", nil
		}
		return "pack.minlen", []any{k.Want}
	case *kind.MaxLength:
		return "pack.maxlen", []any{k.Want}
	case *kind.Pattern:
		return "pack.pattern", []any{k.Want, k.Got}
	case *kind.Minimum:
		return "pack.min", []any{k.Want.RatString(), k.Got.RatString()}
	case *kind.Maximum:
		return "pack.max", []any{k.Want.RatString(), k.Got.RatString()}
	case *kind.MinItems:
		return "pack.minitems", []any{k.Want}
	}
	return "pack.raw", []any{leafReason(e)}
}

func leafReason(e *jsonschema.ValidationError) string {
	s := e.Error()
	// The library prefixes "jsonschema validation failed with '…'"; keep the reason itself.
	if i := strings.LastIndex(s, "\n"); i >= 0 {
		s = s[i+1:]
	}
	s = strings.TrimSpace(s)
	if i := strings.Index(s, ": "); i >= 0 && strings.HasPrefix(s, "at '") {
		s = s[i+2:]
	}
	return s
}

func sortErrors(es PackErrors) {
	sort.SliceStable(es, func(i, j int) bool { return es[i].Line < es[j].Line })
}
