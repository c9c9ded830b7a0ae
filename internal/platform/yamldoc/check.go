package yamldoc

// Check is the whole YAML-against-JSON-Schema check for a document users load, for the
// domains that have no checks of their own beyond the schema's (述职评议 rules, classification
// classes): parse, validate, and every violation as a line-numbered message of the catalog.

import (
	"bytes"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"go.yaml.in/yaml/v3"

	"dangjian/internal/platform/i18n"
)

// Problem is one violation at a line of the document.
type Problem struct {
	Line int      `json:"line"`
	Path string   `json:"path"` // e.g. /groups/2/weight
	Msg  i18n.Msg `json:"-"`
}

// Problems is everything wrong with a document.
type Problems []Problem

func (ps Problems) Error() string {
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = fmt.Sprintf("line %d (%s): %s", p.Line, p.Path, p.Msg.Render(i18n.EN))
	}
	return strings.Join(parts, "; ")
}

func init() {
	i18n.Register(map[string][2]string{
		"yd.raw":      {"%s", "%s"},
		"yd.empty":    {"内容是空的", "empty document"},
		"yd.enum":     {"应为 %s 之一，实际为“%s”", "must be one of %s (got %q)"},
		"yd.required": {"缺少必填项 %s", "missing %s"},
		"yd.type":     {"类型不符：%s", "wrong type: %s"},
		"yd.unknown":  {"不认识的字段 %s（是否拼写有误？）", "unknown field %s"},
		"yd.blank":    {"不能为空", "must not be empty"},
		"yd.pattern":  {"格式不符（应匹配 %s），实际为“%s”", "does not match %s (got %q)"},
		"yd.min":      {"不能小于 %s，实际为 %s", "must be at least %s (got %s)"},
		"yd.max":      {"不能大于 %s，实际为 %s", "must be at most %s (got %s)"},
		"yd.minitems": {"至少要有 %d 项", "needs at least %d item(s)"},
		"yd.line":     {"第%d行（%s）：%s", "line %d (%s): %s"},
	})
}

// Compile compiles an embedded JSON Schema (a programming error when it fails).
func Compile(name string, raw []byte) *jsonschema.Schema {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		panic(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource(name, doc); err != nil {
		panic(err)
	}
	return c.MustCompile(name)
}

// Check parses text and validates it against sch; it returns the document node, or every
// violation with its line, sorted by line.
func Check(text []byte, sch *jsonschema.Schema) (*yaml.Node, Problems) {
	var root yaml.Node
	if err := yaml.Unmarshal(text, &root); err != nil {
		return nil, Problems{{ErrorLine(err), "/", i18n.M("yd.raw", err.Error())}}
	}
	if len(root.Content) == 0 {
		return nil, Problems{{1, "/", i18n.M("yd.empty")}}
	}
	doc := root.Content[0]
	var generic any
	if err := doc.Decode(&generic); err != nil {
		return nil, Problems{{doc.Line, "/", i18n.M("yd.raw", err.Error())}}
	}
	err := sch.Validate(JSONCompatible(generic))
	if err == nil {
		return doc, nil
	}
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return nil, Problems{{1, "/", i18n.M("yd.raw", err.Error())}}
	}
	var out Problems
	for _, leaf := range Leaves(ve) {
		out = append(out, Problem{LineAt(doc, leaf.InstanceLocation), "/" + strings.Join(leaf.InstanceLocation, "/"), message(leaf)})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Line < out[j].Line })
	return nil, out
}

// At is a problem found by a domain's own check after the schema's, at loc of doc.
func At(doc *yaml.Node, loc []string, key string, args ...any) Problem {
	return Problem{LineAt(doc, loc), "/" + strings.Join(loc, "/"), i18n.M(key, args...)}
}

func message(e *jsonschema.ValidationError) i18n.Msg {
	switch k := e.ErrorKind.(type) {
	case *kind.Enum:
		want := make([]string, len(k.Want))
		for i, w := range k.Want {
			want[i] = fmt.Sprint(w)
		}
		return i18n.M("yd.enum", strings.Join(want, "、"), fmt.Sprint(k.Got))
	case *kind.Required:
		return i18n.M("yd.required", strings.Join(k.Missing, "、"))
	case *kind.AdditionalProperties:
		return i18n.M("yd.unknown", strings.Join(k.Properties, "、"))
	case *kind.MinLength:
		return i18n.M("yd.blank")
	case *kind.Pattern:
		return i18n.M("yd.pattern", k.Want, k.Got)
	case *kind.Minimum:
		return i18n.M("yd.min", k.Want.RatString(), k.Got.RatString())
	case *kind.Maximum:
		return i18n.M("yd.max", k.Want.RatString(), k.Got.RatString())
	case *kind.MinItems:
		return i18n.M("yd.minitems", k.Want)
	case *kind.Type:
		return i18n.M("yd.type", fmt.Sprintf("%v ≠ %s", k.Want, k.Got))
	}
	return i18n.M("yd.raw", e.Error())
}
