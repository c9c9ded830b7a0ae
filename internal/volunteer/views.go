package volunteer

import (
	"context"
	"strconv"
	"strings"

	"dangjian/internal/member"
	"dangjian/internal/org"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/db"
	"dangjian/internal/platform/httpx"
)

// VolunteerCommunity is a community Party organization a member may register with.
type VolunteerCommunity struct {
	ID    int64  `json:"id"`
	Name  string `json:"name"`
	Label string `json:"label"` // with the organizations above it, to tell equal names apart
}

// Communities finds live community Party organizations by name (any logged-in caller: a
// member registers where they live, outside their own scope). At most 20.
func (s *Store) Communities(ctx context.Context, q string) ([]VolunteerCommunity, error) {
	q = strings.TrimSpace(q)
	out, err := db.All(ctx, s.DB, `SELECT id, name FROM orgs WHERE field = 'community' AND dissolved_at IS NULL AND kind <> 'group'
		AND name LIKE ? ORDER BY path LIMIT 20`, []any{"%" + q + "%"}, func(r db.Scanner) (VolunteerCommunity, error) {
		var c VolunteerCommunity
		err := r.Scan(&c.ID, &c.Name)
		return c, err
	})
	if err != nil || len(out) == 0 {
		return []VolunteerCommunity{}, err
	}
	ids := make([]int64, len(out))
	for i, c := range out {
		ids[i] = c.ID
	}
	labels, err := org.Labels(ctx, s.DB, ids)
	for i := range out {
		out[i].Label = labels[out[i].ID]
	}
	return out, err
}

// MemberVolunteer is a member's registrations (the live one first, then the history) and
// their records of a year with the confirmed hours.
type MemberVolunteer struct {
	MemberID      int64                   `json:"member_id"`
	Year          int                     `json:"year"`
	Registrations []VolunteerRegistration `json:"registrations"`
	Records       []VolunteerRecord       `json:"records"`
	Hours         float64                 `json:"hours"`      // confirmed, of the year
	Organizers    []VolunteerCommunity    `json:"organizers"` // whom a new record may name: the branch and the registered community
}

// OfMember reads a member's volunteer page (the member or a reader of their branch).
func (s *Store) OfMember(ctx context.Context, sc *auth.Scope, memberID int64, year int) (*MemberVolunteer, error) {
	st, found, err := member.StandingOf(ctx, s.DB, memberID)
	if err != nil {
		return nil, err
	}
	if !found || !sc.CanMember(auth.Read, st.OrgPath, memberID) {
		return nil, httpx.NotFound("f.member")
	}
	out := &MemberVolunteer{MemberID: memberID, Year: year}
	if out.Registrations, err = db.All(ctx, s.DB, registrationCols+` WHERE v.member_id = ? ORDER BY v.to_date IS NULL DESC, v.id DESC LIMIT 50`, []any{memberID}, scanRegistration); err != nil {
		return nil, err
	}
	if out.Records, err = db.All(ctx, s.DB, recordCols+` WHERE r.member_id = ? AND r.year = ? ORDER BY r.day DESC, r.id DESC LIMIT 200`, []any{memberID, year}, scanRecord); err != nil {
		return nil, err
	}
	tenths := 0
	for _, r := range out.Records {
		if r.State == Confirmed {
			tenths += r.tenths
		}
	}
	out.Hours = float64(tenths) / 10
	ids, err := organizers(ctx, s.DB, memberID, st.OrgID)
	if err != nil {
		return nil, err
	}
	labels, err := org.Labels(ctx, s.DB, ids)
	for _, id := range ids {
		c := VolunteerCommunity{ID: id, Label: labels[id]}
		_ = s.DB.QueryRow(ctx, `SELECT name FROM orgs WHERE id = ?`, id).Scan(&c.Name)
		out.Organizers = append(out.Organizers, c)
	}
	if out.Registrations == nil {
		out.Registrations = []VolunteerRegistration{}
	}
	if out.Records == nil {
		out.Records = []VolunteerRecord{}
	}
	return out, err
}

// Registrations lists who registered with the communities of an organization's subtree
// (live only, or the history too), newest first, paged.
func (s *Store) Registrations(ctx context.Context, sc *auth.Scope, orgID int64, all bool, p httpx.Page) (*httpx.List[VolunteerRegistration], error) {
	o, err := org.Resolve(ctx, s.DB, sc, orgID, auth.Read)
	if err != nil {
		return nil, err
	}
	lo, hi := db.SubtreeRange(o.Path)
	cond, cargs := sc.Where("v.community_path", auth.Read)
	where := `v.community_path >= ? AND v.community_path < ? AND (` + cond + `)`
	if !all {
		where += ` AND v.to_date IS NULL`
	}
	args := append([]any{lo, hi}, cargs...)
	out := &httpx.List[VolunteerRegistration]{}
	if err := s.DB.QueryRow(ctx, `SELECT COUNT(*) FROM volunteer_registrations v WHERE `+where, args...).Scan(&out.Total); err != nil {
		return nil, err
	}
	out.Items, err = db.All(ctx, s.DB, registrationCols+` WHERE `+where+` ORDER BY v.id DESC LIMIT `+strconv.Itoa(p.Size)+` OFFSET `+strconv.Itoa(p.Offset()), args, scanRegistration)
	if out.Items == nil {
		out.Items = []VolunteerRegistration{}
	}
	return out, err
}

// Records lists the records organized by an organization's subtree in a state (the
// organizer's inbox: pending), newest first, paged.
func (s *Store) Records(ctx context.Context, sc *auth.Scope, orgID int64, state string, p httpx.Page) (*httpx.List[VolunteerRecord], error) {
	o, err := org.Resolve(ctx, s.DB, sc, orgID, auth.Read)
	if err != nil {
		return nil, err
	}
	lo, hi := db.SubtreeRange(o.Path)
	cond, cargs := sc.Where("r.organizer_path", auth.Read)
	where := `r.organizer_path >= ? AND r.organizer_path < ? AND r.state = ? AND (` + cond + `)`
	args := append([]any{lo, hi, state}, cargs...)
	out := &httpx.List[VolunteerRecord]{}
	if err := s.DB.QueryRow(ctx, `SELECT COUNT(*) FROM volunteer_records r WHERE `+where, args...).Scan(&out.Total); err != nil {
		return nil, err
	}
	out.Items, err = db.All(ctx, s.DB, recordCols+` WHERE `+where+` ORDER BY r.id DESC LIMIT `+strconv.Itoa(p.Size)+` OFFSET `+strconv.Itoa(p.Offset()), args, scanRecord)
	if out.Items == nil {
		out.Items = []VolunteerRecord{}
	}
	return out, err
}
