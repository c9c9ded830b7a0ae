package yamldoc

import (
	"testing"

	"go.yaml.in/yaml/v3"
)

func TestLinesAndValues(t *testing.T) {
	text := "a: 1\nitems:\n  - code: x\n    when: 2026-01-01\n  - code: y\n"
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(text), &doc); err != nil {
		t.Fatal(err)
	}
	root := doc.Content[0]
	for _, c := range []struct {
		loc  []string
		line int
	}{
		{[]string{"items", "1", "code"}, 5},
		{[]string{"items", "0", "missing"}, 3}, // the mapping that lacks the key
		{[]string{"items", "9"}, 3},            // past the end: the sequence
		{nil, 1},
	} {
		if got := LineAt(root, c.loc); got != c.line {
			t.Errorf("LineAt(%v) = %d, want %d", c.loc, got, c.line)
		}
	}
	var bad yaml.Node
	err := yaml.Unmarshal([]byte("a: 1\nb: [\n"), &bad)
	if err == nil || ErrorLine(err) < 2 {
		t.Errorf("ErrorLine(%v) = %d, want the line of the error", err, ErrorLine(err))
	}
	var v any
	if err := yaml.Unmarshal([]byte(text), &v); err != nil {
		t.Fatal(err)
	}
	m := JSONCompatible(v).(map[string]any)
	if m["a"] != float64(1) || m["items"].([]any)[0].(map[string]any)["when"] != "2026-01-01" {
		t.Errorf("JSONCompatible: %#v", m)
	}
}
