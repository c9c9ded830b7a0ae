package life

import (
	"context"
	"strconv"

	"dangjian/internal/member"
	"dangjian/internal/org"
	"dangjian/internal/platform/audit"
	"dangjian/internal/platform/auth"
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
	if !isDate(a.FromDate) {
		is.Add("from_date", "f.affiliation.from_date", "v.date")
	}
	if a.ToDate != "" {
		if !isDate(a.ToDate) {
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
