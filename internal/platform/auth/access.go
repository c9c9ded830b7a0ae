package auth

import (
	"context"
	"strings"

	"dangjian/internal/platform/httpx"
	"dangjian/internal/platform/i18n"
)

// What a route needs before its handler runs (httpx.Route.Perm): the permission held
// somewhere in the caller's grants. Whether the caller may act on the particular
// organization or member is the store's check (org.Resolve).
const (
	NeedRead         httpx.Perm = "read"          // Read somewhere
	NeedReadOrOwn    httpx.Perm = "read_or_own"   // Read somewhere, or a member record of one's own
	NeedWriteMembers httpx.Perm = "write_members" // WriteMembers somewhere
	NeedEditOrg      httpx.Perm = "edit_org"      // EditOrg somewhere
	NeedManageOrgs   httpx.Perm = "manage_orgs"   // ManageOrgs somewhere
	NeedReadAudit    httpx.Perm = "read_audit"    // ReadAudit somewhere
	NeedManageUsers  httpx.Perm = "manage_users"  // ManageUsers somewhere
	NeedUseTokens    httpx.Perm = "use_tokens"    // UseTokens somewhere (API tokens)
	NeedAdmin        httpx.Perm = "admin"         // a system-wide admin grant
)

// need is one route permission: the Perm it stands for (for the docs), and the check.
type need struct {
	perm  Perm
	own   bool // also a caller with a member record (their own)
	admin bool // only an admin
}

var needs = map[httpx.Perm]need{
	NeedRead:         {perm: Read},
	NeedReadOrOwn:    {perm: Read, own: true},
	NeedWriteMembers: {perm: WriteMembers},
	NeedEditOrg:      {perm: EditOrg},
	NeedManageOrgs:   {perm: ManageOrgs},
	NeedReadAudit:    {perm: ReadAudit},
	NeedManageUsers:  {perm: ManageUsers},
	NeedUseTokens:    {perm: UseTokens},
	NeedAdmin:        {admin: true},
}

// Guard is the router's check of httpx.Route.Perm (httpx.Mount).
type Guard struct{}

// Known tells whether p is a route permission of auth.
func (Guard) Known(p httpx.Perm) bool { _, ok := needs[p]; return ok }

// Check answers a caller who holds p nowhere: 404 for a read (nothing is visible to them,
// as a read outside the scope answers), 403 otherwise.
func (Guard) Check(ctx context.Context, p httpx.Perm) error {
	n, ok := needs[p]
	sc := From(ctx)
	switch {
	case !ok:
		return httpx.Forbidden()
	case n.admin:
		if sc.IsAdmin() {
			return nil
		}
	case sc.Has(n.perm) || (n.own && sc.MemberID != 0):
		return nil
	}
	if n.perm == Read && !n.admin {
		return httpx.NotFound("f.resource")
	}
	return httpx.Forbidden()
}

// Describe is the docs' words for route permission p: the roles that carry it, e.g.
// "admin, org_staff, secretary: their subtree".
func Describe(p httpx.Perm) string {
	switch p {
	case httpx.Public:
		return "public"
	case httpx.AnyUser:
		return "any logged-in user"
	}
	n, ok := needs[p]
	if !ok {
		return ""
	}
	if n.admin {
		return "admin"
	}
	var roles []string
	for _, r := range Roles {
		if r.Has(n.perm) {
			roles = append(roles, string(r))
		}
	}
	s := strings.Join(roles, ", ") + ": their subtree"
	if n.own {
		s += "; member: own record"
	}
	return s
}

func init() {
	i18n.Register(map[string][2]string{"f.resource": {"所请求的内容", "The requested item"}})
}
