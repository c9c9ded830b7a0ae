// Package yamldoc is what the YAML documents users load (rule packs, points schemes) share:
// finding the line of a value for an error message, and handing the decoded document to a JSON
// Schema validator.
package yamldoc

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v3"
)

// Leaves are the innermost causes of a JSON Schema violation: one per problem to report.
func Leaves(e *jsonschema.ValidationError) []*jsonschema.ValidationError {
	if len(e.Causes) == 0 {
		return []*jsonschema.ValidationError{e}
	}
	var out []*jsonschema.ValidationError
	for _, c := range e.Causes {
		out = append(out, Leaves(c)...)
	}
	return out
}

// NodeAt finds the node at a JSON-pointer-like location in a YAML document, or the nearest
// parent that exists (for a missing key: the mapping that lacks it).
func NodeAt(n *yaml.Node, loc []string) *yaml.Node {
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

// LineAt is the line of NodeAt.
func LineAt(n *yaml.Node, loc []string) int { return NodeAt(n, loc).Line }

// ErrorLine is the line a YAML syntax error names ("yaml: line 7: …"), or 1.
func ErrorLine(err error) int {
	var line int
	if _, scanErr := fmt.Sscanf(strings.TrimPrefix(err.Error(), "yaml: "), "line %d:", &line); scanErr == nil {
		return line
	}
	return 1
}

// JSONCompatible turns YAML's decoded values into what a JSON Schema validator expects:
// string keys, float64 numbers, dates as YYYY-MM-DD.
func JSONCompatible(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = JSONCompatible(e)
		}
		return out
	case map[any]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[fmt.Sprint(k)] = JSONCompatible(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = JSONCompatible(e)
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
