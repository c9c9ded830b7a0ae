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
	LockAfter     int           // failed logins in a row that lock the account
	LockFor       time.Duration
	SecureCookie  bool
}

// NewService returns a service with the default policy: 30 minutes idle, 12 hours at most,
// five failures lock for 15 minutes.
func NewService(d *db.DB, c clock.Clock) *Service {
	return &Service{DB: d, Clock: c, IdleTimeout: 30 * time.Minute, SessionMaxAge: 12 * time.Hour, LockAfter: 5, LockFor: 15 * time.Minute}
}

// User is an account.
type User struct {
	ID          int64      `json:"id"`
	Username    string     `json:"username"`
	DisplayName string     `json:"display_name"`
	OrgID       int64      `json:"org_id"`
	OrgName     string     `json:"org_name"`
	MemberID    int64      `json:"member_id"`
	Disabled    bool       `json:"disabled"`
	LockedUntil *time.Time `json:"locked_until" jsonschema:"nullable"`
	LastLoginAt *time.Time `json:"last_login_at" jsonschema:"nullable"`
	CreatedAt   time.Time  `json:"created_at"`
	Grants      []Grant    `json:"grants"`
	orgPath     string
}

const userCols = `u.id, u.username, u.display_name, COALESCE(u.org_id, 0), COALESCE(o.name, ''), COALESCE(o.path, ''),
	COALESCE(u.member_id, 0), u.disabled, u.locked_until, u.last_login_at, u.created_at`

func scanUser(sc interface{ Scan(...any) error }) (*User, error) {
	var u User
	var locked, last sql.NullTime
	if err := sc.Scan(&u.ID, &u.Username, &u.DisplayName, &u.OrgID, &u.OrgName, &u.orgPath, &u.MemberID, &u.Disabled, &locked, &last, &u.CreatedAt); err != nil {
		return nil, err
	}
	u.LockedUntil = db.TimeOrNil(locked)
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

// Login checks a password and opens a session.
func (s *Service) Login(ctx context.Context, username, password, ip, userAgent string) (*LoginResult, error) {
	now := s.Clock.Now()
	var hash string
	var failed int
	u, err := scanUser(s.DB.QueryRow(ctx, `SELECT `+userCols+` FROM users u LEFT JOIN orgs o ON o.id = u.org_id WHERE u.username = ?`, username))
	if errors.Is(err, sql.ErrNoRows) {
		_, _ = CheckPassword(dummyHash, password)
		return nil, &httpx.Error{Status: http.StatusUnauthorized, Code: "invalid_credentials", Detail: i18n.M("code.invalid_credentials")}
	}
	if err != nil {
		return nil, err
	}
	if err := s.DB.QueryRow(ctx, `SELECT password_hash, failed_logins FROM users WHERE id = ?`, u.ID).Scan(&hash, &failed); err != nil {
		return nil, err
	}
	actor := audit.Actor{UserID: u.ID, Username: u.Username, IP: ip}
	if u.LockedUntil != nil && u.LockedUntil.After(now) {
		return nil, lockedError(*u.LockedUntil, now)
	}
	if u.Disabled {
		return nil, &httpx.Error{Status: http.StatusForbidden, Code: "account_disabled", Detail: i18n.M("code.account_disabled")}
	}
	ok, err := CheckPassword(hash, password)
	if err != nil {
		return nil, err
	}
	if !ok {
		failed++
		var lockedUntil any
		if failed >= s.LockAfter {
			lockedUntil = now.Add(s.LockFor)
			failed = 0
		}
		err := s.DB.InTx(ctx, func(tx *db.Tx) error {
			if _, err := tx.Exec(ctx, `UPDATE users SET failed_logins = ?, locked_until = ? WHERE id = ?`, failed, lockedUntil, u.ID); err != nil {
				return err
			}
			action := "login_failed"
			if lockedUntil != nil {
				action = "locked"
			}
			return audit.Write(ctx, tx, actor, now, audit.Entry{Action: action, Entity: "user", EntityID: u.ID, OrgID: u.OrgID})
		})
		if err != nil {
			return nil, err
		}
		if t, ok := lockedUntil.(time.Time); ok {
			return nil, lockedError(t, now)
		}
		return nil, &httpx.Error{Status: http.StatusUnauthorized, Code: "invalid_credentials", Detail: i18n.M("code.invalid_credentials")}
	}
	tok := newToken("djs_")
	exp := now.Add(s.SessionMaxAge)
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE users SET failed_logins = 0, locked_until = NULL, last_login_at = ? WHERE id = ?`, now, u.ID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO sessions (user_id, token_hash, kind, created_at, last_seen_at, expires_at, ip, user_agent)
			VALUES (?, ?, 'session', ?, ?, ?, ?, ?)`, u.ID, hashToken(tok), now, now, exp, ip, truncate(userAgent, 300)); err != nil {
			return err
		}
		return audit.Write(ctx, tx, actor, now, audit.Entry{Action: "login", Entity: "user", EntityID: u.ID, OrgID: u.OrgID})
	})
	if err != nil {
		return nil, err
	}
	u.LastLoginAt = &now
	u.LockedUntil = nil
	if u.Grants, err = s.grants(ctx, s.DB, u.ID); err != nil {
		return nil, err
	}
	return &LoginResult{Token: tok, User: u, ExpiresAt: exp}, nil
}

func lockedError(until, now time.Time) *httpx.Error {
	secs := int(math.Ceil(until.Sub(now).Seconds()))
	mins := (secs + 59) / 60
	return &httpx.Error{Status: http.StatusLocked, Code: "account_locked", Detail: i18n.M("detail.locked", mins),
		Extra: map[string]any{"locked_until": until.UTC().Format(time.RFC3339), "retry_after_seconds": secs}}
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

// Authenticate resolves a token to the caller's scope.
func (s *Service) Authenticate(ctx context.Context, tok, ip string) (*Scope, error) {
	if tok == "" {
		return nil, httpx.Unauthorized(i18n.M("code.unauthorized"))
	}
	now := s.Clock.Now()
	var sid, uid, memberID int64
	var kind, username string
	var lastSeen time.Time
	var expires, revoked sql.NullTime
	var disabled bool
	err := s.DB.QueryRow(ctx, `SELECT s.id, s.user_id, s.kind, s.last_seen_at, s.expires_at, s.revoked_at, u.username, COALESCE(u.member_id, 0), u.disabled
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?`, hashToken(tok)).
		Scan(&sid, &uid, &kind, &lastSeen, &expires, &revoked, &username, &memberID, &disabled)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errExpired
	}
	if err != nil {
		return nil, err
	}
	if revoked.Valid || disabled || (expires.Valid && !now.Before(expires.Time)) ||
		(kind == "session" && now.Sub(lastSeen) >= s.IdleTimeout) {
		return nil, errExpired
	}
	// Touch at most once a minute: a read must not become a write on every request.
	if now.Sub(lastSeen) > time.Minute {
		if _, err := s.DB.Exec(ctx, `UPDATE sessions SET last_seen_at = ? WHERE id = ?`, now, sid); err != nil {
			return nil, err
		}
	}
	grants, err := s.grants(ctx, s.DB, uid)
	if err != nil {
		return nil, err
	}
	return &Scope{UserID: uid, Username: username, MemberID: memberID, IP: ip, Grants: grants}, nil
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
	return s.DB.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE sessions SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL`, now, hashToken(tok)); err != nil {
			return err
		}
		return audit.Write(ctx, tx, sc.Actor(), now, audit.Entry{Action: "logout", Entity: "user", EntityID: sc.UserID})
	})
}

func (s *Service) grants(ctx context.Context, q db.Querier, userID int64) ([]Grant, error) {
	rows, err := q.Query(ctx, `SELECT g.id, g.user_id, g.role, COALESCE(g.org_id, 0), COALESCE(o.name, ''), COALESCE(o.path, '')
		FROM grants g LEFT JOIN orgs o ON o.id = g.org_id WHERE g.user_id = ? AND (g.org_id IS NULL OR o.dissolved_at IS NULL) ORDER BY g.id`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Grant{}
	for rows.Next() {
		var g Grant
		if err := rows.Scan(&g.ID, &g.UserID, &g.Role, &g.OrgID, &g.OrgName, &g.OrgPath); err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, rows.Err()
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
