package org

import (
	"context"
	"strconv"

	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/db"
	"dangjian/internal/platform/httpx"
	"dangjian/internal/platform/i18n"
)

// Resolve loads organization id for an action needing perm and answers the one scope rule
// (docs/ARCHITECTURE.md "The scope model"), so no caller writes it again:
//   - a read (perm auth.Read): missing or outside the caller's read scope → 404; a dissolved
//     organization is still read;
//   - a write (any other perm): missing or invisible → 403 (404 for an admin, for whom only a
//     missing row is invisible); visible but perm not held on it → 403; dissolved → 409
//     org_dissolved.
//
// Perm is checked on the organization's own path; rules on another path (a move needs
// ManageOrgs on the parent) stay with their caller.
func Resolve(ctx context.Context, q db.Querier, sc *auth.Scope, id int64, perm auth.Perm) (*Ref, error) {
	o, err := Reach(ctx, q, sc, id, perm)
	if err != nil {
		return nil, err
	}
	if perm != auth.Read && !o.Live {
		return nil, Dissolved()
	}
	return o, nil
}

// Reach is Resolve without the dissolved check, for what a write permission still does on a
// dissolved organization: listing and revoking what hangs off it (its calendar feeds).
func Reach(ctx context.Context, q db.Querier, sc *auth.Scope, id int64, perm auth.Perm) (*Ref, error) {
	o, err := Lookup(ctx, q, id)
	if err != nil {
		return nil, err
	}
	if o == nil || !sc.Can(auth.Read, o.Path) {
		if perm == auth.Read {
			return nil, httpx.NotFound("f.org")
		}
		return nil, sc.Refuse(httpx.NotFound("f.org"))
	}
	if perm == auth.Read {
		return o, nil
	}
	if !sc.Can(perm, o.Path) {
		return nil, httpx.Forbidden()
	}
	return o, nil
}

// ResolveField is Resolve for an organization a request body names in field (label is its
// message key, e.g. "f.member.org_id"), always for a write needing perm: a missing or
// invisible organization is a bad value of that field, 422 v.choice — through Scope.Refuse,
// so a non-admin gets 403 and a refused write never tells what exists outside their scope;
// visible but perm not held on it → 403; dissolved (and permitted) → 422 v.choice.
func ResolveField(ctx context.Context, q db.Querier, sc *auth.Scope, id int64, perm auth.Perm, field, label string) (*Ref, error) {
	o, err := Lookup(ctx, q, id)
	if err != nil {
		return nil, err
	}
	bad := httpx.Invalid(httpx.FieldIssue(field, label, "v.choice", strconv.FormatInt(id, 10)))
	if o == nil || !sc.Can(auth.Read, o.Path) {
		return nil, sc.Refuse(bad)
	}
	if !sc.Can(perm, o.Path) {
		return nil, httpx.Forbidden()
	}
	if !o.Live {
		return nil, bad
	}
	return o, nil
}

// Dissolved is the answer for a change to a dissolved organization: 409 org_dissolved.
func Dissolved() error {
	return httpx.Conflict("org_dissolved", i18n.M("detail.org_dissolved"))
}
