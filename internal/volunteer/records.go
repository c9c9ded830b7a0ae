package volunteer

import (
	"context"
	"database/sql"
	"errors"
	"math"
	"strconv"
	"strings"
	"time"

	"dangjian/internal/platform/audit"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/clock"
	"dangjian/internal/platform/db"
	"dangjian/internal/platform/httpx"
	"dangjian/internal/platform/i18n"
	"dangjian/internal/tree"
)

// States of a volunteer record.
const (
	Pending   = "pending"   // waiting for the organizer
	Confirmed = "confirmed" // confirmed by the organizer: counts (and yields points)
	Rejected  = "rejected"  // not confirmed, with a reason
	Withdrawn = "withdrawn" // taken back by the member before a decision
)

// States lists the states, for query validation.
var States = []string{Pending, Confirmed, Rejected, Withdrawn}

// VolunteerRecord is one volunteer service.
type VolunteerRecord struct {
	ID            int64      `json:"id"`
	MemberID      int64      `json:"member_id"`
	MemberName    string     `json:"member_name"`
	MemberOrgID   int64      `json:"member_org_id"`
	MemberOrg     string     `json:"member_org"`
	OrganizerID   int64      `json:"organizer_id"`
	Organizer     string     `json:"organizer"`
	Day           string     `json:"day"`
	Hours         float64    `json:"hours"`
	What          string     `json:"what"`
	ForWhom       string     `json:"for_whom"`
	State         string     `json:"state" jsonschema:"enum=pending,enum=confirmed,enum=rejected,enum=withdrawn"`
	Reason        string     `json:"reason"`
	CreatedBy     int64      `json:"created_by"`
	CreatedAt     time.Time  `json:"created_at"`
	DecidedBy     int64      `json:"decided_by"`
	DecidedAt     *time.Time `json:"decided_at" jsonschema:"nullable"`
	year, tenths  int
	memberPath    string
	organizerPath string
}

// NewVolunteerRecord is the body of POST /api/v1/volunteer/records.
type NewVolunteerRecord struct {
	MemberID    int64   `json:"member_id,omitempty"` // omitted: the caller's own member record
	OrganizerID int64   `json:"organizer_id"`        // the member's branch, or the community they registered with
	Day         string  `json:"day"`
	Hours       float64 `json:"hours"`
	What        string  `json:"what"`
	ForWhom     string  `json:"for_whom,omitempty"`
}

// VolunteerDecision is the body of POST /api/v1/volunteer/records/{id}/decide.
type VolunteerDecision struct {
	Action string `json:"action" jsonschema:"enum=confirm,enum=reject,enum=revoke"`
	Reason string `json:"reason,omitempty"` // required to reject or revoke
}

// organizers are the organizations that may organize a member's service: their branch, and
// the community of their live registration.
func organizers(ctx context.Context, q db.Querier, memberID, branchID int64) ([]int64, error) {
	out := []int64{branchID}
	err := db.Each(ctx, q, `SELECT community_id FROM volunteer_registrations WHERE member_id = ? AND to_date IS NULL`, []any{memberID}, func(r db.Scanner) error {
		var id int64
		err := r.Scan(&id)
		out = append(out, id)
		return err
	})
	return out, err
}

// checkRecord names every bad field of a new record and returns its hours in tenths.
func (s *Store) checkRecord(in *NewVolunteerRecord, allowed []int64) (int, error) {
	var is httpx.Issues
	ok := false
	for _, id := range allowed {
		ok = ok || id == in.OrganizerID
	}
	if !ok {
		is.Add("organizer_id", "f.vol.organizer", "vol.v.organizer")
	}
	// Service of this year or last (a record is made soon after; older years are closed).
	today := clock.Today(s.Clock.Now())
	last, _ := strconv.Atoi(today[:4])
	if _, err := time.Parse("2006-01-02", in.Day); err != nil || in.Day > today || in.Day < strconv.Itoa(last-1)+"-01-01" {
		is.Add("day", "f.vol.day", "vol.v.day")
	}
	tenths := int(math.Round(in.Hours * 10))
	if tenths < 1 || tenths > 240 || math.Abs(in.Hours*10-float64(tenths)) > 1e-6 {
		is.Add("hours", "f.vol.hours", "vol.v.hours")
	}
	in.What, in.ForWhom = strings.TrimSpace(in.What), strings.TrimSpace(in.ForWhom)
	if n := len([]rune(in.What)); n == 0 || n > 200 {
		is.Add("what", "f.vol.what", "vol.v.required", 200)
	}
	if len([]rune(in.ForWhom)) > 100 {
		is.Add("for_whom", "f.vol.for_whom", "vol.v.text", 100)
	}
	return tenths, is.Err()
}

// Add records a volunteer service (the member, or a secretary on their behalf); it waits
// for the organizer's confirmation.
func (s *Store) Add(ctx context.Context, sc *auth.Scope, in NewVolunteerRecord) (*VolunteerRecord, error) {
	var out *VolunteerRecord
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		st, err := subject(ctx, tx, sc, in.MemberID)
		if err != nil {
			return err
		}
		allowed, err := organizers(ctx, tx, st.ID, st.OrgID)
		if err != nil {
			return err
		}
		tenths, err := s.checkRecord(&in, allowed)
		if err != nil {
			return err
		}
		now := s.Clock.Now().UTC()
		rec := &VolunteerRecord{MemberID: st.ID, MemberName: st.Name, MemberOrgID: st.OrgID, OrganizerID: in.OrganizerID, Day: in.Day, Hours: float64(tenths) / 10,
			What: in.What, ForWhom: in.ForWhom, State: Pending, CreatedBy: sc.UserID, CreatedAt: now, tenths: tenths, memberPath: st.OrgPath}
		rec.year, _ = strconv.Atoi(in.Day[:4])
		if err := tx.QueryRow(ctx, `SELECT path, name FROM orgs WHERE id = ?`, in.OrganizerID).Scan(&rec.organizerPath, &rec.Organizer); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `INSERT INTO volunteer_records (member_id, member_org_id, member_path, organizer_id, organizer_path, day, year, tenths, what, for_whom, state, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, rec.MemberID, rec.MemberOrgID, rec.memberPath, rec.OrganizerID, rec.organizerPath,
			rec.Day, rec.year, tenths, rec.What, rec.ForWhom, Pending, nullID(sc.UserID), now).Scan(&rec.ID); err != nil {
			return err
		}
		_ = tx.QueryRow(ctx, `SELECT name FROM orgs WHERE id = ?`, st.OrgID).Scan(&rec.MemberOrg)
		out = rec
		return s.recordChanged(ctx, tx, sc, rec, "", "create")
	})
	return out, err
}

// recordChanged keeps the rollups, the followers and the audit in step with a record's move
// from the state before ("" for a new one) to its state.
func (s *Store) recordChanged(ctx context.Context, tx *db.Tx, sc *auth.Scope, rec *VolunteerRecord, before, action string) error {
	r := tree.Rollup{}
	countRecord(r, rec.memberPath, rec.organizerPath, before, rec.year, rec.tenths, -1)
	countRecord(r, rec.memberPath, rec.organizerPath, rec.State, rec.year, rec.tenths, 1)
	if err := r.Flush(ctx, tx); err != nil {
		return err
	}
	for _, f := range s.Followers {
		if err := f.VolunteerChanged(ctx, tx, rec.ID); err != nil {
			return err
		}
	}
	return audit.Write(ctx, tx, sc.Actor(), s.Clock.Now(), audit.Entry{Action: action, Entity: "volunteer_record", EntityID: rec.ID, OrgID: rec.MemberOrgID,
		Summary: httpx.Clip(rec.Day + " " + strconv.FormatFloat(rec.Hours, 'f', 1, 64) + "h " + rec.What + " " + rec.Reason)})
}

const recordCols = `SELECT r.id, r.member_id, m.name, r.member_org_id, mo.name, r.organizer_id, oo.name, r.day, r.year, r.tenths, r.what, r.for_whom, r.state, r.reason,
	COALESCE(r.created_by, 0), r.created_at, COALESCE(r.decided_by, 0), r.decided_at, r.member_path, r.organizer_path
	FROM volunteer_records r JOIN members m ON m.id = r.member_id JOIN orgs mo ON mo.id = r.member_org_id JOIN orgs oo ON oo.id = r.organizer_id`

func scanRecord(row db.Scanner) (VolunteerRecord, error) {
	var r VolunteerRecord
	var decided sql.NullTime
	err := row.Scan(&r.ID, &r.MemberID, &r.MemberName, &r.MemberOrgID, &r.MemberOrg, &r.OrganizerID, &r.Organizer, &r.Day, &r.year, &r.tenths, &r.What,
		&r.ForWhom, &r.State, &r.Reason, &r.CreatedBy, &r.CreatedAt, &r.DecidedBy, &decided, &r.memberPath, &r.organizerPath)
	r.Hours, r.CreatedAt, r.DecidedAt = float64(r.tenths)/10, r.CreatedAt.UTC(), db.TimeOrNil(decided)
	return r, err
}

// loadRecord reads a record the caller can see (the member's readers and the member, or
// the organizer's readers); otherwise 404 (403 to a non-admin: a write never tells).
func (s *Store) loadRecord(ctx context.Context, q db.Querier, sc *auth.Scope, id int64) (*VolunteerRecord, error) {
	rs, err := db.All(ctx, q, recordCols+` WHERE r.id = ?`, []any{id}, scanRecord)
	if err != nil {
		return nil, err
	}
	if len(rs) == 0 || !(sc.CanMember(auth.Read, rs[0].memberPath, rs[0].MemberID) || sc.Can(auth.Read, rs[0].organizerPath)) {
		return nil, sc.Refuse(httpx.NotFound("f.vol.record"))
	}
	return &rs[0], nil
}

// move changes a record's state from one of from, in a transaction with its rollups,
// followers and audit; allowed says whether the caller may.
func (s *Store) move(ctx context.Context, sc *auth.Scope, id int64, act string, from []string, allowed func(*VolunteerRecord) bool, set func(*VolunteerRecord)) (*VolunteerRecord, error) {
	var out *VolunteerRecord
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		rec, err := s.loadRecord(ctx, tx, sc, id)
		if err != nil {
			return err
		}
		if !allowed(rec) {
			return httpx.Forbidden()
		}
		ok := false
		for _, f := range from {
			ok = ok || rec.State == f
		}
		if !ok {
			return httpx.Conflict("volunteer_state", i18n.M("vol.state", id, i18n.M("vol.state."+rec.State), i18n.M("vol.act."+act)))
		}
		before := rec.State
		set(rec)
		if _, err := tx.Exec(ctx, `UPDATE volunteer_records SET state = ?, reason = ?, decided_by = ?, decided_at = ? WHERE id = ? AND state = ?`,
			rec.State, rec.Reason, nullID(rec.DecidedBy), rec.DecidedAt, id, before); err != nil {
			return err
		}
		out = rec
		return s.recordChanged(ctx, tx, sc, rec, before, act)
	})
	return out, err
}

// Decide: the organizer confirms or rejects (with a reason) a pending record, or revokes a
// confirmation (with a reason: the record is pending again and its points are reversed).
func (s *Store) Decide(ctx context.Context, sc *auth.Scope, id int64, d VolunteerDecision) (*VolunteerRecord, error) {
	var is httpx.Issues
	from := map[string]string{"confirm": Pending, "reject": Pending, "revoke": Confirmed}[d.Action]
	if from == "" {
		is.Add("action", "f.vol.action", "vol.v.action")
	}
	d.Reason = strings.TrimSpace(d.Reason)
	if d.Action != "confirm" && d.Reason == "" || len([]rune(d.Reason)) > 500 {
		is.Add("reason", "f.vol.reason", "vol.v.reason")
	}
	if err := is.Err(); err != nil {
		return nil, err
	}
	return s.move(ctx, sc, id, d.Action, []string{from}, func(r *VolunteerRecord) bool { return sc.Can(auth.WriteMembers, r.organizerPath) }, func(r *VolunteerRecord) {
		now := s.Clock.Now().UTC()
		r.State = map[string]string{"confirm": Confirmed, "reject": Rejected, "revoke": Pending}[d.Action]
		r.Reason, r.DecidedBy, r.DecidedAt = d.Reason, sc.UserID, &now
	})
}

// Withdraw: the member (or their branch) takes back a pending record.
func (s *Store) Withdraw(ctx context.Context, sc *auth.Scope, id int64) (*VolunteerRecord, error) {
	return s.move(ctx, sc, id, "withdraw", []string{Pending}, func(r *VolunteerRecord) bool {
		return sc.MemberID == r.MemberID || sc.Can(auth.WriteMembers, r.memberPath)
	}, func(r *VolunteerRecord) { r.State = Withdrawn })
}

// ConfirmedRecord is what a follower reads of a record.
type ConfirmedRecord struct {
	ID        int64
	MemberID  int64
	Confirmed bool
	Day       string
	Tenths    int
}

// ConfirmedAt reads a record for a follower (nil: no such record).
func ConfirmedAt(ctx context.Context, q db.Querier, id int64) (*ConfirmedRecord, error) {
	c := &ConfirmedRecord{ID: id}
	var state string
	err := q.QueryRow(ctx, `SELECT member_id, state, day, tenths FROM volunteer_records WHERE id = ?`, id).Scan(&c.MemberID, &state, &c.Day, &c.Tenths)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	c.Confirmed = state == Confirmed
	return c, err
}
