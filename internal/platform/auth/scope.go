// Package auth is accounts, passwords, sessions, API tokens, role grants and the Scope
// every read and write is filtered by (DESIGN principle 1).
//
// A role is granted on an organization and covers its whole subtree; the subtree is a
// range of materialized paths, so scope checks are SQL conditions on an indexed column.
// Auth knows the orgs table only as the anchor of scope (id, path, name).
package auth

import (
	"context"
	"strings"

	"dangjian/internal/platform/audit"
	"dangjian/internal/platform/db"
	"dangjian/internal/platform/httpx"
)

// Role is what a grant allows.
type Role string

const (
	RoleAdmin     Role = "admin"     // 系统管理员: the whole system
	RoleStaff     Role = "org_staff" // 组织部/党委 staff: read and write the subtree
	RoleSecretary Role = "secretary" // 支部书记/委员: their branch
	RoleMember    Role = "member"    // 党员: their own record only
	RoleViewer    Role = "viewer"    // 查看: read-only subtree
)

// Roles lists every role, most powerful first.
var Roles = []Role{RoleAdmin, RoleStaff, RoleSecretary, RoleMember, RoleViewer}

// Valid tells whether r is a known role.
func (r Role) Valid() bool {
	for _, x := range Roles {
		if x == r {
			return true
		}
	}
	return false
}

// Perm is one kind of action over a subtree.
type Perm int

const (
	Read         Perm = iota // see organizations and members (personal data masked)
	WriteMembers             // create and change members
	EditOrg                  // change an organization's details
	ManageOrgs               // create children, move, dissolve
	RevealPII                // read ID and phone numbers in full (audited)
	ReadAudit                // query the audit trail
	ManageUsers              // create accounts and grant roles below admin
	UseTokens                // make API tokens (integrations: district IT, reporting accounts)
)

var rolePerms = map[Role][]Perm{
	RoleAdmin: {Read, WriteMembers, EditOrg, ManageOrgs, RevealPII, ReadAudit, ManageUsers, UseTokens},
	RoleStaff: {Read, WriteMembers, EditOrg, ManageOrgs, RevealPII, ReadAudit, ManageUsers, UseTokens},
	// A branch secretary works in the app; long-lived API credentials stay with the levels
	// that run integrations (and read-only reporting accounts).
	RoleSecretary: {Read, WriteMembers, EditOrg, RevealPII},
	RoleViewer:    {Read, UseTokens},
	RoleMember:    {},
}

// Has tells whether role r carries perm p.
func (r Role) Has(p Perm) bool {
	for _, x := range rolePerms[r] {
		if x == p {
			return true
		}
	}
	return false
}

// Grant is one role on one organization (OrgID 0: the whole system, admin only).
type Grant struct {
	ID      int64  `json:"id"`
	UserID  int64  `json:"user_id"`
	Role    Role   `json:"role"`
	OrgID   int64  `json:"org_id"`
	OrgName string `json:"org_name"`
	OrgPath string `json:"-"`
}

// Scope is who is calling and what they may reach.
type Scope struct {
	UserID    int64
	SessionID int64 // the session or token the request came with, 0 outside a request
	Username  string
	MemberID  int64 // the member record of this user, 0 if none
	IP        string
	Grants    []Grant
}

// System is the scope of the command line and of jobs: everything.
func System() *Scope {
	return &Scope{Username: "system", Grants: []Grant{{Role: RoleAdmin}}}
}

// Actor is the scope as an audit actor.
func (s *Scope) Actor() audit.Actor {
	return audit.Actor{UserID: s.UserID, Username: s.Username, IP: s.IP}
}

// Refuse answers a write whose target the caller cannot see: an admin, for whom only a
// missing row is invisible, gets err itself; everyone else 403, so a refused write never
// tells whether something exists outside the caller's scope (DESIGN principle 1).
func (s *Scope) Refuse(err error) error {
	if s.IsAdmin() {
		return err
	}
	return httpx.Forbidden()
}

// IsAdmin tells whether the caller administers the whole system.
func (s *Scope) IsAdmin() bool {
	for _, g := range s.Grants {
		if g.Role == RoleAdmin {
			return true
		}
	}
	return false
}

// Has tells whether any grant carries p, anywhere.
func (s *Scope) Has(p Perm) bool {
	for _, g := range s.Grants {
		if g.Role.Has(p) {
			return true
		}
	}
	return false
}

// Can tells whether the caller may do p on the organization at path.
func (s *Scope) Can(p Perm, path string) bool {
	for _, g := range s.Grants {
		if !g.Role.Has(p) {
			continue
		}
		if g.Role == RoleAdmin || (path != "" && strings.HasPrefix(path, g.OrgPath)) {
			return true
		}
	}
	return false
}

// Covers tells whether the caller may hand out, take away or act through a grant of role on
// the organization at path: it holds ManageUsers on a subtree containing path through a role
// that carries every permission of role. Only admins cover admin grants, and everything.
func (s *Scope) Covers(role Role, path string) bool {
	for _, h := range s.Grants {
		switch {
		case h.Role == RoleAdmin:
			return true
		case role == RoleAdmin || !h.Role.Has(ManageUsers) || path == "" || !strings.HasPrefix(path, h.OrgPath):
		case role.within(h.Role):
			return true
		}
	}
	return false
}

// within tells whether every permission of r is also g's.
func (r Role) within(g Role) bool {
	for _, p := range rolePerms[r] {
		if !g.Has(p) {
			return false
		}
	}
	return true
}

// CanMember tells whether the caller may do p on a member of the organization at orgPath
// whose id is memberID: by subtree, or, for reading and revealing, as that member.
func (s *Scope) CanMember(p Perm, orgPath string, memberID int64) bool {
	if s.Can(p, orgPath) {
		return true
	}
	return (p == Read || p == RevealPII) && s.MemberID != 0 && s.MemberID == memberID
}

// Where returns an SQL condition (with its arguments) true for rows whose path column col
// lies in a subtree where the caller has p. Admins get "1=1", callers without p "1=0".
func (s *Scope) Where(col string, p Perm) (string, []any) {
	var conds []string
	var args []any
	for _, g := range s.Grants {
		if !g.Role.Has(p) {
			continue
		}
		if g.Role == RoleAdmin {
			return "1=1", nil
		}
		lo, hi := db.SubtreeRange(g.OrgPath)
		conds = append(conds, "("+col+" >= ? AND "+col+" < ?)")
		args = append(args, lo, hi)
	}
	if len(conds) == 0 {
		return "1=0", nil
	}
	return strings.Join(conds, " OR "), args
}

// MemberWhere is Where for the members table (alias m): the subtree condition, plus the
// caller's own record for reading.
func (s *Scope) MemberWhere(p Perm) (string, []any) {
	cond, args := s.Where("m.org_path", p)
	if (p == Read || p == RevealPII) && s.MemberID != 0 {
		return "(" + cond + ") OR m.id = ?", append(args, s.MemberID)
	}
	return cond, args
}

type ctxKey struct{}

// With returns ctx carrying s.
func With(ctx context.Context, s *Scope) context.Context { return context.WithValue(ctx, ctxKey{}, s) }

// From returns the caller's scope; a request without one gets an empty scope that reaches
// nothing, so a handler that forgets authentication fails closed.
func From(ctx context.Context) *Scope {
	if s, ok := ctx.Value(ctxKey{}).(*Scope); ok {
		return s
	}
	return &Scope{}
}
