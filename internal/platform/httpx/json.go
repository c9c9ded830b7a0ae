package httpx

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"

	"dangjian/internal/platform/i18n"
)

func writeJSON(w http.ResponseWriter, status int, contentType string, v any) {
	w.Header().Set("Content-Type", contentType+"; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

// JSON answers v with status.
func JSON(w http.ResponseWriter, status int, v any) error {
	writeJSON(w, status, "application/json", v)
	return nil
}

// List is the shape of every paged list.
type List[T any] struct {
	Items []T `json:"items"`
	Total int `json:"total"`
}

// Decode reads a JSON body into dst, refusing unknown fields; a wrong type or an unknown
// field becomes a validation error naming the field.
func Decode(r *http.Request, dst any) error {
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		var te *json.UnmarshalTypeError
		var mbe *http.MaxBytesError
		switch {
		case errors.As(err, &mbe), errors.Is(err, os.ErrDeadlineExceeded):
			return err
		case errors.As(err, &te):
			field := te.Field
			return Invalid(Issue{Field: field, Msg: i18n.M("v.invalid", field, te.Value)})
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
			return Invalid(Issue{Field: field, Msg: i18n.M("v.unknown_field", field)})
		case errors.Is(err, io.EOF):
			return BadRequest(i18n.M("v.json", "empty body"))
		default:
			return BadRequest(i18n.M("v.json", err.Error()))
		}
	}
	return nil
}

// Page is the requested page of a list.
type Page struct {
	Page, Size int
}

// Offset is the number of rows to skip.
func (p Page) Offset() int { return (p.Page - 1) * p.Size }

// PageOf reads page and page_size (default 50, at most 500).
func PageOf(r *http.Request) (Page, error) {
	p := Page{Page: 1, Size: 50}
	var is Issues
	if v := r.URL.Query().Get("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			is = append(is, Issue{Field: "page", Msg: i18n.M("v.number", "page")})
		} else {
			p.Page = n
		}
	}
	if v := r.URL.Query().Get("page_size"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 500 {
			is = append(is, Issue{Field: "page_size", Msg: i18n.M("v.invalid", "page_size", "1–500")})
		} else {
			p.Size = n
		}
	}
	return p, is.Err()
}

// QueryID reads an optional integer query parameter; 0 when absent.
func QueryID(r *http.Request, name string) (int64, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 1 {
		return 0, Invalid(Issue{Field: name, Msg: i18n.M("v.number", name)})
	}
	return n, nil
}

// PathID reads the integer path value name; a malformed id is simply not found.
func PathID(r *http.Request, name, what string) (int64, error) {
	n, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || n < 1 {
		return 0, NotFound(what)
	}
	return n, nil
}

// Body adapts fn, which takes the decoded JSON body, to a handler answering status with fn's
// result: the shape of every create and update endpoint.
func Body[B, R any](status int, fn func(r *http.Request, body B) (R, error)) HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var b B
		if err := Decode(r, &b); err != nil {
			return err
		}
		res, err := fn(r, b)
		if err != nil {
			return err
		}
		return JSON(w, status, res)
	}
}

// WithID adapts fn to a handler of a path with an {id}: a malformed id is not found (what
// names the resource), fn's result is answered with status, or 204 when status is 204.
func WithID[R any](what string, status int, fn func(r *http.Request, id int64) (R, error)) HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := PathID(r, "id", what)
		if err != nil {
			return err
		}
		res, err := fn(r, id)
		if err != nil {
			return err
		}
		if status == http.StatusNoContent {
			w.WriteHeader(status)
			return nil
		}
		return JSON(w, status, res)
	}
}

// DecodeInto decodes the JSON body into a new B (for handlers that also take an id).
func DecodeInto[B any](r *http.Request) (B, error) {
	var b B
	err := Decode(r, &b)
	return b, err
}
