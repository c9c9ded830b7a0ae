package compliance

import (
	"context"
	"dangjian/internal/life"
	"dangjian/internal/life/rules"
	"net/http"
	"strings"
	"time"

	"dangjian/internal/org"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/clock"
	"dangjian/internal/platform/db"
	"dangjian/internal/platform/httpx"
	"dangjian/internal/platform/i18n"
)

// heldBetween lists the counting activities of an organization in [from, to).
func heldBetween(ctx context.Context, q db.Querier, orgID int64, from, to time.Time) ([]rules.Held, error) {
	m, err := heldByOrg(ctx, q, []int64{orgID}, from, to)
	return m[orgID], err
}

// heldByOrg lists the counting activities in [from, to) of several organizations in one query,
// with those held in other years for a year of the span (a January 组织生活会 for the year
// before); then the appraisals not finished and the year's talks are applied (coverage).
func heldByOrg(ctx context.Context, q db.Querier, orgIDs []int64, from, to time.Time) (map[int64][]rules.Held, error) {
	out := map[int64][]rules.Held{}
	if len(orgIDs) == 0 {
		return out, nil
	}
	y0, y1 := rules.YearOf(from), rules.YearOf(to.Add(-time.Second))
	args := []any{from.UTC(), to.UTC(), y0, y1}
	for _, id := range orgIDs {
		args = append(args, id)
	}
	var last int64
	if err := db.Each(ctx, q, `SELECT a.org_id, a.id, a.starts_at, COALESCE(a.for_year, 0), a.speaker, o.secretary, k.kind
		FROM activities a JOIN activity_kinds k ON k.activity_id = a.id JOIN orgs o ON o.id = a.org_id
		WHERE ((a.starts_at >= ? AND a.starts_at < ?) OR a.for_year BETWEEN ? AND ?) AND a.org_id IN (`+db.Placeholders(len(orgIDs))+`) AND `+life.CountingWhere+`
		ORDER BY a.org_id, a.id`, args, func(rs db.Scanner) error {
		var orgID, id int64
		var at time.Time
		var forYear int
		var speaker, secretary, kind string
		if err := rs.Scan(&orgID, &id, &at, &forYear, &speaker, &secretary, &kind); err != nil {
			return err
		}
		if id != last {
			speaker = strings.TrimSpace(speaker)
			out[orgID] = append(out[orgID], rules.Held{ID: id, At: at.UTC(), For: forYear, BySecretary: speaker != "" && speaker == strings.TrimSpace(secretary)})
			last = id
		}
		h := out[orgID]
		h[len(h)-1].Kinds = append(h[len(h)-1].Kinds, kind)
		return nil
	}); err != nil {
		return nil, err
	}
	return out, applyCoverage(ctx, q, orgIDs, out, y0, y1)
}

// OrgCompliance is the findings for one organization.
type OrgCompliance struct {
	OrgID   int64  `json:"org_id"`
	OrgName string `json:"org_name"`
	// ParentName tells apart organizations of the same name in a subtree list (every branch
	// has its 第一党小组).
	ParentName string          `json:"parent_name"`
	OrgLabel   string          `json:"org_label"` // parent › name
	Kind       string          `json:"kind"`
	Findings   []rules.Finding `json:"findings"`
}

// window is the span of records a report over period needs: rules with longer periods
// than the report (a yearly 党课) need their whole period.
func window(period rules.Period) (from, to time.Time) {
	from, to = rules.PeriodOf(rules.Year, period.Start()).Start(), period.End()
	if ye := rules.PeriodOf(rules.Year, period.Start()).End(); ye.After(to) {
		to = ye
	}
	return from, to
}

// judge evaluates one organization with its held activities and its full-members history.
func (s *Store) judge(o *org.Org, period rules.Period, held []rules.Held, hist []org.FullRow) *OrgCompliance {
	fs := s.Pack().Evaluate(rules.Subject{Kind: string(o.Kind), FullMembers: o.DirectFull, Since: o.SetupDate, Until: dissolvedDay(o.DissolvedAt),
		History: nonNilRows(hist)}, period, held, s.Clock.Now())
	if fs == nil {
		fs = []rules.Finding{}
	}
	return &OrgCompliance{OrgID: o.ID, OrgName: o.Name, Kind: string(o.Kind), Findings: fs}
}

// Evaluate judges one organization over the reporting period from its raw records.
func (s *Store) Evaluate(ctx context.Context, q db.Querier, o *org.Org, period rules.Period) (*OrgCompliance, error) {
	from, to := window(period)
	held, err := heldBetween(ctx, q, o.ID, from, to)
	if err != nil {
		return nil, err
	}
	hist, err := org.FullHistory(ctx, q, []int64{o.ID})
	if err != nil {
		return nil, err
	}
	return s.judge(o, period, held, hist[o.ID]), nil
}

// ComplianceFilter narrows the subtree list of Compliance.
type ComplianceFilter struct {
	Subtree bool
	Rule    string // only the organizations this rule binds, and only its findings
	Unmet   bool   // only organizations with an ended period of a rule not met
}

// Compliance gives the findings of an organization, or of every organization of its subtree
// that a rule binds, for a period. The subtree's filter is applied in SQL over life_met, so a
// page of the organizations that missed a rule costs the same in a street as in a province.
//
// With a filter the total is counted up to countLimit past the page (capped then says so):
// counting every match checks every rule period of every organization of the subtree.
func (s *Store) Compliance(ctx context.Context, sc *auth.Scope, orgs *org.Store, orgID int64, period rules.Period, f ComplianceFilter, p httpx.Page) (list []OrgCompliance, total int, capped bool, err error) {
	root, err := orgs.Get(ctx, sc, orgID)
	if err != nil {
		return nil, 0, false, err
	}
	pack := s.Pack()
	picked := pack.Rules
	if f.Rule != "" {
		picked = nil
		for _, r := range pack.Rules {
			if r.ID == f.Rule {
				picked = append(picked, r)
			}
		}
		if picked == nil {
			return nil, 0, false, httpx.Invalid(httpx.Issue{Field: "rule", Msg: i18n.M("v.choice", "rule", f.Rule)})
		}
	}
	if !f.Subtree {
		oc, err := s.Evaluate(ctx, s.DB, root, period)
		if err != nil {
			return nil, 0, false, err
		}
		oc.Findings = onlyRule(oc.Findings, f.Rule)
		list := []OrgCompliance{*oc}
		return list, 1, false, life.LabelRows(ctx, s.DB, list, func(c *OrgCompliance) (int64, *string) { return c.OrgID, &c.OrgLabel })
	}
	kinds := map[string]bool{}
	for _, r := range picked {
		for _, k := range r.AppliesTo {
			kinds[k] = true
		}
	}
	var cond string
	var args []any
	switch {
	case f.Unmet:
		cond, args = unmetCond(pack, picked, period, s.Clock.Now())
	case f.Rule != "":
		var parts []string
		for _, per := range picked[0].PeriodsIn(period) {
			c, a := bindsCond(picked[0], per)
			parts, args = append(parts, "("+c+")"), append(args, a...)
		}
		cond = "(" + strings.Join(parts, " OR ") + ")"
	}
	limit := 0
	if cond != "" {
		limit = max(countLimit, p.Offset()+5*p.Size)
	}
	// Organizations dissolved since the report began keep the periods they owed (bindsCond).
	page, total, capped, err := orgs.ListSubtreeSince(ctx, sc, root, keys(kinds), period.Start(), cond, args, p, limit)
	if err != nil {
		return nil, 0, false, err
	}
	ids := make([]int64, len(page))
	for i, o := range page {
		ids[i] = o.ID
	}
	from, to := window(period)
	held, err := heldByOrg(ctx, s.DB, ids, from, to)
	if err != nil {
		return nil, 0, false, err
	}
	parents, err := namesOf(ctx, s.DB, page)
	if err != nil {
		return nil, 0, false, err
	}
	hist, err := org.FullHistory(ctx, s.DB, ids)
	if err != nil {
		return nil, 0, false, err
	}
	out := []OrgCompliance{}
	for _, o := range page {
		oc := s.judge(o, period, held[o.ID], hist[o.ID])
		oc.Findings = onlyRule(oc.Findings, f.Rule)
		oc.ParentName = parents[o.ParentID]
		oc.OrgLabel = o.Name
		if oc.ParentName != "" {
			oc.OrgLabel = oc.ParentName + org.LabelSep + o.Name
		}
		out = append(out, *oc)
	}
	return out, total, capped, nil
}

// countLimit is how many matching organizations a filtered drill-down counts at least ("200
// 个以上" tells a province what to narrow; the next pages count further).
const countLimit = 200

// namesOf reads the names of the parents of a page of organizations in one query.
func namesOf(ctx context.Context, q db.Querier, list []*org.Org) (map[int64]string, error) {
	var ids []any
	for _, o := range list {
		if o.ParentID != 0 {
			ids = append(ids, o.ParentID)
		}
	}
	out := map[int64]string{}
	if len(ids) == 0 {
		return out, nil
	}
	if err := db.Each(ctx, q, `SELECT id, name FROM orgs WHERE id IN (`+db.Placeholders(len(ids))+`)`, ids, func(rs db.Scanner) error {
		var id int64
		var name string
		if err := rs.Scan(&id, &name); err != nil {
			return err
		}
		out[id] = name
		return nil
	}); err != nil {
		return nil, err
	}
	return out, nil
}

// dissolvedDay is the day (YYYY-MM-DD, China Standard Time) of a dissolution, "" for none.
func dissolvedDay(at *time.Time) string {
	if at == nil {
		return ""
	}
	return clock.Today(*at)
}

// bindsCond is the SQL condition on orgs o for "rule r binds this organization in period
// per": its kind, the full members it had at the period's start (org_month_full), and, for a
// dissolved one, a period that ended before the day of dissolution or that it met (owedUntil).
func bindsCond(r rules.Rule, per rules.Period) (string, []any) {
	cond := "o.kind IN (" + db.Placeholders(len(r.AppliesTo)) + ")" +
		" AND (o.dissolved_at IS NULL OR o.dissolved_at >= ? OR EXISTS (SELECT 1 FROM life_met m WHERE m.org_id = o.id AND m.rule_id = ? AND m.period = ?))"
	args := append(life.AnySlice(r.AppliesTo), per.End().UTC(), r.ID, per.String())
	if r.MinFullMembers > 0 {
		cond += " AND COALESCE((SELECT f.n FROM org_month_full f WHERE f.org_id = o.id AND f.month < ? ORDER BY f.month DESC LIMIT 1), 0) >= ?"
		args = append(args, clock.Month(per.Start()), r.MinFullMembers)
	}
	return cond, args
}

// unmetCond is the SQL condition on orgs o for "some rule binding it was not met in a period
// of the report that has ended" (findings missing; a running period is in progress, not
// unmet), read from life_met instead of evaluating every organization.
func unmetCond(pack *rules.Pack, picked []rules.Rule, reporting rules.Period, now time.Time) (string, []any) {
	var parts []string
	var args []any
	for _, r := range picked {
		for _, per := range r.PeriodsIn(reporting) {
			binds, bargs := bindsCond(r, per)
			if now.Before(per.End()) || !pack.Effective(r, clock.Today(per.Start())) {
				continue
			}
			parts = append(parts, "("+binds+" AND o.setup_date <= ? AND NOT EXISTS (SELECT 1 FROM life_met m WHERE m.org_id = o.id AND m.rule_id = ? AND m.period = ?))")
			args = append(append(args, bargs...), rules.LastDay(per), r.ID, per.String())
		}
	}
	if parts == nil {
		return "1 = 0", nil
	}
	return "(" + strings.Join(parts, " OR ") + ")", args
}

func onlyRule(fs []rules.Finding, rule string) []rules.Finding {
	if rule == "" {
		return fs
	}
	out := []rules.Finding{}
	for _, f := range fs {
		if f.RuleID == rule {
			out = append(out, f)
		}
	}
	return out
}

func keys(m map[string]bool) []string {
	var out []string
	for _, k := range org.Kinds {
		if m[k] {
			out = append(out, k)
		}
	}
	return out
}

// OrgRow reads what the evaluation needs of an organization.
func (s *Store) OrgRow(ctx context.Context, id int64) (*org.Org, error) {
	var o org.Org
	err := s.DB.QueryRow(ctx, `SELECT id, name, kind, direct_full, setup_date FROM orgs WHERE id = ?`, id).Scan(&o.ID, &o.Name, &o.Kind, &o.DirectFull, &o.SetupDate)
	return &o, err
}

// OrgComplianceList is a page of the drill-down. With a filter (unmet, rule) the total is
// counted up to a limit: TotalCapped says there are more than Total.
type OrgComplianceList struct {
	Items       []OrgCompliance `json:"items"`
	Total       int             `json:"total"`
	TotalCapped bool            `json:"total_capped"`
}

// complianceRoutes are the routes of the findings and their summary.
func (s *Store) complianceRoutes(orgs *org.Store) []httpx.Route {
	return []httpx.Route{
		{Method: "GET", Path: "/api/v1/compliance", Tag: "life", Summary: "Findings against the rule pack for an organization or its subtree, per rule and period, each naming its rule and source", Perm: auth.NeedRead,
			Query: append([]httpx.Param{{Name: "org", Type: "integer"}, {Name: "period", Type: "string", Doc: "2026, 2026-Q3 or 2026-07"},
				{Name: "subtree", Type: "boolean"}, {Name: "rule", Type: "string", Doc: "only this rule (its id): the organizations it binds and its findings"},
				{Name: "unmet", Type: "boolean", Doc: "with subtree: only organizations with an ended period of a rule not met (missing); a running period is in progress, not unmet"}}, life.PageParams...),
			Resp: OrgComplianceList{}, Handle: func(w http.ResponseWriter, r *http.Request) error {
				orgID, err := httpx.QueryID(r, "org")
				if err != nil {
					return err
				}
				per, err := life.QueryPeriod(r)
				if err != nil {
					return err
				}
				if orgID == 0 {
					return httpx.Required("org")
				}
				p, err := httpx.PageOf(r)
				if err != nil {
					return err
				}
				f := ComplianceFilter{Subtree: httpx.QueryFlag(r, "subtree", false), Rule: r.URL.Query().Get("rule"), Unmet: httpx.QueryFlag(r, "unmet", false)}
				items, total, capped, err := s.Compliance(r.Context(), auth.From(r.Context()), orgs, orgID, per, f, p)
				if err != nil {
					return err
				}
				return httpx.JSON(w, 200, OrgComplianceList{Items: items, Total: total, TotalCapped: capped})
			}},
		{Method: "GET", Path: "/api/v1/compliance/summary", Tag: "life", Summary: "Share of the subtree's organizations that met each rule in each period (maintained rollup)", Perm: auth.NeedRead,
			Query: []httpx.Param{{Name: "org", Type: "integer"}, {Name: "period", Type: "string", Doc: "2026, 2026-Q3 or 2026-07"}},
			Resp:  Summary{}, Handle: func(w http.ResponseWriter, r *http.Request) error {
				orgID, err := httpx.QueryID(r, "org")
				if err != nil {
					return err
				}
				per, err := life.QueryPeriod(r)
				if err != nil {
					return err
				}
				if orgID == 0 {
					return httpx.Required("org")
				}
				sum, err := s.Summary(r.Context(), auth.From(r.Context()), orgs, orgID, per)
				if err != nil {
					return err
				}
				return httpx.JSON(w, 200, sum)
			}},
	}
}
