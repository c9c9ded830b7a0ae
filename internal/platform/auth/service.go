package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"math"
	"net/http"
	"slices"
	"strings"
	"time"

	"dangjian/internal/platform/audit"
	"dangjian/internal/platform/clock"
	"dangjian/internal/platform/db"
	"dangjian/internal/platform/httpx"
	"dangjian/internal/platform/i18n"
)

// CookieName is the browser session cookie.
const CookieName = "dangjian_session"

// Service logs users in and resolves credentials to scopes.
type Service struct {
	DB            *db.DB
	Clock         clock.Clock
	IdleTimeout   time.Duration // a session unused this long expires
	SessionMaxAge time.Duration // a session expires this long after login regardless
	TokenDays     int           // an API token's life when its creator names none
	TokenMaxDays  int           // the longest life an API token may be given
	TokenIdle     time.Duration // an API token unused this long expires
	LockAfter     int           // failed logins in a row, per (username, address), that lock
	LockFor       time.Duration // the first lock; each further one lasts twice as long…
	LockMax       time.Duration // …up to this; a day without failures forgets them all
	LoginPerIP    *Limiter      // login attempts per client address
	LoginPerUser  *Limiter      // login attempts per username, from anywhere
	Hasher        *Hasher       // bounds the password hashes computed at once
	SecureCookie  bool          // always mark the cookie Secure
	// TrustedProxies are the reverse proxies whose X-Forwarded-Proto is believed (the same
	// list gives the client address, httpx.Base).
	TrustedProxies httpx.Proxies
	// CacheTTL is how long a resolved credential is reused without reading the database (0:
	// never); every instance forgets it at once on a change (sessionCache), the TTL bounds a
	// missed notification. CacheSize bounds the entries. Set both before serving.
	CacheTTL  time.Duration
	CacheSize int
	// TouchEvery is how often sessions' last uses are written (touches).
	TouchEvery time.Duration

	cache *sessionCache
	touch *touches
	bg    background
}

// NewService returns a service with the default policy: sessions 30 minutes idle and 12 hours
// at most; API tokens 90 days (at most a year) and 30 days idle; five failures from one
// address lock that address out of the account for 15 minutes, doubling up to a day; 30
// attempts a minute per address and 10 per username; hashes within 128 MiB; credentials
// cached for 5 seconds (10,000 at most), last uses written every 2 seconds.
func NewService(d *db.DB, c clock.Clock) *Service {
	return &Service{DB: d, Clock: c, IdleTimeout: 30 * time.Minute, SessionMaxAge: 12 * time.Hour,
		TokenDays: 90, TokenMaxDays: 365, TokenIdle: 30 * 24 * time.Hour,
		LockAfter: 5, LockFor: 15 * time.Minute, LockMax: 24 * time.Hour,
		LoginPerIP: &Limiter{Limit: 30, Per: time.Minute}, LoginPerUser: &Limiter{Limit: 10, Per: time.Minute},
		Hasher:   NewHasher(128 << 20),
		CacheTTL: DefaultCacheTTL, CacheSize: 10000, TouchEvery: 2 * time.Second,
		cache: newSessionCache(), touch: newTouches()}
}

// DefaultCacheTTL is the default of Service.CacheTTL.
const DefaultCacheTTL = 5 * time.Second

// User is an account.
type User struct {
	ID          int64      `json:"id"`
	Username    string     `json:"username"`
	DisplayName string     `json:"display_name"`
	OrgID       int64      `json:"org_id"`
	OrgName     string     `json:"org_name"`
	MemberID    int64      `json:"member_id"`
	Disabled    bool       `json:"disabled"`
	LockedUntil *time.Time `json:"locked_until" jsonschema:"nullable"` // the latest lock of the account from any address
	LastLoginAt *time.Time `json:"last_login_at" jsonschema:"nullable"`
	CreatedAt   time.Time  `json:"created_at"`
	Grants      []Grant    `json:"grants"`
	orgPath     string
}

const userCols = `u.id, u.username, u.display_name, COALESCE(u.org_id, 0), COALESCE(o.name, ''), COALESCE(o.path, ''),
	COALESCE(u.member_id, 0), u.disabled, COALESCE((SELECT MAX(lf.locked_until) FROM login_failures lf WHERE lf.username = u.username), 0),
	u.last_login_at, u.created_at`

func scanUser(sc interface{ Scan(...any) error }) (*User, error) {
	var u User
	var locked int64
	var last sql.NullTime
	if err := sc.Scan(&u.ID, &u.Username, &u.DisplayName, &u.OrgID, &u.OrgName, &u.orgPath, &u.MemberID, &u.Disabled, &locked, &last, &u.CreatedAt); err != nil {
		return nil, err
	}
	if locked > 0 {
		t := time.Unix(locked, 0).UTC()
		u.LockedUntil = &t
	}
	u.LastLoginAt = db.TimeOrNil(last)
	u.CreatedAt = u.CreatedAt.UTC()
	return &u, nil
}

func hashToken(tok string) string {
	h := sha256.Sum256([]byte(tok))
	return hex.EncodeToString(h[:])
}

func newToken(prefix string) string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return prefix + base64.RawURLEncoding.EncodeToString(b)
}

// dummyHash makes a login for an unknown user cost as much as one for a known user.
var dummyHash, _ = HashPassword("not a password")

// LoginResult is what a successful login gives.
type LoginResult struct {
	Token     string    `json:"token"`
	User      *User     `json:"user"`
	ExpiresAt time.Time `json:"expires_at"`
}

var errInvalidCredentials = &httpx.Error{Status: http.StatusUnauthorized, Code: "invalid_credentials", Detail: i18n.M("code.invalid_credentials")}

// Login checks a password and opens a session. An unknown username goes through the same
// steps as a known one (rate limits, lockout, a hash, a counted failure), so the answers and
// their timing do not tell whether it exists; a disabled account answers like a wrong
// password until the password is right.
func (s *Service) Login(ctx context.Context, username, password, ip, userAgent string) (*LoginResult, error) {
	now := s.Clock.Now()
	username = truncate(username, 100)
	if err := s.allowLogin(username, ip, now); err != nil {
		return nil, err
	}
	var until int64
	err := s.DB.QueryRow(ctx, `SELECT locked_until FROM login_failures WHERE username = ? AND ip = ?`, username, ip).Scan(&until)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	if until > now.Unix() {
		return nil, lockedError(until, now)
	}
	var id, orgID int64
	var disabled bool
	hash := dummyHash
	err = s.DB.QueryRow(ctx, `SELECT id, password_hash, disabled, COALESCE(org_id, 0) FROM users WHERE username = ?`, username).
		Scan(&id, &hash, &disabled, &orgID)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	ok, err := s.Hasher.Check(ctx, hash, password)
	if err != nil {
		return nil, err
	}
	actor := audit.Actor{UserID: id, Username: username, IP: ip}
	if !ok || id == 0 {
		return nil, s.loginFailed(ctx, actor, orgID, now)
	}
	if disabled {
		return nil, &httpx.Error{Status: http.StatusForbidden, Code: "account_disabled", Detail: i18n.M("code.account_disabled")}
	}
	tok := newToken("djs_")
	exp := now.Add(s.SessionMaxAge)
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM login_failures WHERE username = ? AND ip = ?`, username, ip); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE users SET last_login_at = ? WHERE id = ?`, now, id); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO sessions (user_id, token_hash, kind, created_at, last_seen_at, expires_at, ip, user_agent)
			VALUES (?, ?, 'session', ?, ?, ?, ?, ?)`, id, hashToken(tok), now, now, exp, ip, truncate(userAgent, 300)); err != nil {
			return err
		}
		return audit.Write(ctx, tx, actor, now, audit.Entry{Action: "login", Entity: "user", EntityID: id, OrgID: orgID})
	})
	if err != nil {
		return nil, err
	}
	u, err := s.GetUser(ctx, System(), id)
	if err != nil {
		return nil, err
	}
	return &LoginResult{Token: tok, User: u, ExpiresAt: exp}, nil
}

// allowLogin applies the per-address and per-username rate limits.
func (s *Service) allowLogin(username, ip string, now time.Time) error {
	if ok, retry := s.LoginPerIP.Allow(ip, now); !ok {
		return rateLimited(retry)
	}
	if ok, retry := s.LoginPerUser.Allow(username, now); !ok {
		return rateLimited(retry)
	}
	return nil
}

// loginFailed counts a failure of (username, address) atomically and locks when it reaches
// LockAfter. The count and the lock are one transaction holding the row, so parallel failures
// count one by one and exactly one of them locks; failures while locked are not counted.
func (s *Service) loginFailed(ctx context.Context, actor audit.Actor, orgID int64, now time.Time) error {
	var failed, locks int
	var until int64
	unix, forget := now.Unix(), now.Add(-s.LockMax).Unix()
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		err := tx.QueryRow(ctx, `INSERT INTO login_failures (username, ip, failed, locks, locked_until, last_failed_at) VALUES (?, ?, 1, 0, 0, ?)
			ON CONFLICT (username, ip) DO UPDATE SET
				failed = CASE WHEN login_failures.locked_until > ? THEN login_failures.failed
					WHEN login_failures.last_failed_at < ? THEN 1 ELSE login_failures.failed + 1 END,
				locks = CASE WHEN login_failures.locked_until <= ? AND login_failures.last_failed_at < ? THEN 0 ELSE login_failures.locks END,
				last_failed_at = excluded.last_failed_at
			RETURNING failed, locks, locked_until`, actor.Username, actor.IP, unix, unix, forget, unix, forget).Scan(&failed, &locks, &until)
		if err != nil {
			return err
		}
		if failed == 1 && locks == 0 {
			// A new (username, address): the table would otherwise keep every pair ever
			// tried; those quiet for the forget window and unlocked no longer matter.
			if _, err := tx.Exec(ctx, `DELETE FROM login_failures WHERE last_failed_at < ? AND locked_until <= ?`, forget, unix); err != nil {
				return err
			}
		}
		action := "login_failed"
		if until <= unix && failed >= s.LockAfter {
			action, until = "locked", now.Add(s.lockDuration(locks)).Unix()
			if _, err := tx.Exec(ctx, `UPDATE login_failures SET failed = 0, locks = locks + 1, locked_until = ? WHERE username = ? AND ip = ?`,
				until, actor.Username, actor.IP); err != nil {
				return err
			}
		}
		return audit.Write(ctx, tx, actor, now, audit.Entry{Action: action, Entity: "user", EntityID: actor.UserID, OrgID: orgID, Summary: actor.Username})
	})
	switch {
	case err != nil:
		return err
	case until > unix:
		return lockedError(until, now)
	}
	return errInvalidCredentials
}

// lockDuration is LockFor doubled for each earlier lock, at most LockMax.
func (s *Service) lockDuration(locks int) time.Duration {
	d := s.LockFor
	for i := 0; i < locks && d < s.LockMax; i++ {
		d *= 2
	}
	return min(d, s.LockMax)
}

func lockedError(until int64, now time.Time) *httpx.Error {
	t := time.Unix(until, 0).UTC()
	secs := int(math.Ceil(t.Sub(now).Seconds()))
	mins := (secs + 59) / 60
	return &httpx.Error{Status: http.StatusLocked, Code: "account_locked", Detail: i18n.M("detail.locked", mins),
		Extra: map[string]any{"locked_until": t.Format(time.RFC3339), "retry_after_seconds": secs}}
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// TokenFrom reads the credential of a request: the Bearer token, else the session cookie.
func TokenFrom(r *http.Request) string {
	if h := r.Header.Get("Authorization"); strings.HasPrefix(h, "Bearer ") {
		return strings.TrimSpace(strings.TrimPrefix(h, "Bearer "))
	}
	if c, err := r.Cookie(CookieName); err == nil {
		return c.Value
	}
	return ""
}

var errExpired = httpx.Unauthorized(i18n.M("detail.session_expired"))

// Authenticate resolves a token to the caller's scope: from the cache when it holds the token
// (no query), else from the database. The expiry, idle and revocation checks run on every
// request either way, against the clock of the moment.
func (s *Service) Authenticate(ctx context.Context, tok, ip string) (*Scope, error) {
	if tok == "" {
		return nil, httpx.Unauthorized(i18n.M("code.unauthorized"))
	}
	s.start()
	now := s.Clock.Now()
	hash := hashToken(tok)
	e, err := s.lookup(ctx, hash, now)
	if err != nil {
		return nil, err
	}
	if !s.alive(e, now) {
		s.cache.drop(func(x *session) bool { return x.id == e.id })
		return nil, errExpired
	}
	// Touch at most once a minute: a read must not become a write on every request.
	if now.Sub(e.lastSeen) > time.Minute {
		if err := s.touched(ctx, hash, e.id, now); err != nil {
			return nil, err
		}
	}
	return &Scope{UserID: e.userID, SessionID: e.id, Username: e.username, MemberID: e.memberID, IP: ip, Grants: slices.Clone(e.grants)}, nil
}

// lookup finds the credential of hash in the cache or, failing that, the database (and
// caches it while it is alive). Its last use is the later of the row's and one recorded but
// not yet written.
func (s *Service) lookup(ctx context.Context, hash string, now time.Time) (session, error) {
	on := s.cacheOn()
	if on {
		if e, ok := s.cache.get(hash, now); ok {
			return e, nil
		}
	}
	gen := s.cache.generation()
	e, err := s.load(ctx, hash)
	if err != nil {
		return session{}, err
	}
	e.loaded = now
	if t := s.touch.latest(e.id); t.After(e.lastSeen) {
		e.lastSeen = t
	}
	if on && s.alive(e, now) {
		s.cache.put(hash, e, gen)
	}
	return e, nil
}

// load reads the credential of hash, its user and grants: errExpired when there is none.
func (s *Service) load(ctx context.Context, hash string) (session, error) {
	var e session
	var expires, revoked sql.NullTime
	err := s.DB.QueryRow(ctx, `SELECT s.id, s.user_id, s.kind, s.created_at, s.last_seen_at, s.expires_at, s.revoked_at, u.username, COALESCE(u.member_id, 0), u.disabled
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?`, hash).
		Scan(&e.id, &e.userID, &e.kind, &e.created, &e.lastSeen, &expires, &revoked, &e.username, &e.memberID, &e.disabled)
	if errors.Is(err, sql.ErrNoRows) {
		return session{}, errExpired
	}
	if err != nil {
		return session{}, err
	}
	e.expires, e.revoked = expires.Time, revoked.Valid
	if e.grants, err = s.grants(ctx, s.DB, e.userID); err != nil {
		return session{}, err
	}
	return e, nil
}

// alive tells whether the credential may be used at now: not revoked, its user not
// disabled, not past its end, not idle for too long.
func (s *Service) alive(e session, now time.Time) bool {
	idle, end := s.IdleTimeout, e.expires
	if e.kind == "api" {
		// Tokens made before expiry was required live at most the longest life allowed now.
		idle = s.TokenIdle
		if longest := e.created.AddDate(0, 0, s.TokenMaxDays); end.IsZero() || longest.Before(end) {
			end = longest
		}
	}
	return !e.revoked && !e.disabled && (end.IsZero() || now.Before(end)) && now.Sub(e.lastSeen) < idle
}

// touched records a use of the session: for the flusher when it runs, else (after Close)
// written at once.
func (s *Service) touched(ctx context.Context, hash string, id int64, now time.Time) error {
	if s.bg.running.Load() {
		s.cache.seen(hash, now)
		s.touch.add(id, now)
		return nil
	}
	_, err := s.DB.Exec(ctx, `UPDATE sessions SET last_seen_at = ? WHERE id = ?`, now, id)
	return err
}

// Middleware is the httpx.Authenticator of the server.
func (s *Service) Middleware(r *http.Request) (context.Context, error) {
	sc, err := s.Authenticate(r.Context(), TokenFrom(r), httpx.ClientIP(r.Context()))
	if err != nil {
		return nil, err
	}
	httpx.SetLogUser(r.Context(), sc.Username)
	return With(r.Context(), sc), nil
}

// Logout revokes the session or token tok.
func (s *Service) Logout(ctx context.Context, sc *Scope, tok string) error {
	now := s.Clock.Now()
	return s.inTxForget(ctx, sessionKey(sc.SessionID), func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE sessions SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL`, now, hashToken(tok)); err != nil {
			return err
		}
		return audit.Write(ctx, tx, sc.Actor(), now, audit.Entry{Action: "logout", Entity: "user", EntityID: sc.UserID})
	})
}

func (s *Service) grants(ctx context.Context, q db.Querier, userID int64) ([]Grant, error) {
	out := []Grant{}
	err := db.Each(ctx, q, `SELECT g.id, g.user_id, g.role, COALESCE(g.org_id, 0), COALESCE(o.name, ''), COALESCE(o.path, '')
		FROM grants g LEFT JOIN orgs o ON o.id = g.org_id WHERE g.user_id = ? AND (g.org_id IS NULL OR o.dissolved_at IS NULL) ORDER BY g.id`,
		[]any{userID}, func(r db.Scanner) error {
			var g Grant
			if err := r.Scan(&g.ID, &g.UserID, &g.Role, &g.OrgID, &g.OrgName, &g.OrgPath); err != nil {
				return err
			}
			out = append(out, g)
			return nil
		})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// EnsureAdmin creates the first administrator when there are no users at all. The password is
// the given one or, if empty, a random one; it is returned so the caller can print it once.
func (s *Service) EnsureAdmin(ctx context.Context, password string) (created bool, pw string, err error) {
	var n int
	if err := s.DB.QueryRow(ctx, `SELECT COUNT(*) FROM users`).Scan(&n); err != nil {
		return false, "", err
	}
	if n > 0 {
		return false, "", nil
	}
	pw = password
	if pw == "" {
		pw = RandomPassword()
	}
	id, err := s.CreateUser(ctx, System(), NewUser{Username: "admin", DisplayName: "系统管理员", Password: pw})
	if err != nil {
		return false, "", err
	}
	if _, err := s.GrantRole(ctx, System(), id, RoleAdmin, 0); err != nil {
		return false, "", err
	}
	return true, pw, nil
}
