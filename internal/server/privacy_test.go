package server

import (
	"encoding/json"
	"fmt"
	"regexp"
	"testing"
	"time"

	"dangjian/internal/member"
	"dangjian/internal/org"
	"dangjian/internal/platform/audit"
	"dangjian/internal/platform/db"
)

type rosterPage struct {
	Items []map[string]any `json:"items"`
	Total int              `json:"total"`
}

// TestViewerSeesMaskAndYear: the roster shows the ID number as province + check
// character, the birth year and no age; searching by what the mask hides finds nothing
// for a viewer and the member for a role that may reveal; sorting by birth date sorts by
// year and age bands by year of birth, so neither tells the day.
func TestViewerSeesMaskAndYear(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		list := func(user, q string) rosterPage {
			t.Helper()
			var p rosterPage
			f.do(user, "GET", "/api/v1/members?"+q, nil).decode(t, &p)
			return p
		}
		mask := regexp.MustCompile(`^33\*{15}[0-9X]$`)
		p := list("viewerA", "")
		if p.Total != 4 || len(p.Items) != 4 {
			t.Fatalf("viewer list: %+v", p)
		}
		for _, m := range p.Items {
			if _, ok := m["age"]; ok || m["birth_date"] != "1980" || !mask.MatchString(m["id_number"].(string)) || m["phone"] != "138****1111" || m["masked"] != true {
				t.Errorf("viewer sees %v", m)
			}
		}
		full := validID("1980-05-01", 0, true) // a1m1
		for _, c := range []struct{ q, user string }{{full, "viewerA"}, {full[14:], "viewerA"}, {"13800001111", "viewerA"}} {
			if got := list(c.user, "q="+c.q); got.Total != 0 || len(got.Items) != 0 {
				t.Errorf("%s searching %s finds %d", c.user, c.q, got.Total)
			}
		}
		if got := list("secA", "q="+full); got.Total != 1 || got.Items[0]["name"] != "测试0" {
			t.Errorf("secretary searching the full ID: %+v", got)
		}
		if got := list("staffA", "q="+full[14:]); got.Total != 1 || got.Items[0]["name"] != "测试0" {
			t.Errorf("staff searching the ID tail: %+v", got)
		}
		if got := list("viewerA", "q=1111"); got.Total != 4 { // the phone tail is in the mask
			t.Errorf("viewer searching the phone tail: %d", got.Total)
		}
		// Born on the last and the first day of 1980: by name within the year.
		f.addMember("A1", "阿大", validID("1980-12-31", 40, true))
		f.addMember("A1", "张三", validID("1980-01-01", 41, true))
		p = list("viewerA", "sort=birth_date&page_size=10")
		var names []string
		for _, m := range p.Items {
			names = append(names, m["name"].(string))
		}
		if fmt.Sprint(names) != "[阿大 测试0 测试1 测试2 测试3 张三]" {
			t.Errorf("sorted by birth date: %v", names)
		}
		// Age bands go by the year of birth: 40 today, 41 this year → 41-50, so the band
		// does not change on the birthday.
		f.addMember("A1", "岁末", validID("1985-12-31", 42, true))
		inBand := func(band string) bool {
			for _, m := range list("viewerA", "age_band="+band+"&page_size=50").Items {
				if m["name"] == "岁末" {
					return true
				}
			}
			return false
		}
		if !inBand("41-50") || inBand("31-40") {
			t.Errorf("age band of a member born 1985-12-31: 41-50 %v, 31-40 %v", inBand("41-50"), inBand("31-40"))
		}
		// The statistics' bands are the roster's: the same count for every band, so neither
		// moves a member on their birthday (a small branch's counts would tell the month).
		var st org.Stats
		f.do("viewerA", "GET", fmt.Sprintf("/api/v1/orgs/%d/stats", f.orgs["A1"]), nil).decode(t, &st)
		for _, b := range member.AgeBands {
			if n := list("viewerA", "age_band="+b.Key+"&page_size=1").Total; st.ByAgeBand[b.Key] != n {
				t.Errorf("band %s: statistics %d, roster %d", b.Key, st.ByAgeBand[b.Key], n)
			}
		}
	})
}

// TestEveryExportAudited: the roster export (masked or revealing), the record book as a
// page and as a workbook, and an import that applies nothing each leave an audit entry
// with who, the subtree, the rows and how many were revealed.
func TestEveryExportAudited(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		entry := func(action, entity, user, org string) map[string]any {
			t.Helper()
			var changes string
			n := f.count(`SELECT COUNT(*) FROM audit WHERE action = ? AND entity = ? AND user_id = ? AND org_id = ?`, action, entity, f.users[user], f.orgs[org])
			if n != 1 {
				t.Fatalf("%d %s %s entries by %s at %s", n, action, entity, user, org)
			}
			if err := f.app.DB.QueryRow(t0(), `SELECT changes FROM audit WHERE action = ? AND entity = ? AND user_id = ? AND org_id = ?`,
				action, entity, f.users[user], f.orgs[org]).Scan(&changes); err != nil {
				t.Fatal(err)
			}
			var c map[string]struct{ After any }
			_ = json.Unmarshal([]byte(changes), &c)
			out := map[string]any{}
			for k, v := range c {
				out[k] = v.After
			}
			return out
		}
		if r := f.do("viewerA", "GET", fmt.Sprintf("/api/v1/members/export?org=%d", f.orgs["A"]), nil); r.status != 200 {
			t.Fatalf("viewer export: %d", r.status)
		}
		if c := entry("export", "member", "viewerA", "A"); c["rows"] != 4.0 || c["revealed"] != 0.0 || c["subtree"] != float64(f.orgs["A"]) {
			t.Errorf("masked export audited as %v", c)
		}
		if r := f.do("secA", "GET", fmt.Sprintf("/api/v1/members/export?org=%d&reveal=true", f.orgs["A1"]), nil); r.status != 200 {
			t.Fatalf("secretary export: %d", r.status)
		}
		if c := entry("export", "member", "secA", "A1"); c["rows"] != 4.0 || c["revealed"] != 4.0 {
			t.Errorf("revealing export audited as %v", c)
		}
		f.newActivity("A1", "held")
		for _, format := range []string{"html", "xlsx"} {
			before := f.count(`SELECT COUNT(*) FROM audit WHERE entity = 'record_book'`)
			if r := f.do("viewerA", "GET", fmt.Sprintf("/api/v1/orgs/%d/record-book?year=2026&format=%s", f.orgs["A1"], format), nil); r.status != 200 {
				t.Fatalf("record book %s: %d", format, r.status)
			}
			if n := f.count(`SELECT COUNT(*) FROM audit WHERE entity = 'record_book' AND action = 'export' AND user_id = ? AND org_id = ? AND summary LIKE ?`,
				f.users["viewerA"], f.orgs["A1"], "%format="+format+"%"); n != 1 || f.count(`SELECT COUNT(*) FROM audit WHERE entity = 'record_book'`) != before+1 {
				t.Errorf("record book %s: %d entries", format, n)
			}
		}
		// A dry run, then a real run refused for a bad row: each audited, nothing applied.
		members := f.count(`SELECT COUNT(*) FROM members`)
		if r := f.do("secA", "POST", fmt.Sprintf("/api/v1/members/import?org=%d&dry_run=true", f.orgs["A1"]), f.rosterCSV(false)); r.status != 200 {
			t.Fatalf("dry run: %d %s", r.status, r.body)
		}
		if c := entry("import_check", "import", "secA", "A1"); c["rows"] != 1.0 || c["valid"] != 1.0 || c["dry_run"] != true {
			t.Errorf("dry run audited as %v", c)
		}
		if r := f.do("staffA", "POST", fmt.Sprintf("/api/v1/members/import?org=%d&dry_run=false", f.orgs["A1"]), f.rosterCSV(true)); r.status != 200 {
			t.Fatalf("refused run: %d %s", r.status, r.body)
		}
		if c := entry("import_check", "import", "staffA", "A1"); c["invalid"] != 1.0 || c["dry_run"] != false {
			t.Errorf("refused import audited as %v", c)
		}
		if f.count(`SELECT COUNT(*) FROM members`) != members {
			t.Error("a checked import changed the roster")
		}
	})
}

// TestDuplicateIDNoOracle: an ID number held outside the caller's scope gets the same
// neutral answer that every valid number gets once the caller has used up the limit of
// such hits; each hit is audited at the organization covering both places. Within scope
// the answer names the member.
func TestDuplicateIDNoOracle(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.app.Members.DuplicateLimit = 3
		newBody := func(org, id string) map[string]any {
			return map[string]any{"org_id": f.orgs[org], "name": "王芳", "ethnicity": "01", "id_number": id, "sex": "male",
				"category": "full", "join_date": "2005-07-01", "full_date": "2006-07-01"}
		}
		a1m1, a1m2, a1m3 := validID("1980-05-01", 0, true), validID("1980-05-02", 1, true), validID("1980-05-03", 2, true)
		hits := func(user string) int {
			return f.count(`SELECT COUNT(*) FROM audit WHERE action = 'duplicate_id' AND user_id = ? AND org_id = ?`, f.users[user], f.orgs["R"])
		}
		// In scope: the precise answer, no hit.
		r := f.do("staffA", "POST", "/api/v1/members", newBody("A2", a1m1))
		if r.status != 422 || !contains(string(r.body), "该号码已登记在系统中，属于测试0（中共和平社区第一支部委员会）") || hits("staffA") != 0 {
			t.Fatalf("in scope: %d %s", r.status, r.body)
		}
		before := f.stateDigest()
		// Out of scope: neutral, audited at R (the lowest organization over A1 and B1).
		neutral := f.do("staffB", "POST", "/api/v1/members", newBody("B1", a1m1))
		if neutral.status != 422 || !contains(string(neutral.body), "公民身份号码：该号码无法使用，请联系上级组织部门核实") ||
			contains(string(neutral.body), "测试0") || contains(string(neutral.body), "和平") || hits("staffB") != 1 {
			t.Fatalf("out of scope: %d %s, %d hits", neutral.status, neutral.body, hits("staffB"))
		}
		if r := f.do("staffB", "PATCH", fmt.Sprintf("/api/v1/members/%d", f.members["b1m1"]), map[string]any{"id_number": a1m2}); r.status != 422 ||
			!contains(string(r.body), "该号码无法使用") || hits("staffB") != 2 {
			t.Fatalf("patch out of scope: %d %s", r.status, r.body)
		}
		csv := "姓名,民族,公民身份号码,人员类别,所在党支部,入党日期,转正日期\n王芳,汉族," + a1m3 + ",正式党员,,2005-07-01,2006-07-01\n"
		var rep struct {
			Errors []struct{ Message string }
		}
		f.do("staffB", "POST", fmt.Sprintf("/api/v1/members/import?org=%d&dry_run=true", f.orgs["B1"]), upload{"r.csv", []byte(csv)}).decode(t, &rep)
		if len(rep.Errors) != 1 || rep.Errors[0].Message != "第2行 公民身份号码：该号码无法使用，请联系上级组织部门核实" || hits("staffB") != 3 {
			t.Fatalf("import out of scope: %+v, %d hits", rep, hits("staffB"))
		}
		// The limit is reached: a number nobody holds gets the very same answer.
		fresh := f.do("staffB", "POST", "/api/v1/members", newBody("B1", validID("1980-01-01", 77, true)))
		if fresh.status != neutral.status || string(fresh.body) != string(neutral.body) {
			t.Fatalf("after the limit: %d %s, want %s", fresh.status, fresh.body, neutral.body)
		}
		if f.stateDigest() != before {
			t.Error("a refused duplicate changed data")
		}
		// The hits are for R's staff to resolve: A's staff do not see them.
		var trail struct{ Items []struct{ Action string } }
		f.do("staffA", "GET", fmt.Sprintf("/api/v1/audit?org=%d", f.orgs["A"]), nil).decode(t, &trail)
		for _, e := range trail.Items {
			if e.Action == "duplicate_id" {
				t.Error("a duplicate hit is shown below the common organization")
			}
		}
		// A day later the window has passed.
		f.clock.Advance(25 * time.Hour)
		f.tokens["staffB"] = f.login("staffB", testPassword)
		if r := f.do("staffB", "POST", "/api/v1/members", newBody("B1", validID("1980-01-01", 77, true))); r.status != 201 {
			t.Errorf("after the window: %d %s", r.status, r.body)
		}
	})
}

// TestHistoryRemasksOldEntries: a member's history shows entries written under the old
// mask (first and last four digits, the birth date in full) with today's mask.
func TestHistoryRemasksOldEntries(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		id := f.members["a1m1"]
		full := validID("1980-05-01", 0, true)
		old := map[string]audit.Change{"id_number": {After: full[:4] + "**********" + full[14:]}, "birth_date": {After: "1980-05-01"}, "phone": {After: "138****1111"}}
		if err := audit.Write(t0(), d, audit.Actor{Username: "old"}, fixtureNow, audit.Entry{Action: "create", Entity: "member", EntityID: id, OrgID: f.orgs["A1"], Changes: old}); err != nil {
			t.Fatal(err)
		}
		var h struct {
			Items []struct {
				Username string
				Changes  map[string]struct{ After any }
			}
		}
		r := f.do("viewerA", "GET", fmt.Sprintf("/api/v1/members/%d/history", id), nil)
		r.decode(t, &h)
		if contains(string(r.body), full[:4]) || contains(string(r.body), full[14:]) || contains(string(r.body), "1980-05-01") {
			t.Errorf("history shows the old mask: %s", r.body)
		}
		for _, e := range h.Items {
			if e.Username == "old" && (e.Changes["id_number"].After != full[:2]+"***************"+full[17:] || e.Changes["birth_date"].After != "1980" || e.Changes["phone"].After != "138****1111") {
				t.Errorf("old entry shown as %+v", e.Changes)
			}
		}
	})
}
