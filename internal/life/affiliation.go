package life

import (
	"context"
	"net/http"
	"strconv"

	"dangjian/internal/member"
	"dangjian/internal/org"
	"dangjian/internal/platform/audit"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/clock"
	"dangjian/internal/platform/db"
	"dangjian/internal/platform/httpx"
	"dangjian/internal/platform/i18n"
)

func init() {
	i18n.Register(map[string][2]string{
		"f.affiliation":           {"第二组织关系", "Second affiliation"},
		"f.affiliation.member_id": {"党员", "Member"},
		"f.affiliation.org_id":    {"所在组织", "Organization"},
		"f.affiliation.kind":      {"类型", "Kind"},
		"f.affiliation.from_date": {"开始日期", "From"},
		"f.affiliation.to_date":   {"结束日期", "To"},
		"v.affiliation.home":      {"%s：就是该党员的所在党支部", "%s: this is the member's own branch"},
		"v.affiliation.temp":      {"%s：临时党支部的成员只能加入临时党支部", "%s: a temporary affiliation is to a 临时党支部"},
		"v.affiliation.order":     {"%s：应晚于开始日期", "%s: after the start date"},
		"v.affiliation.ended":     {"该第二组织关系已于 %s 结束", "This affiliation already ended on %s"},
		"affiliation.temporary":   {"临时党支部", "Temporary branch"},
		"affiliation.host":        {"流入地", "Host (mobile member)"},
	})
}

// Affiliation is a second affiliation that does not transfer the member's relationship
// (支部条例): a 临时党支部 (temporary) or the host organization (流入地) of a 流动党员 (host).
// The member is on its activities' rosters for the span and their attendance there counts
// for them; counts, dues and appraisal stay with the home branch.
type Affiliation struct {
	ID       int64  `json:"id"`
	MemberID int64  `json:"member_id"`
	OrgID    int64  `json:"org_id"`
	Kind     string `json:"kind" jsonschema:"enum=temporary,enum=host"`
	FromDate string `json:"from_date"`
	ToDate   string `json:"to_date"` // '' = open; the first day no longer there
}

// AddAffiliation records a second affiliation. The caller must be able to change both the
// member (their home branch) and the organization, so neither side's roster changes from
// outside its scope (a common higher committee, or the district, registers across).
func (s *Store) AddAffiliation(ctx context.Context, sc *auth.Scope, a Affiliation) (*Affiliation, error) {
	now := s.Clock.Now()
	mr, err := member.ResolveField(ctx, s.DB, sc, a.MemberID, auth.WriteMembers, "member_id", "f.affiliation.member_id")
	if err != nil {
		return nil, err
	}
	homeID := mr.OrgID
	o, err := org.ResolveField(ctx, s.DB, sc, a.OrgID, auth.WriteMembers, "org_id", "f.affiliation.org_id")
	if err != nil {
		return nil, err
	}
	if !o.Kind.HoldsMembers() {
		return nil, httpx.Invalid(httpx.FieldIssue("org_id", "f.affiliation.org_id", "v.choice", strconv.FormatInt(a.OrgID, 10)))
	}
	var is httpx.Issues
	switch {
	case a.Kind != member.TemporaryMembership && a.Kind != member.HostMembership:
		is.Add("kind", "f.affiliation.kind", "v.choice", a.Kind)
	case a.Kind == member.TemporaryMembership && o.Kind != org.TempBranch:
		is.Add("org_id", "f.affiliation.org_id", "v.affiliation.temp")
	case o.ID == homeID:
		is.Add("org_id", "f.affiliation.org_id", "v.affiliation.home")
	}
	if !IsDate(a.FromDate) {
		is.Add("from_date", "f.affiliation.from_date", "v.date")
	}
	if a.ToDate != "" {
		if !IsDate(a.ToDate) {
			is.Add("to_date", "f.affiliation.to_date", "v.date")
		} else if a.ToDate <= a.FromDate {
			is.Add("to_date", "f.affiliation.to_date", "v.affiliation.order")
		}
	}
	if err := is.Err(); err != nil {
		return nil, err
	}
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		if err := tx.QueryRow(ctx, `INSERT INTO memberships (member_id, org_id, kind, from_date, to_date) VALUES (?, ?, ?, ?, ?) RETURNING id`,
			a.MemberID, a.OrgID, a.Kind, a.FromDate, a.ToDate).Scan(&a.ID); err != nil {
			return err
		}
		return audit.Write(ctx, tx, sc.Actor(), now, audit.Entry{Action: "affiliate", Entity: "member", EntityID: a.MemberID, OrgID: a.OrgID,
			Summary: o.Name, Changes: audit.Snapshot(a)})
	})
	if err != nil {
		return nil, err
	}
	return &a, nil
}

// AffiliationItem is an affiliation as listed: with the member's name and home branch, the
// organization's name, and whether the caller may end it (write on both sides, as to add).
type AffiliationItem struct {
	Affiliation
	MemberName  string `json:"member_name"`
	HomeOrgID   int64  `json:"home_org_id"`
	HomeOrgName string `json:"home_org_name"`
	OrgName     string `json:"org_name"`
	CanEnd      bool   `json:"can_end"`
	memberPath  string
	orgPath     string
}

// EndAffiliation is the body of POST /api/v1/affiliations/{id}/end.
type EndAffiliation struct {
	ToDate string `json:"to_date"` // the first day no longer there
}

const affiliationSelect = `SELECT s.id, s.member_id, s.org_id, s.kind, s.from_date, s.to_date, m.name, m.org_id, h.name, o.name, m.org_path, o.path
	FROM memberships s JOIN members m ON m.id = s.member_id JOIN orgs o ON o.id = s.org_id JOIN orgs h ON h.id = m.org_id
	WHERE s.kind <> 'home' AND `

func (s *Store) affiliations(ctx context.Context, q db.Querier, sc *auth.Scope, where string, args ...any) ([]AffiliationItem, error) {
	out := []AffiliationItem{}
	if err := db.Each(ctx, q, affiliationSelect+where+` ORDER BY s.to_date = '' DESC, s.from_date DESC, s.id DESC`, args, func(rs db.Scanner) error {
		var it AffiliationItem
		if err := rs.Scan(&it.ID, &it.MemberID, &it.OrgID, &it.Kind, &it.FromDate, &it.ToDate, &it.MemberName, &it.HomeOrgID, &it.HomeOrgName,
			&it.OrgName, &it.memberPath, &it.orgPath); err != nil {
			return err
		}
		it.CanEnd = it.ToDate == "" && sc.Can(auth.WriteMembers, it.memberPath) && sc.Can(auth.WriteMembers, it.orgPath)
		out = append(out, it)
		return nil
	}); err != nil {
		return nil, err
	}
	return out, nil
}

// current is the condition for "not ended by today" unless all are asked for.
func current(all bool, today string) (string, []any) {
	if all {
		return "", nil
	}
	return " AND (s.to_date = '' OR s.to_date > ?)", []any{today}
}

// OrgAffiliations lists the second affiliations at an organization the caller reads: members
// of other branches attached to it (a 临时党支部's members, 流动党员 at their host). Ended ones
// only with all.
func (s *Store) OrgAffiliations(ctx context.Context, sc *auth.Scope, orgID int64, all bool) ([]AffiliationItem, error) {
	o, err := org.Lookup(ctx, s.DB, orgID)
	if err != nil {
		return nil, err
	}
	if o == nil || !sc.Can(auth.Read, o.Path) {
		return nil, httpx.NotFound("f.org")
	}
	cond, args := current(all, clock.Today(s.Clock.Now()))
	return s.affiliations(ctx, s.DB, sc, "s.org_id = ?"+cond, append([]any{orgID}, args...)...)
}

// MemberAffiliations lists a readable member's second affiliations (ended ones only with all).
func (s *Store) MemberAffiliations(ctx context.Context, sc *auth.Scope, memberID int64, all bool) ([]AffiliationItem, error) {
	path, _, err := member.Home(ctx, s.DB, memberID)
	if err != nil {
		return nil, err
	}
	if path == "" || !(sc.Can(auth.Read, path) || sc.MemberID == memberID) {
		return nil, httpx.NotFound("f.member")
	}
	cond, args := current(all, clock.Today(s.Clock.Now()))
	return s.affiliations(ctx, s.DB, sc, "s.member_id = ?"+cond, append([]any{memberID}, args...)...)
}

// EndAffiliationAt ends a second affiliation on a day (the first day no longer there): the
// member is no longer on the organization's activities from that day and keeps their place on
// the earlier ones. The caller must be able to write both sides, as to add it.
func (s *Store) EndAffiliationAt(ctx context.Context, sc *auth.Scope, id int64, e EndAffiliation) (*AffiliationItem, error) {
	now := s.Clock.Now()
	var out *AffiliationItem
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		list, err := s.affiliations(ctx, tx, sc, "s.id = ?", id)
		if err != nil {
			return err
		}
		if len(list) == 0 || !(sc.Can(auth.Read, list[0].memberPath) || sc.Can(auth.Read, list[0].orgPath)) {
			return sc.Refuse(httpx.NotFound("f.affiliation"))
		}
		it := list[0]
		if !sc.Can(auth.WriteMembers, it.memberPath) || !sc.Can(auth.WriteMembers, it.orgPath) {
			return httpx.Forbidden()
		}
		if it.ToDate != "" {
			return httpx.Conflict("conflict", i18n.M("v.affiliation.ended", it.ToDate))
		}
		var is httpx.Issues
		if !IsDate(e.ToDate) {
			is.Add("to_date", "f.affiliation.to_date", "v.date")
		} else if e.ToDate <= it.FromDate {
			is.Add("to_date", "f.affiliation.to_date", "v.affiliation.order")
		}
		if err := is.Err(); err != nil {
			return err
		}
		res, err := tx.Exec(ctx, `UPDATE memberships SET to_date = ? WHERE id = ? AND to_date = ''`, e.ToDate, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return httpx.Conflict("conflict", i18n.M("v.affiliation.ended", e.ToDate))
		}
		before := it.Affiliation
		it.ToDate, it.CanEnd = e.ToDate, false
		out = &it
		return audit.Write(ctx, tx, sc.Actor(), now, audit.Entry{Action: "affiliation_end", Entity: "member", EntityID: it.MemberID, OrgID: it.OrgID,
			Summary: it.OrgName, Changes: map[string]audit.Change{"to_date": {Before: before.ToDate, After: e.ToDate}}})
	})
	return out, err
}

// affiliationRoutes are the routes of second affiliations (临时党支部, 流动党员).
func (s *Store) affiliationRoutes() []httpx.Route {
	return []httpx.Route{
		{Method: "POST", Path: "/api/v1/affiliations", Tag: "life", Summary: "Add a member to a 临时党支部 or register a 流动党员 at the host organization (a second affiliation; the home branch stays)",
			Perm: auth.NeedWriteMembers, Access: "write on both the member's branch and the organization",
			Body: Affiliation{}, Resp: Affiliation{}, Status: http.StatusCreated, Handle: httpx.Body(http.StatusCreated, func(r *http.Request, a Affiliation) (any, error) {
				return s.AddAffiliation(r.Context(), auth.From(r.Context()), a)
			})},
		{Method: "POST", Path: "/api/v1/affiliations/{id}/end", Tag: "life", Summary: "End a second affiliation (to_date: the first day no longer there); the member stays on the earlier activities",
			Perm: auth.NeedWriteMembers, Access: "write on both the member's branch and the organization", Body: EndAffiliation{}, Resp: AffiliationItem{},
			Handle: httpx.WithID("f.affiliation", http.StatusOK, func(r *http.Request, n int64) (any, error) {
				var e EndAffiliation
				if err := httpx.Decode(r, &e); err != nil {
					return nil, err
				}
				return s.EndAffiliationAt(r.Context(), auth.From(r.Context()), n, e)
			})},
		{Method: "GET", Path: "/api/v1/orgs/{id}/affiliations", Tag: "life", Summary: "Members of other branches attached to an organization (临时党支部 members, 流动党员 at their host); current ones unless all",
			Perm: auth.NeedRead, Query: []httpx.Param{{Name: "all", Type: "boolean", Doc: "include ended affiliations"}}, Resp: httpx.List[AffiliationItem]{},
			Handle: httpx.WithID("f.org", http.StatusOK, func(r *http.Request, n int64) (any, error) {
				items, err := s.OrgAffiliations(r.Context(), auth.From(r.Context()), n, httpx.QueryFlag(r, "all", false))
				return httpx.List[AffiliationItem]{Items: items, Total: len(items)}, err
			})},
		{Method: "GET", Path: "/api/v1/members/{id}/affiliations", Tag: "life", Summary: "A member's second affiliations (临时党支部, host organization); current ones unless all",
			Perm: auth.NeedReadOrOwn, Query: []httpx.Param{{Name: "all", Type: "boolean", Doc: "include ended affiliations"}}, Resp: httpx.List[AffiliationItem]{},
			Handle: httpx.WithID("f.member", http.StatusOK, func(r *http.Request, n int64) (any, error) {
				items, err := s.MemberAffiliations(r.Context(), auth.From(r.Context()), n, httpx.QueryFlag(r, "all", false))
				return httpx.List[AffiliationItem]{Items: items, Total: len(items)}, err
			})},
	}
}
