package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"dangjian/internal/member"
	"dangjian/internal/org"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/db"
	"dangjian/internal/platform/httpx"
)

// status is the HTTP status an error answers with (200 for none).
func status(t *testing.T, err error) int {
	t.Helper()
	if err == nil {
		return 200
	}
	var he *httpx.Error
	if !errors.As(err, &he) {
		t.Fatalf("not an httpx.Error: %v", err)
	}
	return he.Status
}

// TestResolve is the one scope rule of org.Resolve, org.ResolveField and member.ResolveField:
// missing, invisible, visible but not permitted, dissolved and allowed targets, for a read
// and a write, as admin, staff, secretary, viewer and member.
func TestResolve(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := t0()
		path := func(key string) string {
			r, err := org.Lookup(ctx, d, f.orgs[key])
			if err != nil || r == nil {
				t.Fatalf("lookup %s: %v", key, err)
			}
			return r.Path
		}
		f.orgs["gone"] = f.newOrg("A1", org.Group)
		if err := f.app.Orgs.Dissolve(ctx, auth.System(), f.orgs["gone"]); err != nil {
			t.Fatal(err)
		}
		f.orgs["missing"] = 987654
		grant := func(role auth.Role, key string) []auth.Grant {
			return []auth.Grant{{Role: role, OrgID: f.orgs[key], OrgPath: path(key)}}
		}
		scopes := map[string]*auth.Scope{
			"admin":   auth.System(),
			"staffA":  {Grants: grant(auth.RoleStaff, "A")},
			"secA1":   {Grants: grant(auth.RoleSecretary, "A1")},
			"viewerA": {Grants: grant(auth.RoleViewer, "A")},
			"memA":    {MemberID: f.members["a1m1"], Grants: grant(auth.RoleMember, "A1")},
		}
		const ok, nf, fb, cf, bad = 200, 404, 403, 409, 422
		// target: missing, B1 (outside A), A (above A1), A1, gone (dissolved, in A1)
		targets := []string{"missing", "B1", "A", "A1", "gone"}
		cases := []struct {
			who                string
			read, write, field [5]int
		}{
			{"admin", [5]int{nf, ok, ok, ok, ok}, [5]int{nf, ok, ok, ok, cf}, [5]int{bad, ok, ok, ok, bad}},
			{"staffA", [5]int{nf, nf, ok, ok, ok}, [5]int{fb, fb, ok, ok, cf}, [5]int{fb, fb, ok, ok, bad}},
			{"secA1", [5]int{nf, nf, nf, ok, ok}, [5]int{fb, fb, fb, ok, cf}, [5]int{fb, fb, fb, ok, bad}},
			{"viewerA", [5]int{nf, nf, ok, ok, ok}, [5]int{fb, fb, fb, fb, fb}, [5]int{fb, fb, fb, fb, fb}},
			{"memA", [5]int{nf, nf, nf, nf, nf}, [5]int{fb, fb, fb, fb, fb}, [5]int{fb, fb, fb, fb, fb}},
		}
		for _, c := range cases {
			sc := scopes[c.who]
			for i, key := range targets {
				id := f.orgs[key]
				r, err := org.Resolve(ctx, d, sc, id, auth.Read)
				if got := status(t, err); got != c.read[i] {
					t.Errorf("%s reads %s: %d, want %d (%v)", c.who, key, got, c.read[i], err)
				} else if err == nil && r.ID != id {
					t.Errorf("%s reads %s: got org %d", c.who, key, r.ID)
				}
				_, err = org.Resolve(ctx, d, sc, id, auth.WriteMembers)
				if got := status(t, err); got != c.write[i] {
					t.Errorf("%s writes %s: %d, want %d (%v)", c.who, key, got, c.write[i], err)
				}
				if got := status(t, err); got == cf && !strings.Contains(err.Error(), "org_dissolved") {
					t.Errorf("%s writes %s: %v, want org_dissolved", c.who, key, err)
				}
				_, err = org.ResolveField(ctx, d, sc, id, auth.WriteMembers, "org_id", "f.member.org_id")
				if got := status(t, err); got != c.field[i] {
					t.Errorf("%s names %s in a field: %d, want %d (%v)", c.who, key, got, c.field[i], err)
				}
				var he *httpx.Error
				if errors.As(err, &he) && he.Status == bad && (len(he.Issues) != 1 || he.Issues[0].Field != "org_id") {
					t.Errorf("%s names %s in a field: issues %+v, want one on org_id", c.who, key, he.Issues)
				}
			}
		}
		// The member half: a member named by a field, for a write.
		members := []int64{987654, f.members["b1m1"], f.members["a1m1"]}
		for who, want := range map[string][3]int{
			"admin": {bad, ok, ok}, "staffA": {fb, fb, ok}, "secA1": {fb, fb, ok}, "viewerA": {fb, fb, fb}, "memA": {fb, fb, fb},
		} {
			for i, id := range members {
				m, err := member.ResolveField(ctx, d, scopes[who], id, auth.WriteMembers, "member_id", "f.exemption.member_id")
				if got := status(t, err); got != want[i] {
					t.Errorf("%s names member %d: %d, want %d (%v)", who, id, got, want[i], err)
				} else if err == nil && (m.ID != id || m.OrgPath == "") {
					t.Errorf("%s names member %d: %+v", who, id, m)
				}
			}
		}
	})
}

// TestMountRefusesRouteWithoutPerm: a route that declares no permission, or one the guard
// does not know, stops the server from starting.
func TestMountRefusesRouteWithoutPerm(t *testing.T) {
	nop := func(http.ResponseWriter, *http.Request) error { return nil }
	for _, rt := range []httpx.Route{
		{Method: "GET", Path: "/none", Handle: nop},
		{Method: "GET", Path: "/unknown", Perm: "write_everything", Handle: nop},
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("route %s was mounted", rt.Path)
				}
			}()
			httpx.Mount(http.NewServeMux(), []httpx.Route{rt}, nil, auth.Guard{}, 0)
		}()
	}
}

// TestRouterChecksPerm: a caller who holds a route's permission nowhere is refused before
// the handler runs — 403, or 404 for a read — and one who holds it gets through.
func TestRouterChecksPerm(t *testing.T) {
	viewer := &auth.Scope{Grants: []auth.Grant{{Role: auth.RoleViewer, OrgID: 1, OrgPath: "/1/"}}}
	authn := func(r *http.Request) (context.Context, error) { return auth.With(r.Context(), viewer), nil }
	ran := map[string]bool{}
	handle := func(w http.ResponseWriter, r *http.Request) error {
		ran[r.URL.Path] = true
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
	mux := http.NewServeMux()
	httpx.Mount(mux, []httpx.Route{
		{Method: "POST", Path: "/write", Perm: auth.NeedWriteMembers, Handle: handle},
		{Method: "POST", Path: "/admin", Perm: auth.NeedAdmin, Handle: handle},
		{Method: "GET", Path: "/audit", Perm: auth.NeedReadAudit, Handle: handle},
		{Method: "GET", Path: "/own", Perm: auth.NeedReadOrOwn, Handle: handle},
		{Method: "GET", Path: "/read", Perm: auth.NeedRead, Handle: handle},
		{Method: "GET", Path: "/any", Perm: httpx.AnyUser, Handle: handle},
	}, authn, auth.Guard{}, 0)
	for path, want := range map[string]int{"/write": 403, "/admin": 403, "/audit": 403, "/own": 204, "/read": 204, "/any": 204} {
		method := "GET"
		if path == "/write" || path == "/admin" {
			method = "POST"
		}
		w := httptest.NewRecorder()
		mux.ServeHTTP(w, httptest.NewRequest(method, path, nil))
		if w.Code != want || ran[path] != (want == 204) {
			t.Errorf("viewer %s %s: %d (handler ran: %v), want %d", method, path, w.Code, ran[path], want)
		}
	}
	viewer.Grants = nil // no grant at all: nothing is visible, reads answer 404
	w := httptest.NewRecorder()
	mux.ServeHTTP(w, httptest.NewRequest("GET", "/read", nil))
	if w.Code != 404 {
		t.Errorf("no grant, GET /read: %d, want 404", w.Code)
	}
}

// TestRouterRefusesBeforeHandler: a viewer planning an activity with an empty body is refused
// 403 by the route's permission; the handler alone would have answered 422 (org_id required).
func TestRouterRefusesBeforeHandler(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		if res := f.do("viewerA", "POST", "/api/v1/activities", map[string]any{}); res.status != 403 {
			t.Errorf("viewer: %d, want 403: %s", res.status, res.body)
		}
		if res := f.do("secA", "POST", "/api/v1/activities", map[string]any{}); res.status != 422 {
			t.Errorf("secretary: %d, want 422: %s", res.status, res.body)
		}
	})
}

// A member filtering the roster by an organization learns nothing about organizations outside
// their scope: a missing id and someone else's branch answer alike; their own branch shows them.
func TestRosterOrgFilterNoOracleForMembers(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		var own, other, missing struct {
			Total int `json:"total"`
		}
		for _, c := range []struct {
			q   string
			out any
		}{{fmt.Sprintf("?org=%d", f.orgs["A1"]), &own}, {fmt.Sprintf("?org=%d&subtree=true", f.orgs["B1"]), &other}, {"?org=987654&subtree=true", &missing}} {
			r := f.do("memA", "GET", "/api/v1/members"+c.q, nil)
			if r.status != 200 {
				t.Fatalf("%s: %d %s", c.q, r.status, r.body)
			}
			r.decode(t, c.out)
		}
		if own.Total != 1 || other.Total != 0 || missing.Total != 0 {
			t.Fatalf("own %d, other %d, missing %d; want 1, 0, 0", own.Total, other.Total, missing.Total)
		}
		// Staff without a member record still get 404 outside their scope.
		if r := f.do("staffB", "GET", fmt.Sprintf("/api/v1/members?org=%d", f.orgs["A1"]), nil); r.status != 404 {
			t.Fatalf("staffB outside scope: %d", r.status)
		}
	})
}
