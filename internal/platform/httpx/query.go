package httpx

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"dangjian/internal/platform/clock"
	"dangjian/internal/platform/i18n"
)

// The query readers: each answers a 422 naming its parameter, the same way for every route.

// Required is the 422 of a required query parameter that is absent.
func Required(name string) error {
	return Invalid(Issue{Field: name, Msg: i18n.M("v.required", name)})
}

// QueryFlag reads a lenient boolean flag: "true" is true, "false" is false, anything else def.
func QueryFlag(r *http.Request, name string, def bool) bool {
	switch r.URL.Query().Get(name) {
	case "true":
		return true
	case "false":
		return false
	}
	return def
}

// QueryBool reads a strict boolean ("true"/"1", "false"/"0"); def when absent, a 422 otherwise.
func QueryBool(r *http.Request, name string, def bool) (bool, error) {
	v := r.URL.Query().Get(name)
	switch v {
	case "":
		return def, nil
	case "true", "1":
		return true, nil
	case "false", "0":
		return false, nil
	}
	return false, Invalid(Issue{Field: name, Value: v, Msg: i18n.M("v.bool", name)})
}

// QueryYear reads a calendar year (1921–2200); def when absent.
func QueryYear(r *http.Request, name string, def int) (int, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return def, nil
	}
	y, err := strconv.Atoi(v)
	if err != nil || y < 1921 || y > 2200 {
		return 0, Invalid(Issue{Field: name, Msg: i18n.M("v.number", name)})
	}
	return y, nil
}

// QueryInt reads an integer in lo–hi; def when absent.
func QueryInt(r *http.Request, name string, def, lo, hi int) (int, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		return 0, Invalid(Issue{Field: name, Msg: i18n.M("v.invalid", name, fmt.Sprintf("%d–%d", lo, hi))})
	}
	return n, nil
}

// QueryWith reads name with parse (also when absent, so parse decides whether it may be empty);
// a parse error is a 422 showing the accepted form.
func QueryWith[T any](r *http.Request, name, form string, parse func(string) (T, error)) (T, error) {
	v, err := parse(r.URL.Query().Get(name))
	if err != nil {
		return v, Invalid(Issue{Field: name, Msg: i18n.M("v.invalid", name, form)})
	}
	return v, nil
}

// QueryDateRange reads two instants, each an RFC 3339 time or a YYYY-MM-DD day (China Standard
// Time, its start); zero when absent. Both bad values are named in one 422.
func QueryDateRange(r *http.Request, fromName, toName string) (from, to time.Time, err error) {
	var is Issues
	for _, t := range []struct {
		name string
		dst  *time.Time
	}{{fromName, &from}, {toName, &to}} {
		v := r.URL.Query().Get(t.name)
		if v == "" {
			continue
		}
		if tt, err := time.Parse(time.RFC3339, v); err == nil {
			*t.dst = tt
		} else if d, err := time.ParseInLocation("2006-01-02", v, clock.CST); err == nil {
			*t.dst = d
		} else {
			is = append(is, Issue{Field: t.name, Msg: i18n.M("v.invalid", t.name, "RFC 3339 / YYYY-MM-DD")})
		}
	}
	return from, to, is.Err()
}
