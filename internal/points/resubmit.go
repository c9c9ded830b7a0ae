package points

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"dangjian/internal/platform/audit"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/db"
	"dangjian/internal/platform/httpx"
	"dangjian/internal/platform/i18n"
	"dangjian/internal/tree"
)

func init() {
	i18n.Register(map[string][2]string{
		"pts.not_returned": {"申报 %d 当前状态为“%s”，只有被退回的申报可以修改后重新提交", "claim %d is %s; only a returned claim can be corrected and sent again"},
	})
}

// Correction is the body of POST /api/v1/points/claims/{id}/resubmit: the fields of a returned
// claim as corrected (the item stays; a different item is a new claim).
type Correction struct {
	EventDate  string `json:"event_date"`
	Note       string `json:"note,omitempty"`
	ActivityID int64  `json:"activity_id,omitempty"`
}

// Resubmit sends a returned claim back to the branch with the member's corrections, checked
// as a new claim is. The member, the account that filed it, or a secretary who may write the
// member resubmits; the claim waits again at the member's current branch (after a transfer,
// the new branch decides). The return's reason stays in the audit trail.
func (s *Store) Resubmit(ctx context.Context, sc *auth.Scope, id int64, in Correction) (*Claim, error) {
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		var memberID, claimedBy int64
		var state, item, oldPath string
		err := tx.QueryRow(ctx, `SELECT member_id, COALESCE(claimed_by, 0), state, item_code, org_path FROM points_claims WHERE id = ?`, id).
			Scan(&memberID, &claimedBy, &state, &item, &oldPath)
		mine := err == nil && (memberID == sc.MemberID || (claimedBy != 0 && claimedBy == sc.UserID))
		if errors.Is(err, sql.ErrNoRows) || (err == nil && !mine && !sc.Can(auth.Read, oldPath)) {
			return sc.Refuse(httpx.NotFound("f.claim"))
		}
		if err != nil {
			return err
		}
		st, err := subject(ctx, tx, sc, memberID, mine)
		if err != nil {
			return err
		}
		if state != Returned {
			return httpx.Conflict("claim_not_returned", i18n.M("pts.not_returned", id, state))
		}
		if err := s.checkDay("event_date", in.EventDate); err != nil {
			return err
		}
		if len([]rune(in.Note)) > 500 {
			return httpx.Invalid(httpx.FieldIssue("note", "f.points.note", "pts.v.note"))
		}
		_, _, it, err := s.itemFor(ctx, tx, st, in.EventDate, item)
		if err != nil {
			return err
		}
		if err := checkEvidence(ctx, tx, it, st.ID, in.ActivityID); err != nil {
			return err
		}
		year := in.EventDate[:4]
		if _, err := tx.Exec(ctx, `UPDATE points_claims SET state = ?, event_date = ?, year = ?, note = ?, activity_id = ?, org_id = ?, org_path = ?,
			reason = '', decided_by = NULL, decided_at = NULL WHERE id = ? AND state = ?`,
			Pending, in.EventDate, year, strings.TrimSpace(in.Note), nullID(in.ActivityID), st.OrgID, st.OrgPath, id, Returned); err != nil {
			return err
		}
		r := tree.Rollup{}
		r.Add(st.OrgPath, DimPending, "all", 1)
		if err := r.Flush(ctx, tx); err != nil {
			return err
		}
		return audit.Write(ctx, tx, sc.Actor(), s.Clock.Now().UTC(), audit.Entry{Action: "resubmit", Entity: "points_claim", EntityID: id, OrgID: st.OrgID,
			Summary: item + " " + in.EventDate})
	})
	if err != nil {
		return nil, err
	}
	cs, err := s.claimsWhere(ctx, `c.id = ?`, []any{id}, 1, 0)
	if err != nil || len(cs) == 0 {
		return nil, errors.Join(err, errors.New("points: resubmitted claim vanished"))
	}
	return &cs[0], nil
}
