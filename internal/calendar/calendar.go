// Package calendar knows China's working days: Monday to Friday, except the public holidays the
// State Council announces each year, plus its make-up working days (调休上班). The years are data
// (DESIGN.md §12): an embedded default per year, and years loaded at run time, newest first, so a
// new year's arrangement needs no release. 公示 and objection windows count in it.
package calendar

import (
	"embed"
	"fmt"
	"sort"
	"strconv"
	"time"

	"go.yaml.in/yaml/v3"

	"dangjian/internal/platform/httpx"
	"dangjian/internal/platform/i18n"
)

//go:embed years/*.yaml
var builtin embed.FS

func init() {
	i18n.Register(map[string][2]string{
		"f.calendar":        {"节假日安排", "holiday calendar"},
		"f.calendar.from":   {"起始日期", "from"},
		"cal.line":          {"第%d行：%s", "line %d: %s"},
		"cal.parse":         {"无法读取：%s", "cannot read: %s"},
		"cal.year":          {"year 应为 %d（与地址中的年份一致），实际为 %d", "year must be %d (as in the address), got %d"},
		"cal.source":        {"source 必填：写明所依据的通知", "source is required: name the notice it comes from"},
		"cal.date":          {"“%s”不是日期（应为 YYYY-MM-DD）", "%q is not a date (YYYY-MM-DD)"},
		"cal.other_year":    {"%s 不在 %d 年内", "%s is not in %d"},
		"cal.order":         {"%s 的起止日期颠倒（%s 晚于 %s）", "%s ends before it starts (%s after %s)"},
		"cal.name":          {"假期名称必填", "a holiday needs a name"},
		"cal.weekday":       {"%s 是工作日（星期%s），不需要列为调休上班", "%s is a weekday already; only weekend days are make-up working days"},
		"cal.both":          {"%s 既列为放假又列为上班", "%s is both a day off and a working day"},
		"cal.missing_years": {"%s 年的节假日安排尚未载入，按周一至周五计算", "no holiday calendar loaded for %s: counted as Monday to Friday"},
	})
}

// Year is one year's arrangement as published.
type Year struct {
	Year     int       `json:"year" yaml:"year"`
	Source   string    `json:"source" yaml:"source"`
	Holidays []Holiday `json:"holidays" yaml:"holidays"`
	Workdays []Day     `json:"workdays" yaml:"workdays"` // make-up working days on a weekend
}

// Holiday is a span of days off, both ends included.
type Holiday struct {
	Name string `json:"name" yaml:"name"`
	From Day    `json:"from" yaml:"from"`
	To   Day    `json:"to" yaml:"to"`
}

// Day is a date with the line it was written on, for error messages.
type Day struct {
	Date string
	line int
}

// UnmarshalYAML keeps the line and the text as written (YAML would make a date of it).
func (d *Day) UnmarshalYAML(n *yaml.Node) error {
	d.Date, d.line = n.Value, n.Line
	return nil
}

// MarshalJSON writes the date alone.
func (d Day) MarshalJSON() ([]byte, error) { return []byte(strconv.Quote(d.Date)), nil }

// Parse reads and checks a year's arrangement; want is the year it must be (0: any). Every
// problem is named with its line; an arrangement with any is refused.
func Parse(text []byte, want int) (*Year, error) {
	var y Year
	var root yaml.Node
	if err := yaml.Unmarshal(text, &root); err != nil {
		return nil, httpx.Invalid(httpx.Issue{Field: "body", Msg: i18n.M("cal.parse", err.Error())})
	}
	if len(root.Content) == 0 {
		return nil, httpx.Invalid(httpx.Issue{Field: "body", Msg: i18n.M("cal.parse", "empty")})
	}
	if err := root.Content[0].Decode(&y); err != nil {
		return nil, httpx.Invalid(httpx.Issue{Field: "body", Msg: i18n.M("cal.parse", err.Error())})
	}
	var issues []httpx.Issue
	bad := func(line int, key string, args ...any) {
		issues = append(issues, httpx.Issue{Field: "line " + strconv.Itoa(line), Row: line, Msg: i18n.M("cal.line", line, i18n.M(key, args...))})
	}
	if want != 0 && y.Year != want {
		bad(root.Content[0].Line, "cal.year", want, y.Year)
	}
	if y.Source == "" {
		bad(root.Content[0].Line, "cal.source")
	}
	day := func(d Day) (time.Time, bool) {
		t, err := time.Parse(time.DateOnly, d.Date)
		switch {
		case err != nil:
			bad(d.line, "cal.date", d.Date)
		case t.Year() != y.Year:
			bad(d.line, "cal.other_year", d.Date, y.Year)
		default:
			return t, true
		}
		return t, false
	}
	off := map[string]bool{}
	for _, h := range y.Holidays {
		if h.Name == "" {
			bad(h.From.line, "cal.name")
		}
		from, ok1 := day(h.From)
		to, ok2 := day(h.To)
		if ok1 && ok2 && to.Before(from) {
			bad(h.From.line, "cal.order", h.Name, h.From.Date, h.To.Date)
		}
		for t := from; ok1 && ok2 && !t.After(to); t = t.AddDate(0, 0, 1) {
			off[t.Format(time.DateOnly)] = true
		}
	}
	for _, w := range y.Workdays {
		t, ok := day(w)
		switch {
		case !ok:
		case off[w.Date]:
			bad(w.line, "cal.both", w.Date)
		case t.Weekday() != time.Saturday && t.Weekday() != time.Sunday:
			bad(w.line, "cal.weekday", w.Date, weekdayZH[t.Weekday()])
		}
	}
	if len(issues) > 0 {
		return nil, httpx.Invalid(issues...)
	}
	return &y, nil
}

var weekdayZH = [...]string{"日", "一", "二", "三", "四", "五", "六"}

// Calendar answers which days are working days, over every year it holds.
type Calendar struct {
	years map[int]*Year
	off   map[string]bool // holidays
	on    map[string]bool // make-up working days
}

// New builds a calendar from years (a later year value replaces an earlier one of the same year).
func New(years ...*Year) *Calendar {
	c := &Calendar{years: map[int]*Year{}, off: map[string]bool{}, on: map[string]bool{}}
	for _, y := range years {
		c.years[y.Year] = y
	}
	for _, y := range c.years {
		for _, h := range y.Holidays {
			from, _ := time.Parse(time.DateOnly, h.From.Date)
			to, _ := time.Parse(time.DateOnly, h.To.Date)
			for t := from; !t.After(to); t = t.AddDate(0, 0, 1) {
				c.off[t.Format(time.DateOnly)] = true
			}
		}
		for _, w := range y.Workdays {
			c.on[w.Date] = true
		}
	}
	return c
}

// Known tells whether the calendar holds the year's arrangement.
func (c *Calendar) Known(year int) bool { return c.years[year] != nil }

// Year is a year's arrangement, nil when none is held.
func (c *Calendar) Year(year int) *Year { return c.years[year] }

// Working tells whether a day (YYYY-MM-DD) is a working day.
func (c *Calendar) Working(day string) bool {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return false
	}
	return c.working(t)
}

func (c *Calendar) working(t time.Time) bool {
	d := t.Format(time.DateOnly)
	switch {
	case c.on[d]:
		return true
	case c.off[d]:
		return false
	}
	return t.Weekday() != time.Saturday && t.Weekday() != time.Sunday
}

// Window is a span of working days: To is the Days-th working day counted from From (From
// counts when it is one). Missing lists the years it crosses that the calendar holds no
// arrangement for; they were counted as Monday to Friday, which a page must say.
type Window struct {
	From    string `json:"from"`
	To      string `json:"to"`
	Days    int    `json:"days"`
	Missing []int  `json:"missing,omitempty"`
}

// Window counts n working days from a day (YYYY-MM-DD; n ≥ 1).
func (c *Calendar) Window(from string, n int) (Window, error) {
	t, err := time.Parse(time.DateOnly, from)
	if err != nil {
		return Window{}, fmt.Errorf("calendar: %q is not a date", from)
	}
	if n < 1 {
		return Window{}, fmt.Errorf("calendar: a window needs at least one working day, got %d", n)
	}
	w := Window{From: from, Days: n}
	missing := map[int]bool{}
	for left := n; ; t = t.AddDate(0, 0, 1) {
		if !c.Known(t.Year()) {
			missing[t.Year()] = true
		}
		if c.working(t) {
			if left--; left == 0 {
				break
			}
		}
	}
	w.To = t.Format(time.DateOnly)
	for y := range missing {
		w.Missing = append(w.Missing, y)
	}
	sort.Ints(w.Missing)
	return w, nil
}

// MissingWarning is the message a page shows for a window that crossed years without data.
func MissingWarning(years []int) i18n.Msg {
	s := ""
	for i, y := range years {
		if i > 0 {
			s += "、"
		}
		s += strconv.Itoa(y)
	}
	return i18n.M("cal.missing_years", s)
}

// Builtin is the arrangements shipped with the binary.
func Builtin() ([]*Year, error) {
	names, err := builtin.ReadDir("years")
	if err != nil {
		return nil, err
	}
	var out []*Year
	for _, n := range names {
		text, err := builtin.ReadFile("years/" + n.Name())
		if err != nil {
			return nil, err
		}
		y, err := Parse(text, 0)
		if err != nil {
			return nil, fmt.Errorf("calendar: built-in %s: %w", n.Name(), err)
		}
		out = append(out, y)
	}
	return out, nil
}

// BuiltinText is the shipped text of a year, nil when none is shipped.
func BuiltinText(year int) []byte {
	text, err := builtin.ReadFile("years/" + strconv.Itoa(year) + ".yaml")
	if err != nil {
		return nil
	}
	return text
}
