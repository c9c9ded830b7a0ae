// Package commitment is 公开承诺 / 人人契约 (issue 14): each member's commitments for the
// year, drafted by the member (or the secretary on their behalf), confirmed by the branch,
// shown on the branch's printable notice board, and at or after the due date recorded kept
// or not kept with evidence. Categories and figures come from the catalogue (data); points
// follow a kept commitment through the Followers (points.Store), in the write's transaction.
package commitment

import (
	"context"
	"database/sql"
	"errors"
	"net/url"
	"strconv"
	"strings"
	"time"

	"dangjian/internal/member"
	"dangjian/internal/platform/audit"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/clock"
	"dangjian/internal/platform/db"
	"dangjian/internal/platform/httpx"
	"dangjian/internal/platform/i18n"
	"dangjian/internal/tree"
)

// States of a commitment.
const (
	Draft     = "draft"     // made by the member, waiting for the branch
	Confirmed = "confirmed" // confirmed by the branch: on the notice board
	Kept      = "kept"      // recorded kept (with evidence)
	NotKept   = "not_kept"  // recorded not kept, at or after the due date
	Withdrawn = "withdrawn" // taken back before an outcome
)

// States lists the states, for query validation.
var States = []string{Draft, Confirmed, Kept, NotKept, Withdrawn}

// Follower is a domain deriving records of its own from a commitment (points: a kept
// commitment yields points). The commitment's writes call it inside their transaction; it
// must be idempotent. The server wires the followers (as life.Follower).
type Follower interface {
	CommitmentChanged(ctx context.Context, tx *db.Tx, commitmentID int64) error
}

// Store keeps the commitments.
type Store struct {
	DB        *db.DB
	Clock     clock.Clock
	Followers []Follower
}

// Commitment is one member's commitment for a year.
type Commitment struct {
	ID           int64      `json:"id"`
	MemberID     int64      `json:"member_id"`
	MemberName   string     `json:"member_name"`
	OrgID        int64      `json:"org_id"`
	Year         int        `json:"year"`
	Category     string     `json:"category"`
	CategoryName string     `json:"category_name"`
	Catalogue    string     `json:"catalogue"` // the catalogue version it was checked against
	Content      string     `json:"content"`
	DueDate      string     `json:"due_date"`
	State        string     `json:"state" jsonschema:"enum=draft,enum=confirmed,enum=kept,enum=not_kept,enum=withdrawn"`
	DraftedBy    int64      `json:"drafted_by"`
	CreatedAt    time.Time  `json:"created_at"`
	ConfirmedBy  int64      `json:"confirmed_by"`
	ConfirmedAt  *time.Time `json:"confirmed_at" jsonschema:"nullable"`
	OutcomeNote  string     `json:"outcome_note"`
	OutcomeLink  string     `json:"outcome_link"`
	OutcomeBy    int64      `json:"outcome_by"`
	OutcomeAt    *time.Time `json:"outcome_at" jsonschema:"nullable"`
	path         string
}

// NewCommitment is the body of POST /api/v1/commitments.
type NewCommitment struct {
	MemberID int64  `json:"member_id,omitempty"` // omitted: the caller's own member record
	Category string `json:"category"`
	Content  string `json:"content"`
	DueDate  string `json:"due_date"`
}

// CommitmentOutcome is the body of POST /api/v1/commitments/{id}/outcome.
type CommitmentOutcome struct {
	Result string `json:"result" jsonschema:"enum=kept,enum=not_kept"`
	Note   string `json:"note"`           // the evidence: what was done, or why not
	Link   string `json:"link,omitempty"` // optional: an address of a record or a document
}

// ReopenReason is the body of a reopen: why the recorded outcome is taken back.
type ReopenReason struct {
	Reason string `json:"reason"`
}

func init() {
	i18n.Register(map[string][2]string{
		"f.commitment":        {"承诺", "Commitment"},
		"f.cmt.category":      {"承诺类别", "Category"},
		"f.cmt.content":       {"承诺内容", "Content"},
		"f.cmt.due":           {"完成时限", "Due date"},
		"f.cmt.member":        {"党员", "Member"},
		"f.cmt.result":        {"践诺情况", "Result"},
		"f.cmt.note":          {"践诺说明", "Evidence"},
		"f.cmt.link":          {"佐证链接", "Link"},
		"f.cmt.reason":        {"理由", "Reason"},
		"cmt.v.category":      {"%s“%s”不在承诺分类中", "%s %q is not a category of the catalogue"},
		"cmt.v.content":       {"%s不能为空，至多 %d 字", "%s must not be empty, at most %d characters"},
		"cmt.v.due":           {"%s应为今天至明年年底之间的日期（YYYY-MM-DD）", "%s must be a date (YYYY-MM-DD) from today to the end of next year"},
		"cmt.v.result":        {"%s应为 kept（已践诺）或 not_kept（未践诺）", "%s must be kept or not_kept"},
		"cmt.v.note":          {"须填写%s（至多 500 字）", "%s is required (at most 500 characters)"},
		"cmt.v.link":          {"%s应为 http(s) 地址或本系统内的路径", "%s must be an http(s) address or a path of this system"},
		"cmt.v.not_due":       {"%s：完成时限 %s 未到，不能记为未践诺", "%s: the due date %s has not come; it cannot be recorded not kept yet"},
		"cmt.v.no_member":     {"%s：当前账号没有关联党员档案，请指定党员", "%s: this account has no member record; name the member"},
		"cmt.v.reason":        {"须填写%s", "%s is required"},
		"cmt.too_many":        {"%d 年已有 %d 项承诺，承诺分类规定每人每年至多 %d 项", "%d already has %d commitments; the catalogue allows at most %d a year"},
		"cmt.state":           {"承诺 %d 当前为“%s”，不能%s", "commitment %d is %s: it cannot be %s"},
		"cmt.act.confirm":     {"确认", "confirmed"},
		"cmt.act.withdraw":    {"撤回", "withdrawn"},
		"cmt.act.outcome":     {"记录践诺情况", "given an outcome"},
		"cmt.act.reopen":      {"撤销践诺记录", "reopened"},
		"cmt.state.draft":     {"待确认", "draft"},
		"cmt.state.confirmed": {"已确认", "confirmed"},
		"cmt.state.kept":      {"已践诺", "kept"},
		"cmt.state.not_kept":  {"未践诺", "not kept"},
		"cmt.state.withdrawn": {"已撤回", "withdrawn"},
	})
}

// subject is the member a commitment is drafted for: the caller's own record, or a member
// the caller may write (a secretary on behalf of a member of their branch).
func subject(ctx context.Context, q db.Querier, sc *auth.Scope, memberID int64) (member.Standing, error) {
	if memberID == 0 {
		if sc.MemberID == 0 {
			return member.Standing{}, httpx.Invalid(httpx.FieldIssue("member_id", "f.cmt.member", "cmt.v.no_member"))
		}
		memberID = sc.MemberID
	}
	if memberID != sc.MemberID {
		if _, err := member.ResolveField(ctx, q, sc, memberID, auth.WriteMembers, "member_id", "f.cmt.member"); err != nil {
			return member.Standing{}, err
		}
	}
	st, found, err := member.StandingOf(ctx, q, memberID)
	if err == nil && !found {
		err = sc.Refuse(httpx.Invalid(httpx.FieldIssue("member_id", "f.cmt.member", "v.choice", strconv.FormatInt(memberID, 10))))
	}
	return st, err
}

// check validates a new commitment against the catalogue; every bad field is named.
func (s *Store) check(in *NewCommitment, cat *CommitmentCatalogue) error {
	var is httpx.Issues
	if cat.Category(in.Category) == nil {
		is.Add("category", "f.cmt.category", "cmt.v.category", in.Category)
	}
	in.Content = strings.TrimSpace(in.Content)
	if n := len([]rune(in.Content)); n == 0 || n > cat.MaxChars {
		is.Add("content", "f.cmt.content", "cmt.v.content", cat.MaxChars)
	}
	// A commitment is for this year or the next (made in December for the coming year).
	today := clock.Today(s.Clock.Now())
	next, _ := strconv.Atoi(today[:4])
	if _, err := time.Parse("2006-01-02", in.DueDate); err != nil || in.DueDate < today || in.DueDate > strconv.Itoa(next+1)+"-12-31" {
		is.Add("due_date", "f.cmt.due", "cmt.v.due")
	}
	return is.Err()
}

// Draft records a commitment: by a member for themselves, or by a secretary on behalf of a
// member of their subtree. It waits for the branch's confirmation.
func (s *Store) Draft(ctx context.Context, sc *auth.Scope, in NewCommitment) (*Commitment, error) {
	cat := Current()
	var out *Commitment
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		st, err := subject(ctx, tx, sc, in.MemberID)
		if err != nil {
			return err
		}
		if err := s.check(&in, cat); err != nil {
			return err
		}
		year, _ := strconv.Atoi(in.DueDate[:4])
		var open int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM commitments WHERE member_id = ? AND year = ? AND state <> ?`, st.ID, year, Withdrawn).Scan(&open); err != nil {
			return err
		}
		if open >= cat.MaxPerYear {
			return httpx.Conflict("too_many_commitments", i18n.M("cmt.too_many", year, open, cat.MaxPerYear))
		}
		c := &Commitment{MemberID: st.ID, MemberName: st.Name, OrgID: st.OrgID, Year: year, Category: in.Category, Catalogue: cat.Version,
			Content: in.Content, DueDate: in.DueDate, State: Draft, DraftedBy: sc.UserID, CreatedAt: s.Clock.Now().UTC(), path: st.OrgPath}
		if err := tx.QueryRow(ctx, `INSERT INTO commitments (member_id, org_id, org_path, year, category, catalogue, content, due_date, state, drafted_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, c.MemberID, c.OrgID, c.path, c.Year, c.Category, c.Catalogue, c.Content,
			c.DueDate, Draft, nullID(sc.UserID), c.CreatedAt).Scan(&c.ID); err != nil {
			return err
		}
		c.CategoryName = cat.Category(c.Category).Name
		out = c
		return s.changed(ctx, tx, sc, c, "", "create", c.Content)
	})
	return out, err
}

// changed keeps the rollups, the audit trail and the followers in step with a transition
// from the state before ("" for a new commitment) to c.State.
func (s *Store) changed(ctx context.Context, tx *db.Tx, sc *auth.Scope, c *Commitment, before, action, summary string) error {
	r := tree.Rollup{}
	count(r, c.path, before, c.Year, -1)
	count(r, c.path, c.State, c.Year, 1)
	if err := r.Flush(ctx, tx); err != nil {
		return err
	}
	for _, f := range s.Followers {
		if err := f.CommitmentChanged(ctx, tx, c.ID); err != nil {
			return err
		}
	}
	return audit.Write(ctx, tx, sc.Actor(), s.Clock.Now(), audit.Entry{Action: action, Entity: "commitment", EntityID: c.ID, OrgID: c.OrgID,
		Summary: httpx.Clip(summary)})
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// load reads a commitment for a change by sc: invisible → 404 (for a non-admin caller: 403
// on writes is not given away), visible without write → 403 unless own is allowed and it is
// the caller's own.
func (s *Store) load(ctx context.Context, tx *db.Tx, sc *auth.Scope, id int64, own bool) (*Commitment, error) {
	c := &Commitment{ID: id}
	var confirmed, outcome sql.NullTime
	var confirmedBy, outcomeBy, draftedBy sql.NullInt64
	err := tx.QueryRow(ctx, `SELECT c.member_id, m.name, c.org_id, c.org_path, c.year, c.category, c.catalogue, c.content, c.due_date, c.state,
		c.drafted_by, c.created_at, c.confirmed_by, c.confirmed_at, c.outcome_note, c.outcome_link, c.outcome_by, c.outcome_at
		FROM commitments c JOIN members m ON m.id = c.member_id WHERE c.id = ?`, id).Scan(&c.MemberID, &c.MemberName, &c.OrgID, &c.path, &c.Year,
		&c.Category, &c.Catalogue, &c.Content, &c.DueDate, &c.State, &draftedBy, &c.CreatedAt, &confirmedBy, &confirmed, &c.OutcomeNote,
		&c.OutcomeLink, &outcomeBy, &outcome)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !sc.CanMember(auth.Read, c.path, c.MemberID)) {
		return nil, sc.Refuse(httpx.NotFound("f.commitment"))
	}
	if err != nil {
		return nil, err
	}
	c.DraftedBy, c.ConfirmedBy, c.OutcomeBy = draftedBy.Int64, confirmedBy.Int64, outcomeBy.Int64
	c.CreatedAt, c.ConfirmedAt, c.OutcomeAt = c.CreatedAt.UTC(), db.TimeOrNil(confirmed), db.TimeOrNil(outcome)
	if cat := Current().Category(c.Category); cat != nil {
		c.CategoryName = cat.Name
	}
	if !sc.Can(auth.WriteMembers, c.path) && !(own && sc.MemberID == c.MemberID) {
		return nil, httpx.Forbidden()
	}
	return c, nil
}

// transition loads a commitment, checks it is in one of from, applies set and writes the
// row, the rollups, the audit and the followers in one transaction.
func (s *Store) transition(ctx context.Context, sc *auth.Scope, id int64, own bool, act string, from []string, set func(c *Commitment) error) (*Commitment, error) {
	var out *Commitment
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		c, err := s.load(ctx, tx, sc, id, own)
		if err != nil {
			return err
		}
		ok := false
		for _, f := range from {
			ok = ok || c.State == f
		}
		if !ok {
			return httpx.Conflict("commitment_state", i18n.M("cmt.state", id, i18n.M("cmt.state."+c.State), i18n.M("cmt.act."+act)))
		}
		before := c.State
		if err := set(c); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE commitments SET state = ?, confirmed_by = ?, confirmed_at = ?, outcome_note = ?, outcome_link = ?,
			outcome_by = ?, outcome_at = ? WHERE id = ? AND state = ?`, c.State, nullID(c.ConfirmedBy), c.ConfirmedAt, c.OutcomeNote, c.OutcomeLink,
			nullID(c.OutcomeBy), c.OutcomeAt, c.ID, before); err != nil {
			return err
		}
		out = c
		return s.changed(ctx, tx, sc, c, before, act, before+" → "+c.State+" "+c.OutcomeNote)
	})
	return out, err
}

// Confirm: the branch confirms a drafted commitment; it goes on the notice board.
func (s *Store) Confirm(ctx context.Context, sc *auth.Scope, id int64) (*Commitment, error) {
	return s.transition(ctx, sc, id, false, "confirm", []string{Draft}, func(c *Commitment) error {
		now := s.Clock.Now().UTC()
		c.State, c.ConfirmedBy, c.ConfirmedAt = Confirmed, sc.UserID, &now
		return nil
	})
}

// Withdraw takes a commitment back before its outcome: the member their own draft, the
// branch a draft or a confirmed one.
func (s *Store) Withdraw(ctx context.Context, sc *auth.Scope, id int64) (*Commitment, error) {
	return s.transition(ctx, sc, id, true, "withdraw", []string{Draft, Confirmed}, func(c *Commitment) error {
		if c.State != Draft && !sc.Can(auth.WriteMembers, c.path) {
			return httpx.Forbidden()
		}
		c.State = Withdrawn
		return nil
	})
}

// Record records a confirmed commitment kept or not kept, with the evidence; not kept only
// at or after the due date (kept may be recorded as soon as it is).
func (s *Store) Record(ctx context.Context, sc *auth.Scope, id int64, o CommitmentOutcome) (*Commitment, error) {
	var is httpx.Issues
	if o.Result != Kept && o.Result != NotKept {
		is.Add("result", "f.cmt.result", "cmt.v.result")
	}
	o.Note, o.Link = strings.TrimSpace(o.Note), strings.TrimSpace(o.Link)
	if n := len([]rune(o.Note)); n == 0 || n > 500 {
		is.Add("note", "f.cmt.note", "cmt.v.note")
	}
	if o.Link != "" && !validLink(o.Link) {
		is.Add("link", "f.cmt.link", "cmt.v.link")
	}
	if err := is.Err(); err != nil {
		return nil, err
	}
	return s.transition(ctx, sc, id, false, "outcome", []string{Confirmed}, func(c *Commitment) error {
		if o.Result == NotKept && clock.Today(s.Clock.Now()) < c.DueDate {
			return httpx.Invalid(httpx.FieldIssue("result", "f.cmt.result", "cmt.v.not_due", c.DueDate))
		}
		now := s.Clock.Now().UTC()
		c.State, c.OutcomeNote, c.OutcomeLink, c.OutcomeBy, c.OutcomeAt = o.Result, o.Note, o.Link, sc.UserID, &now
		return nil
	})
}

// Reopen takes a recorded outcome back (a mistake): the commitment is confirmed again and a
// kept commitment's points are reversed by the followers. The reason goes in the audit.
func (s *Store) Reopen(ctx context.Context, sc *auth.Scope, id int64, r ReopenReason) (*Commitment, error) {
	r.Reason = strings.TrimSpace(r.Reason)
	if r.Reason == "" || len([]rune(r.Reason)) > 500 {
		return nil, httpx.Invalid(httpx.FieldIssue("reason", "f.cmt.reason", "cmt.v.reason"))
	}
	return s.transition(ctx, sc, id, false, "reopen", []string{Kept, NotKept}, func(c *Commitment) error {
		c.State, c.OutcomeNote, c.OutcomeLink, c.OutcomeBy, c.OutcomeAt = Confirmed, "撤销："+r.Reason, "", 0, nil
		return nil
	})
}

// validLink: an http(s) address or an absolute path of this system.
func validLink(s string) bool {
	if len(s) > 500 {
		return false
	}
	if strings.HasPrefix(s, "/") && !strings.HasPrefix(s, "//") {
		return true
	}
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// KeptCommitment is what a follower reads of a commitment: kept or not, and the day its
// points count on (the day it was recorded, but no later than its due date, so a commitment
// of the year counts in that year).
type KeptCommitment struct {
	ID       int64
	MemberID int64
	Kept     bool
	Day      string
}

// KeptAt reads a commitment for a follower (nil: no such commitment).
func KeptAt(ctx context.Context, q db.Querier, id int64) (*KeptCommitment, error) {
	k := &KeptCommitment{ID: id}
	var state, due string
	var at sql.NullTime
	err := q.QueryRow(ctx, `SELECT member_id, state, due_date, outcome_at FROM commitments WHERE id = ?`, id).Scan(&k.MemberID, &state, &due, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	k.Kept = state == Kept && at.Valid
	if k.Kept {
		k.Day = min(clock.Today(at.Time), due)
	}
	return k, nil
}
