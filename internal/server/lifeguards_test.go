package server

import (
	"context"
	"fmt"
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
