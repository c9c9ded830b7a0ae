package points

import (
	"errors"
	"strings"
	"testing"
	"time"

	"dangjian/internal/commitment"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/db"
	"dangjian/internal/platform/httpx"
	"dangjian/internal/tree"
	"dangjian/internal/volunteer"
)

// records are the commitment and volunteer stores on the env's database, followed by the
// points as the server wires them, and a registry of their two tree parts for recounts.
type records struct {
	cmt *commitment.Store
	vol *volunteer.Store
	reg *tree.Registry
}

func newRecords(e *env) records {
	return records{cmt: &commitment.Store{DB: e.db, Clock: e.clock, Followers: []commitment.Follower{e.pts}},
		vol: &volunteer.Store{DB: e.db, Clock: e.clock, Followers: []volunteer.Follower{e.pts}},
		reg: tree.New(commitment.Part(), volunteer.Part())}
}

// issueFields are the fields a 422 names.
func issueFields(err error) []string {
	var he *httpx.Error
	if !errors.As(err, &he) {
		return nil
	}
	var out []string
	for _, is := range he.Issues {
		out = append(out, is.Field)
	}
	return out
}

// rows is a COUNT query's answer.
func (e *env) rows(q string) int {
	e.t.Helper()
	var n int
	if err := e.db.QueryRow(e.ctx, q).Scan(&n); err != nil {
		e.t.Fatal(err)
	}
	return n
}

// assertRecordsRecount fails unless the commitment and volunteer rollups equal a recount.
func (e *env) assertRecordsRecount(reg *tree.Registry) {
	e.t.Helper()
	const stats = `SELECT org_id, dim, key, n FROM org_stats WHERE n <> 0 AND (dim LIKE 'cmt:%' OR dim LIKE 'vol:%')`
	maintained := e.snapshot(stats)
	if _, err := reg.Recount(e.ctx, e.db); err != nil {
		e.t.Fatal(err)
	}
	if again := e.snapshot(stats); again != maintained {
		e.t.Fatalf("maintained ≠ recount\n%s\nvs\n%s", maintained, again)
	}
	if maintained == "" {
		e.t.Fatal("no rollups at all")
	}
}

// TestCommitmentsYieldPoints: a member drafts, the branch confirms; kept yields one entry
// under the layer's commitment item (record once), reopening reverses it, the item's cap
// applies with its reason; bad input names its fields and changes nothing; not kept waits for
// the due date; the rollups equal a recount.
func TestCommitmentsYieldPoints(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		e.publish("R", ExampleText())
		rs := newRecords(e)
		sec := e.secretary("A1")
		draft := func(due string) *commitment.Commitment {
			t.Helper()
			c, err := rs.cmt.Draft(e.ctx, e.own("m1"), commitment.NewCommitment{Category: "service", Content: "每月为独居老人服务一次", DueDate: due})
			if err != nil {
				t.Fatal(err)
			}
			return c
		}
		// Bad input: every field named, nothing written.
		_, err := rs.cmt.Draft(e.ctx, e.own("m1"), commitment.NewCommitment{Category: "likes", Content: " ", DueDate: "2026-01-01"})
		if f := issueFields(err); len(f) != 3 || f[0] != "category" || f[1] != "content" || f[2] != "due_date" {
			t.Fatalf("bad draft: %v %v", err, f)
		}
		if n := e.rows(`SELECT COUNT(*) FROM commitments`); n != 0 {
			t.Fatalf("a refused draft wrote %d rows", n)
		}
		if _, err := rs.cmt.Draft(e.ctx, e.own("m1"), commitment.NewCommitment{Category: "work", Content: "两年后", DueDate: "2028-01-01"}); status(err) != 422 {
			t.Fatalf("a due date after next year: %v", err)
		}
		c := draft("2026-12-20")
		if c.State != commitment.Draft || c.Year != 2026 || c.Catalogue == "" {
			t.Fatalf("draft: %+v", c)
		}
		// The member cannot confirm their own commitment; another branch's secretary cannot see it.
		if _, err := rs.cmt.Confirm(e.ctx, e.own("m1"), c.ID); status(err) != 403 {
			t.Fatalf("member confirms: %v", err)
		}
		if _, err := rs.cmt.Confirm(e.ctx, e.secretary("A2"), c.ID); status(err) != 403 {
			t.Fatalf("A2's secretary confirms: %v", err)
		}
		if _, err := rs.cmt.Confirm(e.ctx, sec, c.ID); err != nil {
			t.Fatal(err)
		}
		// Not kept before the due date is refused on the result field.
		if _, err := rs.cmt.Record(e.ctx, sec, c.ID, commitment.CommitmentOutcome{Result: commitment.NotKept, Note: "未完成"}); status(err) != 422 || issueFields(err)[0] != "result" {
			t.Fatalf("not kept before due: %v", err)
		}
		if _, err := rs.cmt.Record(e.ctx, sec, c.ID, commitment.CommitmentOutcome{Result: commitment.Kept, Note: ""}); status(err) != 422 || issueFields(err)[0] != "note" {
			t.Fatalf("kept without evidence: %v", err)
		}
		if _, err := rs.cmt.Record(e.ctx, sec, c.ID, commitment.CommitmentOutcome{Result: commitment.Kept, Note: "服务 11 次", Link: "/records/1"}); err != nil {
			t.Fatal(err)
		}
		follow := func(id int64) {
			t.Helper()
			if err := d.InTx(e.ctx, func(tx *db.Tx) error { return e.pts.CommitmentChanged(e.ctx, tx, id) }); err != nil {
				t.Fatal(err)
			}
		}
		follow(c.ID)
		follow(c.ID)
		m1 := e.year("m1", 2026)
		if m1.Earned != 4 || m1.item("commitment_kept").Times != 1 || len(m1.Entries) != 1 || m1.Entries[0].SourceKind != SourceCommitment {
			t.Fatalf("kept: %+v", m1)
		}
		if m1.Entries[0].EventDate != "2026-11-20" {
			t.Fatalf("kept before the due date counts on the day recorded: %s", m1.Entries[0].EventDate)
		}
		// Reopened: reversed; kept again: one live entry again.
		if _, err := rs.cmt.Reopen(e.ctx, sec, c.ID, commitment.ReopenReason{Reason: "误记"}); err != nil {
			t.Fatal(err)
		}
		if m1 := e.year("m1", 2026); m1.Earned != 0 || len(m1.Entries) != 2 || m1.Entries[0].ReversesID == 0 {
			t.Fatalf("reopened: %+v", m1)
		}
		if _, err := rs.cmt.Record(e.ctx, sec, c.ID, commitment.CommitmentOutcome{Result: commitment.Kept, Note: "核实已完成"}); err != nil {
			t.Fatal(err)
		}
		// Two more kept: the item's cap (8) cuts the third, with the reason.
		for range 2 {
			k := draft("2026-12-31")
			if _, err := rs.cmt.Confirm(e.ctx, sec, k.ID); err != nil {
				t.Fatal(err)
			}
			if _, err := rs.cmt.Record(e.ctx, sec, k.ID, commitment.CommitmentOutcome{Result: commitment.Kept, Note: "已完成"}); err != nil {
				t.Fatal(err)
			}
		}
		m1 = e.year("m1", 2026)
		if m1.Earned != 8 || m1.Entries[0].Applied != 0 || m1.Entries[0].Reason != "本项年度上限 8 分，已得 8 分" {
			t.Fatalf("over the cap: earned %d, %+v", m1.Earned, m1.Entries[0])
		}
		// Not kept at the due date; a withdrawn draft; the per-year limit of the catalogue.
		late := draft("2026-11-25")
		if _, err := rs.cmt.Confirm(e.ctx, sec, late.ID); err != nil {
			t.Fatal(err)
		}
		e.clock.Advance(6 * 24 * time.Hour)
		if _, err := rs.cmt.Record(e.ctx, sec, late.ID, commitment.CommitmentOutcome{Result: commitment.NotKept, Note: "因病未能完成"}); err != nil {
			t.Fatal(err)
		}
		gone := draft("2026-12-31")
		if _, err := rs.cmt.Withdraw(e.ctx, e.own("m1"), gone.ID); err != nil {
			t.Fatal(err)
		}
		draft("2026-12-31")
		if _, err := rs.cmt.Draft(e.ctx, e.own("m1"), commitment.NewCommitment{Category: "work", Content: "第六项", DueDate: "2026-12-31"}); status(err) != 409 {
			t.Fatalf("a sixth commitment: %v", err)
		}
		sum, err := rs.cmt.Summary(e.ctx, auth.System(), e.orgs["R"], 2026)
		if err != nil {
			t.Fatal(err)
		}
		if sum.Made != 4 || sum.Kept != 3 || sum.NotKept != 1 || sum.Drafts != 1 {
			t.Fatalf("summary at the root: %+v", sum)
		}
		board, err := rs.cmt.OfOrg(e.ctx, sec, e.orgs["A1"], 2026, []string{commitment.Confirmed, commitment.Kept, commitment.NotKept}, httpx.Page{Page: 1, Size: 50})
		if err != nil || board.Total != 4 || len(board.Items) != 4 {
			t.Fatalf("board: %v %+v", err, board)
		}
		e.assertRecordsRecount(rs.reg)
		e.assertRecount()
	})
}

// TestVolunteerYieldsPoints: a member registers with a community (once at a time, history
// kept), records service organized by it; the community's secretary confirms (the member's
// own branch cannot confirm the community's record), which yields points, a revoked
// confirmation reverses them, the cap applies; bad input names the fields; rollups = recount.
func TestVolunteerYieldsPoints(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		e.publish("R", ExampleText())
		rs := newRecords(e)
		reg, err := rs.vol.Register(e.ctx, e.own("m1"), volunteer.NewVolunteerRegistration{CommunityID: e.orgs["A2"], Address: "和平里 3 号"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := rs.vol.Register(e.ctx, e.own("m1"), volunteer.NewVolunteerRegistration{CommunityID: e.orgs["A2"]}); status(err) != 409 {
			t.Fatalf("second registration: %v", err)
		}
		if _, err := rs.vol.Register(e.ctx, e.own("m2"), volunteer.NewVolunteerRegistration{CommunityID: 99999}); status(err) != 422 || issueFields(err)[0] != "community_id" {
			t.Fatalf("no such community: %v", err)
		}
		comm := e.secretary("A2")
		add := func(day string, hours float64) *volunteer.VolunteerRecord {
			t.Helper()
			r, err := rs.vol.Add(e.ctx, e.own("m1"), volunteer.NewVolunteerRecord{OrganizerID: e.orgs["A2"], Day: day, Hours: hours, What: "社区环境整治", ForWhom: "和平社区居民"})
			if err != nil {
				t.Fatal(err)
			}
			return r
		}
		_, err = rs.vol.Add(e.ctx, e.own("m1"), volunteer.NewVolunteerRecord{OrganizerID: e.orgs["A"], Day: "2027-01-01", Hours: 0.05, What: ""})
		if f := issueFields(err); len(f) != 4 {
			t.Fatalf("bad record: %v %v", err, f)
		}
		if _, err := rs.vol.Add(e.ctx, e.own("m1"), volunteer.NewVolunteerRecord{OrganizerID: e.orgs["A2"], Day: "2024-12-31", Hours: 1, What: "旧记录"}); status(err) != 422 {
			t.Fatalf("a record of two years ago: %v", err)
		}
		r := add("2026-10-01", 2.5)
		if r.Hours != 2.5 || r.State != volunteer.Pending {
			t.Fatalf("record: %+v", r)
		}
		// The member's branch reads it but does not organize it.
		if _, err := rs.vol.Decide(e.ctx, e.secretary("A1"), r.ID, volunteer.VolunteerDecision{Action: "confirm"}); status(err) != 403 {
			t.Fatalf("the branch confirms the community's record: %v", err)
		}
		if _, err := rs.vol.Decide(e.ctx, comm, r.ID, volunteer.VolunteerDecision{Action: "reject"}); status(err) != 422 || issueFields(err)[0] != "reason" {
			t.Fatalf("reject without a reason: %v", err)
		}
		if _, err := rs.vol.Decide(e.ctx, comm, r.ID, volunteer.VolunteerDecision{Action: "confirm"}); err != nil {
			t.Fatal(err)
		}
		if m1 := e.year("m1", 2026); m1.Earned != 1 || m1.item("volunteer_service").Times != 1 {
			t.Fatalf("confirmed: %+v", m1)
		}
		if _, err := rs.vol.Decide(e.ctx, comm, r.ID, volunteer.VolunteerDecision{Action: "revoke", Reason: "时长有误"}); err != nil {
			t.Fatal(err)
		}
		if m1 := e.year("m1", 2026); m1.Earned != 0 || m1.Entries[0].ReversesID == 0 {
			t.Fatalf("revoked: %+v", m1)
		}
		if _, err := rs.vol.Decide(e.ctx, comm, r.ID, volunteer.VolunteerDecision{Action: "confirm"}); err != nil {
			t.Fatal(err)
		}
		for i := range 6 {
			x := add("2026-10-0"+string(rune('2'+i)), 1)
			if _, err := rs.vol.Decide(e.ctx, comm, x.ID, volunteer.VolunteerDecision{Action: "confirm"}); err != nil {
				t.Fatal(err)
			}
		}
		m1 := e.year("m1", 2026)
		if m1.Earned != 6 || m1.Entries[0].Applied != 0 || m1.Entries[0].Reason != "本项年度上限 6 分，已得 6 分" {
			t.Fatalf("over the cap: %d %+v", m1.Earned, m1.Entries[0])
		}
		pending := add("2026-11-01", 1)
		if _, err := rs.vol.Withdraw(e.ctx, e.own("m1"), pending.ID); err != nil {
			t.Fatal(err)
		}
		add("2026-11-02", 1) // left pending
		sum, err := rs.vol.Summary(e.ctx, auth.System(), e.orgs["A"], 2026)
		if err != nil || sum.Records != 7 || sum.Hours != 8.5 || sum.Pending != 1 || sum.RegisteredIn != 1 || sum.Registered != 1 {
			t.Fatalf("summary: %v %+v", err, sum)
		}
		// Un-registered: history kept, the community can no longer be named as organizer.
		if _, err := rs.vol.End(e.ctx, e.own("m1"), reg.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := rs.vol.Add(e.ctx, e.own("m1"), volunteer.NewVolunteerRecord{OrganizerID: e.orgs["A2"], Day: "2026-11-03", Hours: 1, What: "巡逻"}); status(err) != 422 {
			t.Fatalf("record for a community left: %v", err)
		}
		page, err := rs.vol.OfMember(e.ctx, e.own("m1"), e.members["m1"], 2026)
		if err != nil || len(page.Registrations) != 1 || page.Registrations[0].To == "" || page.Hours != 8.5 || len(page.Organizers) != 1 {
			t.Fatalf("member page: %v %+v", err, page)
		}
		e.assertRecordsRecount(rs.reg)
		e.assertRecount()
	})
}

// TestDerivedItemsAddPoints: an item derived from commitments or volunteer records must be a
// basic or reward item; a deduction is refused with its line and path.
func TestDerivedItemsAddPoints(t *testing.T) {
	text := edit("        category: reward\n        points: 1\n        cap: 6\n        arises: volunteer", "        category: deduct\n        points: 1\n        cap: 6\n        arises: volunteer")
	if string(text) == string(ExampleText()) {
		t.Fatal("the example's volunteer_service item was not found")
	}
	_, err := ParseScheme(text)
	var se SchemeErrors
	if !errors.As(err, &se) || len(se) != 1 || !strings.HasSuffix(se[0].Path, "/category") || se[0].Line == 0 {
		t.Fatalf("a deducting volunteer item: %v", err)
	}
	if _, err := ParseScheme(ExampleText()); err != nil {
		t.Fatal(err)
	}
}
