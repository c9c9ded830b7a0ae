package compliance

import (
	"context"
	"dangjian/internal/life"
	"dangjian/internal/life/appraisal"
	"dangjian/internal/life/rules"
	"net/http"
	"time"

	"dangjian/internal/org"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/clock"
	"dangjian/internal/platform/httpx"
	"dangjian/internal/platform/i18n"
)

// todoFirst is how many of each list the to-do answer shows (the counts are whole).
const todoFirst = 5

// TodoRule is a rule still due for the organization: what to record, by when, and the date to
// prefill the record form with.
type TodoRule struct {
	RuleID   string    `json:"rule_id"`
	Rule     string    `json:"rule"`
	Source   string    `json:"source"`
	Kinds    []string  `json:"kinds"` // the kind(s) to record
	Period   string    `json:"period"`
	Required int       `json:"required"`
	Held     int       `json:"held"`
	DueAt    time.Time `json:"due_at"`
	// State: due (nothing yet, or the period ends within the rule's reminder days), in_progress
	// (some held, not enough), overdue (the period before the current one ended unmet).
	State string `json:"state" jsonschema:"enum=due,enum=in_progress,enum=overdue"`
	// SuggestedDate prefills the record form: today when the period is running, else "".
	SuggestedDate string `json:"suggested_date"`
}

// Todo is what an organization's secretary still has to do: the compliance findings, records
// returned for correction, members at risk of the 6-month rule, talks owed and 不合格 deadlines.
type Todo struct {
	OrgID          int64                     `json:"org_id"`
	OrgName        string                    `json:"org_name"`
	OrgLabel       string                    `json:"org_label"`
	Today          string                    `json:"today"`
	Rules          []TodoRule                `json:"rules"`
	Returned       []life.Activity           `json:"returned"`
	ReturnedTotal  int                       `json:"returned_total"`
	AtRisk         []AtRisk                  `json:"at_risk"`
	AtRiskTotal    int                       `json:"at_risk_total"`
	TalksOwed      int                       `json:"talks_owed"` // members not yet talked with this year
	TalksTotal     int                       `json:"talks_total"`
	Corrections    []appraisal.CorrectionDue `json:"corrections"` // 限期改正 due within the pack's reminder days or past, no decision
	CorrectionsDue int                       `json:"corrections_total"`
}

// Todo gathers an organization's to-dos from the functions that judge each rule.
func (s *Store) Todo(ctx context.Context, sc *auth.Scope, orgs *org.Store, orgID int64, lang i18n.Lang) (*Todo, error) {
	o, err := orgs.Get(ctx, sc, orgID)
	if err != nil {
		return nil, err
	}
	now := s.Clock.Now()
	today := clock.Today(now)
	t := &Todo{OrgID: o.ID, OrgName: o.Name, Today: today, Rules: []TodoRule{}}
	labels, err := org.Labels(ctx, s.DB, []int64{o.ID})
	if err != nil {
		return nil, err
	}
	t.OrgLabel = labels[o.ID]
	oc, err := s.Evaluate(ctx, s.DB, o, rules.PeriodOf(rules.Year, now))
	if err != nil {
		return nil, err
	}
	t.Rules = todoRules(oc.Findings, now)
	first := httpx.Page{Page: 1, Size: todoFirst}
	if t.Returned, t.ReturnedTotal, err = s.List(ctx, sc, life.ActivityFilter{OrgID: o.ID, Subtree: true, State: life.Returned}, first); err != nil {
		return nil, err
	}
	if t.AtRisk, t.AtRiskTotal, err = s.AtRiskMembers(ctx, sc, o.ID, s.Pack().LapseRule().WarnMonths, lang, first); err != nil {
		return nil, err
	}
	if t.AtRisk == nil {
		t.AtRisk = []AtRisk{}
	}
	if o.Kind == org.Branch || o.Kind == org.JointBranch || o.Kind == org.TempBranch || o.Kind == org.Group {
		tl, err := s.Appraisal.Talks(ctx, sc, o.ID, rules.PeriodOf(rules.Year, now).Year)
		if err != nil {
			return nil, err
		}
		t.TalksOwed, t.TalksTotal = len(tl.NotTalked), tl.MembersTotal
	}
	until := clock.Today(now.AddDate(0, 0, s.Pack().Appraising().CorrectionRemind))
	cs, err := appraisal.PendingCorrections(ctx, s.DB, "", until, o.Path)
	if err != nil {
		return nil, err
	}
	t.CorrectionsDue, t.Corrections = len(cs), cs[:min(len(cs), todoFirst)]
	return t, nil
}

// todoRules keeps the findings still to act on: the current periods not met, and the period
// just ended when it was missed.
func todoRules(fs []rules.Finding, now time.Time) []TodoRule {
	out := []TodoRule{}
	today := clock.Today(now)
	for _, f := range fs {
		per, err := rules.ParsePeriod(f.Period)
		if err != nil || f.Status == rules.Met || f.Status == rules.Upcoming {
			continue
		}
		tr := TodoRule{RuleID: f.RuleID, Rule: f.Rule, Source: f.Source, Kinds: []string{f.Activity}, Period: f.Period,
			Required: f.Required, Held: f.Held, DueAt: f.DueAt}
		switch {
		case f.Status == rules.Missing:
			if !per.Next().Contains(now) {
				continue // an older miss: the compliance report keeps it
			}
			tr.State = "overdue"
		case f.Held > 0 && f.Status == rules.Pending:
			tr.State, tr.SuggestedDate = "in_progress", today
		default:
			tr.State, tr.SuggestedDate = "due", today
		}
		out = append(out, tr)
	}
	return out
}

// todoRoutes are the secretary's 本月待办.
func (s *Store) todoRoutes(orgs *org.Store) []httpx.Route {
	return []httpx.Route{
		{Method: "GET", Path: "/api/v1/orgs/{id}/todo", Tag: "life", Summary: "本月待办 of an organization: the rules still due this month, quarter and year (due, in_progress, or overdue for the period just ended) with the kind to record and a date to prefill; records returned for correction; members at risk of the 6-month rule; 谈心谈话 still owed this year; 不合格 限期改正 deadlines within the pack's reminder days (counts, and the first few of each)", Perm: auth.NeedRead,
			Resp: Todo{}, Handle: httpx.WithID("f.org", http.StatusOK, func(r *http.Request, n int64) (any, error) {
				return s.Todo(r.Context(), auth.From(r.Context()), orgs, n, httpx.Lang(r.Context()))
			})},
	}
}
