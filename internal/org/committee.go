package org

import (
	"context"
	"database/sql"
	"errors"
	"net/http"
	"strconv"
	"time"

	"dangjian/internal/platform/audit"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/clock"
	"dangjian/internal/platform/db"
	"dangjian/internal/platform/httpx"
	"dangjian/internal/platform/i18n"
	"dangjian/internal/tree"
)

// Who sits on a branch's 支部委员会 (支部工作条例 第六章: 书记, 副书记, 组织委员, 宣传委员,
// 纪检委员 …; below 7 full members a secretary and, where needed, a deputy). The list is the
// one truth of the secretary: the current 书记's name is copied into orgs.secretary, and a
// PATCH of the secretary is refused while the list names one.

// Committee roles, in display order; RoleMember ("other 委员") may be held by several at once.
const RoleMember = "member"

// CommitteeRoles lists the roles.
var CommitteeRoles = []string{"secretary", "deputy_secretary", "organization", "propaganda", "discipline", RoleMember}

// CommitteeMember is one post held on a committee: from_date to to_date ("" = the term runs on).
type CommitteeMember struct {
	ID       int64  `json:"id"`
	OrgID    int64  `json:"org_id"`
	MemberID int64  `json:"member_id"`
	Name     string `json:"name"`
	Role     string `json:"role"`
	From     string `json:"from_date"`
	To       string `json:"to_date"`
}

// CommitteeFields is the body of POST /api/v1/orgs/{id}/committee.
type CommitteeFields struct {
	MemberID int64  `json:"member_id"`
	Role     string `json:"role"`
	From     string `json:"from_date"`
}

// EndTerm is the body of POST /api/v1/orgs/{id}/committee/{cid}/end.
type EndTerm struct {
	To string `json:"to_date"`
}

const committeeCols = `c.id, c.org_id, c.member_id, m.name, c.role, c.from_date, c.to_date`

// CommitteeAt lists the posts of organization orgID held on day ("" = every post ever held),
// current ones first. Shared by the API and the 支委会 attendance list.
func CommitteeAt(ctx context.Context, q db.Querier, orgID int64, day string) ([]CommitteeMember, error) {
	where, args := "c.org_id = ?", []any{orgID}
	if day != "" {
		where += " AND c.from_date <= ? AND (c.to_date = '' OR c.to_date > ?)"
		args = append(args, day, day)
	}
	out := []CommitteeMember{}
	err := db.Each(ctx, q, `SELECT `+committeeCols+` FROM committee_members c JOIN members m ON m.id = c.member_id WHERE `+where+`
		ORDER BY c.to_date = '' DESC, c.to_date DESC, c.from_date, c.id`, args, func(r db.Scanner) error {
		var c CommitteeMember
		if err := r.Scan(&c.ID, &c.OrgID, &c.MemberID, &c.Name, &c.Role, &c.From, &c.To); err != nil {
			return err
		}
		out = append(out, c)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Committee lists an organization's posts for a caller who may read it.
func (s *Store) Committee(ctx context.Context, sc *auth.Scope, id int64, day string) ([]CommitteeMember, error) {
	if _, err := s.Get(ctx, sc, id); err != nil {
		return nil, err
	}
	if day != "" && !dateRe(day) {
		return nil, httpx.Invalid(httpx.FieldIssue("at", "f.committee.at", "v.date"))
	}
	return CommitteeAt(ctx, s.DB, id, day)
}

// AddToCommittee records that a member of the branch holds a post from a date.
func (s *Store) AddToCommittee(ctx context.Context, sc *auth.Scope, id int64, f CommitteeFields) (*CommitteeMember, error) {
	now := s.Clock.Now()
	var cid int64
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		o, err := s.forWrite(ctx, tx, sc, id, func(o *Org) bool { return sc.Can(auth.EditOrg, o.Path) })
		if err != nil {
			return err
		}
		var is httpx.Issues
		if !o.Kind.HoldsMembers() {
			is.Add("role", "f.committee.role", "v.committee.kind", i18n.M("kind."+string(o.Kind)))
		} else if !oneOf(f.Role, CommitteeRoles) {
			is.Add("role", "f.committee.role", "v.choice", f.Role)
		}
		switch {
		case !dateRe(f.From):
			is.Add("from_date", "f.committee.from_date", "v.date")
		case f.From > clock.Today(now):
			is.Add("from_date", "f.committee.from_date", "v.future")
		}
		var status string
		err = tx.QueryRow(ctx, `SELECT status FROM members WHERE id = ? AND org_id = ?`, f.MemberID, id).Scan(&status)
		if errors.Is(err, sql.ErrNoRows) || err == nil && status != "active" && status != "mobile" {
			is.Add("member_id", "f.committee.member_id", "v.committee.not_in_branch")
		} else if err != nil {
			return err
		}
		if len(is) == 0 {
			// Posts of one role may not overlap (other 委员 excepted, but one person holds it once).
			var n int
			if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM committee_members WHERE org_id = ? AND role = ? AND (role <> ? OR member_id = ?)
				AND (to_date = '' OR to_date > ?)`, id, f.Role, RoleMember, f.MemberID, f.From).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				is.Add("role", "f.committee.role", "v.committee.overlap", i18n.M("role."+f.Role))
			}
		}
		if err := is.Err(); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `INSERT INTO committee_members (org_id, member_id, role, from_date, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id`,
			id, f.MemberID, f.Role, f.From, now).Scan(&cid); err != nil {
			return err
		}
		return s.committeeChanged(ctx, tx, sc, o, "committee_add", cid, now)
	})
	if err != nil {
		return nil, err
	}
	return s.post(ctx, id, cid)
}

// EndCommitteeTerm ends a post on a date (the day after the last day held).
func (s *Store) EndCommitteeTerm(ctx context.Context, sc *auth.Scope, id, cid int64, e EndTerm) (*CommitteeMember, error) {
	now := s.Clock.Now()
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		o, err := s.forWrite(ctx, tx, sc, id, func(o *Org) bool { return sc.Can(auth.EditOrg, o.Path) })
		if err != nil {
			return err
		}
		var from, to string
		err = tx.QueryRow(ctx, `SELECT from_date, to_date FROM committee_members WHERE id = ? AND org_id = ?`, cid, id).Scan(&from, &to)
		if errors.Is(err, sql.ErrNoRows) {
			return httpx.NotFound("f.committee")
		} else if err != nil {
			return err
		}
		var is httpx.Issues
		switch {
		case to != "":
			is.Add("to_date", "f.committee.to_date", "v.committee.ended", to)
		case !dateRe(e.To):
			is.Add("to_date", "f.committee.to_date", "v.date")
		case e.To > clock.Today(now):
			is.Add("to_date", "f.committee.to_date", "v.future")
		case e.To < from:
			is.Add("to_date", "f.committee.to_date", "v.committee.before_from", from)
		}
		if err := is.Err(); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE committee_members SET to_date = ? WHERE id = ?`, e.To, cid); err != nil {
			return err
		}
		return s.committeeChanged(ctx, tx, sc, o, "committee_end", cid, now)
	})
	if err != nil {
		return nil, err
	}
	return s.post(ctx, id, cid)
}

// committeeChanged brings the organization's committee size, secretary and checks in line
// with its list after a change to post cid, and audits it.
func (s *Store) committeeChanged(ctx context.Context, tx *db.Tx, sc *auth.Scope, o *Org, action string, cid int64, now time.Time) error {
	secretary := o.Secretary
	err := tx.QueryRow(ctx, `SELECT m.name FROM committee_members c JOIN members m ON m.id = c.member_id
		WHERE c.org_id = ? AND c.role = 'secretary' AND c.to_date = '' ORDER BY c.from_date DESC LIMIT 1`, o.ID).Scan(&secretary)
	if errors.Is(err, sql.ErrNoRows) {
		if action == "committee_end" && o.Secretary != "" && endedRole(ctx, tx, cid) == "secretary" {
			secretary = "" // the 书记's term ended with no successor yet
		}
	} else if err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `UPDATE orgs SET secretary = ?, updated_at = ?,
		committee_size = (SELECT COUNT(DISTINCT c.member_id) FROM committee_members c WHERE c.org_id = orgs.id AND c.to_date = '')
		WHERE id = ?`, secretary, now, o.ID); err != nil {
		return err
	}
	r := tree.Rollup{}
	if err := Recheck(ctx, tx, o.ID, r); err != nil {
		return err
	}
	if err := r.Flush(ctx, tx); err != nil {
		return err
	}
	var c CommitteeMember
	if err := tx.QueryRow(ctx, `SELECT `+committeeCols+` FROM committee_members c JOIN members m ON m.id = c.member_id WHERE c.id = ?`, cid).
		Scan(&c.ID, &c.OrgID, &c.MemberID, &c.Name, &c.Role, &c.From, &c.To); err != nil {
		return err
	}
	changes := map[string]audit.Change{"post": {After: strconv.FormatInt(cid, 10) + " " + c.Role + " " + c.From + "–" + c.To}}
	if secretary != o.Secretary {
		changes["secretary"] = audit.Change{Before: o.Secretary, After: secretary}
	}
	return audit.Write(ctx, tx, sc.Actor(), now, audit.Entry{Action: action, Entity: "org", EntityID: o.ID, OrgID: o.ID,
		Summary: i18n.M("role."+c.Role).Render(i18n.ZH) + " " + c.Name, Changes: changes})
}

func endedRole(ctx context.Context, q db.Querier, cid int64) string {
	var role string
	_ = q.QueryRow(ctx, `SELECT role FROM committee_members WHERE id = ?`, cid).Scan(&role)
	return role
}

// secretaryHeld tells whether organization id's committee list names a current 书记.
func secretaryHeld(ctx context.Context, q db.Querier, id int64) (bool, error) {
	var n int
	err := q.QueryRow(ctx, `SELECT COUNT(*) FROM committee_members WHERE org_id = ? AND role = 'secretary' AND to_date = ''`, id).Scan(&n)
	return n > 0, err
}

func (s *Store) post(ctx context.Context, id, cid int64) (*CommitteeMember, error) {
	all, err := CommitteeAt(ctx, s.DB, id, "")
	if err != nil {
		return nil, err
	}
	for i := range all {
		if all[i].ID == cid {
			return &all[i], nil
		}
	}
	return nil, httpx.NotFound("f.committee")
}

func (s *Store) committeeRoutes() []httpx.Route {
	write := "admin, org_staff, secretary: their subtree (branches)"
	return []httpx.Route{
		{Method: "GET", Path: "/api/v1/orgs/{id}/committee", Tag: "orgs", Summary: "The branch committee: posts held, current first",
			Perm:  auth.NeedRead,
			Query: []httpx.Param{{Name: "at", Type: "string", Doc: "YYYY-MM-DD: only the posts held that day"}},
			Resp:  httpx.List[CommitteeMember]{}, Handle: s.withID(func(w http.ResponseWriter, r *http.Request, id int64) error {
				items, err := s.Committee(r.Context(), auth.From(r.Context()), id, r.URL.Query().Get("at"))
				if err != nil {
					return err
				}
				return httpx.JSON(w, 200, httpx.List[CommitteeMember]{Items: items, Total: len(items)})
			})},
		{Method: "POST", Path: "/api/v1/orgs/{id}/committee", Tag: "orgs", Summary: "A member of the branch takes a committee post",
			Perm: auth.NeedEditOrg, Access: write, Body: CommitteeFields{}, Resp: CommitteeMember{}, Status: http.StatusCreated,
			Handle: s.withID(func(w http.ResponseWriter, r *http.Request, id int64) error {
				var f CommitteeFields
				if err := httpx.Decode(r, &f); err != nil {
					return err
				}
				c, err := s.AddToCommittee(r.Context(), auth.From(r.Context()), id, f)
				if err != nil {
					return err
				}
				return httpx.JSON(w, http.StatusCreated, c)
			})},
		{Method: "POST", Path: "/api/v1/orgs/{id}/committee/{cid}/end", Tag: "orgs", Summary: "End a committee post (换届, resignation)",
			Perm: auth.NeedEditOrg, Access: write, Body: EndTerm{}, Resp: CommitteeMember{},
			Handle: s.withID(func(w http.ResponseWriter, r *http.Request, id int64) error {
				cid, err := httpx.PathID(r, "cid", "f.committee")
				if err != nil {
					return err
				}
				var e EndTerm
				if err := httpx.Decode(r, &e); err != nil {
					return err
				}
				c, err := s.EndCommitteeTerm(r.Context(), auth.From(r.Context()), id, cid, e)
				if err != nil {
					return err
				}
				return httpx.JSON(w, 200, c)
			})},
	}
}

func init() {
	i18n.Register(map[string][2]string{
		"f.committee":           {"委员会职务", "Committee post"},
		"f.committee.member_id": {"党员", "Member"},
		"f.committee.role":      {"职务", "Post"},
		"f.committee.from_date": {"任职日期", "From"},
		"f.committee.to_date":   {"离任日期", "To"},
		"f.committee.at":        {"日期", "Date"},

		"v.committee.not_in_branch":    {"%s：不是本支部状态正常的党员", "%s: not a member of this branch in good standing"},
		"v.committee.overlap":          {"%s：该期间已有人任%s", "%s: someone already holds %s in that period"},
		"v.committee.kind":             {"%s：%s不设支部委员会", "%s: a %s has no branch committee"},
		"v.committee.ended":            {"%s：该任职已于%s结束", "%s: the post already ended on %s"},
		"v.committee.before_from":      {"%s：不能早于任职日期%s", "%s: cannot be before the start %s"},
		"v.org.secretary_by_committee": {"%s：书记由支部委员会名单确定，请在委员会中调整", "%s: the secretary comes from the committee list; change it there"},

		"role.secretary":        {"书记", "Secretary"},
		"role.deputy_secretary": {"副书记", "Deputy secretary"},
		"role.organization":     {"组织委员", "Organization member"},
		"role.propaganda":       {"宣传委员", "Publicity member"},
		"role.discipline":       {"纪检委员", "Discipline member"},
		"role.member":           {"委员", "Committee member"},
	})
}
