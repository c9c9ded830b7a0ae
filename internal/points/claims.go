package points

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"time"

	"dangjian/internal/life"
	"dangjian/internal/member"
	"dangjian/internal/platform/audit"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/clock"
	"dangjian/internal/platform/db"
	"dangjian/internal/platform/httpx"
	"dangjian/internal/platform/i18n"
	"dangjian/internal/tree"
)

// States of a claim.
const (
	Pending  = "pending"
	Returned = "returned"
	Approved = "approved"
	Rejected = "rejected"
)

// Claim is a member's request for an item's points, decided by the branch.
type Claim struct {
	ID         int64      `json:"id"`
	MemberID   int64      `json:"member_id"`
	MemberName string     `json:"member_name"`
	OrgID      int64      `json:"org_id"`
	Year       int        `json:"year"`
	Item       string     `json:"item"`
	ItemName   string     `json:"item_name"`
	Points     int        `json:"points"` // what the item gives per event (before caps)
	EventDate  string     `json:"event_date"`
	Note       string     `json:"note"`
	ActivityID int64      `json:"activity_id"`
	State      string     `json:"state"`
	Reason     string     `json:"reason"`
	ClaimedBy  int64      `json:"claimed_by"`
	OnBehalf   bool       `json:"on_behalf"` // filed by another account (a secretary) for the member
	CreatedAt  time.Time  `json:"created_at"`
	DecidedBy  int64      `json:"decided_by"`
	DecidedAt  *time.Time `json:"decided_at" jsonschema:"nullable"`
	EntryID    int64      `json:"entry_id"`
}

// NewClaim is the body of POST /api/v1/points/claims.
type NewClaim struct {
	MemberID   int64  `json:"member_id,omitempty"` // omitted: the caller's own member record
	Item       string `json:"item"`
	EventDate  string `json:"event_date"`
	Note       string `json:"note,omitempty"`
	ActivityID int64  `json:"activity_id,omitempty"` // evidence: an activity the member attended
}

// Decision is the body of POST /api/v1/points/claims/decide: one action on many claims.
type Decision struct {
	IDs    []int64 `json:"ids"`
	Action string  `json:"action" jsonschema:"enum=approve,enum=return,enum=reject"`
	Reason string  `json:"reason,omitempty"` // required to return or reject
}

func init() {
	i18n.Register(map[string][2]string{
		"f.claim":            {"积分申报", "Claim"},
		"f.points.item":      {"积分项目", "Item"},
		"f.points.date":      {"日期", "Date"},
		"f.points.activity":  {"关联活动", "Activity"},
		"f.points.member":    {"党员", "Member"},
		"f.points.reason":    {"理由", "Reason"},
		"f.points.ids":       {"申报", "Claims"},
		"f.points.action":    {"操作", "Action"},
		"f.points.note":      {"说明", "Note"},
		"pts.v.date":         {"%s应为今天或以前的日期（YYYY-MM-DD）", "%s must be a date (YYYY-MM-DD) no later than today"},
		"pts.v.item":         {"%s“%s”不在该党员所属层级的积分方案中", "%s %q is not in the scheme of the member's layer"},
		"pts.v.arises_claim": {"%s由支部录入或由记录自动计分，不能申报", "%s is entered by the branch or derived from records, not claimed"},
		"pts.v.arises_entry": {"%s需由党员申报或由记录自动计分", "%s is claimed by the member or derived from records"},
		"pts.v.needs_record": {"%s要求关联一次本人出席的活动", "%s needs a link to an activity the member attended"},
		"pts.v.not_attended": {"%s：该党员未出席此活动", "%s: the member did not attend this activity"},
		"pts.v.no_member":    {"%s：当前账号没有关联党员档案，请指定党员", "%s: this account has no member record; name the member"},
		"pts.v.reason":       {"退回或不予通过须填写%s", "%s is required to return or reject"},
		"pts.v.ids":          {"%s：请选择 1 至 500 条", "%s: choose 1 to 500"},
		"pts.v.action":       {"%s应为 approve、return 或 reject", "%s must be approve, return or reject"},
		"pts.v.note":         {"%s至多 500 字", "%s: at most 500 characters"},
		"pts.not_pending":    {"申报 %d 已处理（%s），不能再次处理", "claim %d has already been decided (%s)"},
	})
}

// itemFor finds the scheme in force on day for the member and the item of their layer;
// a missing scheme or item is a 422 on the item field.
func (s *Store) itemFor(ctx context.Context, q db.Querier, st member.Standing, day, code string) (*SchemeVersion, *Layer, *Item, error) {
	v, err := s.InForce(ctx, q, st.OrgPath, day)
	if err != nil {
		return nil, nil, nil, err
	}
	if v == nil {
		year, _ := strconv.Atoi(day[:4])
		return nil, nil, nil, httpx.Invalid(httpx.Issue{Field: "item", Msg: i18n.M("pts.no_scheme", year)})
	}
	l := v.Scheme.LayerFor(st.Category, st.Status)
	var it *Item
	if l != nil {
		it = l.Item(code)
	}
	if it == nil {
		return nil, nil, nil, httpx.Invalid(httpx.FieldIssue("item", "f.points.item", "pts.v.item", code))
	}
	return v, l, it, nil
}

// checkDay: a CST date, not in the future.
func (s *Store) checkDay(field, day string) error {
	if _, err := time.Parse("2006-01-02", day); err != nil || day > clock.Today(s.Clock.Now()) {
		return httpx.Invalid(httpx.FieldIssue(field, "f.points.date", "pts.v.date"))
	}
	return nil
}

// checkEvidence: an item asking for a record needs an activity the member attended; a
// linked activity must be one they attended, whatever the item.
func checkEvidence(ctx context.Context, q db.Querier, it *Item, memberID, activityID int64) error {
	if activityID == 0 {
		if it.Evidence == "record" {
			return httpx.Invalid(httpx.FieldIssue("activity_id", "f.points.activity", "pts.v.needs_record"))
		}
		return nil
	}
	att, err := life.AttendedAt(ctx, q, activityID)
	if err != nil {
		return err
	}
	if att == nil || !att.Counts || !containsID(att.Present, memberID) {
		return httpx.Invalid(httpx.FieldIssue("activity_id", "f.points.activity", "pts.v.not_attended"))
	}
	return nil
}

func containsID(xs []int64, v int64) bool {
	for _, x := range xs {
		if x == v {
			return true
		}
	}
	return false
}

// subject is the member a claim or entry is for: the caller's own record, or a member the
// caller may write (a secretary on behalf of a member of their branch).
func subject(ctx context.Context, q db.Querier, sc *auth.Scope, memberID int64, own bool) (member.Standing, error) {
	if memberID == 0 && own {
		if sc.MemberID == 0 {
			return member.Standing{}, httpx.Invalid(httpx.FieldIssue("member_id", "f.points.member", "pts.v.no_member"))
		}
		memberID = sc.MemberID
	}
	if !(own && memberID == sc.MemberID) {
		if _, err := member.ResolveField(ctx, q, sc, memberID, auth.WriteMembers, "member_id", "f.points.member"); err != nil {
			return member.Standing{}, err
		}
	}
	st, found, err := member.StandingOf(ctx, q, memberID)
	if err == nil && !found {
		err = sc.Refuse(httpx.Invalid(httpx.FieldIssue("member_id", "f.points.member", "v.choice", strconv.FormatInt(memberID, 10))))
	}
	return st, err
}

// File records a claim: by a member for themselves, or by a secretary on behalf of a member
// of their subtree (attributed to both: the claim's member and claimed_by).
func (s *Store) File(ctx context.Context, sc *auth.Scope, in NewClaim) (*Claim, error) {
	var out *Claim
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		st, err := subject(ctx, tx, sc, in.MemberID, true)
		if err != nil {
			return err
		}
		if err := s.checkDay("event_date", in.EventDate); err != nil {
			return err
		}
		if len([]rune(in.Note)) > 500 {
			return httpx.Invalid(httpx.FieldIssue("note", "f.points.note", "pts.v.note"))
		}
		_, _, it, err := s.itemFor(ctx, tx, st, in.EventDate, in.Item)
		if err != nil {
			return err
		}
		if it.Arises != ByClaim {
			return httpx.Invalid(httpx.FieldIssue("item", "f.points.item", "pts.v.arises_claim"))
		}
		if err := checkEvidence(ctx, tx, it, st.ID, in.ActivityID); err != nil {
			return err
		}
		c := &Claim{MemberID: st.ID, MemberName: st.Name, OrgID: st.OrgID, Item: it.Code, ItemName: it.Name, Points: sign(it.Category, it.Points),
			EventDate: in.EventDate, Note: strings.TrimSpace(in.Note), ActivityID: in.ActivityID, State: Pending,
			ClaimedBy: sc.UserID, OnBehalf: sc.MemberID != st.ID, CreatedAt: s.Clock.Now().UTC()}
		c.Year, _ = strconv.Atoi(in.EventDate[:4])
		if err := tx.QueryRow(ctx, `INSERT INTO points_claims (member_id, org_id, org_path, year, item_code, event_date, note, activity_id, state, claimed_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, c.MemberID, c.OrgID, st.OrgPath, c.Year, c.Item, c.EventDate, c.Note,
			nullID(c.ActivityID), Pending, nullID(c.ClaimedBy), c.CreatedAt).Scan(&c.ID); err != nil {
			return err
		}
		r := tree.Rollup{}
		r.Add(st.OrgPath, DimPending, "all", 1)
		out = c
		return r.Flush(ctx, tx)
	})
	return out, err
}

// pendingClaim loads a claim for a decision by sc: invisible → 403 (404 for an admin),
// visible without the item's approver's right → 403, decided already → 409.
func (s *Store) pendingClaim(ctx context.Context, tx *db.Tx, sc *auth.Scope, id int64) (*Claim, string, error) {
	c := &Claim{ID: id}
	var path string
	err := tx.QueryRow(ctx, `SELECT member_id, org_id, org_path, event_date, item_code, note, COALESCE(activity_id, 0), state, COALESCE(claimed_by, 0)
		FROM points_claims WHERE id = ?`, id).Scan(&c.MemberID, &c.OrgID, &path, &c.EventDate, &c.Item, &c.Note, &c.ActivityID, &c.State, &c.ClaimedBy)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !sc.Can(auth.Read, path)) {
		return nil, "", sc.Refuse(httpx.NotFound("f.claim"))
	}
	if err != nil {
		return nil, "", err
	}
	if c.State != Pending {
		return nil, "", httpx.Conflict("claim_decided", i18n.M("pts.not_pending", id, c.State))
	}
	return c, path, nil
}

// Decide applies one action to many claims, all or none: approving writes each claim's
// ledger entry (under the caps, with the scheme in force on its date); returning or
// rejecting needs a reason. Approval needs WriteMembers on the claim's branch, or on the
// level above for items whose approver is the parent.
func (s *Store) Decide(ctx context.Context, sc *auth.Scope, d Decision) ([]Claim, error) {
	var is httpx.Issues
	if len(d.IDs) == 0 || len(d.IDs) > 500 {
		is.Add("ids", "f.points.ids", "pts.v.ids")
	}
	if d.Action != "approve" && d.Action != "return" && d.Action != "reject" {
		is.Add("action", "f.points.action", "pts.v.action")
	}
	if d.Action != "approve" && strings.TrimSpace(d.Reason) == "" {
		is.Add("reason", "f.points.reason", "pts.v.reason")
	}
	if err := is.Err(); err != nil {
		return nil, err
	}
	out := []Claim{}
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		out = out[:0]
		r := tree.Rollup{}
		for _, id := range d.IDs {
			c, err := s.decideOne(ctx, tx, sc, id, d, r)
			if err != nil {
				return err
			}
			out = append(out, *c)
		}
		return r.Flush(ctx, tx)
	})
	return out, err
}

func (s *Store) decideOne(ctx context.Context, tx *db.Tx, sc *auth.Scope, id int64, d Decision, r tree.Rollup) (*Claim, error) {
	c, path, err := s.pendingClaim(ctx, tx, sc, id)
	if err != nil {
		return nil, err
	}
	st, found, err := member.StandingOf(ctx, tx, c.MemberID)
	if err != nil || !found {
		return nil, errors.Join(err, errors.New("points: claim of a missing member"))
	}
	v, l, it, err := s.itemFor(ctx, tx, st, c.EventDate, c.Item)
	if err != nil {
		return nil, err
	}
	approver := path
	if it.Approver == "parent" {
		approver = parentPath(path)
	}
	if !sc.Can(auth.WriteMembers, approver) {
		return nil, httpx.Forbidden()
	}
	now := s.Clock.Now().UTC()
	c.State, c.DecidedBy, c.DecidedAt = map[string]string{"approve": Approved, "return": Returned, "reject": Rejected}[d.Action], sc.UserID, &now
	if d.Action == "approve" {
		e, err := s.record(ctx, tx, write{member: st, day: c.EventDate, version: v, layer: l, item: it, sourceKind: SourceClaim,
			sourceID: c.ID, note: c.Note, enteredBy: sc.UserID, claimedBy: c.ClaimedBy})
		if err != nil {
			return nil, err
		}
		c.EntryID = e.ID
	} else {
		c.Reason = strings.TrimSpace(d.Reason)
	}
	if _, err := tx.Exec(ctx, `UPDATE points_claims SET state = ?, reason = ?, decided_by = ?, decided_at = ?, entry_id = ? WHERE id = ? AND state = ?`,
		c.State, c.Reason, sc.UserID, now, nullID(c.EntryID), c.ID, Pending); err != nil {
		return nil, err
	}
	r.Add(path, DimPending, "all", -1)
	return c, audit.Write(ctx, tx, sc.Actor(), now, audit.Entry{Action: d.Action, Entity: "points_claim", EntityID: c.ID, OrgID: c.OrgID,
		Summary: c.Item + " " + c.EventDate + " " + c.Reason})
}

// parentPath is the path of the organization above the one at path ("" for a root).
func parentPath(path string) string {
	t := strings.TrimSuffix(path, "/")
	i := strings.LastIndex(t, "/")
	if i <= 0 {
		return ""
	}
	return t[:i+1]
}
