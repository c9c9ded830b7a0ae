package calendar

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"dangjian/internal/platform/httpx"
	"dangjian/internal/platform/i18n"
)

func builtinCalendar(t *testing.T) *Calendar {
	t.Helper()
	ys, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	return New(ys...)
}

// TestWorkingDays2026: the State Council's 2026 arrangement — holidays off, make-up
// weekends on, ordinary weekends off.
func TestWorkingDays2026(t *testing.T) {
	c := builtinCalendar(t)
	for day, want := range map[string]bool{
		"2026-10-01": false, "2026-10-07": false, "2026-10-08": true, // 国庆 ends on the 7th
		"2026-10-10": true, "2026-09-20": true, // 调休上班 (Saturday, Sunday)
		"2026-10-11": false, "2026-09-19": false, // ordinary weekend days
		"2026-02-23": false, "2026-02-24": true, "2026-02-14": true, // 春节 and its make-up Saturday
		"2026-12-31": true, "not-a-day": false,
	} {
		if got := c.Working(day); got != want {
			t.Errorf("Working(%s) = %v, want %v", day, got, want)
		}
	}
}

// TestWindowAcrossNationalDay: five working days from Monday 28 September skip the seven days
// of 国庆 and end on Friday 9 October; the sixth is the make-up Saturday the 10th.
func TestWindowAcrossNationalDay(t *testing.T) {
	c := builtinCalendar(t)
	for n, want := range map[int]string{1: "2026-09-28", 3: "2026-09-30", 4: "2026-10-08", 5: "2026-10-09", 6: "2026-10-10", 7: "2026-10-12"} {
		w, err := c.Window("2026-09-28", n)
		if err != nil || w.To != want || len(w.Missing) != 0 {
			t.Errorf("Window(2026-09-28, %d) = %+v, %v; want to %s", n, w, err, want)
		}
	}
	// A window starting on a day off starts counting at the next working day.
	if w, _ := c.Window("2026-10-03", 1); w.To != "2026-10-08" {
		t.Errorf("from a holiday: %+v", w)
	}
	// Without the arrangement the same window would have ended on 2 October.
	if w, _ := New().Window("2026-09-28", 5); w.To != "2026-10-02" || !reflect.DeepEqual(w.Missing, []int{2026}) {
		t.Errorf("without a calendar: %+v", w)
	}
}

// TestWindowIntoAYearWithoutData names the year it had to count as Monday to Friday.
func TestWindowIntoAYearWithoutData(t *testing.T) {
	c := builtinCalendar(t)
	w, err := c.Window("2026-12-28", 5)
	if err != nil || w.To != "2027-01-01" || !reflect.DeepEqual(w.Missing, []int{2027}) {
		t.Fatalf("%+v %v", w, err)
	}
	if msg := i18n.T(i18n.ZH, calendar2027().Key, calendar2027().Args...); !strings.Contains(msg, "2027 年的节假日安排尚未载入") {
		t.Errorf("warning: %s", msg)
	}
	if _, err := c.Window("2026-12-28", 0); err == nil {
		t.Error("a window of no days was accepted")
	}
}

func calendar2027() i18n.Msg { return MissingWarning([]int{2027}) }

// TestParseNamesLines: every problem of a year's text comes with its line.
func TestParseNamesLines(t *testing.T) {
	text := `year: 2027
source: 测试
holidays:
  - {name: 元旦, from: 2027-01-01, to: 2027-01-01}
  - {name: 春节, from: 2027-02-10, to: 2027-02-05}
  - {name: "", from: 2026-12-31, to: 2027-01-02}
workdays:
  - 2027-02-03
  - 2027-13-01
  - 2027-01-01
`
	_, err := Parse([]byte(text), 2027)
	var he *httpx.Error
	if !errors.As(err, &he) {
		t.Fatalf("want a validation error, got %v", err)
	}
	var got []string
	for _, is := range he.Issues {
		got = append(got, is.Field+" "+i18n.T(i18n.ZH, is.Msg.Key, is.Msg.Args...))
	}
	want := []string{
		"line 5 第5行：春节 的起止日期颠倒（2027-02-10 晚于 2027-02-05）",
		"line 6 第6行：假期名称必填",
		"line 6 第6行：2026-12-31 不在 2027 年内",
		"line 8 第8行：2027-02-03 是工作日（星期三），不需要列为调休上班",
		"line 9 第9行：“2027-13-01”不是日期（应为 YYYY-MM-DD）",
		"line 10 第10行：2027-01-01 既列为放假又列为上班",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("issues:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if _, err := Parse([]byte("year: 2026\nsource: x\n"), 2027); err == nil {
		t.Error("a year other than the address's was accepted")
	}
	if _, err := Parse([]byte("year: 2027\nworkdays: [2027-01-02]\n"), 2027); err == nil {
		t.Error("a year without a source was accepted")
	}
}
