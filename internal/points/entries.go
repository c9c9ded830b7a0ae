package points

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"

	"dangjian/internal/platform/audit"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/db"
	"dangjian/internal/platform/httpx"
)

// NewEntry is the body of POST /api/v1/points/entries: the branch enters an item that
// arises by the branch (a deduction, a 一票否决) for a member of its subtree.
type NewEntry struct {
	MemberID   int64  `json:"member_id"`
	Item       string `json:"item"`
	EventDate  string `json:"event_date"`
	Note       string `json:"note,omitempty"`
	ActivityID int64  `json:"activity_id,omitempty"`
}

// Reversal is the body of POST /api/v1/points/entries/{id}/reverse.
type Reversal struct {
	Reason string `json:"reason"`
}

// Enter writes a branch entry: WriteMembers on the member's branch, an item of their layer
// that arises by the branch.
func (s *Store) Enter(ctx context.Context, sc *auth.Scope, in NewEntry) (*Entry, error) {
	var out *Entry
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		st, err := subject(ctx, tx, sc, in.MemberID, false)
		if err != nil {
			return err
		}
		if err := s.checkDay("event_date", in.EventDate); err != nil {
			return err
		}
		v, l, it, err := s.itemFor(ctx, tx, st, in.EventDate, in.Item)
		if err != nil {
			return err
		}
		if it.Arises != ByBranch {
			return httpx.Invalid(httpx.FieldIssue("item", "f.points.item", "pts.v.arises_entry"))
		}
		if err := checkEvidence(ctx, tx, it, st.ID, in.ActivityID); err != nil {
			return err
		}
		e, err := s.record(ctx, tx, write{member: st, day: in.EventDate, version: v, layer: l, item: it, sourceKind: SourceBranch,
			sourceID: in.ActivityID, note: strings.TrimSpace(in.Note), enteredBy: sc.UserID})
		if err != nil {
			return err
		}
		out = e
		return audit.Write(ctx, tx, sc.Actor(), e.CreatedAt, audit.Entry{Action: "enter", Entity: "points_entry", EntityID: e.ID,
			OrgID: st.OrgID, Summary: e.Item + " " + strconv.Itoa(e.Applied)})
	})
	return out, err
}

// Reverse takes an entry back with a reason (WriteMembers on the entry's branch).
func (s *Store) Reverse(ctx context.Context, sc *auth.Scope, id int64, rv Reversal) (*Entry, error) {
	if strings.TrimSpace(rv.Reason) == "" {
		return nil, httpx.Invalid(httpx.FieldIssue("reason", "f.points.reason", "v.required"))
	}
	var out *Entry
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		var path string
		err := tx.QueryRow(ctx, `SELECT o.path FROM points_entries e JOIN orgs o ON o.id = e.org_id WHERE e.id = ?`, id).Scan(&path)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && !sc.Can(auth.Read, path)) {
			return sc.Refuse(httpx.NotFound("f.entry"))
		}
		if err != nil {
			return err
		}
		if !sc.Can(auth.WriteMembers, path) {
			return httpx.Forbidden()
		}
		reason := strings.TrimSpace(rv.Reason)
		e, err := s.reverse(ctx, tx, id, sc.UserID, "冲正："+reason, "reversed: "+reason)
		if err != nil {
			return err
		}
		out = e
		return audit.Write(ctx, tx, sc.Actor(), e.CreatedAt, audit.Entry{Action: "reverse", Entity: "points_entry", EntityID: id,
			OrgID: e.OrgID, Summary: reason})
	})
	return out, err
}
