package points

// A scheme's errors with their lines. The YAML-against-JSON-Schema check itself is
// platform/yamldoc's, the one check of every document users load; the messages here are the
// scheme's own checks after the schema's.

import (
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
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
		"ys.raw":  {"%s", "%s"},
		"ys.date": {"“%s”不是日期（应为 YYYY-MM-DD）", "%q is not a date"},
	})
}

// compiledSchema is the embedded schema, compiled once.
var compiledSchema = sync.OnceValue(func() *jsonschema.Schema { return yamldoc.Compile("points.schema.json", SchemaJSON()) })

// validateYAML parses text and checks it against the schema (platform/yamldoc, the one check
// of the documents users load); it returns the document node, or every violation with its line.
func validateYAML(text []byte) (*yaml.Node, SchemeErrors) {
	doc, problems := yamldoc.Check(text, compiledSchema())
	var out SchemeErrors
	for _, p := range problems {
		out = append(out, SchemeError{Line: p.Line, Path: p.Path, Reason: p.Msg.Render(i18n.EN), Msg: p.Msg})
	}
	return doc, out
}

func sortErrors(es SchemeErrors) {
	sort.SliceStable(es, func(i, j int) bool { return es[i].Line < es[j].Line })
}
