package auth

import (
	"context"
	"database/sql"
	"errors"
	"regexp"
	"strconv"
	"time"

	"dangjian/internal/platform/audit"
	"dangjian/internal/platform/db"
	"dangjian/internal/platform/httpx"
	"dangjian/internal/platform/i18n"
)

func init() {
	i18n.Register(map[string][2]string{
		"f.user":            {"用户", "User"},
		"f.grant":           {"授权", "Grant"},
		"f.token":           {"令牌", "Token"},
		"f.username":        {"用户名", "Username"},
		"f.password":        {"密码", "Password"},
		"f.old_password":    {"原密码", "Current password"},
		"f.new_password":    {"新密码", "New password"},
		"f.display_name":    {"姓名", "Name"},
		"f.role":            {"角色", "Role"},
		"f.user_org_id":     {"所属组织", "Organization"},
		"f.grant_org_id":    {"授权组织", "Organization"},
		"f.member_id":       {"关联党员", "Member"},
		"f.token_name":      {"令牌名称", "Token name"},
		"f.expires_in_days": {"有效天数", "Days valid"},
		"v.password_short":  {"%s：至少%d个字符", "%s: at least %d characters"},
		"v.password_long":   {"%s：过长", "%s: too long"},
		"v.password_wrong":  {"%s：不正确", "%s: incorrect"},
		"v.username_taken":  {"%s：已被使用", "%s: already taken"},
		"v.username_format": {"%s：只能由3–64位字母、数字、点、下划线或连字符组成", "%s: 3–64 letters, digits, dots, underscores or hyphens"},
		"v.out_of_scope":    {"%s：不在您的管理范围内", "%s: outside your scope"},
		"v.admin_only":      {"%s：只有系统管理员可以授予", "%s: only a system administrator may grant it"},
		"v.org_required":    {"%s：该角色必须指定组织", "%s: this role needs an organization"},
		"v.grant_exists":    {"%s：已有该授权", "%s: already granted"},
		"v.range":           {"%s：应在%d到%d之间", "%s: must be between %d and %d"},
		"role.admin":        {"系统管理员", "System administrator"},
		"role.org_staff":    {"组织部/党委工作人员", "Organization department staff"},
		"role.secretary":    {"支部书记/委员", "Branch secretary / committee member"},
		"role.member":       {"党员", "Party member"},
		"role.viewer":       {"查看", "Viewer"},
	})
}

var usernameRe = regexp.MustCompile(`^[A-Za-z0-9._-]{3,64}$`)

// NewUser is the body of POST /api/v1/users.
type NewUser struct {
	Username    string `json:"username"`
	DisplayName string `json:"display_name"`
	Password    string `json:"password"`
	OrgID       int64  `json:"org_id,omitempty"`
	MemberID    int64  `json:"member_id,omitempty"`
}

// UserPatch is the body of PATCH /api/v1/users/{id}; absent fields are left alone.
type UserPatch struct {
	DisplayName *string `json:"display_name,omitempty"`
	Disabled    *bool   `json:"disabled,omitempty"`
	Password    *string `json:"password,omitempty"`
	MemberID    *int64  `json:"member_id,omitempty"`
	Unlock      *bool   `json:"unlock,omitempty"`
	// RevokeSessions ends every session and API token of the account ("sign out everywhere").
	RevokeSessions *bool `json:"revoke_sessions,omitempty"`
}

// orgPath returns the path of a live organization, or "" when there is none.
func orgPath(ctx context.Context, q db.Querier, id int64) (string, error) {
	var p string
	err := q.QueryRow(ctx, `SELECT path FROM orgs WHERE id = ? AND dissolved_at IS NULL`, id).Scan(&p)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return p, err
}

func (s *Service) checkMember(ctx context.Context, q db.Querier, sc *Scope, id int64, is *httpx.Issues) error {
	var p string
	err := q.QueryRow(ctx, `SELECT org_path FROM members WHERE id = ?`, id).Scan(&p)
	switch {
	case err != nil && !errors.Is(err, sql.ErrNoRows):
		return err
	case err == nil && sc.Can(ManageUsers, p):
		return nil
	case err != nil && sc.IsAdmin():
		is.Add("member_id", "f.member_id", "v.choice", strconv.FormatInt(id, 10))
		return nil
	default:
		return httpx.Forbidden()
	}
}

// checkOrg checks that the organization a user or grant is placed on exists and lies in
// the caller's scope: outside it is a 403, like every out-of-scope write.
func checkOrg(ctx context.Context, q db.Querier, sc *Scope, id int64, field, label string, is *httpx.Issues) (string, error) {
	p, err := orgPath(ctx, q, id)
	if err != nil {
		return "", err
	}
	if p != "" && sc.Can(ManageUsers, p) {
		return p, nil
	}
	if p == "" && sc.IsAdmin() {
		is.Add(field, label, "v.choice", strconv.FormatInt(id, 10))
		return "", nil
	}
	return "", httpx.Forbidden()
}

// CreateUser creates an account managed under the caller's scope and returns its id.
func (s *Service) CreateUser(ctx context.Context, sc *Scope, nu NewUser) (int64, error) {
	if !sc.Has(ManageUsers) {
		return 0, httpx.Forbidden()
	}
	var is httpx.Issues
	if !usernameRe.MatchString(nu.Username) {
		is.Add("username", "f.username", "v.username_format")
	}
	if k, args := PasswordProblem(nu.Password, nu.Username); k != "" {
		is.Add("password", "f.password", k, args...)
	}
	if len([]rune(nu.DisplayName)) > 50 {
		is.Add("display_name", "f.display_name", "v.too_long", 50)
	}
	if nu.OrgID != 0 {
		if _, err := checkOrg(ctx, s.DB, sc, nu.OrgID, "org_id", "f.user_org_id", &is); err != nil {
			return 0, err
		}
	} else if !sc.IsAdmin() {
		is.Add("org_id", "f.user_org_id", "v.required")
	}
	if nu.MemberID != 0 {
		if err := s.checkMember(ctx, s.DB, sc, nu.MemberID, &is); err != nil {
			return 0, err
		}
	}
	if err := is.Err(); err != nil {
		return 0, err
	}
	hash, err := s.Hasher.Hash(ctx, nu.Password)
	if err != nil {
		return 0, err
	}
	now := s.Clock.Now()
	var id int64
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		err := tx.QueryRow(ctx, `INSERT INTO users (username, display_name, password_hash, org_id, member_id, created_at)
			VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, nu.Username, nu.DisplayName, hash, nullable(nu.OrgID), nullable(nu.MemberID), now).Scan(&id)
		if db.IsUniqueViolation(err) {
			return httpx.Invalid(httpx.FieldIssue("username", "f.username", "v.username_taken"))
		}
		if err != nil {
			return err
		}
		return audit.Write(ctx, tx, sc.Actor(), now, audit.Entry{Action: "create", Entity: "user", EntityID: id, OrgID: nu.OrgID,
			Summary: nu.Username, Changes: audit.Snapshot(struct {
				Username    string `json:"username"`
				DisplayName string `json:"display_name"`
				OrgID       int64  `json:"org_id"`
				MemberID    int64  `json:"member_id"`
			}{nu.Username, nu.DisplayName, nu.OrgID, nu.MemberID})})
	})
	return id, err
}

func nullable(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// userWhere limits users to those the caller manages, and the caller.
func userWhere(sc *Scope) (string, []any) {
	cond, args := sc.Where("o.path", ManageUsers)
	return "(" + cond + ") OR u.id = ?", append(args, sc.UserID)
}

// GetUser returns one user in the caller's reach, with grants.
func (s *Service) GetUser(ctx context.Context, sc *Scope, id int64) (*User, error) {
	cond, args := userWhere(sc)
	u, err := scanUser(s.DB.QueryRow(ctx, `SELECT `+userCols+` FROM users u LEFT JOIN orgs o ON o.id = u.org_id
		WHERE u.id = ? AND (`+cond+`)`, append([]any{id}, args...)...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, httpx.NotFound("f.user")
	}
	if err != nil {
		return nil, err
	}
	if u.Grants, err = s.grants(ctx, s.DB, u.ID); err != nil {
		return nil, err
	}
	return u, nil
}

// ListUsers lists the users the caller manages, by username.
func (s *Service) ListUsers(ctx context.Context, sc *Scope, q string, p httpx.Page) ([]*User, int, error) {
	cond, args := userWhere(sc)
	where := "(" + cond + ")"
	if q != "" {
		where += " AND (u.username LIKE ? OR u.display_name LIKE ?)"
		args = append(args, "%"+q+"%", "%"+q+"%")
	}
	var total int
	if err := s.DB.QueryRow(ctx, `SELECT COUNT(*) FROM users u LEFT JOIN orgs o ON o.id = u.org_id WHERE `+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	out, err := db.All(ctx, s.DB, `SELECT `+userCols+` FROM users u LEFT JOIN orgs o ON o.id = u.org_id WHERE `+where+
		` ORDER BY u.username LIMIT ? OFFSET ?`, append(args, p.Size, p.Offset()), func(r db.Scanner) (*User, error) { return scanUser(r) })
	if err != nil {
		return nil, 0, err
	}
	for _, u := range out {
		if u.Grants, err = s.grants(ctx, s.DB, u.ID); err != nil {
			return nil, 0, err
		}
	}
	return out, total, nil
}

// writableUser loads a user the caller may change: 404 when invisible, 403 when it is only the
// caller themself without ManageUsers, and 403 unless every grant the user holds lies within
// the caller's own: whoever could reset the password could act as the user.
func (s *Service) writableUser(ctx context.Context, sc *Scope, id int64) (*User, error) {
	u, err := s.GetUser(ctx, sc, id)
	if err != nil {
		var he *httpx.Error
		if errors.As(err, &he) && he.Code == "not_found" && !sc.IsAdmin() {
			return nil, httpx.Forbidden()
		}
		return nil, err
	}
	if sc.IsAdmin() {
		return u, nil
	}
	if u.orgPath == "" || !sc.Can(ManageUsers, u.orgPath) {
		return nil, httpx.Forbidden()
	}
	for _, g := range u.Grants {
		if !sc.Covers(g.Role, g.OrgPath) {
			return nil, httpx.Forbidden()
		}
	}
	return u, nil
}

// UpdateUser changes an account: name, disabled, password reset, member link, unlock.
func (s *Service) UpdateUser(ctx context.Context, sc *Scope, id int64, p UserPatch) (*User, error) {
	u, err := s.writableUser(ctx, sc, id)
	if err != nil {
		return nil, err
	}
	var is httpx.Issues
	if p.DisplayName != nil && len([]rune(*p.DisplayName)) > 50 {
		is.Add("display_name", "f.display_name", "v.too_long", 50)
	}
	var hash string
	if p.Password != nil {
		if k, args := PasswordProblem(*p.Password, u.Username); k != "" {
			is.Add("password", "f.password", k, args...)
		}
	}
	if p.MemberID != nil && *p.MemberID != 0 {
		if err := s.checkMember(ctx, s.DB, sc, *p.MemberID, &is); err != nil {
			return nil, err
		}
	}
	if err := is.Err(); err != nil {
		return nil, err
	}
	if p.Password != nil {
		if hash, err = s.Hasher.Hash(ctx, *p.Password); err != nil {
			return nil, err
		}
	}
	now := s.Clock.Now()
	changes := map[string]audit.Change{}
	// Any change of the account drops its cached sessions (disabled, password, member link).
	changed := func() string {
		if len(changes) == 0 {
			return ""
		}
		return userKey(id)()
	}
	err = s.inTxForget(ctx, changed, func(tx *db.Tx) error {
		if p.DisplayName != nil && *p.DisplayName != u.DisplayName {
			changes["display_name"] = audit.Change{Before: u.DisplayName, After: *p.DisplayName}
			if _, err := tx.Exec(ctx, `UPDATE users SET display_name = ? WHERE id = ?`, *p.DisplayName, id); err != nil {
				return err
			}
		}
		if p.Disabled != nil && *p.Disabled != u.Disabled {
			changes["disabled"] = audit.Change{Before: u.Disabled, After: *p.Disabled}
			if _, err := tx.Exec(ctx, `UPDATE users SET disabled = ? WHERE id = ?`, *p.Disabled, id); err != nil {
				return err
			}
		}
		if p.MemberID != nil && *p.MemberID != u.MemberID {
			changes["member_id"] = audit.Change{Before: u.MemberID, After: *p.MemberID}
			if _, err := tx.Exec(ctx, `UPDATE users SET member_id = ? WHERE id = ?`, nullable(*p.MemberID), id); err != nil {
				return err
			}
		}
		if p.Password != nil {
			changes["password"] = audit.Change{Before: "***", After: "***"}
			if _, err := tx.Exec(ctx, `UPDATE users SET password_hash = ? WHERE id = ?`, hash, id); err != nil {
				return err
			}
		}
		// A reset password ends every session and token of the account but the caller's own.
		if p.Password != nil || (p.RevokeSessions != nil && *p.RevokeSessions) {
			n, err := revokeSessions(ctx, tx, id, sc.SessionID, now)
			if err != nil {
				return err
			}
			if n > 0 {
				changes["sessions_revoked"] = audit.Change{After: n}
			}
		}
		if (p.Password != nil || (p.Unlock != nil && *p.Unlock)) && u.LockedUntil != nil {
			changes["locked_until"] = audit.Change{Before: u.LockedUntil, After: nil}
			if _, err := tx.Exec(ctx, `DELETE FROM login_failures WHERE username = ?`, u.Username); err != nil {
				return err
			}
		}
		if len(changes) == 0 {
			return nil
		}
		return audit.Write(ctx, tx, sc.Actor(), now, audit.Entry{Action: "update", Entity: "user", EntityID: id, OrgID: u.OrgID, Summary: u.Username, Changes: changes})
	})
	if err != nil {
		return nil, err
	}
	return s.GetUser(ctx, sc, id)
}

// revokeSessions ends every live session and API token of user id except keep; it tells how many.
func revokeSessions(ctx context.Context, tx *db.Tx, id, keep int64, now time.Time) (int64, error) {
	res, err := tx.Exec(ctx, `UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND id <> ? AND revoked_at IS NULL`, now, id, keep)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// ChangeOwnPassword lets a user change their password, knowing the old one.
func (s *Service) ChangeOwnPassword(ctx context.Context, sc *Scope, oldPw, newPw string) error {
	// The old password is checked like a login's, so it is rate-limited like one: a stolen
	// session must not become a way to guess the password.
	if err := s.allowLogin(sc.Username, sc.IP, s.Clock.Now()); err != nil {
		return err
	}
	var hash string
	if err := s.DB.QueryRow(ctx, `SELECT password_hash FROM users WHERE id = ?`, sc.UserID).Scan(&hash); err != nil {
		return err
	}
	var is httpx.Issues
	if ok, err := s.Hasher.Check(ctx, hash, oldPw); err != nil {
		return err
	} else if !ok {
		is.Add("old_password", "f.old_password", "v.password_wrong")
	}
	if k, args := PasswordProblem(newPw, sc.Username); k != "" {
		is.Add("new_password", "f.new_password", k, args...)
	}
	if err := is.Err(); err != nil {
		return err
	}
	nh, err := s.Hasher.Hash(ctx, newPw)
	if err != nil {
		return err
	}
	now := s.Clock.Now()
	return s.inTxForget(ctx, userKey(sc.UserID), func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE users SET password_hash = ? WHERE id = ?`, nh, sc.UserID); err != nil {
			return err
		}
		// Whoever else held this account's sessions or tokens (say, who learned the old
		// password) is out; the session that made the change stays.
		n, err := revokeSessions(ctx, tx, sc.UserID, sc.SessionID, now)
		if err != nil {
			return err
		}
		return audit.Write(ctx, tx, sc.Actor(), now, audit.Entry{Action: "password", Entity: "user", EntityID: sc.UserID,
			Changes: map[string]audit.Change{"sessions_revoked": {After: n}}})
	})
}

// GrantRole gives user id the role on organization orgID (0 for admin: the whole system).
func (s *Service) GrantRole(ctx context.Context, sc *Scope, id int64, role Role, orgID int64) (*Grant, error) {
	u, err := s.writableUser(ctx, sc, id)
	if err != nil {
		return nil, err
	}
	var is httpx.Issues
	var path string
	switch {
	case !role.Valid():
		is.Add("role", "f.role", "v.choice", string(role))
	case role != RoleAdmin && orgID == 0:
		is.Add("org_id", "f.grant_org_id", "v.org_required")
	}
	if orgID != 0 {
		if path, err = checkOrg(ctx, s.DB, sc, orgID, "org_id", "f.grant_org_id", &is); err != nil {
			return nil, err
		}
	}
	// Nobody hands out more than they hold: the grant's role and organization are within the
	// grantor's own (only admins grant admin).
	if role.Valid() && (path != "" || orgID == 0) && !sc.Covers(role, path) {
		return nil, httpx.Forbidden()
	}
	for _, g := range u.Grants {
		if g.Role == role && g.OrgID == orgID {
			is.Add("role", "f.role", "v.grant_exists")
		}
	}
	if err := is.Err(); err != nil {
		return nil, err
	}
	now := s.Clock.Now()
	g := &Grant{UserID: id, Role: role, OrgID: orgID, OrgPath: path}
	err = s.inTxForget(ctx, userKey(id), func(tx *db.Tx) error {
		if err := tx.QueryRow(ctx, `INSERT INTO grants (user_id, role, org_id, created_at) VALUES (?, ?, ?, ?) RETURNING id`,
			id, role, nullable(orgID), now).Scan(&g.ID); err != nil {
			return err
		}
		return audit.Write(ctx, tx, sc.Actor(), now, audit.Entry{Action: "grant", Entity: "user", EntityID: id, OrgID: orgID,
			Summary: u.Username + " " + string(role), Changes: map[string]audit.Change{"role": {After: role}, "org_id": {After: orgID}}})
	})
	if err != nil {
		return nil, err
	}
	_ = s.DB.QueryRow(ctx, `SELECT name FROM orgs WHERE id = ?`, orgID).Scan(&g.OrgName)
	return g, nil
}

// RevokeGrant removes one grant of user id.
func (s *Service) RevokeGrant(ctx context.Context, sc *Scope, id, grantID int64) error {
	u, err := s.writableUser(ctx, sc, id)
	if err != nil {
		return err
	}
	var g *Grant
	for i := range u.Grants {
		if u.Grants[i].ID == grantID {
			g = &u.Grants[i]
		}
	}
	if g == nil {
		return httpx.NotFound("f.grant")
	}
	now := s.Clock.Now()
	return s.inTxForget(ctx, userKey(id), func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM grants WHERE id = ?`, grantID); err != nil {
			return err
		}
		return audit.Write(ctx, tx, sc.Actor(), now, audit.Entry{Action: "revoke", Entity: "user", EntityID: id, OrgID: g.OrgID,
			Summary: u.Username + " " + string(g.Role), Changes: map[string]audit.Change{"role": {Before: g.Role}, "org_id": {Before: g.OrgID}}})
	})
}

// Token is an API token as listed (the secret itself is shown only at creation).
type Token struct {
	ID         int64      `json:"id"`
	Name       string     `json:"name"`
	Token      string     `json:"token,omitempty"`
	CreatedAt  time.Time  `json:"created_at"`
	LastSeenAt time.Time  `json:"last_seen_at"`
	ExpiresAt  *time.Time `json:"expires_at" jsonschema:"nullable"`
}

// NewToken is the body of POST /api/v1/tokens.
type NewToken struct {
	Name          string `json:"name"`
	ExpiresInDays int    `json:"expires_in_days,omitempty"` // 0: the default (90 days); at most 365
}

// CreateToken issues an API token for the caller. A plain member, who reaches only their own
// record, has no use for a script's token: only a role that reads a subtree may make one.
func (s *Service) CreateToken(ctx context.Context, sc *Scope, nt NewToken) (*Token, error) {
	if sc.UserID == 0 || !sc.Has(UseTokens) {
		return nil, httpx.Forbidden()
	}
	var is httpx.Issues
	if nt.Name == "" {
		is.Add("name", "f.token_name", "v.required")
	} else if len([]rune(nt.Name)) > 100 {
		is.Add("name", "f.token_name", "v.too_long", 100)
	}
	if nt.ExpiresInDays == 0 {
		nt.ExpiresInDays = s.TokenDays
	} else if nt.ExpiresInDays < 1 || nt.ExpiresInDays > s.TokenMaxDays {
		is.Add("expires_in_days", "f.expires_in_days", "v.range", 1, s.TokenMaxDays)
	}
	if err := is.Err(); err != nil {
		return nil, err
	}
	now := s.Clock.Now()
	exp := now.AddDate(0, 0, nt.ExpiresInDays)
	t := &Token{Name: nt.Name, Token: newToken("dja_"), CreatedAt: now, LastSeenAt: now, ExpiresAt: &exp}
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		if err := tx.QueryRow(ctx, `INSERT INTO sessions (user_id, token_hash, kind, name, created_at, last_seen_at, expires_at, ip)
			VALUES (?, ?, 'api', ?, ?, ?, ?, ?) RETURNING id`, sc.UserID, hashToken(t.Token), nt.Name, now, now, exp, sc.IP).Scan(&t.ID); err != nil {
			return err
		}
		return audit.Write(ctx, tx, sc.Actor(), now, audit.Entry{Action: "create", Entity: "token", EntityID: t.ID, Summary: nt.Name})
	})
	return t, err
}

// ListTokens lists the caller's live API tokens.
func (s *Service) ListTokens(ctx context.Context, sc *Scope) ([]Token, error) {
	out := []Token{}
	err := db.Each(ctx, s.DB, `SELECT id, name, created_at, last_seen_at, expires_at FROM sessions
		WHERE user_id = ? AND kind = 'api' AND revoked_at IS NULL ORDER BY id`, []any{sc.UserID}, func(r db.Scanner) error {
		var t Token
		var exp sql.NullTime
		if err := r.Scan(&t.ID, &t.Name, &t.CreatedAt, &t.LastSeenAt, &exp); err != nil {
			return err
		}
		t.ExpiresAt = db.TimeOrNil(exp)
		t.CreatedAt, t.LastSeenAt = t.CreatedAt.UTC(), t.LastSeenAt.UTC()
		out = append(out, t)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// RevokeToken revokes one of the caller's API tokens.
func (s *Service) RevokeToken(ctx context.Context, sc *Scope, id int64) error {
	now := s.Clock.Now()
	return s.inTxForget(ctx, sessionKey(id), func(tx *db.Tx) error {
		res, err := tx.Exec(ctx, `UPDATE sessions SET revoked_at = ? WHERE id = ? AND user_id = ? AND kind = 'api' AND revoked_at IS NULL`, now, id, sc.UserID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return httpx.NotFound("f.token")
		}
		return audit.Write(ctx, tx, sc.Actor(), now, audit.Entry{Action: "revoke", Entity: "token", EntityID: id})
	})
}

// UserID resolves a username (for the command line).
func (s *Service) UserID(ctx context.Context, username string) (int64, error) {
	var id int64
	err := s.DB.QueryRow(ctx, `SELECT id FROM users WHERE username = ?`, username).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, errors.New("no user " + strconv.Quote(username))
	}
	return id, err
}
