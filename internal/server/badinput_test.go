package server

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"dangjian/internal/platform/db"
)

type problem struct {
	Code   string `json:"code"`
	Title  string `json:"title"`
	Detail string `json:"detail"`
	Errors []struct {
		Field   string `json:"field"`
		Message string `json:"message"`
	} `json:"errors"`
	RetryAfterSeconds int `json:"retry_after_seconds"`
}

func decodeProblem(t *testing.T, r response) problem {
	t.Helper()
	if ct := r.header.Get("Content-Type"); ct != "application/problem+json; charset=utf-8" {
		t.Fatalf("content type %q for %s", ct, r.body)
	}
	var p problem
	r.decode(t, &p)
	return p
}

// TestBadMemberInput: each bad value gets a 422 naming the field with a clear message, and
// nothing changes.
func TestBadMemberInput(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		good := func() map[string]any {
			return map[string]any{"org_id": f.orgs["A1"], "name": "王芳", "ethnicity": "01", "id_number": validID("1990-04-12", 7, false),
				"category": "full", "join_date": "2012-06-30", "full_date": "2013-07-01", "phone": "13912345678"}
		}
		existing := validID("1980-05-01", 0, true) // a1m1's number
		badCheck := validID("1990-04-12", 7, false)
		badCheck = badCheck[:17] + map[bool]string{true: "1", false: "2"}[badCheck[17] != '1']
		cases := []struct {
			name, field, zh, en string
			set                 map[string]any
		}{
			{"check digit", "id_number", "公民身份号码：校验位错误", "ID number: wrong check digit", map[string]any{"id_number": badCheck}},
			{"id length", "id_number", "公民身份号码：应为18位", "ID number: must have 18 characters", map[string]any{"id_number": "33060219900412"}},
			{"duplicate id", "id_number", "公民身份号码：该号码已登记在系统中，属于测试0（中共和平社区第一支部委员会）", "ID number: already registered, to 测试0 (中共和平社区第一支部委员会)", map[string]any{"id_number": existing, "sex": "male"}},
			{"name missing", "name", "姓名：不能为空", "Name: required", map[string]any{"name": "  "}},
			{"ethnicity", "ethnicity", "民族：取值“99”无效", `Ethnicity: invalid value "99"`, map[string]any{"ethnicity": "99"}},
			{"birth mismatch", "birth_date", "出生日期：与公民身份号码中的出生日期（1990-04-12）不一致", "Date of birth: differs from the date in the ID number (1990-04-12)", map[string]any{"birth_date": "1990-04-13"}},
			{"sex mismatch", "sex", "性别：与公民身份号码中的性别不一致", "Sex: differs from the sex in the ID number", map[string]any{"sex": "male"}},
			{"probationary full date", "full_date", "转正日期：预备党员不应有转正日期", "Date of full membership: a probationary member has no date of full membership", map[string]any{"category": "probationary"}},
			{"full without date", "full_date", "转正日期：正式党员应填写转正日期", "Date of full membership: required for a full member", map[string]any{"full_date": ""}},
			{"full before join", "full_date", "转正日期：应晚于入党日期", "Date of full membership: must be after the date of joining", map[string]any{"full_date": "2011-01-01"}},
			{"under 18", "join_date", "入党日期：入党时未满18周岁", "Date of joining: the member was under 18 on that date", map[string]any{"join_date": "2007-06-30"}},
			{"future join", "join_date", "入党日期：不能晚于今天", "Date of joining: cannot be in the future", map[string]any{"join_date": "2027-01-01", "full_date": "2028-01-01"}},
			{"bad date", "join_date", "入党日期：日期格式应为 YYYY-MM-DD", "Date of joining: date must be YYYY-MM-DD", map[string]any{"join_date": "2012/06/30"}},
			{"phone", "phone", "手机号码：应为11位手机号码", "Mobile phone: must be an 11-digit mobile number", map[string]any{"phone": "0571-1234"}},
			{"not a branch", "org_id", "所在党支部：党员只能编入党支部、联合党支部或临时党支部", "Branch: members belong to a branch, joint branch or temporary branch", map[string]any{"org_id": f.orgs["A"]}},
			{"group elsewhere", "group_id", "党小组：不是该党支部下的党小组", "Party group: not a party group of that branch", map[string]any{"org_id": f.orgs["A2"], "group_id": f.orgs["A1g"]}},
			{"unknown field", "nickname", "nickname：未知字段", "nickname: unknown field", map[string]any{"nickname": "x"}},
			{"wrong type", "name", "name：number", "name: number", map[string]any{"name": 5}},
		}
		before := f.stateDigest()
		for _, c := range cases {
			body := good()
			for k, v := range c.set {
				body[k] = v
			}
			for _, lang := range []string{"zh-CN", "en"} {
				res := f.do("admin", "POST", "/api/v1/members", body, "Accept-Language", lang)
				if res.status != 422 {
					t.Errorf("%s: status %d: %s", c.name, res.status, res.body)
					continue
				}
				p := decodeProblem(t, res)
				want := map[string]string{"zh-CN": c.zh, "en": c.en}[lang]
				found := false
				for _, e := range p.Errors {
					if e.Field == c.field && e.Message == want {
						found = true
					}
				}
				if !found || p.Code != "validation_failed" {
					t.Errorf("%s (%s): want %s %q, got %+v", c.name, lang, c.field, want, p)
				}
			}
		}
		if f.stateDigest() != before {
			t.Error("a refused member changed data")
		}
		// The good body itself is accepted, so each case failed for its own reason.
		if res := f.do("admin", "POST", "/api/v1/members", good()); res.status != 201 {
			t.Errorf("good member: %d %s", res.status, res.body)
		}
	})
}

func TestBadOrgInput(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		cases := []struct {
			name, method, path, field, code string
			status                          int
			body                            map[string]any
		}{
			{"no name", "POST", "/api/v1/orgs", "name", "validation_failed", 422, map[string]any{"parent_id": f.orgs["A"], "name": "", "kind": "branch", "field": "community"}},
			{"bad kind", "POST", "/api/v1/orgs", "kind", "validation_failed", 422, map[string]any{"parent_id": f.orgs["A"], "name": "x", "kind": "club", "field": "community"}},
			{"bad field", "POST", "/api/v1/orgs", "field", "validation_failed", 422, map[string]any{"parent_id": f.orgs["A"], "name": "x", "kind": "branch", "field": "moon"}},
			{"group under committee", "POST", "/api/v1/orgs", "kind", "validation_failed", 422, map[string]any{"parent_id": f.orgs["A"], "name": "x", "kind": "group", "field": "community"}},
			{"future setup", "POST", "/api/v1/orgs", "setup_date", "validation_failed", 422, map[string]any{"parent_id": f.orgs["A"], "name": "x", "kind": "branch", "field": "community", "setup_date": "2030-01-01"}},
			{"missing parent", "POST", "/api/v1/orgs", "parent_id", "validation_failed", 422, map[string]any{"parent_id": 99999, "name": "x", "kind": "branch", "field": "community"}},
			{"move into itself", "POST", fmt.Sprintf("/api/v1/orgs/%d/move", f.orgs["A"]), "parent_id", "validation_failed", 422, map[string]any{"parent_id": f.orgs["AG"]}},
			{"move under group", "POST", fmt.Sprintf("/api/v1/orgs/%d/move", f.orgs["A2"]), "parent_id", "validation_failed", 422, map[string]any{"parent_id": f.orgs["A1g"]}},
			{"kind with members", "PATCH", fmt.Sprintf("/api/v1/orgs/%d", f.orgs["A1"]), "kind", "validation_failed", 422, map[string]any{"kind": "general_branch"}},
			{"dissolve non-empty", "DELETE", fmt.Sprintf("/api/v1/orgs/%d", f.orgs["A1"]), "", "org_not_empty", 409, nil},
		}
		before := f.stateDigest()
		for _, c := range cases {
			var body any
			if c.body != nil {
				body = c.body
			}
			res := f.do("admin", c.method, c.path, body)
			if res.status != c.status {
				t.Errorf("%s: %d %s", c.name, res.status, res.body)
				continue
			}
			p := decodeProblem(t, res)
			if p.Code != c.code || (c.field != "" && (len(p.Errors) == 0 || p.Errors[0].Field != c.field)) {
				t.Errorf("%s: %+v", c.name, p)
			}
		}
		if res := f.do("admin", "DELETE", fmt.Sprintf("/api/v1/orgs/%d", f.orgs["A1"]), nil); decodeProblem(t, res).Detail != "该组织仍有1个下级组织和4名党员，不能撤销" {
			t.Errorf("dissolve detail: %s", res.body)
		}
		if f.stateDigest() != before {
			t.Error("a refused organization write changed data")
		}
	})
}

func TestLoginLockoutAndSessions(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		login := func(pw string) response {
			return f.do("", "POST", "/api/v1/auth/login", map[string]string{"username": "secA", "password": pw})
		}
		for i := 1; i <= 4; i++ {
			if r := login("wrong"); r.status != 401 || decodeProblem(t, r).Code != "invalid_credentials" {
				t.Fatalf("failure %d: %d %s", i, r.status, r.body)
			}
		}
		r := login("wrong")
		p := decodeProblem(t, r)
		if r.status != 423 || p.Code != "account_locked" || p.RetryAfterSeconds < 899 || p.Detail != "连续登录失败次数过多，账号已锁定，请在15分钟后重试" {
			t.Fatalf("fifth failure: %d %s", r.status, r.body)
		}
		if r := login(testPassword); r.status != 423 {
			t.Fatalf("locked account accepted the right password: %d", r.status)
		}
		f.clock.Advance(15*60e9 + 1e9)
		if r := login(testPassword); r.status != 200 {
			t.Fatalf("after the lock: %d %s", r.status, r.body)
		}
		if r := f.do("", "POST", "/api/v1/auth/login", map[string]string{"username": "nobody", "password": "x"}); r.status != 401 {
			t.Errorf("unknown user: %d", r.status)
		}
		// Idle sessions expire; activity keeps them alive.
		tok := f.login("viewerA", testPassword)
		f.tokens["viewerA"] = tok
		f.clock.Advance(20 * 60e9)
		if r := f.do("viewerA", "GET", "/api/v1/me", nil); r.status != 200 {
			t.Fatalf("active session: %d", r.status)
		}
		f.clock.Advance(29 * 60e9)
		if r := f.do("viewerA", "GET", "/api/v1/me", nil); r.status != 200 {
			t.Fatalf("session touched 29 minutes ago: %d", r.status)
		}
		f.clock.Advance(31 * 60e9)
		if r := f.do("viewerA", "GET", "/api/v1/me", nil); r.status != 401 {
			t.Fatalf("idle session still valid: %d", r.status)
		}
		// API tokens do not idle out, and work as Bearer tokens.
		f.tokens["viewerA"] = f.login("viewerA", testPassword)
		var tk struct{ Token string }
		f.do("viewerA", "POST", "/api/v1/tokens", map[string]any{"name": "script"}).decode(t, &tk)
		f.clock.Advance(48 * 3600e9)
		f.tokens["viewerA"] = tk.Token
		if r := f.do("viewerA", "GET", "/api/v1/me", nil); r.status != 200 {
			t.Fatalf("api token: %d", r.status)
		}
		var n int
		_ = d.QueryRow(t0(), `SELECT COUNT(*) FROM sessions WHERE token_hash = ?`, tk.Token).Scan(&n)
		if n != 0 {
			t.Error("a token is stored in clear")
		}
	})
}

func TestPersonalDataMaskedAndRevealAudited(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		id := f.members["a1m1"]
		full := validID("1980-05-01", 0, true)
		var m struct {
			IDNumber  string `json:"id_number"`
			Phone     string `json:"phone"`
			BirthDate string `json:"birth_date"`
			Age       *int   `json:"age"`
			Masked    bool   `json:"masked"`
		}
		f.do("viewerA", "GET", fmt.Sprintf("/api/v1/members/%d", id), nil).decode(t, &m)
		if m.IDNumber != full[:2]+"***************"+full[17:] || m.Phone != "138****1111" || m.BirthDate != "1980" || m.Age != nil || !m.Masked {
			t.Fatalf("masked view: %+v", m)
		}
		reveals := func() int { return f.count(`SELECT COUNT(*) FROM audit WHERE action = 'reveal' AND entity_id = ?`, id) }
		if r := f.do("viewerA", "GET", fmt.Sprintf("/api/v1/members/%d?reveal=true", id), nil); r.status != 403 || reveals() != 0 {
			t.Fatalf("viewer reveal: %d, %d audit entries", r.status, reveals())
		}
		f.do("secA", "GET", fmt.Sprintf("/api/v1/members/%d?reveal=true", id), nil).decode(t, &m)
		if m.IDNumber != full || m.Phone != "13800001111" || m.BirthDate != "1980-05-01" || m.Age == nil || *m.Age != 46 || m.Masked {
			t.Fatalf("revealed view: %+v", m)
		}
		if reveals() != 1 {
			t.Fatalf("reveal audited %d times", reveals())
		}
		// A reason given is recorded with the entry; one over 200 characters is refused,
		// naming the field, and reveals nothing.
		f.do("secA", "GET", fmt.Sprintf("/api/v1/members/%d?reveal=true&reason=%s", id, url.QueryEscape("核对组织关系转接")), nil).decode(t, &m)
		if m.Masked || f.count(`SELECT COUNT(*) FROM audit WHERE action = 'reveal' AND entity_id = ? AND summary LIKE ? AND changes LIKE ?`,
			id, "%核对组织关系转接", "%核对组织关系转接%") != 1 {
			t.Fatalf("reveal reason not audited: %+v", m)
		}
		long := f.do("secA", "GET", fmt.Sprintf("/api/v1/members/%d?reveal=true&reason=%s", id, strings.Repeat("长", 201)), nil)
		if p := decodeProblem(t, long); long.status != 422 || len(p.Errors) != 1 || p.Errors[0].Field != "reason" || reveals() != 2 {
			t.Fatalf("long reason: %d %s, %d audit entries", long.status, long.body, reveals())
		}
		// The list never shows full numbers, and history keeps them masked.
		res := f.do("admin", "GET", fmt.Sprintf("/api/v1/members?org=%d", f.orgs["A1"]), nil)
		if json.Valid(res.body) && contains(string(res.body), full) {
			t.Error("list leaks a full ID number")
		}
		f.do("admin", "PATCH", fmt.Sprintf("/api/v1/members/%d", id), map[string]any{"phone": "13911112222"})
		if h := f.do("admin", "GET", fmt.Sprintf("/api/v1/members/%d/history", id), nil); contains(string(h.body), "13911112222") || !contains(string(h.body), "139****2222") {
			t.Errorf("history: %s", h.body)
		}
	})
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
