package calendar

import (
	"context"
	"database/sql"
	"errors"
	"io"
	"net/http"
	"strconv"
	"sync"
	"time"

	"dangjian/internal/platform/audit"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/clock"
	"dangjian/internal/platform/db"
	"dangjian/internal/platform/httpx"
	"dangjian/internal/platform/i18n"
)

// refresh is how long a calendar read from the database is trusted before another instance's
// load is looked for: a loaded year reaches every instance within it.
const refresh = 10 * time.Second

// Store keeps the years loaded at run time (calendar_years, append-only: the newest row of a
// year wins over older rows and over the built-in arrangement).
type Store struct {
	DB    *db.DB
	Clock clock.Clock

	mu     sync.Mutex
	cached *Calendar
	at     time.Time
}

// Calendar is the calendar in force: built-in years overlaid by the loaded ones.
func (s *Store) Calendar(ctx context.Context) (*Calendar, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.Clock.Now()
	if s.cached != nil && now.Sub(s.at) < refresh && !now.Before(s.at) {
		return s.cached, nil
	}
	years, err := Builtin()
	if err != nil {
		return nil, err
	}
	err = db.Each(ctx, s.DB, `SELECT body FROM calendar_years c WHERE id = (SELECT MAX(id) FROM calendar_years WHERE year = c.year)`, nil, func(r db.Scanner) error {
		var body string
		if err := r.Scan(&body); err != nil {
			return err
		}
		y, err := Parse([]byte(body), 0)
		if err != nil {
			return err
		}
		years = append(years, y) // after the built-in ones: New lets the later replace
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.cached, s.at = New(years...), now
	return s.cached, nil
}

// YearView is a year's arrangement with where it comes from.
type YearView struct {
	Year
	Origin      string `json:"origin" enum:"builtin,loaded,none"` // none: counted as Monday to Friday
	Text        string `json:"text"`                              // the YAML in force, to start an edit from
	WorkingDays int    `json:"working_days"`                      // in the whole year
}

// View is a year as the calendar page shows it.
func (s *Store) View(ctx context.Context, year int) (*YearView, error) {
	v := &YearView{Year: Year{Year: year}, Origin: "none"}
	var body string
	err := s.DB.QueryRow(ctx, `SELECT body FROM calendar_years WHERE year = ? ORDER BY id DESC LIMIT 1`, year).Scan(&body)
	switch {
	case err == nil:
		v.Origin, v.Text = "loaded", body
	case errors.Is(err, sql.ErrNoRows):
		if t := BuiltinText(year); t != nil {
			v.Origin, v.Text = "builtin", string(t)
		}
	default:
		return nil, err
	}
	if v.Text != "" {
		y, err := Parse([]byte(v.Text), year)
		if err != nil {
			return nil, err
		}
		v.Year = *y
	}
	c := New(&v.Year)
	for t := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC); t.Year() == year; t = t.AddDate(0, 0, 1) {
		if c.working(t) {
			v.WorkingDays++
		}
	}
	return v, nil
}

// Load records a year's arrangement (root administrators); a broken one is refused with its
// lines and nothing changes.
func (s *Store) Load(ctx context.Context, sc *auth.Scope, year int, text []byte) (*YearView, error) {
	if !sc.IsAdmin() {
		return nil, httpx.Forbidden()
	}
	y, err := Parse(text, year)
	if err != nil {
		return nil, err
	}
	now := s.Clock.Now().UTC()
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO calendar_years (year, body, source, loaded_by, loaded_at) VALUES (?, ?, ?, ?, ?)`,
			year, string(text), y.Source, sc.UserID, now); err != nil {
			return err
		}
		return audit.Write(ctx, tx, sc.Actor(), now, audit.Entry{Action: "load", Entity: "calendar_year", EntityID: int64(year),
			Summary: strconv.Itoa(year) + "：" + y.Source})
	})
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.cached = nil
	s.mu.Unlock()
	return s.View(ctx, year)
}

// Routes are the calendar's endpoints.
func (s *Store) Routes() []httpx.Route {
	year := func(r *http.Request) (int, error) {
		y, err := strconv.Atoi(r.PathValue("year"))
		if err != nil || y < 2000 || y > 2100 {
			return 0, httpx.Invalid(httpx.Issue{Field: "year", Msg: i18n.M("v.invalid", "year", "2000–2100")})
		}
		return y, nil
	}
	return []httpx.Route{
		{Method: "GET", Path: "/api/v1/calendar/{year}", Tag: "calendar", Summary: "A year's public holidays and make-up working days (the calendar 公示 windows count working days in), and where it comes from",
			Perm: httpx.AnyUser, Resp: YearView{}, Handle: func(w http.ResponseWriter, r *http.Request) error {
				y, err := year(r)
				if err != nil {
					return err
				}
				v, err := s.View(r.Context(), y)
				if err != nil {
					return err
				}
				return httpx.JSON(w, http.StatusOK, v)
			}},
		{Method: "PUT", Path: "/api/v1/calendar/{year}", Tag: "calendar", Summary: "Load a year's arrangement (YAML, as the State Council publishes it); a broken one is refused with each line and nothing changes",
			Perm: auth.NeedAdmin, Resp: YearView{}, MaxBody: 64 << 10, Handle: func(w http.ResponseWriter, r *http.Request) error {
				y, err := year(r)
				if err != nil {
					return err
				}
				text, err := io.ReadAll(r.Body)
				if err != nil {
					return err
				}
				v, err := s.Load(r.Context(), auth.From(r.Context()), y, text)
				if err != nil {
					return err
				}
				return httpx.JSON(w, http.StatusOK, v)
			}},
		{Method: "GET", Path: "/api/v1/calendar/window", Tag: "calendar", Summary: "The last day of a window of working days from a day (for a 公示 being planned)",
			Perm: httpx.AnyUser, Query: []httpx.Param{{Name: "from", Type: "string", Doc: "YYYY-MM-DD; default today (CST)"}, {Name: "days", Type: "integer", Doc: "working days, 1–60"}},
			Resp: Window{}, Handle: func(w http.ResponseWriter, r *http.Request) error {
				from := r.URL.Query().Get("from")
				if from == "" {
					from = clock.Today(s.Clock.Now())
				}
				if _, err := time.Parse(time.DateOnly, from); err != nil {
					return httpx.Invalid(httpx.FieldIssue("from", "f.calendar.from", "v.date"))
				}
				n, err := httpx.QueryInt(r, "days", 0, 1, 60)
				if err != nil {
					return err
				}
				if n == 0 {
					return httpx.Invalid(httpx.Issue{Field: "days", Msg: i18n.M("v.invalid", "days", "1–60")})
				}
				c, err := s.Calendar(r.Context())
				if err != nil {
					return err
				}
				win, err := c.Window(from, n)
				if err != nil {
					return err
				}
				return httpx.JSON(w, http.StatusOK, win)
			}},
	}
}
