package life

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v3"
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
}

// PackError is one problem in a rule pack, at a line of its text.
type PackError struct {
	Line   int    `json:"line"`
	Path   string `json:"path"` // e.g. /rules/2/period
	Reason string `json:"reason"`
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
		return nil, PackErrors{{Line: yamlErrorLine(err), Path: "/", Reason: err.Error()}}
	}
	if len(root.Content) == 0 {
		return nil, PackErrors{{Line: 1, Path: "/", Reason: "empty pack"}}
	}
	doc := root.Content[0]
	var generic any
	if err := doc.Decode(&generic); err != nil {
		return nil, PackErrors{{Line: doc.Line, Path: "/", Reason: err.Error()}}
	}
	sch, err := packSchema()
	if err != nil {
		return nil, err
	}
	if err := sch.Validate(jsonCompatible(generic)); err != nil {
		var ve *jsonschema.ValidationError
		if !errors.As(err, &ve) {
			return nil, err
		}
		var out PackErrors
		for _, leaf := range leaves(ve) {
			n := nodeAt(doc, leaf.InstanceLocation)
			reason := leafReason(leaf)
			if n.Kind == yaml.ScalarNode && len(leaf.InstanceLocation) > 0 {
				reason += fmt.Sprintf(" (got %q)", n.Value)
			}
			out = append(out, PackError{Line: n.Line, Path: "/" + strings.Join(leaf.InstanceLocation, "/"), Reason: reason})
		}
		sortErrors(out)
		return nil, out
	}
	var p Pack
	if err := doc.Decode(&p); err != nil {
		return nil, PackErrors{{Line: doc.Line, Path: "/", Reason: err.Error()}}
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
	add := func(loc []string, format string, args ...any) {
		out = append(out, PackError{Line: lineAt(doc, loc), Path: "/" + strings.Join(loc, "/"), Reason: fmt.Sprintf(format, args...)})
	}
	dateOK := func(loc []string, s string) bool {
		if s == "" {
			return true
		}
		if _, err := time.Parse("2006-01-02", s); err != nil {
			add(loc, "%q is not a date", s)
			return false
		}
		return true
	}
	if dateOK([]string{"effective_from"}, p.EffectiveFrom) && dateOK([]string{"effective_to"}, p.EffectiveTo) &&
		p.EffectiveTo != "" && p.EffectiveTo < p.EffectiveFrom {
		add([]string{"effective_to"}, "ends before it starts (%s)", p.EffectiveFrom)
	}
	kinds := map[string]bool{}
	for _, k := range NationalKinds {
		kinds[k.Code] = true
	}
	for i, k := range p.Kinds {
		if kinds[k.Code] {
			add([]string{"kinds", strconv.Itoa(i), "code"}, "kind %q is already defined", k.Code)
		}
		kinds[k.Code] = true
	}
	ids := map[string]int{}
	for i, r := range p.Rules {
		at := func(f string) []string { return []string{"rules", strconv.Itoa(i), f} }
		if j, dup := ids[r.ID]; dup {
			add(at("id"), "rule id %q is also used by rule %d", r.ID, j+1)
		}
		ids[r.ID] = i
		if !kinds[r.Activity] {
			add(at("activity"), "unknown activity kind %q (national kinds or this pack's kinds)", r.Activity)
		}
		if dateOK(at("effective_from"), r.EffectiveFrom) && dateOK(at("effective_to"), r.EffectiveTo) &&
			r.EffectiveTo != "" && r.EffectiveFrom != "" && r.EffectiveTo < r.EffectiveFrom {
			add(at("effective_to"), "ends before it starts (%s)", r.EffectiveFrom)
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

func leaves(e *jsonschema.ValidationError) []*jsonschema.ValidationError {
	if len(e.Causes) == 0 {
		return []*jsonschema.ValidationError{e}
	}
	var out []*jsonschema.ValidationError
	for _, c := range e.Causes {
		out = append(out, leaves(c)...)
	}
	return out
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

// lineAt finds the line of the value at a JSON-pointer-like location in a YAML document;
// for a missing key, the line of the nearest parent.
func lineAt(n *yaml.Node, loc []string) int { return nodeAt(n, loc).Line }

// nodeAt finds the node at a location, or the nearest parent that exists.
func nodeAt(n *yaml.Node, loc []string) *yaml.Node {
	for _, seg := range loc {
		switch n.Kind {
		case yaml.MappingNode:
			found := false
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Content[i].Value == seg {
					n, found = n.Content[i+1], true
					break
				}
			}
			if !found {
				return n
			}
		case yaml.SequenceNode:
			i, err := strconv.Atoi(seg)
			if err != nil || i < 0 || i >= len(n.Content) {
				return n
			}
			n = n.Content[i]
		default:
			return n
		}
	}
	return n
}

func yamlErrorLine(err error) int {
	var line int
	if _, scanErr := fmt.Sscanf(strings.TrimPrefix(err.Error(), "yaml: "), "line %d:", &line); scanErr == nil {
		return line
	}
	return 1
}

// jsonCompatible turns YAML's decoded values into what a JSON Schema validator expects.
func jsonCompatible(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = jsonCompatible(e)
		}
		return out
	case map[any]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[fmt.Sprint(k)] = jsonCompatible(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = jsonCompatible(e)
		}
		return out
	case time.Time:
		return x.Format("2006-01-02")
	case int:
		return float64(x)
	case int64:
		return float64(x)
	case uint64:
		return float64(x)
	default:
		return v
	}
}

func sortErrors(es PackErrors) {
	sort.SliceStable(es, func(i, j int) bool { return es[i].Line < es[j].Line })
}
