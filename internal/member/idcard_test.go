package member

import (
	"testing"
)

func TestCheckID(t *testing.T) {
	// 11010519491231002X is the standard's worked example.
	cases := map[string]IDProblem{
		"11010519491231002X":  IDOK,
		"110105194912310021":  IDChecksum,
		"11010519491231002":   IDLength,
		"1101051949123100211": IDLength,
		"11010519491231002x":  IDChars, // callers upper-case first
		"1101A519491231002X":  IDChars,
		"99010519491231002X":  IDRegion,
		"110105194902300021":  IDBirth, // 30 February
	}
	for id, want := range cases {
		if got := CheckID(id); got != want {
			t.Errorf("CheckID(%s) = %q, want %q", id, got, want)
		}
	}
	if got := IDBirthDate("11010519491231002X"); got != "1949-12-31" {
		t.Errorf("birth date %s", got)
	}
	if got := IDSex("11010519491231002X"); got != "female" {
		t.Errorf("sex %s", got)
	}
	if got := MaskID("330602198001011234"); got != "33***************4" {
		t.Errorf("mask %s", got)
	}
	if got := MaskPhone("13812345678"); got != "138****5678" {
		t.Errorf("mask phone %s", got)
	}
	if got := MaskDate("1980-01-01"); got != "1980" {
		t.Errorf("mask date %s", got)
	}
}

// FuzzCheckID: the validator never panics, accepts only 18 characters, and whatever it
// accepts has a date and a check digit that recompute to the same number.
func FuzzCheckID(f *testing.F) {
	for _, s := range []string{"11010519491231002X", "330602198001011234", "", "X", "000000000000000000", "11010519490229002X"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if CheckID(s) != IDOK {
			return
		}
		if len(s) != 18 {
			t.Fatalf("accepted %q of length %d", s, len(s))
		}
		if IDCheckChar(s[:17]) != s[17] {
			t.Fatalf("accepted %q with a wrong check digit", s)
		}
		if b := IDBirthDate(s); len(b) != 10 {
			t.Fatalf("birth date %q", b)
		}
	})
}
