// Package classify is the yearly classification of branches (先进/一般/后进, classes and
// share bounds as data: rules/example.yaml) by a level's decision with reasons, and the
// conversion plan (整顿转化) of a branch in a class that needs one: the leader in charge
// (包联), the problems, measures with milestones — rectification items (internal/rectify,
// source "conversion") with their own progress notes, reminders and overdue rollup — and
// the acceptance by the level above: converted (销号) or extended. History stays with the
// branch. An assessment round's results propose classes (propose.go: the stars→class
// mapping is the rules document's); the level decides, with reasons.
package classify

import (
	"context"
	"errors"
	"fmt"
	"strconv"
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
	"dangjian/internal/tree"
)

// Kind is the rules documents' kind in leveldoc; Source the rectification items' source kind.
const (
	Kind   = "classify"
	Source = "conversion"
)

// Plan states.
const (
	PlanOpen      = "open"
	PlanConverted = "converted"
)

// Rollup: dimension "class:<year>" keyed by class code (current decisions), and open plans.
const (
	dimClassPrefix = "class:"
	DimPlansOpen   = "conversion_open"
)

// Store is the classification over the database.
type Store struct {
	DB      *db.DB
	Clock   clock.Clock
	Rectify *rectify.Store
}

func init() {
	i18n.Register(map[string][2]string{
		"f.classify.year":      {"年度", "Year"},
		"f.classify.branch_id": {"党支部", "Branch"},
		"f.classify.class":     {"类别", "Class"},
		"f.classify.reasons":   {"定级理由", "Reasons"},
		"f.plan":               {"整顿转化方案", "Conversion plan"},
		"f.plan.leader":        {"包联领导", "Leader in charge"},
		"f.plan.problems":      {"存在问题", "Problems"},
		"f.plan.due_date":      {"转化时限", "Due date"},
		"f.plan.measures":      {"整改措施", "Measures"},
		"f.plan.result":        {"验收结论", "Result"},
		"f.plan.note":          {"验收意见", "Note"},
		"detail.no_plan_class": {"该党支部当前类别不需要整顿转化方案", "the branch's current class needs no conversion plan"},
		"detail.plan_open":     {"该党支部已有未销号的整顿转化方案", "the branch already has an open conversion plan"},
		"detail.plan_state":    {"方案已销号", "the plan is closed"},
	})
}

// rulesFor is the rules in force for a level (the shipped example published for it when
// none is), in tx.
func rulesFor(ctx context.Context, tx *db.Tx, sc *auth.Scope, lvl *org.Ref, now time.Time) (*leveldoc.Doc, *Rules, error) {
	doc, err := leveldoc.InForce(ctx, tx, lvl.Path, Kind)
	if err != nil {
		return nil, nil, err
	}
	if doc == nil {
		r, _ := ParseRules(ExampleText())
		if doc, err = leveldoc.Insert(ctx, tx, sc, now, lvl.ID, Kind, r.Version, ExampleText()); err != nil {
			return nil, nil, err
		}
	}
	r, err := ParseRules([]byte(doc.Body))
	return doc, r, err
}

// Publish checks and publishes a classes document for the level's subtree (ManageOrgs).
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

// Decision classifies branches of the level's subtree for a year.
type Decision struct {
	Year     int      `json:"year"`
	Branches []Choice `json:"branches"`
}

// Choice is one branch's class with the reasons.
type Choice struct {
	BranchID int64  `json:"branch_id"`
	Class    string `json:"class"`
	Reasons  string `json:"reasons"`
}

// Decide records the level's classes (write on the level, branches below it), each
// superseding the branch's earlier decision of the year; the distribution rollup follows.
// Shares outside the rules' bounds are warnings in the answer, never a refusal.
func (s *Store) Decide(ctx context.Context, sc *auth.Scope, levelID int64, d Decision) (*Overview, error) {
	lvl, err := org.Resolve(ctx, s.DB, sc, levelID, auth.WriteMembers)
	if err != nil {
		return nil, err
	}
	var is httpx.Issues
	if d.Year < 2000 || d.Year > 2100 {
		is.Add("year", "f.classify.year", "rx.between", 2000, 2100, d.Year)
	}
	if len(d.Branches) == 0 {
		is.Add("branches", "f.classify.branch_id", "v.required")
	}
	now := s.Clock.Now().UTC()
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		doc, rules, err := rulesFor(ctx, tx, sc, lvl, now)
		if err != nil {
			return err
		}
		branches := make([]*org.Ref, len(d.Branches))
		for i, c := range d.Branches {
			f := fmt.Sprintf("branches[%d].", i)
			b, err := org.Lookup(ctx, tx, c.BranchID)
			if err != nil {
				return err
			}
			if b == nil || !b.Live || !b.Kind.HoldsMembers() || b.ID == lvl.ID || !strings.HasPrefix(b.Path, lvl.Path) {
				is.Add(f+"branch_id", "f.classify.branch_id", "v.choice", strconv.FormatInt(c.BranchID, 10))
			}
			if rules.class(c.Class) == nil {
				is.Add(f+"class", "f.classify.class", "v.choice", c.Class)
			}
			if r := strings.TrimSpace(c.Reasons); r == "" {
				is.Add(f+"reasons", "f.classify.reasons", "v.required")
			} else if utf8.RuneCountInString(r) > 2000 {
				is.Add(f+"reasons", "f.classify.reasons", "v.too_long", 2000)
			}
			branches[i] = b
		}
		if err := is.Err(); err != nil {
			return err
		}
		roll := tree.Rollup{}
		dim := dimClassPrefix + strconv.Itoa(d.Year)
		for i, c := range d.Branches {
			b := branches[i]
			var old string
			_ = tx.QueryRow(ctx, `SELECT class FROM classify_decisions WHERE branch_id = ? AND year = ? AND live = 1`, b.ID, d.Year).Scan(&old)
			if old != "" {
				if _, err := tx.Exec(ctx, `UPDATE classify_decisions SET live = 0 WHERE branch_id = ? AND year = ? AND live = 1`, b.ID, d.Year); err != nil {
					return err
				}
				roll.Add(b.Path, dim, old, -1)
			}
			var id int64
			if err := tx.QueryRow(ctx, `INSERT INTO classify_decisions (level_id, year, branch_id, branch_path, class, reasons, rules_id, live, decided_by, decided_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?) RETURNING id`, lvl.ID, d.Year, b.ID, b.Path, c.Class, strings.TrimSpace(c.Reasons), doc.ID, nullID(sc.UserID), now).Scan(&id); err != nil {
				return err
			}
			roll.Add(b.Path, dim, c.Class, 1)
			if err := audit.Write(ctx, tx, sc.Actor(), now, audit.Entry{Action: "classify", Entity: "classify_decision", EntityID: id, OrgID: b.ID,
				Summary: fmt.Sprintf("%d %s → %s（%s）", d.Year, b.Name, rules.class(c.Class).Name, c.Reasons)}); err != nil {
				return err
			}
		}
		return roll.Flush(ctx, tx)
	})
	if err != nil {
		return nil, err
	}
	return s.OverviewOf(ctx, sc, levelID, d.Year)
}

// Overview is a level's classification of a year: the distribution over its subtree
// (rollup), the warnings of the shares, and the decisions.
type Overview struct {
	OrgID        int64          `json:"org_id"`
	Year         int            `json:"year"`
	Rules        *Rules         `json:"rules"`
	Distribution map[string]int `json:"distribution"`
	Warnings     []string       `json:"warnings"`
	Decisions    []Decided      `json:"decisions"`
	OpenPlans    int            `json:"open_plans"`
	// Proposals are the classes the year's assessment results propose, beside the decisions.
	Proposals []Proposal `json:"proposals"`
}

// Decided is a branch's current class of a year.
type Decided struct {
	ID         int64     `json:"id"`
	BranchID   int64     `json:"branch_id"`
	BranchName string    `json:"branch_name"`
	Year       int       `json:"year"`
	Class      string    `json:"class"`
	Reasons    string    `json:"reasons"`
	Live       bool      `json:"live"`
	DecidedAt  time.Time `json:"decided_at"`
}

// OverviewOf reads a level's classification of a year (read scope); the rules are those in
// force for the level now.
func (s *Store) OverviewOf(ctx context.Context, sc *auth.Scope, levelID int64, year int) (*Overview, error) {
	lvl, err := org.Resolve(ctx, s.DB, sc, levelID, auth.Read)
	if err != nil {
		return nil, err
	}
	ov := &Overview{OrgID: lvl.ID, Year: year, Distribution: map[string]int{}}
	doc, err := leveldoc.InForce(ctx, s.DB, lvl.Path, Kind)
	if err != nil {
		return nil, err
	}
	text := ExampleText()
	if doc != nil {
		text = []byte(doc.Body)
	}
	if ov.Rules, err = ParseRules(text); err != nil {
		return nil, err
	}
	if err := db.Each(ctx, s.DB, `SELECT dim, key, n FROM org_stats WHERE org_id = ? AND (dim = ? OR (dim = ? AND key = 'all'))`,
		[]any{lvl.ID, dimClassPrefix + strconv.Itoa(year), DimPlansOpen}, func(r db.Scanner) error {
			var dim, key string
			var n int
			err := r.Scan(&dim, &key, &n)
			if dim == DimPlansOpen {
				ov.OpenPlans = n
			} else if n != 0 {
				ov.Distribution[key] = n
			}
			return err
		}); err != nil {
		return nil, err
	}
	ov.Warnings = ov.Rules.Warnings(ov.Distribution)
	lo, hi := db.SubtreeRange(lvl.Path)
	if ov.Decisions, err = decisions(ctx, s.DB, `d.branch_path >= ? AND d.branch_path < ? AND d.year = ? AND d.live = 1`, lo, hi, year); err != nil {
		return nil, err
	}
	if ov.Decisions == nil {
		ov.Decisions = []Decided{} // a list, never null
	}
	ov.Proposals, err = proposals(ctx, s.DB, lvl, year, ov.Rules)
	return ov, err
}

func decisions(ctx context.Context, q db.Querier, where string, args ...any) ([]Decided, error) {
	return db.All(ctx, q, `SELECT d.id, d.branch_id, o.name, d.year, d.class, d.reasons, d.live, d.decided_at FROM classify_decisions d JOIN orgs o ON o.id = d.branch_id
		WHERE `+where+` ORDER BY d.year DESC, d.branch_path, d.id DESC LIMIT 2000`, args, func(r db.Scanner) (Decided, error) {
		var x Decided
		var live int
		err := r.Scan(&x.ID, &x.BranchID, &x.BranchName, &x.Year, &x.Class, &x.Reasons, &live, &x.DecidedAt)
		x.Live, x.DecidedAt = live == 1, x.DecidedAt.UTC()
		return x, err
	})
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}
