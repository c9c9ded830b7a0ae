package commitment

import (
	"errors"
	"strings"
	"testing"
)

// TestShippedCatalogue: the shipped catalogue parses, and a broken one is refused with the
// line and path of each problem.
func TestShippedCatalogue(t *testing.T) {
	c, err := ParseCatalogue(CatalogueText())
	if err != nil || c.RemindDays <= 0 || c.MaxPerYear <= 0 || c.Category("service") == nil {
		t.Fatalf("shipped: %v %+v", err, c)
	}
	bad := strings.NewReplacer("remind_days: 14", "remind_days: -3", "  - code: study", "  - code: work").Replace(string(CatalogueText()))
	_, err = ParseCatalogue([]byte(bad))
	var ps Problems
	if !errors.As(err, &ps) || len(ps) != 1 || ps[0].Path != "/remind_days" || ps[0].Line != lineOf(bad, "remind_days: -3") {
		t.Fatalf("negative reminder: %v", err)
	}
	bad = strings.NewReplacer("  - code: study", "  - code: work").Replace(string(CatalogueText()))
	_, err = ParseCatalogue([]byte(bad))
	if !errors.As(err, &ps) || len(ps) != 1 || ps[0].Path != "/categories/2/code" || !strings.Contains(ps[0].Reason, "重复") {
		t.Fatalf("duplicate code: %v", err)
	}
}

func lineOf(text, s string) int {
	for i, l := range strings.Split(text, "\n") {
		if strings.Contains(l, s) {
			return i + 1
		}
	}
	return 0
}
