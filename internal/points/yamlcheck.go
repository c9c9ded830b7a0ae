package points

// The YAML-against-JSON-Schema check with line numbers, like the rule packs' (both find lines
// and hand the document to the validator through internal/platform/yamldoc); the messages are
// the scheme's own catalog keys.

import (
	"bytes"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"go.yaml.in/yaml/v3"

	"dangjian/internal/platform/i18n"
	"dangjian/internal/platform/yamldoc"
)

// SchemeError is one problem in a scheme, at a line of its text.
type SchemeError struct {
	Line   int      `json:"line"`
	Path   string   `json:"path"` // e.g. /layers/0/items/2/cap
	Reason string   `json:"reason"`
	Msg    i18n.Msg `json:"-"`
}

// SchemeErrors is everything wrong with a scheme; a scheme with any is never published.
type SchemeErrors []SchemeError

func (es SchemeErrors) Error() string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = fmt.Sprintf("line %d (%s): %s", e.Line, e.Path, e.Reason)
	}
	return strings.Join(parts, "; ")
}

func schemeErr(line int, path, key string, args ...any) SchemeError {
	return SchemeError{Line: line, Path: path, Reason: i18n.T(i18n.EN, key, args...), Msg: i18n.M(key, args...)}
}

func init() {
	i18n.Register(map[string][2]string{
		"ys.raw":      {"%s", "%s"},
		"ys.empty":    {"内容是空的", "empty document"},
		"ys.enum":     {"应为 %s 之一，实际为“%s”", "must be one of %s (got %q)"},
		"ys.required": {"缺少必填项 %s", "missing %s"},
		"ys.type":     {"类型不符：%s", "wrong type: %s"},
		"ys.unknown":  {"不认识的字段 %s（是否拼写有误？）", "unknown field %s"},
		"ys.blank":    {"不能为空", "must not be empty"},
		"ys.pattern":  {"格式不符（应匹配 %s），实际为“%s”", "does not match %s (got %q)"},
		"ys.min":      {"不能小于 %s，实际为 %s", "must be at least %s (got %s)"},
		"ys.max":      {"不能大于 %s，实际为 %s", "must be at most %s (got %s)"},
		"ys.minitems": {"至少要有 %d 项", "needs at least %d item(s)"},
		"ys.date":     {"“%s”不是日期（应为 YYYY-MM-DD）", "%q is not a date"},
	})
}

var (
	schemaOnce sync.Once
	schema     *jsonschema.Schema
	schemaErr  error
)

func compiled(raw []byte) (*jsonschema.Schema, error) {
	schemaOnce.Do(func() {
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
		if err != nil {
			schemaErr = err
			return
		}
		c := jsonschema.NewCompiler()
		if err := c.AddResource("points.schema.json", doc); err != nil {
			schemaErr = err
			return
		}
		schema, schemaErr = c.Compile("points.schema.json")
	})
	return schema, schemaErr
}

// validateYAML parses text and checks it against the schema; it returns the document node, or
// every violation with its line.
func validateYAML(text, rawSchema []byte) (*yaml.Node, SchemeErrors) {
	var root yaml.Node
	if err := yaml.Unmarshal(text, &root); err != nil {
		return nil, SchemeErrors{schemeErr(yamldoc.ErrorLine(err), "/", "ys.raw", err.Error())}
	}
	if len(root.Content) == 0 {
		return nil, SchemeErrors{schemeErr(1, "/", "ys.empty")}
	}
	doc := root.Content[0]
	var generic any
	if err := doc.Decode(&generic); err != nil {
		return nil, SchemeErrors{schemeErr(doc.Line, "/", "ys.raw", err.Error())}
	}
	sch, err := compiled(rawSchema)
	if err != nil {
		return nil, SchemeErrors{schemeErr(1, "/", "ys.raw", err.Error())}
	}
	if err := sch.Validate(yamldoc.JSONCompatible(generic)); err != nil {
		var ve *jsonschema.ValidationError
		if !errors.As(err, &ve) {
			return nil, SchemeErrors{schemeErr(1, "/", "ys.raw", err.Error())}
		}
		var out SchemeErrors
		for _, leaf := range yamldoc.Leaves(ve) {
			key, args := leafMessage(leaf)
			out = append(out, schemeErr(yamldoc.NodeAt(doc, leaf.InstanceLocation).Line, "/"+strings.Join(leaf.InstanceLocation, "/"), key, args...))
		}
		sortErrors(out)
		return nil, out
	}
	return doc, nil
}

// leafMessage says what a schema violation means, as a message of the catalog.
func leafMessage(e *jsonschema.ValidationError) (string, []any) {
	switch k := e.ErrorKind.(type) {
	case *kind.Enum:
		want := make([]string, len(k.Want))
		for i, w := range k.Want {
			want[i] = fmt.Sprint(w)
		}
		return "ys.enum", []any{strings.Join(want, "、"), fmt.Sprint(k.Got)}
	case *kind.Required:
		return "ys.required", []any{strings.Join(k.Missing, "、")}
	case *kind.AdditionalProperties:
		return "ys.unknown", []any{strings.Join(k.Properties, "、")}
	case *kind.MinLength:
		return "ys.blank", nil
	case *kind.Pattern:
		return "ys.pattern", []any{k.Want, k.Got}
	case *kind.Minimum:
		return "ys.min", []any{k.Want.RatString(), k.Got.RatString()}
	case *kind.Maximum:
		return "ys.max", []any{k.Want.RatString(), k.Got.RatString()}
	case *kind.MinItems:
		return "ys.minitems", []any{k.Want}
	case *kind.Type:
		return "ys.type", []any{fmt.Sprintf("%v ≠ %s", k.Want, k.Got)}
	}
	return "ys.raw", []any{e.Error()}
}

func sortErrors(es SchemeErrors) {
	sort.SliceStable(es, func(i, j int) bool { return es[i].Line < es[j].Line })
}
