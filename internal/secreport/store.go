// Package secreport is 书记抓基层党建述职评议: a round per level and year in which the
// secretaries of the level's child organizations report; each report starts from a skeleton
// of the year's records, is edited and submitted; the appraisal meeting's votes per voter
// group and grade give a weighted result under the rules version the round keeps (data:
// rules/example.yaml); problems named become rectification items (internal/rectify, source
// "secreport") that the next year's skeleton carries.
package secreport

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"dangjian/internal/leveldoc"
	"dangjian/internal/org"
	"dangjian/internal/platform/audit"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/clock"
	"dangjian/internal/platform/db"
	"dangjian/internal/platform/httpx"
	"dangjian/internal/platform/i18n"
	"dangjian/internal/platform/yamldoc"
	"dangjian/internal/rectify"
)

// Kind is the rules documents' kind in leveldoc, and the rectification items' source kind.
const Kind = "secreport"

// Report states.
const (
	Draft     = "draft"
	Submitted = "submitted"
)

// Store is the 述职评议 over the database.
type Store struct {
	DB      *db.DB
	Clock   clock.Clock
	Rectify *rectify.Store
	// RuleName names a rule of organizational life for the skeleton (the pack in force,
	// set by the server: secreport does not import the life packages); nil keeps the id.
	RuleName func(id string) string
}

func init() {
	i18n.Register(map[string][2]string{
		"f.secreport.round":   {"述职评议", "Report round"},
		"f.secreport.report":  {"述职报告", "Secretary's report"},
		"f.secreport.year":    {"年度", "Year"},
		"f.secreport.body":    {"述职内容", "Report text"},
		"f.secreport.comment": {"点评", "Comment"},
		"f.secreport.group":   {"投票人分组", "Voter group"},
		"f.secreport.grade":   {"测评等次", "Grade"},
		"f.secreport.n":       {"票数", "Votes"},
		"detail.round_exists": {"%d 年的述职评议已经开启", "the %d round is already open"},
		"detail.report_state": {"述职报告已报送，不能再修改", "the report was submitted and cannot change"},
		"detail.no_children":  {"本级没有下级党组织需要述职", "no child organizations to report"},
	})
}

// Round is a level's round of a year.
type Round struct {
	ID      int64     `json:"id"`
	OrgID   int64     `json:"org_id"`
	Year    int       `json:"year"`
	RulesID int64     `json:"rules_id"`
	Rules   *Rules    `json:"rules"`
	Reports []Report  `json:"reports"`
	Created time.Time `json:"created_at"`
}

// Report is one secretary's report with its votes and result.
type Report struct {
	ID          int64          `json:"id"`
	RoundID     int64          `json:"round_id"`
	Year        int            `json:"year"`
	OrgID       int64          `json:"org_id"`
	OrgName     string         `json:"org_name"`
	Skeleton    Skeleton       `json:"skeleton"`
	Body        string         `json:"body"`
	State       string         `json:"state"`
	SubmittedAt *time.Time     `json:"submitted_at" jsonschema:"nullable"`
	Comment     string         `json:"comment"`
	Votes       []Tally        `json:"votes"`
	Result      Result         `json:"result"`
	Problems    []rectify.Item `json:"problems"` // named at this meeting
	Rules       *Rules         `json:"rules,omitempty"`
	MayEdit     bool           `json:"may_edit"`  // the organization's secretary, while a draft
	MayJudge    bool           `json:"may_judge"` // the level that runs the round
	path        string
}

// OpenRound opens the level's round of a year (ManageOrgs on the level): the rules in force
// are pinned (the shipped example is published for the level when none is), and each live
// child organization above a 党小组 gets a draft report with the year's skeleton.
func (s *Store) OpenRound(ctx context.Context, sc *auth.Scope, orgID int64, year int) (*Round, error) {
	lvl, err := org.Resolve(ctx, s.DB, sc, orgID, auth.ManageOrgs)
	if err != nil {
		return nil, err
	}
	if year < 2000 || year > 2100 {
		return nil, httpx.Invalid(httpx.FieldIssue("year", "f.secreport.year", "rx.between", 2000, 2100, year))
	}
	now := s.Clock.Now().UTC()
	var roundID int64
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		var n int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM secreport_rounds WHERE org_id = ? AND year = ?`, lvl.ID, year).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return httpx.Conflict("round_exists", i18n.M("detail.round_exists", year))
		}
		doc, err := leveldoc.InForce(ctx, tx, lvl.Path, Kind)
		if err != nil {
			return err
		}
		if doc == nil {
			r, _ := ParseRules(ExampleText())
			if doc, err = leveldoc.Insert(ctx, tx, sc, now, lvl.ID, Kind, r.Version, ExampleText()); err != nil {
				return err
			}
		}
		children, err := db.All(ctx, tx, `SELECT id, path FROM orgs WHERE parent_id = ? AND dissolved_at IS NULL AND kind <> ? ORDER BY path`,
			[]any{lvl.ID, string(org.Group)}, func(r db.Scanner) (org.Ref, error) {
				var o org.Ref
				err := r.Scan(&o.ID, &o.Path)
				return o, err
			})
		if err != nil {
			return err
		}
		if len(children) == 0 {
			return httpx.Conflict("no_children", i18n.M("detail.no_children"))
		}
		if err := tx.QueryRow(ctx, `INSERT INTO secreport_rounds (org_id, year, rules_id, created_by, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id`,
			lvl.ID, year, doc.ID, nullID(sc.UserID), now).Scan(&roundID); err != nil {
			return err
		}
		for _, c := range children {
			sk, err := s.skeleton(ctx, tx, c, lvl.ID, year, clock.Today(now))
			if err != nil {
				return err
			}
			b, _ := json.Marshal(sk)
			if _, err := tx.Exec(ctx, `INSERT INTO secreport_reports (round_id, org_id, org_path, skeleton, state) VALUES (?, ?, ?, ?, ?)`,
				roundID, c.ID, c.Path, string(b), Draft); err != nil {
				return err
			}
		}
		return audit.Write(ctx, tx, sc.Actor(), now, audit.Entry{Action: "open", Entity: "secreport_round", EntityID: roundID, OrgID: lvl.ID,
			Summary: "述职评议 " + itoa(year) + "，规则 " + doc.Version})
	})
	if err != nil {
		return nil, err
	}
	return s.RoundOf(ctx, sc, orgID, year)
}

// RoundOf reads the level's round of a year with every report and its result (read scope).
func (s *Store) RoundOf(ctx context.Context, sc *auth.Scope, orgID int64, year int) (*Round, error) {
	if _, err := org.Resolve(ctx, s.DB, sc, orgID, auth.Read); err != nil {
		return nil, err
	}
	rd := &Round{OrgID: orgID, Year: year}
	err := s.DB.QueryRow(ctx, `SELECT id, rules_id, created_at FROM secreport_rounds WHERE org_id = ? AND year = ?`, orgID, year).Scan(&rd.ID, &rd.RulesID, &rd.Created)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, httpx.NotFound("f.secreport.round")
	}
	if err != nil {
		return nil, err
	}
	if rd.Rules, err = s.rules(ctx, rd.RulesID); err != nil {
		return nil, err
	}
	if rd.Reports, err = s.reports(ctx, sc, `r.round_id = ?`, rd.ID); err != nil {
		return nil, err
	}
	for i := range rd.Reports {
		rd.Reports[i].Rules = nil // once, on the round
	}
	return rd, nil
}

// ReportOf reads the report of an organization for a year (the round of its parent level).
func (s *Store) ReportOf(ctx context.Context, sc *auth.Scope, orgID int64, year int) (*Report, error) {
	if _, err := org.Resolve(ctx, s.DB, sc, orgID, auth.Read); err != nil {
		return nil, err
	}
	rs, err := s.reports(ctx, sc, `r.org_id = ? AND d.year = ?`, orgID, year)
	if err != nil {
		return nil, err
	}
	if len(rs) == 0 {
		return nil, httpx.NotFound("f.secreport.report")
	}
	return &rs[0], nil
}

// Get reads a report by id (read scope on its organization, else 404).
func (s *Store) Get(ctx context.Context, sc *auth.Scope, id int64) (*Report, error) {
	rs, err := s.reports(ctx, sc, `r.id = ?`, id)
	if err != nil {
		return nil, err
	}
	if len(rs) == 0 || !sc.Can(auth.Read, rs[0].path) {
		return nil, httpx.NotFound("f.secreport.report")
	}
	return &rs[0], nil
}

// reports reads reports with their votes, results and problems (the caller filters scope
// by the organization it resolved, or by path for Get).
func (s *Store) reports(ctx context.Context, sc *auth.Scope, where string, args ...any) ([]Report, error) {
	var rulesIDs []int64
	out, err := db.All(ctx, s.DB, `SELECT r.id, r.round_id, d.year, r.org_id, o.name, r.org_path, r.skeleton, r.body, r.state, r.submitted_at, r.comment, d.rules_id, lv.path
		FROM secreport_reports r JOIN secreport_rounds d ON d.id = r.round_id JOIN orgs o ON o.id = r.org_id JOIN orgs lv ON lv.id = d.org_id
		WHERE `+where+` ORDER BY r.org_path`, args, func(row db.Scanner) (Report, error) {
		var r Report
		var sk, lvPath string
		var sub sql.NullTime
		var rulesID int64
		if err := row.Scan(&r.ID, &r.RoundID, &r.Year, &r.OrgID, &r.OrgName, &r.path, &sk, &r.Body, &r.State, &sub, &r.Comment, &rulesID, &lvPath); err != nil {
			return r, err
		}
		if sub.Valid {
			t := sub.Time.UTC()
			r.SubmittedAt = &t
		}
		rulesIDs = append(rulesIDs, rulesID)
		r.MayEdit = r.State == Draft && sc.Can(auth.WriteMembers, r.path)
		r.MayJudge = sc.Can(auth.WriteMembers, lvPath)
		return r, json.Unmarshal([]byte(sk), &r.Skeleton)
	})
	if err != nil || len(out) == 0 {
		return out, err
	}
	ids := make([]any, len(out))
	byID := map[int64]*Report{}
	for i := range out {
		ids[i], byID[out[i].ID] = out[i].ID, &out[i]
		out[i].Votes, out[i].Problems = []Tally{}, []rectify.Item{}
	}
	if err := db.Each(ctx, s.DB, `SELECT report_id, voter_group, grade, n FROM secreport_votes WHERE report_id IN (`+db.Placeholders(len(ids))+`) ORDER BY report_id, voter_group, grade`,
		ids, func(row db.Scanner) error {
			var id int64
			var t Tally
			err := row.Scan(&id, &t.Group, &t.Grade, &t.N)
			byID[id].Votes = append(byID[id].Votes, t)
			return err
		}); err != nil {
		return nil, err
	}
	reportIDs := make([]int64, len(out))
	for i := range out {
		reportIDs[i] = out[i].ID
	}
	items, err := s.Rectify.BySource(ctx, s.DB, Kind, reportIDs...)
	if err != nil {
		return nil, err
	}
	for _, it := range items {
		byID[it.SourceID].Problems = append(byID[it.SourceID].Problems, it)
	}
	parsed := map[int64]*Rules{} // a round's reports share one version: parsed once
	for i := range out {
		r := parsed[rulesIDs[i]]
		if r == nil {
			if r, err = s.rules(ctx, rulesIDs[i]); err != nil {
				return nil, err
			}
			parsed[rulesIDs[i]] = r
		}
		out[i].Rules, out[i].Result = r, r.Weigh(out[i].Votes)
	}
	return out, nil
}

// rules reads a pinned rules version (a published version never changes).
func (s *Store) rules(ctx context.Context, id int64) (*Rules, error) {
	d, err := leveldoc.Load(ctx, s.DB, id)
	if err != nil {
		return nil, err
	}
	if d == nil {
		return nil, errors.New("secreport: rules version missing")
	}
	return ParseRules([]byte(d.Body))
}

// Publish checks and publishes a rules version for the level's subtree (ManageOrgs); a broken
// document is refused with every line and reason, and nothing changes. Rounds already open
// keep their version.
func (s *Store) Publish(ctx context.Context, sc *auth.Scope, orgID int64, text []byte) (*leveldoc.Doc, error) {
	r, err := ParseRules(text)
	if err != nil {
		var ps yamldoc.Problems
		if errors.As(err, &ps) {
			if _, err := org.Resolve(ctx, s.DB, sc, orgID, auth.ManageOrgs); err != nil {
				return nil, err
			}
			return nil, leveldoc.Invalid(ps)
		}
		return nil, err
	}
	return leveldoc.Publish(ctx, s.DB, sc, s.Clock.Now(), orgID, Kind, r.Version, text)
}

// Edit is the secretary's change of a draft report.
type Edit struct {
	Body string `json:"body"`
}

// Save changes a draft's text; submit true also submits it (the organization's writers).
func (s *Store) Save(ctx context.Context, sc *auth.Scope, id int64, e Edit, submit bool) (*Report, error) {
	r, err := s.Get(ctx, sc, id)
	if err != nil {
		return nil, sc.Refuse(err)
	}
	if !sc.Can(auth.WriteMembers, r.path) {
		return nil, httpx.Forbidden()
	}
	if r.State != Draft {
		return nil, httpx.Conflict("report_state", i18n.M("detail.report_state"))
	}
	body := strings.TrimSpace(e.Body)
	if utf8.RuneCountInString(body) > 20000 {
		return nil, httpx.Invalid(httpx.FieldIssue("body", "f.secreport.body", "v.too_long", 20000))
	}
	if submit && body == "" {
		return nil, httpx.Invalid(httpx.FieldIssue("body", "f.secreport.body", "v.required"))
	}
	now := s.Clock.Now().UTC()
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		if submit {
			if _, err := tx.Exec(ctx, `UPDATE secreport_reports SET body = ?, state = ?, submitted_by = ?, submitted_at = ? WHERE id = ? AND state = ?`,
				body, Submitted, nullID(sc.UserID), now, id, Draft); err != nil {
				return err
			}
		} else if _, err := tx.Exec(ctx, `UPDATE secreport_reports SET body = ? WHERE id = ? AND state = ?`, body, id, Draft); err != nil {
			return err
		}
		action := "update"
		if submit {
			action = "submit"
		}
		return audit.Write(ctx, tx, sc.Actor(), now, audit.Entry{Action: action, Entity: "secreport_report", EntityID: id, OrgID: r.OrgID, Summary: r.OrgName})
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, sc, id)
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}
