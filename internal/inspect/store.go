// Package inspect is 专项督查: a level's special inspection with a topic, a checklist (items
// as data, kept with the inspection), the organizations of its subtree visited, the inspectors
// and the dates, moving planned → in progress → finished. Each finding names an organization,
// a checklist item, the problem and the evidence, and becomes a rectification item
// (internal/rectify, source "inspection") in the same transaction, whose closure (销号) the
// inspecting level verifies. Reminders, overdue flags and the subtree's open/overdue counts
// are rectify's.
package inspect

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"dangjian/internal/org"
	"dangjian/internal/platform/audit"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/clock"
	"dangjian/internal/platform/db"
	"dangjian/internal/platform/httpx"
	"dangjian/internal/platform/i18n"
	"dangjian/internal/rectify"
)

// Kind is the rectification items' source kind.
const Kind = "inspection"

// States of an inspection.
const (
	Planned    = "planned"
	InProgress = "in_progress"
	Finished   = "finished"
)

// Store is the inspections over the database.
type Store struct {
	DB      *db.DB
	Clock   clock.Clock
	Rectify *rectify.Store
}

func init() {
	i18n.Register(map[string][2]string{
		"f.inspect":                 {"专项督查", "Inspection"},
		"f.inspect.topic":           {"督查主题", "Topic"},
		"f.inspect.checklist":       {"督查清单", "Checklist"},
		"f.inspect.orgs":            {"督查对象", "Organizations visited"},
		"f.inspect.inspectors":      {"督查人员", "Inspectors"},
		"f.inspect.start_date":      {"开始日期", "Start date"},
		"f.inspect.end_date":        {"结束日期", "End date"},
		"f.inspect.org":             {"被督查组织", "Organization"},
		"f.inspect.check_item":      {"清单事项", "Checklist item"},
		"f.inspect.evidence":        {"佐证", "Evidence"},
		"f.inspect.link":            {"佐证链接", "Evidence link"},
		"f.inspect.severity":        {"严重程度", "Severity"},
		"inspect.state.planned":     {"计划中", "Planned"},
		"inspect.state.in_progress": {"督查中", "In progress"},
		"inspect.state.finished":    {"已结束", "Finished"},
		"inspect.not_under":         {"%s：不是本级的下级组织", "%s: not under this level"},
		"inspect.not_visited":       {"%s：不在本次督查对象中", "%s: not visited by this inspection"},
		"inspect.before_start":      {"%s：不能早于开始日期", "%s: before the start date"},
		"detail.inspect_state":      {"督查当前为“%s”，不能这样操作", "the inspection is %s: not possible now"},
	})
}

// Severities a finding may have ("" when not graded).
var Severities = []string{"", "minor", "major", "serious"}

// InspectNew is what a level gives to plan an inspection.
type InspectNew struct {
	Topic      string   `json:"topic"`
	Checklist  []string `json:"checklist"`
	OrgIDs     []int64  `json:"org_ids"`
	Inspectors []string `json:"inspectors"`
	StartDate  string   `json:"start_date"`
	EndDate    string   `json:"end_date"`
}

// Inspection is one inspection with its counts (lists) or its findings (the page).
type Inspection struct {
	ID         int64            `json:"id"`
	OrgID      int64            `json:"org_id"`
	OrgName    string           `json:"org_name"`
	Topic      string           `json:"topic"`
	Checklist  []string         `json:"checklist"`
	Inspectors []string         `json:"inspectors"`
	StartDate  string           `json:"start_date"`
	EndDate    string           `json:"end_date"`
	State      string           `json:"state"`
	CreatedAt  time.Time        `json:"created_at"`
	Counts     InspectCount     `json:"counts"`
	Visited    []InspectVisited `json:"visited,omitempty"`
	Findings   []InspectFinding `json:"findings,omitempty"`
	MayManage  bool             `json:"may_manage"` // the inspecting level's writers
	path       string
}

// InspectCount is an inspection's findings and their items' states.
type InspectCount struct {
	Findings int `json:"findings"`
	Open     int `json:"open"`    // not closed
	Overdue  int `json:"overdue"` // not closed and past due (today, CST)
	Closed   int `json:"closed"`
}

// InspectVisited is an organization an inspection visits.
type InspectVisited struct {
	OrgID int64  `json:"org_id"`
	Name  string `json:"name"`
}

// InspectNewFinding is a problem found, with the rectification item it becomes.
type InspectNewFinding struct {
	OrgID     int64  `json:"org_id"`
	CheckItem int    `json:"check_item"` // index into the checklist
	Problem   string `json:"problem"`
	Evidence  string `json:"evidence"`
	Link      string `json:"link"`
	Severity  string `json:"severity" enum:"minor,major,serious"`
	OwnerName string `json:"owner_name"`
	DueDate   string `json:"due_date"`
}

// InspectFinding is a problem found with its rectification item.
type InspectFinding struct {
	ID        int64         `json:"id"`
	OrgID     int64         `json:"org_id"`
	OrgName   string        `json:"org_name"`
	CheckItem int           `json:"check_item"`
	Problem   string        `json:"problem"`
	Evidence  string        `json:"evidence"`
	Link      string        `json:"link"`
	Severity  string        `json:"severity"`
	CreatedAt time.Time     `json:"created_at"`
	Item      *rectify.Item `json:"item" jsonschema:"nullable"`
}

func (n *InspectNew) validate() httpx.Issues {
	var is httpx.Issues
	n.Topic = strings.TrimSpace(n.Topic)
	if n.Topic == "" {
		is.Add("topic", "f.inspect.topic", "v.required")
	} else if utf8.RuneCountInString(n.Topic) > 200 {
		is.Add("topic", "f.inspect.topic", "v.too_long", 200)
	}
	texts := func(field, label string, xs []string, max int) []string {
		var out []string
		for i, x := range xs {
			x = strings.TrimSpace(x)
			f := field + "[" + strconv.Itoa(i) + "]"
			if x == "" {
				is.Add(f, label, "v.required")
			} else if utf8.RuneCountInString(x) > max {
				is.Add(f, label, "v.too_long", max)
			}
			out = append(out, x)
		}
		if len(xs) == 0 {
			is.Add(field, label, "v.required")
		}
		return out
	}
	n.Checklist = texts("checklist", "f.inspect.checklist", n.Checklist, 300)
	n.Inspectors = texts("inspectors", "f.inspect.inspectors", n.Inspectors, 50)
	if len(n.OrgIDs) == 0 {
		is.Add("org_ids", "f.inspect.orgs", "v.required")
	}
	_, e1 := time.Parse("2006-01-02", n.StartDate)
	if e1 != nil {
		is.Add("start_date", "f.inspect.start_date", "v.date")
	}
	if _, err := time.Parse("2006-01-02", n.EndDate); err != nil {
		is.Add("end_date", "f.inspect.end_date", "v.date")
	} else if e1 == nil && n.EndDate < n.StartDate {
		is.Add("end_date", "f.inspect.end_date", "inspect.before_start")
	}
	return is
}

// Create plans an inspection of the level (ManageOrgs on it); the organizations visited must
// be in the level's subtree, below it.
func (s *Store) Create(ctx context.Context, sc *auth.Scope, levelID int64, n InspectNew) (*Inspection, error) {
	lvl, err := org.Resolve(ctx, s.DB, sc, levelID, auth.ManageOrgs)
	if err != nil {
		return nil, err
	}
	is := n.validate()
	seen := map[int64]bool{}
	for i, id := range n.OrgIDs {
		o, err := org.Lookup(ctx, s.DB, id)
		if err != nil {
			return nil, err
		}
		if o == nil || !o.Live || o.Path == lvl.Path || !strings.HasPrefix(o.Path, lvl.Path) || seen[id] {
			is.Add("org_ids["+strconv.Itoa(i)+"]", "f.inspect.orgs", "inspect.not_under")
		}
		seen[id] = true
	}
	if err := is.Err(); err != nil {
		return nil, err
	}
	now := s.Clock.Now().UTC()
	var id int64
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		cl, _ := json.Marshal(n.Checklist)
		ins, _ := json.Marshal(n.Inspectors)
		if err := tx.QueryRow(ctx, `INSERT INTO inspections (org_id, topic, checklist, inspectors, start_date, end_date, state, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, lvl.ID, n.Topic, string(cl), string(ins), n.StartDate, n.EndDate, Planned, nullID(sc.UserID), now).Scan(&id); err != nil {
			return err
		}
		for _, o := range n.OrgIDs {
			if _, err := tx.Exec(ctx, `INSERT INTO inspection_orgs (inspection_id, org_id) VALUES (?, ?)`, id, o); err != nil {
				return err
			}
		}
		return audit.Write(ctx, tx, sc.Actor(), now, audit.Entry{Action: "create", Entity: "inspection", EntityID: id, OrgID: lvl.ID, Summary: n.Topic})
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, sc, id)
}

// moves: the state an inspection may move to, from which.
var moves = map[string]string{"start": Planned, "finish": InProgress}
var targets = map[string]string{"start": InProgress, "finish": Finished}

// Move starts or finishes an inspection (ManageOrgs on the inspecting level).
func (s *Store) Move(ctx context.Context, sc *auth.Scope, id int64, action string) (*Inspection, error) {
	in, err := s.manage(ctx, sc, id)
	if err != nil {
		return nil, err
	}
	now := s.Clock.Now().UTC()
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		res, err := tx.Exec(ctx, `UPDATE inspections SET state = ? WHERE id = ? AND state = ?`, targets[action], id, moves[action])
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return httpx.Conflict("inspect_state", i18n.M("detail.inspect_state", i18n.M("inspect.state."+in.State)))
		}
		return audit.Write(ctx, tx, sc.Actor(), now, audit.Entry{Action: action, Entity: "inspection", EntityID: id, OrgID: in.OrgID, Summary: in.Topic})
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, sc, id)
}

// manage loads an inspection the caller manages: 404 out of read scope, 403 without ManageOrgs.
func (s *Store) manage(ctx context.Context, sc *auth.Scope, id int64) (*Inspection, error) {
	in, err := s.load(ctx, id)
	if err != nil {
		return nil, err
	}
	if in == nil || !sc.Can(auth.Read, in.path) {
		return nil, sc.Refuse(httpx.NotFound("f.inspect"))
	}
	if !sc.Can(auth.ManageOrgs, in.path) {
		return nil, httpx.Forbidden()
	}
	return in, nil
}

// AddFinding records a finding of an inspection in progress and makes its rectification item
// in the same transaction; the inspecting level verifies the item's closure.
func (s *Store) AddFinding(ctx context.Context, sc *auth.Scope, id int64, n InspectNewFinding) (*Inspection, error) {
	in, err := s.manage(ctx, sc, id)
	if err != nil {
		return nil, err
	}
	if in.State != InProgress {
		return nil, httpx.Conflict("inspect_state", i18n.M("detail.inspect_state", i18n.M("inspect.state."+in.State)))
	}
	var is httpx.Issues
	var visited bool
	if err := s.DB.QueryRow(ctx, `SELECT COUNT(*) > 0 FROM inspection_orgs WHERE inspection_id = ? AND org_id = ?`, id, n.OrgID).Scan(&visited); err != nil {
		return nil, err
	}
	if !visited {
		is.Add("org_id", "f.inspect.org", "inspect.not_visited")
	}
	if n.CheckItem < 0 || n.CheckItem >= len(in.Checklist) {
		is.Add("check_item", "f.inspect.check_item", "v.choice", strconv.Itoa(n.CheckItem))
	}
	if utf8.RuneCountInString(n.Evidence) > 2000 {
		is.Add("evidence", "f.inspect.evidence", "v.too_long", 2000)
	}
	if n.Link = strings.TrimSpace(n.Link); n.Link != "" && !strings.HasPrefix(n.Link, "https://") && !strings.HasPrefix(n.Link, "http://") || len(n.Link) > 500 {
		is.Add("link", "f.inspect.link", "v.choice", n.Link)
	}
	if !has(Severities, n.Severity) {
		is.Add("severity", "f.inspect.severity", "v.choice", n.Severity)
	}
	item := rectify.NewItem{Problem: n.Problem, OwnerName: n.OwnerName, DueDate: n.DueDate, VerifierOrgID: in.OrgID}
	if err := item.Validate(""); err != nil {
		if e, ok := err.(*httpx.Error); ok {
			is = append(is, e.Issues...)
		} else {
			return nil, err
		}
	}
	if err := is.Err(); err != nil {
		return nil, err
	}
	o, err := org.Lookup(ctx, s.DB, n.OrgID)
	if err != nil {
		return nil, err
	}
	now := s.Clock.Now().UTC()
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		var fid int64
		if err := tx.QueryRow(ctx, `INSERT INTO inspection_findings (inspection_id, org_id, check_item, problem, evidence, link, severity, item_id, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?) RETURNING id`, id, n.OrgID, n.CheckItem, strings.TrimSpace(n.Problem), strings.TrimSpace(n.Evidence), n.Link, n.Severity, now).Scan(&fid); err != nil {
			return err
		}
		itemID, err := s.Rectify.Create(ctx, tx, sc, o, Kind, fid, item)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE inspection_findings SET item_id = ? WHERE id = ?`, itemID, fid); err != nil {
			return err
		}
		return audit.Write(ctx, tx, sc.Actor(), now, audit.Entry{Action: "finding", Entity: "inspection", EntityID: id, OrgID: o.ID, Summary: n.Problem})
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, sc, id)
}

func has(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}
