package httpx

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"dangjian/internal/platform/i18n"
)

// HandlerFunc is a handler that returns its error instead of writing it.
type HandlerFunc func(w http.ResponseWriter, r *http.Request) error

// Param documents a query parameter.
type Param struct {
	Name, Type, Doc string
	Enum            []string
}

// Perm is what a route needs before its handler runs: Public, AnyUser, or the name of a
// permission the caller must hold somewhere in their grants — auth names them (auth.NeedRead,
// auth.NeedWriteMembers, …) and the Guard given to Mount checks them. Whether the caller may
// act on the particular object stays with the store (org.Resolve).
type Perm string

const (
	Public  Perm = "public"   // no login needed
	AnyUser Perm = "any_user" // any logged-in caller; the handler decides the rest (own records)
)

// Guard checks a route's Perm for the authenticated caller of ctx.
type Guard interface {
	Known(p Perm) bool                       // whether p is a permission it checks
	Check(ctx context.Context, p Perm) error // nil, or the refusal (403; 404 for reads)
}

// Route is one line of the route table: the handler and everything the OpenAPI description
// and the scope-matrix test need to know about it.
type Route struct {
	Method, Path string
	Summary      string
	Tag          string
	Perm         Perm   // what the caller needs; Mount refuses a route without one
	Access       string // who may call it, in words, for the docs ("" : the Guard's words for Perm)
	Query        []Param
	Body         any    // request body type (JSON), nil if none
	Multipart    bool   // body is multipart/form-data with a "file" field
	Resp         any    // response body type (JSON), nil if none
	RespType     string // content type when not JSON (e.g. an .xlsx)
	Status       int    // success status, 200 by default
	MaxBody      int64  // body limit, 1 MiB by default
	Heavy        bool   // runs in one of the instance's few heavy-work slots; 429 when none is free
	Handle       HandlerFunc
}

// Authenticator resolves the caller and returns the context carrying them, or an error
// (an *Error with 401) when a protected route is called without a valid credential.
type Authenticator func(r *http.Request) (context.Context, error)

var (
	reqTotal = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "dangjian_http_requests_total", Help: "HTTP requests by route and status.",
	}, []string{"method", "route", "status"})
	reqDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "dangjian_http_request_duration_seconds", Help: "HTTP request duration by route.",
		Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 10},
	}, []string{"method", "route"})
)

func init() { prometheus.MustRegister(reqTotal, reqDuration) }

const defaultMaxBody = 1 << 20

// Mount registers routes on mux, wrapping each with authentication (unless public), the
// route's Perm checked by guard before the handler, body limits, error rendering and
// metrics. It panics on a route that declares no Perm, or one guard does not know, so a
// route cannot ship without a permission. bodyTimeout is the server's read timeout (0: none);
// routes taking larger bodies get proportionally longer once the caller is authenticated.
func Mount(mux *http.ServeMux, routes []Route, authn Authenticator, guard Guard, bodyTimeout time.Duration) {
	for _, rt := range routes {
		rt := rt
		if err := CheckPerm(rt, guard); err != nil {
			panic(err)
		}
		limit := rt.MaxBody
		if limit == 0 {
			limit = defaultMaxBody
		}
		pattern := rt.Method + " " + rt.Path
		mux.Handle(pattern, Observe(pattern, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Body != nil {
				r.Body = http.MaxBytesReader(w, r.Body, limit)
			}
			if rt.Perm != Public {
				ctx, err := authn(r)
				if err == nil && rt.Perm != AnyUser {
					err = guard.Check(ctx, rt.Perm)
				}
				if err != nil {
					WriteError(w, r, err)
					return
				}
				r = r.WithContext(ctx)
			}
			if bodyTimeout > 0 && limit > defaultMaxBody {
				_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(bodyDeadline(bodyTimeout, limit)))
			}
			if err := rt.Handle(w, r); err != nil {
				WriteError(w, r, err)
			}
		})))
	}
}

// CheckPerm tells what is wrong with rt's declared access: no Perm, or one guard does not know.
func CheckPerm(rt Route, guard Guard) error {
	switch {
	case rt.Perm == "":
		return fmt.Errorf("route %s %s declares no Perm", rt.Method, rt.Path)
	case rt.Perm != Public && rt.Perm != AnyUser && (guard == nil || !guard.Known(rt.Perm)):
		return fmt.Errorf("route %s %s declares unknown Perm %q", rt.Method, rt.Path, rt.Perm)
	}
	return nil
}

// Observe records metrics for a handler under a fixed route label.
func Observe(route string, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, status: 200}
		h.ServeHTTP(sw, r)
		reqTotal.WithLabelValues(r.Method, route, strconv.Itoa(sw.status)).Inc()
		reqDuration.WithLabelValues(r.Method, route).Observe(time.Since(start).Seconds())
		if li, ok := r.Context().Value(keyLog).(*logInfo); ok {
			li.route = route
		}
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
	wrote  bool
}

func (s *statusWriter) WriteHeader(code int) {
	if !s.wrote {
		s.status, s.wrote = code, true
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusWriter) Write(b []byte) (int, error) {
	s.wrote = true
	return s.ResponseWriter.Write(b)
}

func (s *statusWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }

type logInfo struct {
	route string
	user  string
}

const keyLog ctxKey = 100

// SetLogUser records who made the request, for the access log.
func SetLogUser(ctx context.Context, user string) {
	if li, ok := ctx.Value(keyLog).(*logInfo); ok {
		li.user = user
	}
}

// Base wraps the whole server: security headers, request id, language, client address (through
// the trusted proxies, read at each request so they can be set after the handler is built),
// panic recovery and a structured access log.
func Base(h http.Handler, proxies *Proxies) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		secureHeaders(w.Header(), r.URL.Path)
		id := r.Header.Get("X-Request-ID")
		if id == "" || len(id) > 64 {
			id = newRequestID()
		}
		w.Header().Set("X-Request-ID", id)
		var ps Proxies
		if proxies != nil {
			ps = *proxies
		}
		ip := ps.ClientAddr(r)
		li := &logInfo{}
		ctx := context.WithValue(r.Context(), keyRequestID, id)
		ctx = context.WithValue(ctx, keyLang, i18n.FromAcceptLanguage(r.Header.Get("Accept-Language")))
		ctx = context.WithValue(ctx, keyIP, ip)
		ctx = context.WithValue(ctx, keyLog, li)
		r = r.WithContext(ctx)
		sw := &statusWriter{ResponseWriter: w, status: 200}
		defer func() {
			if p := recover(); p != nil {
				slog.ErrorContext(ctx, "panic", "panic", p, "stack", string(debug.Stack()), "request_id", id)
				if !sw.wrote {
					WriteError(sw, r, &Error{Status: 500, Code: "internal", Detail: i18n.M("code.internal")})
				}
			}
			slog.InfoContext(ctx, "request", "request_id", id, "method", r.Method, "path", r.URL.Path,
				"route", li.route, "status", sw.status, "duration_ms", float64(time.Since(start).Microseconds())/1000,
				"user", li.user, "ip", ip)
		}()
		h.ServeHTTP(sw, r)
	})
}

// WithLang returns ctx set to lang (for code outside a request, e.g. the CLI).
func WithLang(ctx context.Context, lang i18n.Lang) context.Context {
	return context.WithValue(ctx, keyLang, lang)
}

// WithClientIP returns ctx carrying ip (for the CLI, which has no request).
func WithClientIP(ctx context.Context, ip string) context.Context {
	return context.WithValue(ctx, keyIP, ip)
}
