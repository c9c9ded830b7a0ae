package rectify

import (
	"errors"
	"testing"

	"dangjian/internal/platform/yamldoc"
)

func TestShippedRulesAndErrors(t *testing.T) {
	if r := Shipped(); len(r.RemindDaysBefore) == 0 || r.Source == "" {
		t.Fatalf("shipped: %+v", r)
	}
	_, err := ParseRules([]byte("version: x\nsource: y\nremind_days_before: [7, -1]\nnotify_parent_when_overdue: true\n"))
	var ps yamldoc.Problems
	if !errors.As(err, &ps) || len(ps) != 1 || ps[0].Line != 3 || ps[0].Path != "/remind_days_before/1" {
		t.Fatalf("problems: %v", err)
	}
}

func TestParentPath(t *testing.T) {
	for in, want := range map[string]string{"/1/5/23/": "/1/5/", "/1/": ""} {
		if got := parentPath(in); got != want {
			t.Errorf("parentPath(%q) = %q, want %q", in, got, want)
		}
	}
}
