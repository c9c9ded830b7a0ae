package auth

import (
	"reflect"
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
	if PasswordProblem("short") == "" || PasswordProblem("long enough") != "" {
		t.Error("PasswordProblem")
	}
}
