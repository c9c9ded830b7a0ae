package rules

import (
	"time"

	"dangjian/internal/org"
	"dangjian/internal/platform/clock"
)

// Status of a rule for one organization and one period.
type Status string

const (
	Met      Status = "met"      // held as often as required
	Pending  Status = "pending"  // period running, not yet held enough
	DueSoon  Status = "due_soon" // period ends within the rule's reminder days
	Missing  Status = "missing"  // period over, not held enough
	Upcoming Status = "upcoming" // period not started
)

// Held is an activity as the evaluation sees it: when it took place and every kind it
// counts as (one meeting can be a 支部党员大会, a 主题党日 and a 党课 at once).
type Held struct {
	At    time.Time
	Kinds []string
	// For is the year a 组织生活会 or 民主评议 is held for (0: the year of At).
	For int
	// BySecretary: the speaker is the organization's secretary (rules with speaker: secretary).
	BySecretary bool
	// ID is the activity (0: a year's talks), for the checks that look at its grades.
	ID int64
}

// Finding is the verdict of one rule for one organization in one period, naming the rule
// and its source (DESIGN principle 4).
type Finding struct {
	RuleID   string    `json:"rule_id"`
	Rule     string    `json:"rule"`
	Source   string    `json:"source"`
	Activity string    `json:"activity"`
	Period   string    `json:"period"`
	Required int       `json:"required"`
	Held     int       `json:"held"`
	Status   Status    `json:"status"`
	DueAt    time.Time `json:"due_at"` // the end of the period: the last moment to comply
}

// Subject is what the rules look at in an organization.
type Subject struct {
	Kind        string
	FullMembers int
	// Since is the day the organization was set up (YYYY-MM-DD, "" when unknown): nothing is
	// required of it for a period that ended before.
	Since string
	// Until is the day the organization was dissolved (YYYY-MM-DD, "" while it lives): it owes
	// the periods that ended before that day; a period still running on it is owed only when it
	// was met (it shows as met), and later periods not at all.
	Until string
	// History is the count of full members in good standing over time (org_month_full); when
	// given, a rule with min_full_members binds in the periods that started with that many
	// (so past months do not change with today's roster), and FullMembers is not used.
	History []org.FullRow
}

// BoundIn tells whether rule r's member threshold held at the start of period per.
func (s Subject) BoundIn(r Rule, per Period) bool {
	return r.MinFullMembers == 0 || s.History == nil || org.FullAt(s.History, clock.Month(per.Start())) >= r.MinFullMembers
}

// ExistedIn tells whether an organization set up on since existed in a period.
func ExistedIn(since string, per Period) bool {
	return since == "" || since <= LastDay(per)
}

// OwedUntil tells whether an organization dissolved on until (YYYY-MM-DD, "" = live) owes
// period per whatever was held: the period ended before the day of dissolution.
func OwedUntil(until string, per Period) bool {
	return until == "" || LastDay(per) < until
}

// LastDay is the period's last day, YYYY-MM-DD in China Standard Time.
func LastDay(per Period) string { return clock.Today(per.End().Add(-time.Second)) }

// Effective tells whether a rule of pack p is in force on date d (YYYY-MM-DD).
func (p *Pack) Effective(r Rule, d string) bool {
	from, to := r.EffectiveFrom, r.EffectiveTo
	if from == "" {
		from = p.EffectiveFrom
	}
	if to == "" {
		to = p.EffectiveTo
	}
	return d >= from && (to == "" || d <= to)
}

// Applies tells whether rule r binds subject s.
func (r Rule) Applies(s Subject) bool {
	if s.History == nil && s.FullMembers < r.MinFullMembers {
		return false
	}
	for _, k := range r.AppliesTo {
		if k == s.Kind {
			return true
		}
	}
	return false
}

// Evaluate judges every rule of the pack binding s over the reporting period, one finding per
// rule and sub-period (a monthly rule over a quarter gives three), as of instant now. A rule
// counts as in force for a sub-period when it is effective on the sub-period's first day.
func (p *Pack) Evaluate(s Subject, reporting Period, held []Held, now time.Time) []Finding {
	var out []Finding
	for _, r := range p.Rules {
		if !r.Applies(s) {
			continue
		}
		for _, per := range r.PeriodsIn(reporting) {
			if !p.Effective(r, clock.Today(per.Start())) || !ExistedIn(s.Since, per) || !s.BoundIn(r, per) {
				continue
			}
			n := 0
			for _, h := range held {
				if p.counts(r, per, h) {
					n++
				}
			}
			if n < r.MinCount && !OwedUntil(s.Until, per) {
				continue // dissolved before the period ended, and not met
			}
			out = append(out, Finding{RuleID: r.ID, Rule: r.Name, Source: r.Source, Activity: r.Activity, Period: per.String(),
				Required: r.MinCount, Held: n, Status: status(r, per, n, now), DueAt: per.End().UTC()})
		}
	}
	return out
}

// counts tells whether activity h counts for rule r in period per: of the rule's kind, given
// by the secretary when the rule asks, and held in the period — or, for a yearly rule of a kind
// held for a year, held for that year (a January 组织生活会 for the year before).
func (p *Pack) counts(r Rule, per Period, h Held) bool {
	if !HasKind(h.Kinds, r.Activity) || (r.Speaker == "secretary" && !h.BySecretary) {
		return false
	}
	if r.Period == Year && h.For != 0 && p.HeldForYear(r.Activity) {
		return per.Year == h.For
	}
	return per.Contains(h.At)
}

// PeriodsIn are the rule's own periods that a report over reporting judges: a monthly rule
// over a quarter gives three; a rule whose period is longer than the report is judged over
// its own period (a yearly 党课 seen from a quarter is the year's count).
func (r Rule) PeriodsIn(reporting Period) []Period {
	periods := reporting.Within(r.Period)
	if len(periods) == 0 || longer(r.Period, reporting.Unit) {
		periods = []Period{PeriodOf(r.Period, reporting.Start())}
	}
	return periods
}

func status(r Rule, per Period, n int, now time.Time) Status {
	switch {
	case n >= r.MinCount:
		return Met
	case now.Before(per.Start()):
		return Upcoming
	case !now.Before(per.End()):
		return Missing
	case per.End().Sub(now) <= time.Duration(r.RemindDays)*24*time.Hour:
		return DueSoon
	default:
		return Pending
	}
}

// longer tells whether unit a is longer than unit b.
func longer(a, b Unit) bool {
	rank := map[Unit]int{Month: 1, Quarter: 2, Year: 3}
	return rank[a] > rank[b]
}

// HasKind tells whether kinds include k.
func HasKind(kinds []string, k string) bool {
	for _, x := range kinds {
		if x == k {
			return true
		}
	}
	return false
}

// MetSet is the set of (rule, period) that an organization met in the given years with the
// activities held; a rule with min_full_members counts only the periods it bound the
// organization in (by s.History), so the summary never credits a meeting the rule did not ask for.
func (p *Pack) MetSet(s Subject, held []Held, years []int) map[[2]string]bool {
	out := map[[2]string]bool{}
	for _, y := range uniqueInts(years) {
		year := Period{Year, y, 1}
		for _, f := range p.Evaluate(s, year, held, year.End()) {
			if f.Status == Met {
				out[[2]string{f.RuleID, f.Period}] = true
			}
		}
	}
	return out
}

func uniqueInts(xs []int) []int {
	seen := map[int]bool{}
	var out []int
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}
