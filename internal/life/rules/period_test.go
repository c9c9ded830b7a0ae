package rules

import (
	"testing"
	"time"
)

func TestPeriods(t *testing.T) {
	q3, err := ParsePeriod("2026-Q3")
	if err != nil {
		t.Fatal(err)
	}
	// 1 July 00:00 CST is 30 June 16:00 UTC; the quarter ends at 1 October 00:00 CST.
	if got := q3.Start().UTC(); !got.Equal(time.Date(2026, 6, 30, 16, 0, 0, 0, time.UTC)) {
		t.Errorf("start %s", got)
	}
	if got := q3.End().UTC(); !got.Equal(time.Date(2026, 9, 30, 16, 0, 0, 0, time.UTC)) {
		t.Errorf("end %s", got)
	}
	first := time.Date(2026, 6, 30, 16, 0, 0, 0, time.UTC)
	last := time.Date(2026, 9, 30, 15, 59, 0, 0, time.UTC)
	if !q3.Contains(first) || !q3.Contains(last) || q3.Contains(first.Add(-time.Minute)) || q3.Contains(last.Add(time.Minute)) {
		t.Error("quarter boundaries in China Standard Time")
	}
	if PeriodOf(Month, last).String() != "2026-09" || PeriodOf(Month, last.Add(time.Minute)).String() != "2026-10" {
		t.Error("month of the last minute")
	}
	if PeriodOf(Year, time.Date(2026, 12, 31, 16, 0, 0, 0, time.UTC)).String() != "2027" {
		t.Error("new year starts at 16:00 UTC")
	}
	if ms := q3.Within(Month); len(ms) != 3 || ms[0].String() != "2026-07" || ms[2].String() != "2026-09" {
		t.Errorf("months of Q3: %v", ms)
	}
	for _, s := range []string{"2026", "2026-Q4", "2026-12", "2026-01"} {
		p, err := ParsePeriod(s)
		if err != nil || p.String() != s {
			t.Errorf("round trip %s: %v %v", s, p, err)
		}
	}
	for _, s := range []string{"", "26", "2026-Q5", "2026-13", "2026-00", "2026-7", "abcd"} {
		if _, err := ParsePeriod(s); err == nil {
			t.Errorf("%q accepted", s)
		}
	}
	if (Period{Quarter, 2026, 4}).Next().String() != "2027-Q1" || (Period{Month, 2026, 12}).Next().String() != "2027-01" {
		t.Error("Next across years")
	}
}
