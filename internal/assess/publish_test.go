package assess

import (
	"strings"
	"testing"

	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/db"
)

// Publishing: a street may extend the district's set under its id, not loosen it, and not
// publish another set for the same organizations; the nearest publisher's newest version is in
// force; a refusal names the line and stores nothing.
func TestPublishExtendsOnly(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		text := string(Examples()["village"])
		if _, err := e.as.PublishSet(e.ctx, e.staff("A"), e.orgs["R"], []byte(text)); status(err) != 403 {
			t.Fatalf("street staff publishes at R: %v", err)
		}
		if _, err := e.as.PublishSet(e.ctx, auth.System(), e.orgs["R"], []byte(text)); err != nil {
			t.Fatal(err)
		}
		before := count(t, e, `SELECT COUNT(*) FROM assess_sets`)
		loose := strings.Replace(text, "target: 0.9", "target: 0.5", 1)
		_, err := e.as.PublishSet(e.ctx, e.staff("A"), e.orgs["A"], []byte(loose))
		if status(err) != 422 || !strings.Contains(fieldsOf(err), "不能降低上级指标“attendance”的目标值") {
			t.Fatalf("loosened: %v", err)
		}
		other := strings.Replace(text, "id: village-5star", "id: street-own", 1)
		if _, err := e.as.PublishSet(e.ctx, e.staff("A"), e.orgs["A"], []byte(other)); status(err) != 422 || !strings.Contains(fieldsOf(err), "请以相同的 id 扩展") {
			t.Fatalf("other id: %v", err)
		}
		if count(t, e, `SELECT COUNT(*) FROM assess_sets`) != before {
			t.Fatal("a refused set was stored")
		}
		tight := strings.Replace(strings.Replace(text, "target: 0.9", "target: 0.95", 1), `version: "2026.1"`, `version: "2026.1-A"`, 1)
		if _, err := e.as.PublishSet(e.ctx, e.staff("A"), e.orgs["A"], []byte(tight)); err != nil {
			t.Fatal(err)
		}
		sets, err := e.as.SetsAt(e.ctx, e.secretary("A1"), e.orgs["A1"], 2026)
		if err != nil || len(sets.InForce) != 1 || sets.InForce[0].Version != "2026.1-A" || sets.InForce[0].OrgID != e.orgs["A"] {
			t.Fatalf("in force at A1: %v %+v", err, sets)
		}
		atB, _ := e.as.SetsAt(e.ctx, auth.System(), e.orgs["B1"], 2026)
		if len(atB.InForce) != 1 || atB.InForce[0].Version != "2026.1" {
			t.Fatalf("in force at B1: %+v", atB)
		}
	})
}
