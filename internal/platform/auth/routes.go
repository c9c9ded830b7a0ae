package auth

import (
	"net/http"

	"dangjian/internal/platform/httpx"
)

// Credentials is the body of POST /api/v1/auth/login.
type Credentials struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

// PasswordChange is the body of POST /api/v1/me/password.
type PasswordChange struct {
	OldPassword string `json:"old_password"`
	NewPassword string `json:"new_password"`
}

// GrantRequest is the body of POST /api/v1/users/{id}/grants.
type GrantRequest struct {
	Role  Role  `json:"role"`
	OrgID int64 `json:"org_id"`
}

// Routes are the account endpoints.
func (s *Service) Routes() []httpx.Route {
	users := "admin: all; org_staff: accounts managed in their subtree"
	return []httpx.Route{
		{Method: "POST", Path: "/api/v1/auth/login", Tag: "auth", Summary: "Log in with a password; sets the session cookie", Perm: httpx.Public,
			Body: Credentials{}, Resp: LoginResult{}, Handle: s.handleLogin},
		{Method: "POST", Path: "/api/v1/auth/logout", Tag: "auth", Summary: "Revoke the current session or token", Perm: httpx.AnyUser,
			Status: http.StatusNoContent, Handle: s.handleLogout},
		{Method: "POST", Path: "/api/v1/me/password", Tag: "auth", Summary: "Change one's own password", Perm: httpx.AnyUser,
			Body: PasswordChange{}, Status: http.StatusNoContent, Handle: func(w http.ResponseWriter, r *http.Request) error {
				var pc PasswordChange
				if err := httpx.Decode(r, &pc); err != nil {
					return err
				}
				if err := s.ChangeOwnPassword(r.Context(), From(r.Context()), pc.OldPassword, pc.NewPassword); err != nil {
					return err
				}
				w.WriteHeader(http.StatusNoContent)
				return nil
			}},
		{Method: "GET", Path: "/api/v1/users", Tag: "users", Summary: "List accounts", Perm: httpx.AnyUser, Access: users,
			Query: []httpx.Param{{Name: "q", Type: "string", Doc: "part of username or name"}, {Name: "page", Type: "integer"}, {Name: "page_size", Type: "integer"}},
			Resp:  httpx.List[User]{}, Handle: s.handleListUsers},
		{Method: "POST", Path: "/api/v1/users", Tag: "users", Summary: "Create an account", Perm: NeedManageUsers, Access: users,
			Body: NewUser{}, Resp: User{}, Status: http.StatusCreated, Handle: s.handleCreateUser},
		{Method: "GET", Path: "/api/v1/users/{id}", Tag: "users", Summary: "One account", Perm: httpx.AnyUser, Access: users + "; oneself",
			Resp: User{}, Handle: func(w http.ResponseWriter, r *http.Request) error {
				id, err := httpx.PathID(r, "id", "f.user")
				if err != nil {
					return err
				}
				u, err := s.GetUser(r.Context(), From(r.Context()), id)
				if err != nil {
					return err
				}
				return httpx.JSON(w, 200, u)
			}},
		{Method: "PATCH", Path: "/api/v1/users/{id}", Tag: "users", Summary: "Change an account (name, disabled, password reset, member link, unlock)", Perm: NeedManageUsers, Access: users,
			Body: UserPatch{}, Resp: User{}, Handle: func(w http.ResponseWriter, r *http.Request) error {
				id, err := httpx.PathID(r, "id", "f.user")
				if err != nil {
					return err
				}
				var p UserPatch
				if err := httpx.Decode(r, &p); err != nil {
					return err
				}
				u, err := s.UpdateUser(r.Context(), From(r.Context()), id, p)
				if err != nil {
					return err
				}
				return httpx.JSON(w, 200, u)
			}},
		{Method: "POST", Path: "/api/v1/users/{id}/grants", Tag: "users", Summary: "Grant a role on an organization (admin: org_id 0)", Perm: NeedManageUsers, Access: users + "; only admins grant admin",
			Body: GrantRequest{}, Resp: Grant{}, Status: http.StatusCreated, Handle: func(w http.ResponseWriter, r *http.Request) error {
				id, err := httpx.PathID(r, "id", "f.user")
				if err != nil {
					return err
				}
				var gr GrantRequest
				if err := httpx.Decode(r, &gr); err != nil {
					return err
				}
				g, err := s.GrantRole(r.Context(), From(r.Context()), id, gr.Role, gr.OrgID)
				if err != nil {
					return err
				}
				return httpx.JSON(w, http.StatusCreated, g)
			}},
		{Method: "DELETE", Path: "/api/v1/users/{id}/grants/{grant_id}", Tag: "users", Summary: "Revoke a role", Perm: NeedManageUsers, Access: users,
			Status: http.StatusNoContent, Handle: func(w http.ResponseWriter, r *http.Request) error {
				id, err := httpx.PathID(r, "id", "f.user")
				if err != nil {
					return err
				}
				gid, err := httpx.PathID(r, "grant_id", "f.grant")
				if err != nil {
					return err
				}
				if err := s.RevokeGrant(r.Context(), From(r.Context()), id, gid); err != nil {
					return err
				}
				w.WriteHeader(http.StatusNoContent)
				return nil
			}},
		{Method: "GET", Path: "/api/v1/tokens", Tag: "auth", Summary: "The caller's API tokens", Perm: httpx.AnyUser, Access: "any logged-in user (own tokens)",
			Resp: httpx.List[Token]{}, Handle: func(w http.ResponseWriter, r *http.Request) error {
				ts, err := s.ListTokens(r.Context(), From(r.Context()))
				if err != nil {
					return err
				}
				return httpx.JSON(w, 200, httpx.List[Token]{Items: ts, Total: len(ts)})
			}},
		{Method: "POST", Path: "/api/v1/tokens", Tag: "auth", Summary: "Create an API token (the secret is shown only in this answer)", Perm: NeedUseTokens, Access: "admin, org_staff, viewer (not a branch secretary or a plain member)",
			Body: NewToken{}, Resp: Token{}, Status: http.StatusCreated, Handle: httpx.Body(http.StatusCreated, func(r *http.Request, nt NewToken) (any, error) {
				return s.CreateToken(r.Context(), From(r.Context()), nt)
			})},
		{Method: "DELETE", Path: "/api/v1/tokens/{id}", Tag: "auth", Summary: "Revoke one of the caller's API tokens", Perm: httpx.AnyUser, Access: "any logged-in user (own tokens)",
			Status: http.StatusNoContent, Handle: httpx.WithID("f.token", http.StatusNoContent, func(r *http.Request, id int64) (any, error) {
				return nil, s.RevokeToken(r.Context(), From(r.Context()), id)
			})},
	}
}

func (s *Service) handleLogin(w http.ResponseWriter, r *http.Request) error {
	var c Credentials
	if err := httpx.Decode(r, &c); err != nil {
		return err
	}
	var is httpx.Issues
	if c.Username == "" {
		is.Add("username", "f.username", "v.required")
	}
	if c.Password == "" {
		is.Add("password", "f.password", "v.required")
	}
	if err := is.Err(); err != nil {
		return err
	}
	res, err := s.Login(r.Context(), c.Username, c.Password, httpx.ClientIP(r.Context()), r.UserAgent())
	if err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: CookieName, Value: res.Token, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: s.overHTTPS(r), Expires: res.ExpiresAt})
	return httpx.JSON(w, 200, res)
}

func (s *Service) handleLogout(w http.ResponseWriter, r *http.Request) error {
	if err := s.Logout(r.Context(), From(r.Context()), TokenFrom(r)); err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: CookieName, Value: "", Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: s.overHTTPS(r), MaxAge: -1})
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Service) handleListUsers(w http.ResponseWriter, r *http.Request) error {
	p, err := httpx.PageOf(r)
	if err != nil {
		return err
	}
	us, total, err := s.ListUsers(r.Context(), From(r.Context()), r.URL.Query().Get("q"), p)
	if err != nil {
		return err
	}
	items := make([]User, 0, len(us))
	for _, u := range us {
		items = append(items, *u)
	}
	return httpx.JSON(w, 200, httpx.List[User]{Items: items, Total: total})
}

func (s *Service) handleCreateUser(w http.ResponseWriter, r *http.Request) error {
	var nu NewUser
	if err := httpx.Decode(r, &nu); err != nil {
		return err
	}
	sc := From(r.Context())
	id, err := s.CreateUser(r.Context(), sc, nu)
	if err != nil {
		return err
	}
	u, err := s.GetUser(r.Context(), System(), id)
	if err != nil {
		return err
	}
	return httpx.JSON(w, http.StatusCreated, u)
}

// overHTTPS tells whether the cookie must be Secure: always when configured so, when the
// request came over TLS, or when a trusted proxy says the client used https. A client's own
// X-Forwarded-Proto is never believed.
func (s *Service) overHTTPS(r *http.Request) bool {
	return s.SecureCookie || r.TLS != nil || s.TrustedProxies.ForwardedHTTPS(r)
}
