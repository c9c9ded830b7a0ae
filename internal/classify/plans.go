package classify

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"dangjian/internal/org"
	"dangjian/internal/platform/audit"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/db"
	"dangjian/internal/platform/httpx"
	"dangjian/internal/platform/i18n"
	"dangjian/internal/rectify"
	"dangjian/internal/tree"
)

// NewPlan is a conversion plan for a branch whose current class needs one.
type NewPlan struct {
	Leader   string            `json:"leader"`
	Problems string            `json:"problems"`
	DueDate  string            `json:"due_date"`
	Measures []rectify.NewItem `json:"measures"` // each a milestone: what, who, by when
}

// Plan is a conversion plan with its measures.
type Plan struct {
	ID         int64          `json:"id"`
	BranchID   int64          `json:"branch_id"`
	DecisionID int64          `json:"decision_id"`
	Leader     string         `json:"leader"`
	Problems   string         `json:"problems"`
	DueDate    string         `json:"due_date"`
	State      string         `json:"state"`
	Extensions int            `json:"extensions"`
	Note       string         `json:"note"`
	CreatedAt  time.Time      `json:"created_at"`
	DecidedAt  *time.Time     `json:"decided_at" jsonschema:"nullable"`
	Measures   []rectify.Item `json:"measures"`
	MayAccept  bool           `json:"may_accept"` // the caller is the level above the branch
}

// Acceptance is the level above's check of a plan: converted (销号) or extended to a new
// due date.
type Acceptance struct {
	Result  string `json:"result"` // converted, extended
	Note    string `json:"note"`
	DueDate string `json:"due_date,omitempty"` // the new due date of an extension
}

// levelAbove resolves the level above a branch for a write (the plan's author and judge).
func (s *Store) levelAbove(ctx context.Context, sc *auth.Scope, branchID int64) (*org.Ref, error) {
	b, err := org.Resolve(ctx, s.DB, sc, branchID, auth.Read)
	if err != nil {
		return nil, sc.Refuse(err)
	}
	if b.ParentID == 0 || !sc.Can(auth.WriteMembers, parentPath(b.Path)) {
		return nil, httpx.Forbidden()
	}
	return b, nil
}

// CreatePlan makes a branch's conversion plan (write on the level above the branch): the
// branch's latest live class must need one and no plan of it be open; the measures become
// rectification items of the branch.
func (s *Store) CreatePlan(ctx context.Context, sc *auth.Scope, branchID int64, p NewPlan) (*Plan, error) {
	b, err := s.levelAbove(ctx, sc, branchID)
	if err != nil {
		return nil, err
	}
	var is httpx.Issues
	for _, f := range []struct {
		name, val string
		max       int
	}{{"leader", p.Leader, 50}, {"problems", p.Problems, 5000}} {
		if strings.TrimSpace(f.val) == "" {
			is.Add(f.name, "f.plan."+f.name, "v.required")
		} else if utf8.RuneCountInString(f.val) > f.max {
			is.Add(f.name, "f.plan."+f.name, "v.too_long", f.max)
		}
	}
	if _, err := time.Parse("2006-01-02", p.DueDate); err != nil {
		is.Add("due_date", "f.plan.due_date", "v.date")
	}
	if len(p.Measures) == 0 {
		is.Add("measures", "f.plan.measures", "v.required")
	}
	if err := is.Err(); err != nil {
		return nil, err
	}
	for i, m := range p.Measures {
		if err := m.Validate(fmt.Sprintf("measures[%d].", i)); err != nil {
			return nil, err
		}
	}
	now := s.Clock.Now().UTC()
	var id int64
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		var decision int64
		var class, rulesBody string
		err := tx.QueryRow(ctx, `SELECT d.id, d.class, r.body FROM classify_decisions d JOIN level_rules r ON r.id = d.rules_id
			WHERE d.branch_id = ? AND d.live = 1 ORDER BY d.year DESC, d.id DESC LIMIT 1`, b.ID).Scan(&decision, &class, &rulesBody)
		if errors.Is(err, sql.ErrNoRows) {
			return httpx.Conflict("no_plan_class", i18n.M("detail.no_plan_class"))
		}
		if err != nil {
			return err
		}
		rules, err := ParseRules([]byte(rulesBody))
		if err != nil {
			return err
		}
		if c := rules.class(class); c == nil || !c.NeedsPlan {
			return httpx.Conflict("no_plan_class", i18n.M("detail.no_plan_class"))
		}
		var open int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM classify_plans WHERE branch_id = ? AND state = ?`, b.ID, PlanOpen).Scan(&open); err != nil {
			return err
		}
		if open > 0 {
			return httpx.Conflict("plan_open", i18n.M("detail.plan_open"))
		}
		if err := tx.QueryRow(ctx, `INSERT INTO classify_plans (branch_id, branch_path, decision_id, leader, problems, due_date, state, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, b.ID, b.Path, decision, strings.TrimSpace(p.Leader), strings.TrimSpace(p.Problems), p.DueDate, PlanOpen,
			nullID(sc.UserID), now).Scan(&id); err != nil {
			return err
		}
		for _, m := range p.Measures {
			if _, err := s.Rectify.Create(ctx, tx, sc, b, Source, id, m); err != nil {
				return err
			}
		}
		r := tree.Rollup{}
		r.Add(b.Path, DimPlansOpen, "all", 1)
		if err := r.Flush(ctx, tx); err != nil {
			return err
		}
		return audit.Write(ctx, tx, sc.Actor(), now, audit.Entry{Action: "create", Entity: "conversion_plan", EntityID: id, OrgID: b.ID,
			Summary: fmt.Sprintf("%s：包联 %s，%d 项措施", b.Name, p.Leader, len(p.Measures))})
	})
	if err != nil {
		return nil, err
	}
	return s.plan(ctx, sc, id)
}

// Accept records the level above's acceptance check: converted closes the plan (销号),
// extended keeps it open with a new due date (counted).
func (s *Store) Accept(ctx context.Context, sc *auth.Scope, planID int64, a Acceptance) (*Plan, error) {
	var branchID int64
	err := s.DB.QueryRow(ctx, `SELECT branch_id FROM classify_plans WHERE id = ?`, planID).Scan(&branchID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, sc.Refuse(httpx.NotFound("f.plan"))
	}
	if err != nil {
		return nil, err
	}
	b, err := s.levelAbove(ctx, sc, branchID)
	if err != nil {
		return nil, err
	}
	var is httpx.Issues
	note := strings.TrimSpace(a.Note)
	switch a.Result {
	case PlanConverted:
	case "extended":
		if _, err := time.Parse("2006-01-02", a.DueDate); err != nil {
			is.Add("due_date", "f.plan.due_date", "v.date")
		}
	default:
		is.Add("result", "f.plan.result", "v.choice", a.Result)
	}
	if note == "" {
		is.Add("note", "f.plan.note", "v.required")
	} else if utf8.RuneCountInString(note) > 2000 {
		is.Add("note", "f.plan.note", "v.too_long", 2000)
	}
	if err := is.Err(); err != nil {
		return nil, err
	}
	now := s.Clock.Now().UTC()
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		if err := tx.Lock(ctx, "classify_plans", planID); err != nil {
			return err
		}
		var state string
		if err := tx.QueryRow(ctx, `SELECT state FROM classify_plans WHERE id = ?`, planID).Scan(&state); err != nil {
			return err
		}
		if state != PlanOpen {
			return httpx.Conflict("plan_state", i18n.M("detail.plan_state"))
		}
		if a.Result == PlanConverted {
			if _, err := tx.Exec(ctx, `UPDATE classify_plans SET state = ?, note = ?, decided_by = ?, decided_at = ? WHERE id = ?`, PlanConverted, note, nullID(sc.UserID), now, planID); err != nil {
				return err
			}
			r := tree.Rollup{}
			r.Add(b.Path, DimPlansOpen, "all", -1)
			if err := r.Flush(ctx, tx); err != nil {
				return err
			}
		} else if _, err := tx.Exec(ctx, `UPDATE classify_plans SET due_date = ?, extensions = extensions + 1, note = ?, decided_by = ?, decided_at = ? WHERE id = ?`,
			a.DueDate, note, nullID(sc.UserID), now, planID); err != nil {
			return err
		}
		return audit.Write(ctx, tx, sc.Actor(), now, audit.Entry{Action: a.Result, Entity: "conversion_plan", EntityID: planID, OrgID: b.ID, Summary: note})
	})
	if err != nil {
		return nil, err
	}
	return s.plan(ctx, sc, planID)
}

// plan reads one plan with its measures (the caller has checked scope).
func (s *Store) plan(ctx context.Context, sc *auth.Scope, id int64) (*Plan, error) {
	ps, err := s.plans(ctx, sc, `p.id = ?`, id)
	if err != nil || len(ps) == 0 {
		return nil, err
	}
	return &ps[0], nil
}

func (s *Store) plans(ctx context.Context, sc *auth.Scope, where string, args ...any) ([]Plan, error) {
	out, err := db.All(ctx, s.DB, `SELECT p.id, p.branch_id, p.decision_id, p.leader, p.problems, p.due_date, p.state, p.extensions, p.note, p.created_at, p.decided_at, p.branch_path
		FROM classify_plans p WHERE `+where+` ORDER BY p.id DESC`, args, func(r db.Scanner) (Plan, error) {
		var p Plan
		var at sql.NullTime
		var path string
		err := r.Scan(&p.ID, &p.BranchID, &p.DecisionID, &p.Leader, &p.Problems, &p.DueDate, &p.State, &p.Extensions, &p.Note, &p.CreatedAt, &at, &path)
		if at.Valid {
			t := at.Time.UTC()
			p.DecidedAt = &t
		}
		p.CreatedAt = p.CreatedAt.UTC()
		p.MayAccept = p.State == PlanOpen && parentPath(path) != "" && sc.Can(auth.WriteMembers, parentPath(path))
		return p, err
	})
	if err != nil || len(out) == 0 {
		return out, err
	}
	ids := make([]int64, len(out))
	byID := map[int64]*Plan{}
	for i := range out {
		ids[i], byID[out[i].ID] = out[i].ID, &out[i]
		out[i].Measures = []rectify.Item{}
	}
	items, err := s.Rectify.BySource(ctx, s.DB, Source, ids...)
	for _, it := range items {
		byID[it.SourceID].Measures = append(byID[it.SourceID].Measures, it)
	}
	return out, err
}

// Standing is an organization's classification for its page: the current class, the history
// of decisions, and its conversion plans (open first).
type Standing struct {
	Current   *Decided  `json:"current" jsonschema:"nullable"`
	ClassName string    `json:"class_name"`
	History   []Decided `json:"history"`
	Plans     []Plan    `json:"plans"`
}

// StandingOf reads a branch's standing (read scope).
func (s *Store) StandingOf(ctx context.Context, sc *auth.Scope, branchID int64) (*Standing, error) {
	b, err := org.Resolve(ctx, s.DB, sc, branchID, auth.Read)
	if err != nil {
		return nil, err
	}
	st := &Standing{}
	if st.History, err = decisions(ctx, s.DB, `d.branch_id = ?`, b.ID); err != nil {
		return nil, err
	}
	for i := range st.History {
		if st.History[i].Live {
			st.Current = &st.History[i]
			break
		}
	}
	if st.Current != nil {
		var body string
		if err := s.DB.QueryRow(ctx, `SELECT r.body FROM classify_decisions d JOIN level_rules r ON r.id = d.rules_id WHERE d.id = ?`, st.Current.ID).Scan(&body); err != nil {
			return nil, err
		}
		if r, err := ParseRules([]byte(body)); err == nil && r.class(st.Current.Class) != nil {
			st.ClassName = r.class(st.Current.Class).Name
		}
	}
	st.Plans, err = s.plans(ctx, sc, `p.branch_id = ?`, b.ID)
	if st.Plans == nil {
		st.Plans = []Plan{}
	}
	return st, err
}

func parentPath(path string) string {
	t := strings.TrimSuffix(path, "/")
	i := strings.LastIndex(t, "/")
	if i <= 0 {
		return ""
	}
	return t[:i+1]
}
