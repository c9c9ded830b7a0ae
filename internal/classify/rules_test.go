package classify

import (
	"errors"
	"strings"
	"testing"

	"dangjian/internal/platform/yamldoc"
)

func TestShareWarnings(t *testing.T) {
	r, err := ParseRules(ExampleText())
	if err != nil {
		t.Fatal(err)
	}
	if w := r.Warnings(map[string]int{"advanced": 3, "ordinary": 7}); len(w) != 0 {
		t.Fatalf("30%% advanced is within the bound: %v", w)
	}
	if w := r.Warnings(map[string]int{"advanced": 4, "ordinary": 6}); len(w) != 1 || !strings.Contains(w[0], "40.0%") {
		t.Fatalf("40%% advanced: %v", w)
	}
	if w := r.Warnings(map[string]int{}); len(w) != 0 {
		t.Fatalf("nothing classified: %v", w)
	}
}

func TestMinAboveMaxNamesItsLine(t *testing.T) {
	text := strings.Replace(string(ExampleText()), "    max_percent: 30\n", "    max_percent: 30\n    min_percent: 40\n", 1)
	_, err := ParseRules([]byte(text))
	var ps yamldoc.Problems
	if !errors.As(err, &ps) || len(ps) != 1 || ps[0].Path != "/classes/0/min_percent" || ps[0].Line != 14 {
		t.Fatalf("problems: %v", err)
	}
}
