// Package life is organizational life (三会一课, 主题党日, 组织生活会, 民主评议): the activity
// kinds, the calendar periods they are required in, the rule packs that say what each kind of
// organization must hold, and the evaluation of compliance against them.
package rules

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"dangjian/internal/platform/clock"
)

// Unit is the length of a business period.
type Unit string

const (
	Month   Unit = "month"
	Quarter Unit = "quarter"
	Year    Unit = "year"
)

// Period is one calendar month, quarter or year in China Standard Time.
type Period struct {
	Unit  Unit
	Year  int
	Index int // month 1–12, quarter 1–4, 1 for a year
}

// ParsePeriod reads "2026", "2026-Q3" or "2026-07".
func ParsePeriod(s string) (Period, error) {
	bad := fmt.Errorf("period %q: want YYYY, YYYY-Qn or YYYY-MM", s)
	if len(s) < 4 {
		return Period{}, bad
	}
	y, err := strconv.Atoi(s[:4])
	if err != nil || y < 1921 || y > 2200 {
		return Period{}, bad
	}
	rest := s[4:]
	switch {
	case rest == "":
		return Period{Year, y, 1}, nil
	case strings.HasPrefix(rest, "-Q") && len(rest) == 3:
		q := int(rest[2] - '0')
		if q < 1 || q > 4 {
			return Period{}, bad
		}
		return Period{Quarter, y, q}, nil
	case strings.HasPrefix(rest, "-") && len(rest) == 3:
		m, err := strconv.Atoi(rest[1:])
		if err != nil || m < 1 || m > 12 {
			return Period{}, bad
		}
		return Period{Month, y, m}, nil
	}
	return Period{}, bad
}

// String is the canonical form ParsePeriod reads.
func (p Period) String() string {
	switch p.Unit {
	case Month:
		return fmt.Sprintf("%04d-%02d", p.Year, p.Index)
	case Quarter:
		return fmt.Sprintf("%04d-Q%d", p.Year, p.Index)
	default:
		return fmt.Sprintf("%04d", p.Year)
	}
}

// Start is the first instant of the period (midnight China Standard Time).
func (p Period) Start() time.Time {
	switch p.Unit {
	case Month:
		return time.Date(p.Year, time.Month(p.Index), 1, 0, 0, 0, 0, clock.CST)
	case Quarter:
		return time.Date(p.Year, time.Month(3*(p.Index-1)+1), 1, 0, 0, 0, 0, clock.CST)
	default:
		return time.Date(p.Year, 1, 1, 0, 0, 0, 0, clock.CST)
	}
}

// End is the first instant after the period.
func (p Period) End() time.Time { return p.Next().Start() }

// Next is the period that follows.
func (p Period) Next() Period {
	switch p.Unit {
	case Month:
		if p.Index == 12 {
			return Period{Month, p.Year + 1, 1}
		}
		return Period{Month, p.Year, p.Index + 1}
	case Quarter:
		if p.Index == 4 {
			return Period{Quarter, p.Year + 1, 1}
		}
		return Period{Quarter, p.Year, p.Index + 1}
	default:
		return Period{Year, p.Year + 1, 1}
	}
}

// Contains tells whether instant t falls in the period.
func (p Period) Contains(t time.Time) bool { return !t.Before(p.Start()) && t.Before(p.End()) }

// PeriodOf is the period of unit u containing instant t.
func PeriodOf(u Unit, t time.Time) Period {
	c := t.In(clock.CST)
	switch u {
	case Month:
		return Period{Month, c.Year(), int(c.Month())}
	case Quarter:
		return Period{Quarter, c.Year(), (int(c.Month())-1)/3 + 1}
	default:
		return Period{Year, c.Year(), 1}
	}
}

// Within lists the periods of unit u that overlap p (e.g. the three months of a quarter).
func (p Period) Within(u Unit) []Period {
	var out []Period
	for q := PeriodOf(u, p.Start()); q.Start().Before(p.End()); q = q.Next() {
		out = append(out, q)
	}
	return out
}

// YearPeriod is calendar year y.
func YearPeriod(y int) Period { return Period{Year, y, 1} }

// YearOf is the calendar year (China Standard Time) of instant t.
func YearOf(t time.Time) int { return t.In(clock.CST).Year() }
