package assess

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"dangjian/internal/org"
	"dangjian/internal/platform/audit"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/clock"
	"dangjian/internal/platform/db"
	"dangjian/internal/platform/httpx"
	"dangjian/internal/platform/i18n"
)

// Value is one stage's current value of an indicator.
type Value struct {
	Value    float64   `json:"value"`
	Score    float64   `json:"score"`
	Detail   string    `json:"detail,omitempty"`
	Link     string    `json:"link,omitempty"`
	Note     string    `json:"note,omitempty"`
	Evidence string    `json:"evidence,omitempty"`
	By       int64     `json:"by,omitempty"`
	At       time.Time `json:"at"`
}

// Line is one indicator of an organization's sheet: the set's terms and each stage side by
// side (data from our records, the self-assessment, the review), never merged.
type Line struct {
	Dim     string  `json:"dim"`
	DimName string  `json:"dim_name"`
	Code    string  `json:"code"`
	Name    string  `json:"name"`
	Method  string  `json:"method"`
	Max     float64 `json:"max"`
	Target  float64 `json:"target,omitempty"`
	Formula string  `json:"formula,omitempty"`
	Rubric  string  `json:"rubric,omitempty"`
	Binding string  `json:"binding,omitempty"`
	// Evidence is what a value given by hand needs (none, record, attachment).
	Evidence string `json:"evidence"`
	Data     *Value `json:"data,omitempty"`
	Self     *Value `json:"self,omitempty"`
	Review   *Value `json:"review,omitempty"`
	// SelfScore and ReviewScore are the scores of the stages as they apply (the review's
	// starts from the self-assessment's); Changed tells the reviewer changed this line.
	SelfScore   float64 `json:"self_score"`
	ReviewScore float64 `json:"review_score"`
	Changed     bool    `json:"changed"`
}

// Sheet is an organization's assessment in a round.
type Sheet struct {
	RoundID    int64   `json:"round_id"`
	RoundName  string  `json:"round_name"`
	RoundState string  `json:"round_state"`
	OrgID      int64   `json:"org_id"`
	OrgName    string  `json:"org_name"`
	State      string  `json:"state" enum:"pending,returned,submitted,reviewed,awarded"`
	Note       string  `json:"note"` // the reason of a return
	Lines      []Line  `json:"lines"`
	Self       Result  `json:"self"`
	Review     *Result `json:"review,omitempty"` // once the review has begun
	// Vetoes are the vetoes that apply to the current result, with their reasons.
	Vetoes    []VetoApplied     `json:"vetoes"`
	DimNames  map[string]string `json:"dim_names"`
	MaxTotal  float64           `json:"max_total"`
	SelfTo    string            `json:"self_to"`
	ReviewTo  string            `json:"review_to"`
	CanSelf   bool              `json:"can_self"`
	CanReview bool              `json:"can_review"`
}

// VetoApplied is a veto in force on a sheet.
type VetoApplied struct {
	Code   string `json:"code"`
	Name   string `json:"name"`
	Reason string `json:"reason"` // the set's reason
	Note   string `json:"note"`   // the reviewer's (or organization's) words
}

func init() {
	i18n.Register(map[string][2]string{
		"f.assess.org":       {"参评组织", "Organization"},
		"f.assess.code":      {"指标", "Indicator"},
		"f.assess.value":     {"得分或数值", "Value"},
		"f.assess.note":      {"说明", "Note"},
		"f.assess.evidence":  {"佐证材料", "Evidence"},
		"f.assess.reason":    {"理由", "Reason"},
		"v.assess.code":      {"%s：“%s”不是本指标体系的指标", "%s: %q is not an indicator of the set"},
		"v.assess.formula":   {"%s：公式类指标“%s”由其他指标算出，不能填写", "%s: %q is computed by its formula"},
		"v.assess.yesno":     {"%s：是否类指标只能填 1（是）或 0（否）", "%s: a yes/no indicator takes 1 or 0"},
		"v.assess.range":     {"%s：应在 0 到 %s 之间", "%s: must be between 0 and %s"},
		"v.assess.neg":       {"%s：不能为负数", "%s: must not be negative"},
		"v.assess.need_note": {"%s：与%s不同时须说明理由", "%s: a value that differs from the %s needs a note"},
		"v.assess.need_ev":   {"%s：该指标须提供佐证材料（%s）", "%s: this indicator needs evidence (%s)"},
		"v.assess.veto_note": {"%s：认定一票否决须写明理由", "%s: applying a veto needs its reason"},
		"v.assess.empty":     {"%s：至少填写一项", "%s: at least one value"},
		"assess.state":       {"当前状态为“%s”，不能进行此操作", "not possible while the state is %s"},
		"assess.closed":      {"%s已于 %s 截止", "%s ended on %s"},
		"assess.stage.data":  {"数据", "data"},
		"assess.stage.self":  {"自评", "self-assessment"},
	})
}

// ValueIn is one value sent by the organization or the reviewer.
type ValueIn struct {
	Code     string  `json:"code"`
	Value    float64 `json:"value"`
	Note     string  `json:"note,omitempty"`
	Evidence string  `json:"evidence,omitempty"`
}

// Values is the body of PUT …/self and PUT …/review.
type Values struct {
	Items []ValueIn `json:"items"`
}

// current reads the newest value of every (code, stage) of an organization in a round.
func current(ctx context.Context, q db.Querier, roundID, orgID int64) (map[string]map[string]*Value, error) {
	out := map[string]map[string]*Value{StageData: {}, StageSelf: {}, StageReview: {}}
	err := db.Each(ctx, q, `SELECT v.stage, v.code, v.value, v.detail, v.link, v.note, v.evidence, COALESCE(v.by_user, 0), v.at FROM assess_values v
		WHERE v.round_id = ? AND v.org_id = ? AND v.id = (SELECT MAX(x.id) FROM assess_values x WHERE x.round_id = v.round_id AND x.org_id = v.org_id AND x.stage = v.stage AND x.code = v.code)`,
		[]any{roundID, orgID}, func(r db.Scanner) error {
			var stage, code string
			var v Value
			if err := r.Scan(&stage, &code, &v.Value, &v.Detail, &v.Link, &v.Note, &v.Evidence, &v.By, &v.At); err != nil {
				return err
			}
			v.At = v.At.UTC()
			out[stage][code] = &v
			return nil
		})
	return out, err
}

// stageValues are the values a stage is scored from: the data, overlaid by the
// self-assessment, overlaid (for the review) by the reviewer's.
func stageValues(cur map[string]map[string]*Value, review bool) map[string]float64 {
	vals := map[string]float64{}
	stages := []string{StageData, StageSelf}
	if review {
		stages = append(stages, StageReview)
	}
	for _, st := range stages {
		for code, v := range cur[st] {
			vals[code] = v.Value
		}
	}
	return vals
}

// enrolled is an organization's row in a round.
type enrolled struct {
	state, note, name, path string
}

func (s *Store) enrolledIn(ctx context.Context, q db.Querier, roundID, orgID int64) (*enrolled, error) {
	rows, err := db.All(ctx, q, `SELECT a.state, a.note, o.name, o.path FROM assess_orgs a JOIN orgs o ON o.id = a.org_id WHERE a.round_id = ? AND a.org_id = ?`,
		[]any{roundID, orgID}, func(r db.Scanner) (enrolled, error) {
			var e enrolled
			err := r.Scan(&e.state, &e.note, &e.name, &e.path)
			return e, err
		})
	if err != nil || len(rows) == 0 {
		return nil, err
	}
	return &rows[0], nil
}

// Sheet reads an organization's sheet: read on the organization (its own secretary reads it;
// the level above reads all of its round).
func (s *Store) Sheet(ctx context.Context, sc *auth.Scope, roundID, orgID int64) (*Sheet, error) {
	if _, err := org.Resolve(ctx, s.DB, sc, orgID, auth.Read); err != nil {
		return nil, err
	}
	return s.sheet(ctx, s.DB, sc, roundID, orgID)
}

func (s *Store) sheet(ctx context.Context, q db.Querier, sc *auth.Scope, roundID, orgID int64) (*Sheet, error) {
	r, err := s.round(ctx, q, roundID)
	if err != nil {
		return nil, err
	}
	var e *enrolled
	if r != nil {
		if e, err = s.enrolledIn(ctx, q, roundID, orgID); err != nil {
			return nil, err
		}
	}
	if e == nil {
		return nil, httpx.NotFound("f.assess.round")
	}
	set, err := s.setByRow(ctx, q, r.SetID)
	if err != nil {
		return nil, err
	}
	cur, err := current(ctx, q, roundID, orgID)
	if err != nil {
		return nil, err
	}
	self := set.Score(stageValues(cur, false))
	sh := &Sheet{RoundID: roundID, RoundName: r.Name, RoundState: r.State, OrgID: orgID, OrgName: e.name, State: e.state, Note: e.note,
		Self: self, DimNames: map[string]string{}, MaxTotal: set.MaxTotal(), SelfTo: r.SelfTo, ReviewTo: r.ReviewTo, Vetoes: []VetoApplied{},
		CanSelf:   (e.state == Pending || e.state == Returned) && sc.Can(auth.EditOrg, e.path),
		CanReview: (e.state == Submitted || e.state == Reviewed) && r.State == RoundOpen && sc.Can(auth.ManageOrgs, r.path)}
	final := self
	if len(cur[StageReview]) > 0 || e.state == Reviewed || e.state == Awarded {
		rv := set.Score(stageValues(cur, true))
		sh.Review, final = &rv, rv
	}
	for _, d := range set.Dimensions {
		sh.DimNames[d.Code] = d.Name
		for _, in := range d.Indicators {
			l := Line{Dim: d.Code, DimName: d.Name, Code: in.Code, Name: in.Name, Method: in.Method, Max: in.Max, Target: in.Target, Formula: in.Formula,
				Rubric: in.Rubric, Binding: in.Binding, Evidence: in.Evidence, Data: cur[StageData][in.Code], Self: cur[StageSelf][in.Code], Review: cur[StageReview][in.Code],
				SelfScore: self.Scores[in.Code], ReviewScore: final.Scores[in.Code]}
			l.Changed = l.Review != nil && (l.Self == nil || l.Review.Value != l.Self.Value) && (l.Self != nil || l.Data == nil || l.Review.Value != l.Data.Value)
			sh.Lines = append(sh.Lines, l)
		}
	}
	for _, code := range final.Vetoed {
		in := set.Indicator(code)
		v := VetoApplied{Code: code, Name: in.Name, Reason: in.Reason}
		for _, st := range []string{StageReview, StageSelf} {
			if x := cur[st][code]; x != nil && v.Note == "" {
				v.Note = x.Note
			}
		}
		sh.Vetoes = append(sh.Vetoes, v)
	}
	return sh, nil
}

// check validates values against the set: known codes, not a formula, the method's range, a
// note where the value departs from the stage before, evidence where the set asks for it.
func check(set *Set, cur map[string]map[string]*Value, stage string, items []ValueIn) error {
	var is httpx.Issues
	if len(items) == 0 {
		is.Add("items", "f.assess.value", "v.assess.empty")
	}
	for i, it := range items {
		f := func(name string) string { return "items[" + strconv.Itoa(i) + "]." + name }
		in := set.Indicator(it.Code)
		switch {
		case in == nil:
			is.Add(f("code"), "f.assess.code", "v.assess.code", it.Code)
			continue
		case in.Method == Formula:
			is.Add(f("code"), "f.assess.code", "v.assess.formula", it.Code)
			continue
		case (in.Method == YesNo || in.Method == Veto) && it.Value != 0 && it.Value != 1:
			is.Add(f("value"), "f.assess.value", "v.assess.yesno")
		case in.Method == Manual && (it.Value < 0 || it.Value > in.Max):
			is.Add(f("value"), "f.assess.value", "v.assess.range", fmtNum(in.Max))
		case in.Method == Count && it.Value < 0:
			is.Add(f("value"), "f.assess.value", "v.assess.neg")
		}
		note := strings.TrimSpace(it.Note)
		if in.Method == Veto && it.Value == 1 && note == "" {
			is.Add(f("note"), "f.assess.note", "v.assess.veto_note")
		}
		// A value that departs from the stage before it (our data for the organization; the
		// organization's for the reviewer) says why.
		// For the reviewer, what the organization left blank counts as the 0 it scored.
		before, what := cur[StageData][it.Code], "assess.stage.data"
		if stage == StageReview {
			what = "assess.stage.self"
			if v := cur[StageSelf][it.Code]; v != nil {
				before = v
			} else if before == nil {
				before = &Value{}
			}
		}
		if before != nil && before.Value != it.Value && note == "" && in.Method != Veto {
			is.Add(f("note"), "f.assess.note", "v.assess.need_note", i18n.M(what))
		}
		if stage == StageSelf && in.Binding == "" && in.Evidence != EvNone && in.Method != Veto && it.Value > 0 && strings.TrimSpace(it.Evidence) == "" {
			is.Add(f("evidence"), "f.assess.evidence", "v.assess.need_ev", in.Evidence)
		}
	}
	return is.Err()
}

// write appends a stage's values and refreshes the organization's totals, in tx.
func (s *Store) write(ctx context.Context, tx *db.Tx, sc *auth.Scope, set *Set, roundID, orgID int64, stage string, items []ValueIn, now time.Time) error {
	for _, it := range items {
		if _, err := tx.Exec(ctx, `INSERT INTO assess_values (round_id, org_id, code, stage, value, note, evidence, by_user, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			roundID, orgID, it.Code, stage, it.Value, strings.TrimSpace(it.Note), strings.TrimSpace(it.Evidence), sc.UserID, now); err != nil {
			return err
		}
	}
	return s.retotal(ctx, tx, set, roundID, orgID, now)
}

// retotal recomputes an organization's stage totals from its current values (a few dozen rows).
func (s *Store) retotal(ctx context.Context, tx *db.Tx, set *Set, roundID, orgID int64, now time.Time) error {
	cur, err := current(ctx, tx, roundID, orgID)
	if err != nil {
		return err
	}
	self := set.Score(stageValues(cur, false))
	final, review := self, any(nil)
	if len(cur[StageReview]) > 0 {
		final = set.Score(stageValues(cur, true))
		review = final.Total
	}
	_, err = tx.Exec(ctx, `UPDATE assess_orgs SET self_total = ?, review_total = ?, total = ?, stars = ?, band = ?, vetoed = ?, updated_at = ? WHERE round_id = ? AND org_id = ?`,
		self.Total, review, final.Total, final.Stars, final.Band, strings.Join(final.Vetoed, ","), now, roundID, orgID)
	return err
}

// act runs a change to one organization's sheet: it loads the round and the organization's
// row locked, checks the state is one of states, runs fn, and audits it.
func (s *Store) act(ctx context.Context, sc *auth.Scope, roundID, orgID int64, reviewer bool, states []string, action string, fn func(tx *db.Tx, r *Round, set *Set, e *enrolled, now time.Time) error) (*Sheet, error) {
	now := s.Clock.Now().UTC()
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		o, err := org.Resolve(ctx, tx, sc, orgID, auth.Read)
		if err != nil {
			return sc.Refuse(err)
		}
		r, err := s.round(ctx, tx, roundID)
		if err != nil {
			return err
		}
		if r == nil {
			return sc.Refuse(httpx.NotFound("f.assess.round"))
		}
		if reviewer && !sc.Can(auth.ManageOrgs, r.path) || !reviewer && !sc.Can(auth.EditOrg, o.Path) {
			return httpx.Forbidden()
		}
		if err := tx.Lock(ctx, "assess_rounds", roundID); err != nil {
			return err
		}
		e, err := s.enrolledIn(ctx, tx, roundID, orgID)
		if err != nil {
			return err
		}
		if e == nil {
			return httpx.NotFound("f.assess.round")
		}
		if !has(states, e.state) || r.State != RoundOpen {
			return httpx.Conflict("assess_state", i18n.M("assess.state", i18n.M("assess.st."+e.state)))
		}
		last, what := r.SelfTo, "assess.phase.self"
		if reviewer {
			last, what = r.ReviewTo, "assess.phase.review"
		}
		if clock.Today(now) > last {
			return httpx.Conflict("assess_closed", i18n.M("assess.closed", i18n.M(what), last))
		}
		set, err := s.setByRow(ctx, tx, r.SetID)
		if err != nil {
			return err
		}
		if err := fn(tx, r, set, e, now); err != nil {
			return err
		}
		return audit.Write(ctx, tx, sc.Actor(), now, audit.Entry{Action: action, Entity: "assess_round", EntityID: roundID, OrgID: orgID,
			Summary: fmt.Sprintf("%s · %s", r.Name, e.name)})
	})
	if err != nil {
		return nil, err
	}
	return s.sheet(ctx, s.DB, sc, roundID, orgID)
}

func init() {
	i18n.Register(map[string][2]string{
		"assess.st.pending":   {"未自评", "not started"},
		"assess.st.returned":  {"已退回", "returned"},
		"assess.st.submitted": {"已自评", "self-assessed"},
		"assess.st.reviewed":  {"已审核", "reviewed"},
		"assess.st.awarded":   {"已授星", "awarded"},
		"assess.phase.self":   {"自评", "Self-assessment"},
		"assess.phase.review": {"审核", "The review"},
		"v.assess.reason":     {"%s：请写明退回理由", "%s: give the reason"},
	})
}

// SaveSelf records the organization's own values (EditOrg on it; before self_to; pending or
// returned).
func (s *Store) SaveSelf(ctx context.Context, sc *auth.Scope, roundID, orgID int64, b Values) (*Sheet, error) {
	return s.act(ctx, sc, roundID, orgID, false, []string{Pending, Returned}, "assess_self", func(tx *db.Tx, r *Round, set *Set, e *enrolled, now time.Time) error {
		cur, err := current(ctx, tx, roundID, orgID)
		if err != nil {
			return err
		}
		if err := check(set, cur, StageSelf, b.Items); err != nil {
			return err
		}
		return s.write(ctx, tx, sc, set, roundID, orgID, StageSelf, b.Items, now)
	})
}

// Submit hands the self-assessment to the level above.
func (s *Store) Submit(ctx context.Context, sc *auth.Scope, roundID, orgID int64) (*Sheet, error) {
	return s.act(ctx, sc, roundID, orgID, false, []string{Pending, Returned}, "assess_submit", func(tx *db.Tx, r *Round, set *Set, e *enrolled, now time.Time) error {
		if _, err := tx.Exec(ctx, `UPDATE assess_orgs SET note = '' WHERE round_id = ? AND org_id = ?`, roundID, orgID); err != nil {
			return err
		}
		return moveState(ctx, tx, roundID, orgID, e.state, Submitted, now)
	})
}

// SaveReview records the reviewer's values beside the self-assessment (ManageOrgs on the
// round's organization; submitted or reviewed; before review_to). A change needs a comment; a
// veto needs its reason.
func (s *Store) SaveReview(ctx context.Context, sc *auth.Scope, roundID, orgID int64, b Values) (*Sheet, error) {
	return s.act(ctx, sc, roundID, orgID, true, []string{Submitted, Reviewed}, "assess_review", func(tx *db.Tx, r *Round, set *Set, e *enrolled, now time.Time) error {
		cur, err := current(ctx, tx, roundID, orgID)
		if err != nil {
			return err
		}
		if err := check(set, cur, StageReview, b.Items); err != nil {
			return err
		}
		return s.write(ctx, tx, sc, set, roundID, orgID, StageReview, b.Items, now)
	})
}

// Reason is the body of a return.
type Reason struct {
	Reason string `json:"reason"`
}

// Return sends the whole sheet back for correction with a reason.
func (s *Store) Return(ctx context.Context, sc *auth.Scope, roundID, orgID int64, b Reason) (*Sheet, error) {
	return s.act(ctx, sc, roundID, orgID, true, []string{Submitted, Reviewed}, "assess_return", func(tx *db.Tx, r *Round, set *Set, e *enrolled, now time.Time) error {
		reason := strings.TrimSpace(b.Reason)
		if reason == "" {
			return httpx.Invalid(httpx.FieldIssue("reason", "f.assess.reason", "v.assess.reason"))
		}
		if _, err := tx.Exec(ctx, `UPDATE assess_orgs SET note = ? WHERE round_id = ? AND org_id = ?`, reason, roundID, orgID); err != nil {
			return err
		}
		return moveState(ctx, tx, roundID, orgID, e.state, Returned, now)
	})
}

// Approve ends the review of an organization: its result is the reviewed one.
func (s *Store) Approve(ctx context.Context, sc *auth.Scope, roundID, orgID int64) (*Sheet, error) {
	return s.act(ctx, sc, roundID, orgID, true, []string{Submitted}, "assess_reviewed", func(tx *db.Tx, r *Round, set *Set, e *enrolled, now time.Time) error {
		// The reviewed total is the self-assessment's when the reviewer changed nothing.
		if _, err := tx.Exec(ctx, `UPDATE assess_orgs SET review_total = total WHERE round_id = ? AND org_id = ?`, roundID, orgID); err != nil {
			return err
		}
		return moveState(ctx, tx, roundID, orgID, e.state, Reviewed, now)
	})
}
