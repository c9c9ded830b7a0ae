package member

import (
	"strings"
	"testing"

	"dangjian/internal/org"
)

func TestAgeAt(t *testing.T) {
	cases := []struct {
		birth, today string
		age          int
	}{
		{"1980-05-10", "2026-05-09", 45}, {"1980-05-10", "2026-05-10", 46}, {"1980-05", "2026-04-30", 45},
		{"1980-05", "2026-05-01", 46}, {"2000-02-29", "2026-02-28", 25}, {"2000-02-29", "2026-03-01", 26},
	}
	for _, c := range cases {
		if got := AgeAt(c.birth, c.today); got != c.age {
			t.Errorf("AgeAt(%s, %s) = %d, want %d", c.birth, c.today, got, c.age)
		}
	}
	if AgeBand(30) != "0-30" || AgeBand(31) != "31-40" || AgeBand(70) != "61-70" || AgeBand(99) != "71-" {
		t.Error("age bands")
	}
}

// org counts its direct members with its own SQL condition (it cannot import member): the two
// must name the same statuses.
func TestCurrentCondMatchesCurrentStatuses(t *testing.T) {
	want := "m.status IN ('" + strings.Join(CurrentStatuses, "', '") + "')"
	if org.CurrentCond != want {
		t.Errorf("org.CurrentCond = %s, want %s", org.CurrentCond, want)
	}
}
