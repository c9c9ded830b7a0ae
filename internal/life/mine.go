package life

import (
	"context"
	"dangjian/internal/platform/db"
	"fmt"
	"strings"
	"time"

	"dangjian/internal/member"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/clock"
	"dangjian/internal/platform/httpx"
)

// MyActivity is an activity of the caller's branch or group with the caller's attendance.
type MyActivity struct {
	ID       int64     `json:"id"`
	OrgName  string    `json:"org_name"`
	Kinds    []string  `json:"kinds"`
	Topic    string    `json:"topic"`
	StartsAt time.Time `json:"starts_at"`
	Place    string    `json:"place"`
	State    string    `json:"state"`
	MyState  string    `json:"my_state"` // "" while not recorded
	MyReason string    `json:"my_reason"`
}

// Mine is a member's own organizational life: recent and planned activities with their
// attendance, and how long since they last took part.
type Mine struct {
	MemberID     int64      `json:"member_id"`
	LastActiveAt *time.Time `json:"last_active_at" jsonschema:"nullable"`
	MonthsSince  int        `json:"months_since"` // months missed, as the 6-month list counts them
	WarnMonths   int        `json:"warn_months"`  // the pack's lapse.warn_months: from here the member is reminded

	Attended int          `json:"attended"` // present in the items listed
	Items    []MyActivity `json:"items"`
}

// MyActivities lists the activities of the caller's own branch and 党小组 (newest first), of
// their current 临时党支部 or 流入地, and any they have attendance at (a former branch's), each
// naming its organization, for a member on their phone; a caller without a member record gets 404.
func (s *Store) MyActivities(ctx context.Context, sc *auth.Scope, limit int) (*Mine, error) {
	if sc.MemberID == 0 {
		return nil, httpx.NotFound("f.member")
	}
	return s.memberActivities(ctx, sc.MemberID, limit)
}

// MemberActivities is MyActivities of a member in the caller's scope, for the member page: the
// home branch sees where its member took part (a 临时党支部, a host organization).
func (s *Store) MemberActivities(ctx context.Context, sc *auth.Scope, id int64, limit int) (*Mine, error) {
	path, _, err := member.Home(ctx, s.DB, id)
	if err != nil {
		return nil, err
	}
	if path == "" || !sc.CanMember(auth.Read, path, id) {
		return nil, httpx.NotFound("f.member")
	}
	return s.memberActivities(ctx, id, limit)
}

func (s *Store) memberActivities(ctx context.Context, memberID int64, limit int) (*Mine, error) {
	facts, err := member.ActivityOf(ctx, s.DB, memberID)
	if err != nil {
		return nil, err
	}
	orgID, groupID := facts.OrgID, facts.GroupID
	out := &Mine{MemberID: memberID, Items: []MyActivity{}, WarnMonths: s.Pack().LapseRule().WarnMonths,
		LastActiveAt: facts.LastActiveAt, MonthsSince: facts.LapseMonths}
	cand, candArgs, err := s.mineCandidates(ctx, memberID, orgID, groupID, limit)
	if err != nil {
		return nil, err
	}
	var ids []int64
	if err := db.Each(ctx, s.DB, `SELECT a.id, o.name, a.topic, a.starts_at, a.place, a.state,
		COALESCE((SELECT t.state FROM attendance t WHERE t.activity_id = a.id AND t.member_id = ? ORDER BY t.id DESC LIMIT 1), ''),
		COALESCE((SELECT t.reason FROM attendance t WHERE t.activity_id = a.id AND t.member_id = ? ORDER BY t.id DESC LIMIT 1), '')
		FROM activities a JOIN orgs o ON o.id = a.org_id
		WHERE a.id IN (`+cand+`)
		ORDER BY a.starts_at DESC, a.id DESC LIMIT ?`, append(append([]any{memberID, memberID}, candArgs...), limit), func(rs db.Scanner) error {
		var m MyActivity
		if err := rs.Scan(&m.ID, &m.OrgName, &m.Topic, &m.StartsAt, &m.Place, &m.State, &m.MyState, &m.MyReason); err != nil {
			return err
		}
		m.StartsAt = m.StartsAt.UTC()
		if m.MyState == "present" {
			out.Attended++
		}
		out.Items = append(out.Items, m)
		ids = append(ids, m.ID)
		return nil
	}); err != nil {
		return nil, err
	}
	kinds, err := s.kindsOf(ctx, s.DB, ids)
	if err != nil {
		return nil, err
	}
	for i := range out.Items {
		out.Items[i].Kinds = nonNil(kinds[out.Items[i].ID])
	}
	return out, nil
}

// mineCandidates is the SQL (and its arguments) of the ids that can be among a member's newest
// limit activities: a UNION of one ordered, limited index read per source — each organization's
// activities by activities_org_time (the branch, the 党小组, every current second affiliation,
// read first so each is an equality), and the activities the member has attendance at by
// attendance_member. One query with an OR of the three made PostgreSQL walk every activity
// backwards by time (5.9 s at a million members); the caller orders and limits the union again.
func (s *Store) mineCandidates(ctx context.Context, memberID, orgID, groupID int64, limit int) (string, []any, error) {
	orgIDs, err := db.All(ctx, s.DB, `SELECT DISTINCT org_id FROM memberships WHERE member_id = ? AND kind <> 'home' AND (to_date = '' OR to_date > ?)`,
		[]any{memberID, clock.Today(s.Clock.Now())}, func(rs db.Scanner) (int64, error) {
			var id int64
			err := rs.Scan(&id)
			return id, err
		})
	if err != nil {
		return "", nil, err
	}
	const live = `a.state <> 'cancelled' AND a.superseded_by IS NULL`
	arms := []string{`SELECT id FROM (SELECT DISTINCT a.id, a.starts_at FROM attendance t JOIN activities a ON a.id = t.activity_id
		WHERE t.member_id = ? AND ` + live + ` ORDER BY a.starts_at DESC, a.id DESC LIMIT ?) att`}
	args := []any{memberID, limit}
	seen := map[int64]bool{}
	for i, id := range append([]int64{orgID, groupID}, orgIDs...) {
		if id == 0 || seen[id] {
			continue
		}
		seen[id] = true
		arms = append(arms, fmt.Sprintf(`SELECT id FROM (SELECT a.id FROM activities a WHERE a.org_id = ? AND `+live+`
		ORDER BY a.starts_at DESC, a.id DESC LIMIT ?) o%d`, i))
		args = append(args, id, limit)
	}
	return strings.Join(arms, " UNION "), args, nil
}
