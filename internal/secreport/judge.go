package secreport

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"dangjian/internal/org"
	"dangjian/internal/platform/audit"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/db"
	"dangjian/internal/platform/httpx"
	"dangjian/internal/rectify"
)

// Votes is the appraisal meeting's record of a report: the tallies per voter group and
// grade (replacing any earlier record) and the 点评.
type Votes struct {
	Votes   []Tally `json:"votes"`
	Comment string  `json:"comment"`
}

// judge loads a report for the level that runs its round (write on the level).
func (s *Store) judge(ctx context.Context, sc *auth.Scope, id int64) (*Report, *org.Ref, error) {
	r, err := s.Get(ctx, sc, id)
	if err != nil {
		return nil, nil, sc.Refuse(err)
	}
	var lvl int64
	if err := s.DB.QueryRow(ctx, `SELECT org_id FROM secreport_rounds WHERE id = ?`, r.RoundID).Scan(&lvl); err != nil {
		return nil, nil, err
	}
	o, err := org.Resolve(ctx, s.DB, sc, lvl, auth.WriteMembers)
	if err != nil {
		return nil, nil, httpx.Forbidden()
	}
	return r, o, nil
}

// RecordVotes records the meeting's votes and comment for a report (the level running the
// round); groups and grades must be those of the round's rules version.
func (s *Store) RecordVotes(ctx context.Context, sc *auth.Scope, id int64, v Votes) (*Report, error) {
	r, lvl, err := s.judge(ctx, sc, id)
	if err != nil {
		return nil, err
	}
	var is httpx.Issues
	groups, grades := map[string]bool{}, map[string]bool{}
	for _, g := range r.Rules.Groups {
		groups[g.Code] = true
	}
	for _, g := range r.Rules.Grades {
		grades[g.Code] = true
	}
	seen := map[string]bool{}
	for i, t := range v.Votes {
		f := fmt.Sprintf("votes[%d].", i)
		if !groups[t.Group] {
			is.Add(f+"group", "f.secreport.group", "v.choice", t.Group)
		}
		if !grades[t.Grade] {
			is.Add(f+"grade", "f.secreport.grade", "v.choice", t.Grade)
		}
		if t.N < 0 || t.N > 10000 {
			is.Add(f+"n", "f.secreport.n", "rx.between", 0, 10000, t.N)
		}
		if seen[t.Group+"/"+t.Grade] {
			is.Add(f+"grade", "f.secreport.grade", "v.choice", t.Grade)
		}
		seen[t.Group+"/"+t.Grade] = true
	}
	comment := strings.TrimSpace(v.Comment)
	if utf8.RuneCountInString(comment) > 5000 {
		is.Add("comment", "f.secreport.comment", "v.too_long", 5000)
	}
	if err := is.Err(); err != nil {
		return nil, err
	}
	now := s.Clock.Now().UTC()
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM secreport_votes WHERE report_id = ?`, id); err != nil {
			return err
		}
		for _, t := range v.Votes {
			if t.N == 0 {
				continue
			}
			if _, err := tx.Exec(ctx, `INSERT INTO secreport_votes (report_id, voter_group, grade, n) VALUES (?, ?, ?, ?)`, id, t.Group, t.Grade, t.N); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(ctx, `UPDATE secreport_reports SET comment = ? WHERE id = ?`, comment, id); err != nil {
			return err
		}
		res := r.Rules.Weigh(v.Votes)
		return audit.Write(ctx, tx, sc.Actor(), now, audit.Entry{Action: "votes", Entity: "secreport_report", EntityID: id, OrgID: lvl.ID,
			Summary: fmt.Sprintf("%s：%d票，%.1f分 %s", r.OrgName, res.Votes, res.Score, res.Name)})
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, sc, id)
}

// Problems are the problems the meeting named for a report.
type Problems struct {
	Problems []rectify.NewItem `json:"problems"`
}

// NameProblems makes each named problem a rectification item of the report's organization
// (source secreport, the report's id), all or none (the level running the round).
func (s *Store) NameProblems(ctx context.Context, sc *auth.Scope, id int64, p Problems) (*Report, error) {
	r, _, err := s.judge(ctx, sc, id)
	if err != nil {
		return nil, err
	}
	if len(p.Problems) == 0 {
		return nil, httpx.Invalid(httpx.FieldIssue("problems", "f.rectify.problem", "v.required"))
	}
	for i, n := range p.Problems {
		if err := n.Validate(fmt.Sprintf("problems[%d].", i)); err != nil {
			return nil, err
		}
	}
	o, err := org.Lookup(ctx, s.DB, r.OrgID)
	if err != nil {
		return nil, err
	}
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		for _, n := range p.Problems {
			if _, err := s.Rectify.Create(ctx, tx, sc, o, Kind, id, n); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, sc, id)
}
