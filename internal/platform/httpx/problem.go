// Package httpx is the HTTP spine: the route table, middleware, JSON in and out, and
// RFC 9457 problem responses whose messages follow the request's language.
package httpx

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"strconv"

	"dangjian/internal/platform/i18n"
)

// Issue is one problem with one field (and, in imports, one row).
type Issue struct {
	Field  string
	Row    int
	Column string // the column header, in imports
	Value  string
	Msg    i18n.Msg
}

// Error is an error that becomes a problem response.
type Error struct {
	Status int
	Code   string
	Detail i18n.Msg
	Issues []Issue
	Extra  map[string]any
}

func (e *Error) Error() string {
	s := fmt.Sprintf("%d %s: %s", e.Status, e.Code, e.Detail.Render(i18n.EN))
	for _, is := range e.Issues {
		s += "; " + is.Field + ": " + is.Msg.Render(i18n.EN)
	}
	return s
}

// NotFound is the answer for a missing or out-of-scope resource; what is e.g. "f.org".
func NotFound(what string) *Error {
	return &Error{Status: http.StatusNotFound, Code: "not_found", Detail: i18n.M("detail.not_found", i18n.M(what))}
}

// Forbidden is the answer for a write outside the caller's scope or role.
func Forbidden() *Error {
	return &Error{Status: http.StatusForbidden, Code: "forbidden", Detail: i18n.M("detail.forbidden")}
}

// Unauthorized asks the caller to log in.
func Unauthorized(detail i18n.Msg) *Error {
	return &Error{Status: http.StatusUnauthorized, Code: "unauthorized", Detail: detail}
}

// Invalid is a validation failure listing every bad field.
func Invalid(issues ...Issue) *Error {
	return &Error{Status: http.StatusUnprocessableEntity, Code: "validation_failed", Detail: i18n.M("detail.validation"), Issues: issues}
}

// BadRequest is a malformed request (not a field's value).
func BadRequest(detail i18n.Msg) *Error {
	return &Error{Status: http.StatusBadRequest, Code: "bad_request", Detail: detail}
}

// Conflict is a request that clashes with the current state.
func Conflict(code string, detail i18n.Msg) *Error {
	return &Error{Status: http.StatusConflict, Code: code, Detail: detail}
}

// FieldIssue builds an Issue whose message is key(label, args…), the label being the field's.
func FieldIssue(field, label, key string, args ...any) Issue {
	return Issue{Field: field, Msg: i18n.M(key, append([]any{i18n.M(label)}, args...)...)}
}

// Issues collects field issues during validation.
type Issues []Issue

// Add appends an issue about field.
func (is *Issues) Add(field, label, key string, args ...any) {
	*is = append(*is, FieldIssue(field, label, key, args...))
}

// Err returns nil when empty, else the validation error.
func (is Issues) Err() error {
	if len(is) == 0 {
		return nil
	}
	return Invalid(is...)
}

// ProblemIssue is one entry of a problem's errors list.
type ProblemIssue struct {
	Field   string `json:"field"`
	Row     int    `json:"row,omitempty"`
	Column  string `json:"column,omitempty"`
	Value   string `json:"value,omitempty"`
	Message string `json:"message"`
}

// Problem is the RFC 9457 body.
type Problem struct {
	Type     string         `json:"type"`
	Title    string         `json:"title"`
	Status   int            `json:"status"`
	Detail   string         `json:"detail,omitempty"`
	Code     string         `json:"code"`
	Instance string         `json:"instance,omitempty"`
	Errors   []ProblemIssue `json:"errors,omitempty"`
	// Extra members, e.g. locked_until for account_locked.
	LockedUntil       string `json:"locked_until,omitempty"`
	RetryAfterSeconds int    `json:"retry_after_seconds,omitempty"`
}

// RenderIssues renders issues in lang.
func RenderIssues(lang i18n.Lang, issues []Issue) []ProblemIssue {
	out := make([]ProblemIssue, 0, len(issues))
	for _, is := range issues {
		out = append(out, ProblemIssue{Field: is.Field, Row: is.Row, Column: is.Column, Value: Clip(is.Value), Message: is.Msg.Render(lang)})
	}
	return out
}

// clipRunes is how much of a bad value an answer repeats.
const clipRunes = 50

// Clip shortens a value an answer echoes to a short prefix (marked with …): an error
// never repeats a whole upload back.
func Clip(s string) string {
	n := 0
	for i := range s {
		if n == clipRunes {
			return s[:i] + "…"
		}
		n++
	}
	return s
}

// WriteError answers err as a problem; unknown errors are logged and become a 500 that
// reveals nothing.
func WriteError(w http.ResponseWriter, r *http.Request, err error) {
	lang := Lang(r.Context())
	var e *Error
	if !errors.As(err, &e) {
		var mbe *http.MaxBytesError
		switch {
		case errors.As(err, &mbe):
			e = &Error{Status: http.StatusRequestEntityTooLarge, Code: "too_large", Detail: i18n.M("detail.too_large", mbe.Limit>>20)}
		case errors.Is(err, context.Canceled):
			return
		case errors.Is(err, os.ErrDeadlineExceeded):
			// The body did not arrive within the read deadline (a slow or stalled client).
			w.Header().Set("Connection", "close")
			e = &Error{Status: http.StatusRequestTimeout, Code: "request_timeout", Detail: i18n.M("detail.request_timeout")}
		default:
			slog.ErrorContext(r.Context(), "request failed", "err", err, "path", r.URL.Path, "request_id", RequestID(r.Context()))
			e = &Error{Status: http.StatusInternalServerError, Code: "internal", Detail: i18n.M("code.internal")}
		}
	}
	p := Problem{
		Type:     "/problems/" + e.Code,
		Title:    i18n.T(lang, "code."+e.Code),
		Status:   e.Status,
		Detail:   e.Detail.Render(lang),
		Code:     e.Code,
		Instance: r.URL.Path,
		Errors:   RenderIssues(lang, e.Issues),
	}
	if v, ok := e.Extra["locked_until"].(string); ok {
		p.LockedUntil = v
	}
	if v, ok := e.Extra["retry_after_seconds"].(int); ok {
		p.RetryAfterSeconds = v
		w.Header().Set("Retry-After", strconv.Itoa(v))
	}
	w.Header().Set("Content-Language", string(lang))
	writeJSON(w, e.Status, "application/problem+json", p)
}
