package httpx

import (
	"errors"
	"net/http/httptest"
	"testing"
	"time"
)

func issueField(t *testing.T, err error) string {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) || e.Status != 422 || len(e.Issues) == 0 {
		t.Fatalf("want a 422 with issues, got %v", err)
	}
	return e.Issues[0].Field
}

func TestQueryReaders(t *testing.T) {
	r := httptest.NewRequest("GET", "/x?year=2025&bad_year=1900&flag=true&off=false&odd=yes&strict=1&n=7&from=2026-03-01&to=nope", nil)
	if y, err := QueryYear(r, "year", 2000); err != nil || y != 2025 {
		t.Errorf("year = %d, %v", y, err)
	}
	if y, err := QueryYear(r, "absent", 2000); err != nil || y != 2000 {
		t.Errorf("default year = %d, %v", y, err)
	}
	if _, err := QueryYear(r, "bad_year", 2000); issueField(t, err) != "bad_year" {
		t.Error("bad year names another field")
	}
	if !QueryFlag(r, "flag", false) || QueryFlag(r, "off", true) || QueryFlag(r, "odd", false) || !QueryFlag(r, "odd", true) {
		t.Error("QueryFlag")
	}
	if b, err := QueryBool(r, "strict", false); err != nil || !b {
		t.Errorf("strict = %v, %v", b, err)
	}
	if _, err := QueryBool(r, "odd", false); issueField(t, err) != "odd" {
		t.Error("QueryBool accepts yes")
	}
	if n, err := QueryInt(r, "n", 1, 1, 12); err != nil || n != 7 {
		t.Errorf("n = %d, %v", n, err)
	}
	if _, err := QueryInt(r, "n", 1, 1, 6); issueField(t, err) != "n" {
		t.Error("QueryInt out of range")
	}
	from, _, err := QueryDateRange(r, "from", "to")
	if issueField(t, err) != "to" || !from.Equal(time.Date(2026, 2, 28, 16, 0, 0, 0, time.UTC)) {
		t.Errorf("range: from %v, %v", from, err)
	}
	if _, err := QueryWith(r, "year", "YYYY", func(s string) (int, error) { return 0, errors.New("no") }); issueField(t, err) != "year" {
		t.Error("QueryWith")
	}
	if issueField(t, Required("org")) != "org" {
		t.Error("Required")
	}
}
