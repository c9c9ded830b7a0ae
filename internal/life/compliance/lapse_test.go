package compliance

import (
	"testing"

	"dangjian/internal/life/rules"
)

// The lost-contact process's due days clamp to the month's end instead of overflowing.
func TestAddMonths(t *testing.T) {
	for _, c := range []struct {
		day  string
		n    int
		want string
	}{
		{"2026-08-31", 6, "2027-02-28"}, {"2027-08-31", 6, "2028-02-29"}, {"2026-12-30", 2, "2027-02-28"},
		{"2026-12-29", 24, "2028-12-29"}, {"2026-01-31", 1, "2026-02-28"}, {"2026-07-15", 6, "2027-01-15"}, {"bad", 1, ""},
	} {
		if got := addMonths(c.day, c.n); got != c.want {
			t.Errorf("addMonths(%s, %d) = %s, want %s", c.day, c.n, got, c.want)
		}
	}
	if r := rules.DefaultPack().LapseRule(); r.Months != 6 || r.WarnMonths != 4 || r.LostMonths != 6 || r.SuspendedMonths != 24 || r.Text == "" {
		t.Errorf("national lapse rule: %+v", r)
	}
}
