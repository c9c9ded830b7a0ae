package server

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"testing"

	"dangjian/internal/org"
	"dangjian/internal/platform/db"
)

// rollupSnapshot reads every non-zero rollup row.
func rollupSnapshot(t *testing.T, d *db.DB) []string {
	return rowsSnapshot(t, d, `SELECT org_id, dim, key, n FROM org_stats WHERE n <> 0`)
}

// rowsSnapshot is every row a query answers, each as one line, sorted: two snapshots compare
// as strings.
func rowsSnapshot(t *testing.T, d *db.DB, query string) []string {
	t.Helper()
	rows, err := d.Query(context.Background(), query)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		for i, v := range vals {
			if b, ok := v.([]byte); ok {
				vals[i] = string(b)
			}
		}
		out = append(out, fmt.Sprint(vals...))
	}
	sort.Strings(out)
	return out
}

// TestRollupsFollowEveryWrite: after creations, edits, transfers, status changes, a move, a
// kind and field change and a dissolution, the maintained rollups equal a recount from the
// raw rows, and the stats endpoint reads them.
func TestRollupsFollowEveryWrite(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		extra := f.newMember("A2")
		steps := []struct {
			method, path string
			body         any
			status       int
		}{
			{"PATCH", fmt.Sprintf("/api/v1/members/%d", f.members["a1m2"]), map[string]any{"status": "deceased"}, 200},
			{"PATCH", fmt.Sprintf("/api/v1/members/%d", f.members["a1m3"]), map[string]any{"org_id": f.orgs["A2"]}, 200},
			{"PATCH", fmt.Sprintf("/api/v1/members/%d", extra), map[string]any{"education": "master", "ethnicity": "03"}, 200},
			{"PATCH", fmt.Sprintf("/api/v1/orgs/%d", f.orgs["A2"]), map[string]any{"field": "school", "secretary": ""}, 200},
			{"POST", fmt.Sprintf("/api/v1/orgs/%d/move", f.orgs["A2"]), map[string]any{"parent_id": f.orgs["B"]}, 200},
			{"POST", fmt.Sprintf("/api/v1/orgs/%d/move", f.orgs["A1"]), map[string]any{"parent_id": f.orgs["AG"]}, 200},
			{"DELETE", fmt.Sprintf("/api/v1/orgs/%d", f.newOrg("B", org.Branch)), nil, 204},
		}
		for _, s := range steps {
			if r := f.do("admin", s.method, s.path, s.body); r.status != s.status {
				t.Fatalf("%s %s: %d %s", s.method, s.path, r.status, r.body)
			}
		}
		maintained := rollupSnapshot(t, d)
		if _, err := f.app.Tree.Recount(context.Background(), d); err != nil {
			t.Fatal(err)
		}
		recount := rollupSnapshot(t, d)
		if fmt.Sprint(maintained) != fmt.Sprint(recount) {
			t.Fatalf("maintained rollups differ from a recount:\nmaintained %v\nrecount    %v", maintained, recount)
		}
		var st org.Stats
		f.do("admin", "GET", fmt.Sprintf("/api/v1/orgs/%d/stats", f.orgs["B"]), nil).decode(t, &st)
		// B now holds B1 (1), A2 (a1m3 + extra): 3 current members, two in the school field.
		if st.MembersTotal != 3 || st.ByField["school"] != 2 || st.ByEducation["master"] != 1 || st.ByEthnicity["minority"] != 1 {
			t.Errorf("stats of B: %+v", st)
		}
		if st.Checks["no_secretary"].Count != 1 || len(st.Checks["no_secretary"].Items) != 1 || st.Checks["no_secretary"].Items[0].ID != f.orgs["A2"] {
			t.Errorf("no_secretary check of B: %+v", st.Checks["no_secretary"])
		}
		var sa org.Stats
		f.do("admin", "GET", fmt.Sprintf("/api/v1/orgs/%d/stats", f.orgs["A"]), nil).decode(t, &sa)
		if sa.MembersTotal != 2 || sa.ByStatus["deceased"] != 1 || sa.OrgsByKind["branch"] != 1 || sa.OrgsByKind["general_branch"] != 1 {
			t.Errorf("stats of A: %+v", sa)
		}
		// A1 moved under AG: its path and its members' paths follow.
		var a1 org.Org
		f.do("admin", "GET", fmt.Sprintf("/api/v1/orgs/%d", f.orgs["A1"]), nil).decode(t, &a1)
		want := fmt.Sprintf("/%d/%d/%d/%d/", f.orgs["R"], f.orgs["A"], f.orgs["AG"], f.orgs["A1"])
		if a1.Path != want || a1.Depth != 3 {
			t.Errorf("A1 path %s depth %d, want %s", a1.Path, a1.Depth, want)
		}
		if n := f.count(`SELECT COUNT(*) FROM members WHERE org_id = ? AND org_path <> ?`, f.orgs["A1"], want); n != 0 {
			t.Errorf("%d members of A1 kept an old path", n)
		}
		if n := f.count(`SELECT COUNT(*) FROM orgs WHERE path = ?`, want+fmt.Sprint(f.orgs["A1g"])+"/"); n != 1 {
			t.Error("the group under A1 did not move with it")
		}
		var hist struct {
			Items []struct {
				Action   string
				Username string
				Changes  map[string]struct{ Before, After any }
			}
		}
		f.do("staffA", "GET", fmt.Sprintf("/api/v1/orgs/%d/history", f.orgs["A1"]), nil).decode(t, &hist)
		if len(hist.Items) < 2 || hist.Items[0].Action != "move" || hist.Items[0].Username != "admin" {
			t.Errorf("history of A1: %+v", hist.Items)
		}
		// The staff of B now see A2; the staff of A no longer do.
		if r := f.do("staffA", "GET", fmt.Sprintf("/api/v1/orgs/%d", f.orgs["A2"]), nil); r.status != 404 {
			t.Errorf("staffA still sees the moved A2: %d", r.status)
		}
		if r := f.do("staffB", "GET", fmt.Sprintf("/api/v1/orgs/%d", f.orgs["A2"]), nil); r.status != 200 {
			t.Errorf("staffB does not see A2: %d", r.status)
		}
	})
}

// TestRosterFilters: the list's filters, sort and totals (maintained or counted) agree.
func TestRosterFilters(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.do("admin", "PATCH", fmt.Sprintf("/api/v1/members/%d", f.members["a1m4"]), map[string]any{"status": "mobile"})
		type list struct {
			Items []struct {
				Name   string `json:"name"`
				Status string `json:"status"`
			} `json:"items"`
			Total int `json:"total"`
		}
		cases := map[string]int{
			"":                        4,
			"&status=mobile":          1,
			"&status=active,mobile":   4,
			"&category=full":          4,
			"&sex=female":             0,
			"&age_band=41-50":         4,
			"&age_band=31-40":         0,
			"&q=测试1":                  1,
			"&education=bachelor":     4,
			"&field=community":        4,
			"&status=active&sex=male": 3,
		}
		for q, want := range cases {
			var l list
			r := f.do("admin", "GET", fmt.Sprintf("/api/v1/members?org=%d%s", f.orgs["A"], q), nil)
			if r.status != 200 {
				t.Errorf("%s: %d %s", q, r.status, r.body)
				continue
			}
			r.decode(t, &l)
			if l.Total != want || len(l.Items) != want {
				t.Errorf("filter %q: total %d, items %d, want %d", q, l.Total, len(l.Items), want)
			}
		}
		var l list
		f.do("admin", "GET", fmt.Sprintf("/api/v1/members?org=%d&sort=-name&page_size=2&page=1", f.orgs["A1"]), nil).decode(t, &l)
		if l.Total != 4 || len(l.Items) != 2 || l.Items[0].Name != "测试3" {
			t.Errorf("sorted page: %+v", l)
		}
		r := f.do("admin", "GET", "/api/v1/members?status=gone&sort=height", nil)
		p := decodeProblem(t, r)
		if r.status != 422 || len(p.Errors) != 2 || p.Errors[0].Field != "status" || p.Errors[1].Field != "sort" {
			t.Errorf("bad filters: %d %s", r.status, r.body)
		}
	})
}

// TestOpenAPI: the description is OpenAPI 3.1, lists every route with its responses, and
// the copy the web client is typed from is the current one.
func TestOpenAPI(t *testing.T) {
	app := New(nil, nil, "")
	spec := app.OpenAPI()
	var doc struct {
		OpenAPI    string                               `json:"openapi"`
		Paths      map[string]map[string]map[string]any `json:"paths"`
		Components struct {
			Schemas map[string]any `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(spec, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.OpenAPI != "3.1.0" {
		t.Errorf("openapi %q", doc.OpenAPI)
	}
	for _, rt := range app.Routes() {
		op, ok := doc.Paths[rt.Path][map[string]string{"GET": "get", "POST": "post", "PUT": "put", "PATCH": "patch", "DELETE": "delete"}[rt.Method]]
		if !ok {
			t.Errorf("%s %s missing from the description", rt.Method, rt.Path)
			continue
		}
		if op["responses"] == nil || op["operationId"] == "" {
			t.Errorf("%s %s: incomplete operation", rt.Method, rt.Path)
		}
	}
	for _, name := range []string{"Org", "Member", "User", "Grant", "AuditEntry", "Stats", "CheckList", "Problem", "LoginResult", "Me"} {
		if doc.Components.Schemas[name] == nil {
			t.Errorf("schema %s missing", name)
		}
	}
	// The web client's types are generated from web/src/shared/api/openapi.json; it must be current.
	committed, err := os.ReadFile("../../web/src/shared/api/openapi.json")
	if err == nil && string(committed) != string(spec) {
		t.Error("web/src/shared/api/openapi.json is stale: run `cd web && npm run api:pull` (go run ./cmd/dangjian openapi > web/src/shared/api/openapi.json)")
	}
}
