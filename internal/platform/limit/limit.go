// Package limit bounds the heavy work (imports, exports, record books, image uploads) one
// instance does at once, so that a burst of it cannot exhaust the memory or the CPU: past
// the bound a request is turned away at once with 429 and Retry-After, before it touches
// the database.
package limit

import (
	"errors"
	"io"
	"net/http"
	"os"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"dangjian/internal/platform/httpx"
	"dangjian/internal/platform/i18n"
)

// Defaults of the serve flags --heavy-slots and --heavy-retry-after.
const (
	DefaultSlots      = 3
	DefaultRetryAfter = 10 * time.Second
)

var (
	inUse = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "dangjian_heavy_in_use", Help: "Heavy requests (imports, exports, record books, image uploads) running now.",
	})
	refused = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "dangjian_heavy_refused_total", Help: "Heavy requests turned away with 429 because every slot was taken.",
	})
)

func init() {
	prometheus.MustRegister(inUse, refused)
	i18n.Register(map[string][2]string{
		"code.busy":   {"服务器繁忙", "Server busy"},
		"detail.busy": {"正在处理的导入、导出等任务较多，请%d秒后重试", "Too many imports, exports and similar tasks are running; try again in %d seconds"},
	})
}

// Slots is a fixed number of places for heavy work.
type Slots struct {
	ch         chan struct{}
	retryAfter int    // seconds
	TempDir    string // where request bodies wait for a slot ("" is os.TempDir)
}

// New makes n slots (n < 1: DefaultSlots); a refused caller is told to retry after
// retryAfter (at least a second).
func New(n int, retryAfter time.Duration) *Slots {
	if n < 1 {
		n = DefaultSlots
	}
	return &Slots{ch: make(chan struct{}, n), retryAfter: max(1, int(retryAfter.Round(time.Second)/time.Second))}
}

// Acquire takes a slot, or answers the 429 problem when none is free. The caller calls
// release once, when the work is done.
func (s *Slots) Acquire() (release func(), err error) {
	select {
	case s.ch <- struct{}{}:
		inUse.Inc()
		return func() { <-s.ch; inUse.Dec() }, nil
	default:
		refused.Inc()
		return nil, &httpx.Error{Status: http.StatusTooManyRequests, Code: "busy", Detail: i18n.M("detail.busy", s.retryAfter),
			Extra: map[string]any{"retry_after_seconds": s.retryAfter}}
	}
}

// Wrap runs h in a slot. A request body (an upload) is received into a temporary file
// first, so that a slow client does not hold a slot while it sends.
func (s *Slots) Wrap(h httpx.HandlerFunc) httpx.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		if r.Body != nil && r.Body != http.NoBody && r.ContentLength != 0 {
			body, err := s.spool(r.Body)
			if err != nil {
				return err
			}
			defer func() {
				body.Close()
				os.Remove(body.Name())
			}()
			r.Body = body
		}
		release, err := s.Acquire()
		if err != nil {
			return err
		}
		defer release()
		return h(w, r)
	}
}

// spool copies a request body into a temporary file (readable only by the server, removed
// after the request: uploads carry personal data) and rewinds it.
func (s *Slots) spool(body io.Reader) (*os.File, error) {
	if s.TempDir != "" {
		if err := os.MkdirAll(s.TempDir, 0o700); err != nil {
			return nil, err
		}
	}
	f, err := os.CreateTemp(s.TempDir, "upload-")
	if err != nil {
		return nil, err
	}
	if _, err = io.Copy(f, body); err == nil {
		_, err = f.Seek(0, io.SeekStart)
	}
	if err != nil {
		f.Close()
		return nil, errors.Join(err, os.Remove(f.Name()))
	}
	return f, nil
}
