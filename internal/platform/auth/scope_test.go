package auth

import (
	"reflect"
	"strings"
	"testing"
)

func TestScopeWhere(t *testing.T) {
	sc := &Scope{MemberID: 7, Grants: []Grant{{Role: RoleStaff, OrgPath: "/1/5/"}, {Role: RoleViewer, OrgPath: "/1/9/"}, {Role: RoleMember, OrgPath: "/1/5/8/"}}}
	cond, args := sc.Where("o.path", Read)
	if cond != "(o.path >= ? AND o.path < ?) OR (o.path >= ? AND o.path < ?)" || !reflect.DeepEqual(args, []any{"/1/5/", "/1/50", "/1/9/", "/1/90"}) {
		t.Errorf("read: %s %v", cond, args)
	}
	if cond, _ := sc.Where("o.path", WriteMembers); cond != "(o.path >= ? AND o.path < ?)" {
		t.Errorf("write: %s", cond)
	}
	if cond, _ := (&Scope{}).Where("o.path", Read); cond != "1=0" {
		t.Errorf("no grants: %s", cond)
	}
	if cond, _ := System().Where("o.path", ManageUsers); cond != "1=1" {
		t.Errorf("admin: %s", cond)
	}
	if !sc.Can(ManageOrgs, "/1/5/8/") || sc.Can(ManageOrgs, "/1/9/") || sc.Can(Read, "/1/50/") {
		t.Error("Can")
	}
	if !sc.CanMember(RevealPII, "/2/", 7) || sc.CanMember(WriteMembers, "/2/", 7) || sc.CanMember(Read, "/2/", 8) {
		t.Error("CanMember")
	}
}

func TestPassword(t *testing.T) {
	h, err := HashPassword("s3cret-pass")
	if err != nil {
		t.Fatal(err)
	}
	if ok, _ := CheckPassword(h, "s3cret-pass"); !ok {
		t.Error("right password refused")
	}
	if ok, _ := CheckPassword(h, "s3cret-pasS"); ok {
		t.Error("wrong password accepted")
	}
	if h2, _ := HashPassword("s3cret-pass"); h2 == h {
		t.Error("no salt")
	}
}

func TestPasswordProblem(t *testing.T) {
	for _, c := range []struct{ pw, user, want string }{
		{"short-pw1", "", "v.password_short"},     // 9 characters
		{"长度不够的中文密码九", "", ""},                    // 10 characters, not bytes
		{"Password123", "", "v.password_common"},  // in the list, any case
		{"1QAZ2WSX3EDC", "", "v.password_common"}, // a keyboard walk from the list
		{"woaini1314", "", "v.password_common"},   // from the Chinese additions
		{"Zhang.San.1", "zhang.san.1", "v.password_username"},
		{"demo-pass-2026", "admin", ""}, // the demo accounts' password stays valid
		{"correct-horse-9", "secA", ""},
		{strings.Repeat("x", 257), "", "v.password_long"},
	} {
		if got, _ := PasswordProblem(c.pw, c.user); got != c.want {
			t.Errorf("%q: %q, want %q", c.pw, got, c.want)
		}
	}
	if n := len(commonPasswords()); n < 10000 {
		t.Errorf("only %d common passwords", n)
	}
}

func TestCovers(t *testing.T) {
	staff := &Scope{Grants: []Grant{{Role: RoleStaff, OrgPath: "/1/5/"}, {Role: RoleViewer, OrgPath: "/1/9/"}}}
	for _, c := range []struct {
		role Role
		path string
		want bool
	}{
		{RoleSecretary, "/1/5/8/", true}, {RoleStaff, "/1/5/", true}, {RoleViewer, "/1/5/8/", true},
		{RoleAdmin, "", false}, {RoleViewer, "/1/9/", false}, {RoleStaff, "/1/", false}, {RoleMember, "/1/50/", false},
	} {
		if got := staff.Covers(c.role, c.path); got != c.want {
			t.Errorf("staff covers %s on %s: %v", c.role, c.path, got)
		}
	}
	if !System().Covers(RoleAdmin, "") {
		t.Error("admin must cover admin")
	}
	sec := &Scope{Grants: []Grant{{Role: RoleSecretary, OrgPath: "/1/5/"}}}
	if sec.Covers(RoleMember, "/1/5/") {
		t.Error("a secretary manages no accounts")
	}
}
