// Package volunteer is 在职党员到社区报到 and volunteer service (issue 14): an in-service
// member registers with the community Party organization where they live (the community sees
// who registered and from which unit and branch; the member may un-register; the history is
// kept), and records volunteer service, confirmed by the organizer — the community or the
// member's branch. Points follow a confirmed record through the Followers (points.Store).
package volunteer

import (
	"context"
	"database/sql"
	"errors"
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

// Follower is a domain deriving records of its own from a volunteer record (points: a
// confirmed record yields points). The record's writes call it inside their transaction; it
// must be idempotent. The server wires the followers (as life.Follower).
type Follower interface {
	VolunteerChanged(ctx context.Context, tx *db.Tx, recordID int64) error
}

// Store keeps registrations and volunteer records.
type Store struct {
	DB        *db.DB
	Clock     clock.Clock
	Followers []Follower
}

// VolunteerRegistration is a member's registration with a community (live while To is empty).
type VolunteerRegistration struct {
	ID            int64      `json:"id"`
	MemberID      int64      `json:"member_id"`
	MemberName    string     `json:"member_name"`
	MemberOrgID   int64      `json:"member_org_id"`
	MemberOrg     string     `json:"member_org"` // the member's branch, by name
	CommunityID   int64      `json:"community_id"`
	Community     string     `json:"community"`
	Unit          string     `json:"unit"` // the member's work unit (default: their branch's unit)
	Address       string     `json:"address"`
	From          string     `json:"from"`
	To            string     `json:"to"` // "" while registered
	RegisteredBy  int64      `json:"registered_by"`
	CreatedAt     time.Time  `json:"created_at"`
	EndedBy       int64      `json:"ended_by"`
	EndedAt       *time.Time `json:"ended_at" jsonschema:"nullable"`
	memberPath    string
	communityPath string
}

// NewVolunteerRegistration is the body of POST /api/v1/volunteer/registrations.
type NewVolunteerRegistration struct {
	MemberID    int64  `json:"member_id,omitempty"` // omitted: the caller's own member record
	CommunityID int64  `json:"community_id"`
	Unit        string `json:"unit,omitempty"`    // default: the unit of the member's branch (orgs.unit_name)
	Address     string `json:"address,omitempty"` // where they live, in their words
}

func init() {
	i18n.Register(map[string][2]string{
		"f.registration":      {"社区报到", "Registration"},
		"f.vol.record":        {"志愿服务记录", "Volunteer record"},
		"f.vol.member":        {"党员", "Member"},
		"f.vol.community":     {"报到社区", "Community"},
		"f.vol.unit":          {"工作单位", "Work unit"},
		"f.vol.address":       {"居住地址", "Address"},
		"f.vol.organizer":     {"组织单位", "Organizer"},
		"f.vol.day":           {"服务日期", "Date"},
		"f.vol.hours":         {"服务时长", "Hours"},
		"f.vol.what":          {"服务内容", "What"},
		"f.vol.for_whom":      {"服务对象", "For whom"},
		"f.vol.action":        {"操作", "Action"},
		"f.vol.reason":        {"理由", "Reason"},
		"vol.v.no_member":     {"%s：当前账号没有关联党员档案，请指定党员", "%s: this account has no member record; name the member"},
		"vol.v.community":     {"%s应为现存的社区党组织（领域为社区）", "%s must be a live community Party organization (field: community)"},
		"vol.v.text":          {"%s至多 %d 字", "%s: at most %d characters"},
		"vol.v.required":      {"须填写%s（至多 %d 字）", "%s is required (at most %d characters)"},
		"vol.v.organizer":     {"%s应为该党员所在支部或其报到的社区", "%s must be the member's branch or the community they registered with"},
		"vol.v.day":           {"%s应为去年 1 月 1 日至今天之间的日期（YYYY-MM-DD）", "%s must be a date (YYYY-MM-DD) from January 1 of last year to today"},
		"vol.v.hours":         {"%s应在 0.1 至 24 小时之间，至多一位小数", "%s must be 0.1 to 24 hours, with at most one decimal"},
		"vol.v.action":        {"%s应为 confirm（确认）、reject（不予确认）或 revoke（撤销确认）", "%s must be confirm, reject or revoke"},
		"vol.v.reason":        {"不予确认或撤销确认须填写%s", "%s is required to reject or revoke"},
		"vol.registered":      {"该党员已在“%s”报到，请先取消报到", "the member is registered with %s: un-register first"},
		"vol.ended":           {"该报到已于 %s 结束", "this registration ended on %s"},
		"vol.state":           {"志愿服务记录 %d 当前为“%s”，不能%s", "volunteer record %d is %s: it cannot be %s"},
		"vol.state.pending":   {"待确认", "pending"},
		"vol.state.confirmed": {"已确认", "confirmed"},
		"vol.state.rejected":  {"不予确认", "rejected"},
		"vol.state.withdrawn": {"已撤回", "withdrawn"},
		"vol.act.confirm":     {"确认", "confirmed"},
		"vol.act.reject":      {"不予确认", "rejected"},
		"vol.act.revoke":      {"撤销确认", "revoked"},
		"vol.act.withdraw":    {"撤回", "withdrawn"},
	})
}

// subject is the member acted for: the caller's own record, or a member the caller may
// write (a secretary on behalf of a member of their branch).
func subject(ctx context.Context, q db.Querier, sc *auth.Scope, memberID int64) (member.Standing, error) {
	if memberID == 0 {
		if sc.MemberID == 0 {
			return member.Standing{}, httpx.Invalid(httpx.FieldIssue("member_id", "f.vol.member", "vol.v.no_member"))
		}
		memberID = sc.MemberID
	}
	if memberID != sc.MemberID {
		if _, err := member.ResolveField(ctx, q, sc, memberID, auth.WriteMembers, "member_id", "f.vol.member"); err != nil {
			return member.Standing{}, err
		}
	}
	st, found, err := member.StandingOf(ctx, q, memberID)
	if err == nil && !found {
		err = sc.Refuse(httpx.Invalid(httpx.FieldIssue("member_id", "f.vol.member", "v.choice", strconv.FormatInt(memberID, 10))))
	}
	return st, err
}

// community reads a live community Party organization by id (any caller may register with
// any community: it lies outside a member's own scope by nature); "" when it is not one.
func community(ctx context.Context, q db.Querier, id int64) (path, name string, err error) {
	err = q.QueryRow(ctx, `SELECT path, name FROM orgs WHERE id = ? AND field = 'community' AND kind <> 'group' AND dissolved_at IS NULL`, id).Scan(&path, &name)
	if errors.Is(err, sql.ErrNoRows) {
		return "", "", nil
	}
	return path, name, err
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// Register records a member's registration with a community (one live registration at a time).
func (s *Store) Register(ctx context.Context, sc *auth.Scope, in NewVolunteerRegistration) (*VolunteerRegistration, error) {
	var out *VolunteerRegistration
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		st, err := subject(ctx, tx, sc, in.MemberID)
		if err != nil {
			return err
		}
		cpath, cname, err := community(ctx, tx, in.CommunityID)
		if err != nil {
			return err
		}
		var is httpx.Issues
		if cpath == "" {
			is.Add("community_id", "f.vol.community", "vol.v.community")
		}
		in.Unit, in.Address = strings.TrimSpace(in.Unit), strings.TrimSpace(in.Address)
		if len([]rune(in.Unit)) > 100 {
			is.Add("unit", "f.vol.unit", "vol.v.text", 100)
		}
		if len([]rune(in.Address)) > 200 {
			is.Add("address", "f.vol.address", "vol.v.text", 200)
		}
		if err := is.Err(); err != nil {
			return err
		}
		var current string
		err = tx.QueryRow(ctx, `SELECT o.name FROM volunteer_registrations v JOIN orgs o ON o.id = v.community_id WHERE v.member_id = ? AND v.to_date IS NULL`, st.ID).Scan(&current)
		if err == nil {
			return httpx.Conflict("already_registered", i18n.M("vol.registered", current))
		} else if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if in.Unit == "" {
			if err := tx.QueryRow(ctx, `SELECT unit_name FROM orgs WHERE id = ?`, st.OrgID).Scan(&in.Unit); err != nil {
				return err
			}
		}
		now := s.Clock.Now().UTC()
		g := &VolunteerRegistration{MemberID: st.ID, MemberName: st.Name, MemberOrgID: st.OrgID, CommunityID: in.CommunityID, Community: cname, Unit: in.Unit,
			Address: in.Address, From: clock.Today(now), RegisteredBy: sc.UserID, CreatedAt: now, memberPath: st.OrgPath, communityPath: cpath}
		if err := tx.QueryRow(ctx, `INSERT INTO volunteer_registrations (member_id, member_org_id, member_path, community_id, community_path, unit, address, from_date, registered_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, g.MemberID, g.MemberOrgID, g.memberPath, g.CommunityID, g.communityPath, g.Unit, g.Address,
			g.From, nullID(sc.UserID), now).Scan(&g.ID); err != nil {
			if db.IsUniqueViolation(err) {
				return httpx.Conflict("already_registered", i18n.M("vol.registered", ""))
			}
			return err
		}
		_ = tx.QueryRow(ctx, `SELECT name FROM orgs WHERE id = ?`, st.OrgID).Scan(&g.MemberOrg)
		r := tree.Rollup{}
		countRegistration(r, g.memberPath, g.communityPath, 1)
		if err := r.Flush(ctx, tx); err != nil {
			return err
		}
		out = g
		return audit.Write(ctx, tx, sc.Actor(), now, audit.Entry{Action: "register", Entity: "volunteer_registration", EntityID: g.ID, OrgID: g.CommunityID,
			Summary: httpx.Clip(st.Name + " → " + cname)})
	})
	return out, err
}

// End un-registers: the member themselves, their branch, or the community. The row stays
// with its end date (the history).
func (s *Store) End(ctx context.Context, sc *auth.Scope, id int64) (*VolunteerRegistration, error) {
	var out *VolunteerRegistration
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		g, err := s.registration(ctx, tx, id)
		if err != nil {
			return err
		}
		if g == nil || !(sc.CanMember(auth.Read, g.memberPath, g.MemberID) || sc.Can(auth.Read, g.communityPath)) {
			return sc.Refuse(httpx.NotFound("f.registration"))
		}
		if !(sc.MemberID == g.MemberID || sc.Can(auth.WriteMembers, g.memberPath) || sc.Can(auth.WriteMembers, g.communityPath)) {
			return httpx.Forbidden()
		}
		if g.To != "" {
			return httpx.Conflict("registration_ended", i18n.M("vol.ended", g.To))
		}
		now := s.Clock.Now().UTC()
		g.To, g.EndedBy, g.EndedAt = clock.Today(now), sc.UserID, &now
		if _, err := tx.Exec(ctx, `UPDATE volunteer_registrations SET to_date = ?, ended_by = ?, ended_at = ? WHERE id = ? AND to_date IS NULL`,
			g.To, nullID(sc.UserID), now, id); err != nil {
			return err
		}
		r := tree.Rollup{}
		countRegistration(r, g.memberPath, g.communityPath, -1)
		if err := r.Flush(ctx, tx); err != nil {
			return err
		}
		out = g
		return audit.Write(ctx, tx, sc.Actor(), now, audit.Entry{Action: "unregister", Entity: "volunteer_registration", EntityID: id, OrgID: g.CommunityID,
			Summary: httpx.Clip(g.MemberName + " ← " + g.Community)})
	})
	return out, err
}

const registrationCols = `SELECT v.id, v.member_id, m.name, v.member_org_id, mo.name, v.community_id, co.name, v.unit, v.address, v.from_date, COALESCE(v.to_date, ''),
	COALESCE(v.registered_by, 0), v.created_at, COALESCE(v.ended_by, 0), v.ended_at, v.member_path, v.community_path
	FROM volunteer_registrations v JOIN members m ON m.id = v.member_id JOIN orgs mo ON mo.id = v.member_org_id JOIN orgs co ON co.id = v.community_id`

func scanRegistration(r db.Scanner) (VolunteerRegistration, error) {
	var g VolunteerRegistration
	var ended sql.NullTime
	err := r.Scan(&g.ID, &g.MemberID, &g.MemberName, &g.MemberOrgID, &g.MemberOrg, &g.CommunityID, &g.Community, &g.Unit, &g.Address, &g.From, &g.To,
		&g.RegisteredBy, &g.CreatedAt, &g.EndedBy, &ended, &g.memberPath, &g.communityPath)
	g.CreatedAt, g.EndedAt = g.CreatedAt.UTC(), db.TimeOrNil(ended)
	return g, err
}

// registration reads one registration (nil: none).
func (s *Store) registration(ctx context.Context, q db.Querier, id int64) (*VolunteerRegistration, error) {
	gs, err := db.All(ctx, q, registrationCols+` WHERE v.id = ?`, []any{id}, scanRegistration)
	if err != nil || len(gs) == 0 {
		return nil, err
	}
	return &gs[0], nil
}
