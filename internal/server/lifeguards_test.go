package server

import (
	"context"
	"dangjian/internal/life/compliance"
	"fmt"
	"strings"
	"testing"
	"time"

	"dangjian/internal/life"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/db"
)

// memberUser adds a member account linked to a member of A1 and logs it in.
func (f *fixture) memberUser(name, memberKey string) {
	f.t.Helper()
	id, err := f.app.Auth.CreateUser(context.Background(), auth.System(), auth.NewUser{Username: name, Password: testPassword, OrgID: f.orgs["A1"], MemberID: f.members[memberKey]})
	if err != nil {
		f.t.Fatal(err)
	}
	if _, err := f.app.Auth.GrantRole(context.Background(), auth.System(), id, auth.RoleMember, f.orgs["A1"]); err != nil {
		f.t.Fatal(err)
	}
	f.users[name] = id
	f.tokens[name] = f.login(name, testPassword)
}

// TestCheckinAttemptsLimited: wrong sign-in codes are limited per member (any activity) and
// per activity (all members) within a sliding window; past the limit even the right code gets
// 429 with Retry-After and nothing is recorded, until the window has passed (fake clock).
func TestCheckinAttemptsLimited(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.app.Life.CheckinLimits = life.CheckinLimits{PerMember: 3, PerActivity: 5, Window: time.Minute}
		f.memberUser("memA2", "a1m2")
		id, code := f.newCheckin()
		other, otherCode := f.newCheckin()
		wrong := map[bool]string{true: "111111", false: "000000"}[code == "000000"]
		try := func(user string, activity int64, c string) response {
			return f.do(user, "POST", fmt.Sprintf("/api/v1/activities/%d/checkin", activity), map[string]any{"code": c})
		}
		for i := 0; i < 3; i++ {
			if r := try("memA", id, wrong); r.status != 422 {
				t.Fatalf("wrong code %d: %d %s", i+1, r.status, r.body)
			}
		}
		before := f.count(`SELECT COUNT(*) FROM attendance`)
		throttled := func(r response, secs int, what string) {
			t.Helper()
			p := decodeProblem(t, r)
			if r.status != 429 || r.header.Get("Retry-After") != fmt.Sprint(secs) || p.RetryAfterSeconds != secs ||
				p.Detail != fmt.Sprintf("签到码错误次数过多，请%d秒后再试", secs) {
				t.Errorf("%s: %d Retry-After %q %+v", what, r.status, r.header.Get("Retry-After"), p)
			}
		}
		throttled(try("memA", id, code), 60, "the member's limit, right code")
		throttled(try("memA", other, otherCode), 60, "the member's limit holds on another activity")
		// memA2 has tried nothing, but two more wrong codes use up the activity's limit.
		for i := 0; i < 2; i++ {
			if r := try("memA2", id, wrong); r.status != 422 {
				t.Fatalf("memA2 wrong code: %d %s", r.status, r.body)
			}
		}
		f.clock.Advance(20 * time.Second)
		throttled(try("memA2", id, code), 40, "the activity's limit")
		en := f.do("memA2", "POST", fmt.Sprintf("/api/v1/activities/%d/checkin", id), map[string]any{"code": code}, "Accept-Language", "en")
		if p := decodeProblem(t, en); p.Detail != "Too many wrong codes; try again in 40 seconds" {
			t.Errorf("in English: %q", p.Detail)
		}
		if n := f.count(`SELECT COUNT(*) FROM attendance`); n != before {
			t.Errorf("refused sign-ins recorded attendance: %d → %d", before, n)
		}
		// memA2 may still sign in elsewhere.
		if r := try("memA2", other, otherCode); r.status != 200 {
			t.Errorf("memA2 on another activity: %d %s", r.status, r.body)
		}
		f.clock.Advance(41 * time.Second)
		f.tokens["memA"] = f.login("memA", testPassword)
		f.tokens["memA2"] = f.login("memA2", testPassword)
		if r := try("memA", id, code); r.status != 200 {
			t.Errorf("after the window: %d %s", r.status, r.body)
		}
		if r := try("memA2", id, code); r.status != 200 {
			t.Errorf("memA2 after the window: %d %s", r.status, r.body)
		}
	})
}

// TestOwnRecordNotAccepted: the account that recorded or submitted a record cannot accept it
// (the level above reviews); an administrator may, with a reason (422 naming reason without
// one), and the reason is in the audit trail. The record's can.accept tells the UI.
func TestOwnRecordNotAccepted(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.addUser("staffA2", auth.RoleStaff, "A")
		f.tokens["staffA2"] = f.login("staffA2", testPassword)
		record := func(recorder, submitter string) int64 {
			t.Helper()
			var a life.Activity
			r := f.do(recorder, "POST", "/api/v1/activities", map[string]any{"org_id": f.orgs["A1"], "kinds": []string{"theme_day"},
				"topic": "主题党日", "starts_at": "2026-11-18T01:30:00Z", "held": true})
			if r.status != 201 {
				t.Fatalf("record: %d %s", r.status, r.body)
			}
			r.decode(t, &a)
			if r := f.do(submitter, "POST", fmt.Sprintf("/api/v1/activities/%d/submit", a.ID), map[string]any{"confirm": true}); r.status != 200 {
				t.Fatalf("submit: %d %s", r.status, r.body)
			}
			return a.ID
		}
		can := func(user string, id int64) life.ActivityCan {
			t.Helper()
			var a life.Activity
			f.do(user, "GET", fmt.Sprintf("/api/v1/activities/%d", id), nil).decode(t, &a)
			return *a.Can
		}
		state := func(id int64) string {
			var s string
			_ = f.app.DB.QueryRow(t0(), `SELECT state FROM activities WHERE id = ?`, id).Scan(&s)
			return s
		}
		accept := func(user string, id int64, body any) response {
			return f.do(user, "POST", fmt.Sprintf("/api/v1/activities/%d/accept", id), body)
		}
		for _, c := range []struct{ name, recorder, submitter string }{
			{"recorded and submitted", "staffA", "staffA"},
			{"submitted only", "secA", "staffA"},
			{"recorded only", "staffA", "secA"},
		} {
			id := record(c.recorder, c.submitter)
			if got := can("staffA", id); !got.Review || got.Accept || got.AcceptNeedsReason {
				t.Errorf("%s: staffA may %+v", c.name, got)
			}
			r := accept("staffA", id, nil)
			if p := decodeProblem(t, r); r.status != 403 || p.Detail != "本人记录或报送的活动不能由本人审核通过，请由上级其他人员审核" {
				t.Errorf("%s: staffA accepts: %d %+v", c.name, r.status, p)
			}
			if state(id) != "submitted" {
				t.Errorf("%s: refused accept changed the state to %s", c.name, state(id))
			}
			if got := can("staffA2", id); !got.Accept || got.AcceptNeedsReason {
				t.Errorf("%s: staffA2 may %+v", c.name, got)
			}
			if r := accept("staffA2", id, nil); r.status != 200 {
				t.Errorf("%s: another reviewer: %d %s", c.name, r.status, r.body)
			}
		}
		// Returning one's own submission is fine (it only sends it back).
		if r := f.do("staffA", "POST", fmt.Sprintf("/api/v1/activities/%d/return", record("staffA", "staffA")), map[string]any{"comment": "补充记录"}); r.status != 200 {
			t.Errorf("return own: %d %s", r.status, r.body)
		}
		// An administrator's own record: accepted only with a reason, which is audited.
		id := record("admin", "admin")
		if got := can("admin", id); !got.Accept || !got.AcceptNeedsReason {
			t.Errorf("admin may %+v", got)
		}
		for _, body := range []any{nil, map[string]any{"reason": "  "}} {
			r := accept("admin", id, body)
			p := decodeProblem(t, r)
			if r.status != 422 || len(p.Errors) != 1 || p.Errors[0].Field != "reason" || p.Errors[0].Message != "代为审核理由：审核本人记录或报送的活动须填写理由" {
				t.Errorf("admin without a reason: %d %+v", r.status, p)
			}
		}
		en := f.do("admin", "POST", fmt.Sprintf("/api/v1/activities/%d/accept", id), map[string]any{}, "Accept-Language", "en")
		if p := decodeProblem(t, en); len(p.Errors) != 1 || p.Errors[0].Message != "Reason for accepting one's own record: accepting a record you recorded or submitted needs a reason" {
			t.Errorf("in English: %+v", p)
		}
		if state(id) != "submitted" {
			t.Errorf("accept without a reason changed the state to %s", state(id))
		}
		if r := accept("admin", id, map[string]any{"reason": "街道党工委无其他审核人员"}); r.status != 200 {
			t.Fatalf("admin with a reason: %d %s", r.status, r.body)
		}
		var changes string
		if err := f.app.DB.QueryRow(t0(), `SELECT changes FROM audit WHERE entity = 'activity' AND entity_id = ? AND action = 'accept'`, id).Scan(&changes); err != nil ||
			!strings.Contains(changes, "街道党工委无其他审核人员") {
			t.Errorf("override not audited with its reason: %v %s", err, changes)
		}
		// Someone else's record needs no reason from an administrator.
		if r := accept("admin", record("secA", "secA"), nil); r.status != 200 {
			t.Errorf("admin accepts another's record: %d %s", r.status, r.body)
		}
	})
}

// TestCalendarTokenLifetime: one address can be revoked alone; an address dies with its
// issuer's rights: grant revoked, account disabled, organization moved out of their subtree.
func TestCalendarTokenLifetime(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx, sys := t0(), auth.System()
		for _, u := range []struct {
			name string
			role auth.Role
			org  string
		}{{"secA1", auth.RoleSecretary, "A1"}, {"staffA1", auth.RoleStaff, "A"}, {"staffA3", auth.RoleStaff, "A"}} {
			f.addUser(u.name, u.role, u.org)
			f.tokens[u.name] = f.login(u.name, testPassword)
		}
		issue := func(user, orgKey string) compliance.CalendarToken {
			t.Helper()
			var tok compliance.CalendarToken
			r := f.do(user, "POST", fmt.Sprintf("/api/v1/orgs/%d/calendar-token", f.orgs[orgKey]), nil)
			if r.status != 201 {
				t.Fatalf("issue: %d %s", r.status, r.body)
			}
			r.decode(t, &tok)
			return tok
		}
		feed := func(tok compliance.CalendarToken) int { return f.do("", "GET", tok.URL, nil).status }
		listed := func(orgKey string) []int64 {
			var l struct {
				Items []compliance.CalendarTokenInfo
			}
			f.do("admin", "GET", fmt.Sprintf("/api/v1/orgs/%d/calendar-token", f.orgs[orgKey]), nil).decode(t, &l)
			var ids []int64
			for _, it := range l.Items {
				ids = append(ids, it.ID)
			}
			return ids
		}
		bySec, byStaff, byMover, ofA2 := issue("secA1", "A1"), issue("staffA1", "A1"), issue("staffA3", "A1"), issue("staffA1", "A2")
		for _, tok := range []compliance.CalendarToken{bySec, byStaff, byMover, ofA2} {
			if s := feed(tok); s != 200 {
				t.Fatalf("fresh address: %d", s)
			}
		}
		// One address revoked alone; another organization's address is not found through A1.
		revoke := func(orgKey string, id int64) int {
			return f.do("secA", "DELETE", fmt.Sprintf("/api/v1/orgs/%d/calendar-token/%d", f.orgs[orgKey], id), nil).status
		}
		if s := revoke("A1", ofA2.ID); s != 404 {
			t.Errorf("A2's address through A1: %d", s)
		}
		if s := revoke("A1", byStaff.ID); s != 204 {
			t.Fatalf("revoke one: %d", s)
		}
		if s := revoke("A1", byStaff.ID); s != 404 {
			t.Errorf("revoked twice: %d", s)
		}
		if feed(byStaff) != 404 || feed(bySec) != 200 || feed(ofA2) != 200 {
			t.Errorf("after revoking one: %d %d %d", feed(byStaff), feed(bySec), feed(ofA2))
		}
		if n := f.count(`SELECT COUNT(*) FROM audit WHERE entity = 'calendar_token' AND action = 'revoke' AND entity_id = ?`, byStaff.ID); n != 1 {
			t.Errorf("%d audit entries for the revocation", n)
		}
		// The issuer's grant is revoked: the address dies with it.
		grants := f.count(`SELECT id FROM grants WHERE user_id = ?`, f.users["secA1"])
		if err := f.app.Auth.RevokeGrant(ctx, sys, f.users["secA1"], int64(grants)); err != nil {
			t.Fatal(err)
		}
		if feed(bySec) != 404 {
			t.Errorf("issuer without a grant: %d", feed(bySec))
		}
		// The issuer is disabled.
		if _, err := f.app.Auth.UpdateUser(ctx, sys, f.users["staffA1"], auth.UserPatch{Disabled: ptr(true)}); err != nil {
			t.Fatal(err)
		}
		if feed(ofA2) != 404 {
			t.Errorf("disabled issuer: %d", feed(ofA2))
		}
		// The organization moves out of the issuer's subtree.
		if feed(byMover) != 200 {
			t.Fatalf("before the move: %d", feed(byMover))
		}
		if _, err := f.app.Orgs.Move(ctx, sys, f.orgs["A1"], f.orgs["B"]); err != nil {
			t.Fatal(err)
		}
		if feed(byMover) != 404 {
			t.Errorf("organization out of the issuer's subtree: %d", feed(byMover))
		}
		if ids := listed("A1"); len(ids) != 0 {
			t.Errorf("dead addresses listed as in force: %v", ids)
		}
	})
}
