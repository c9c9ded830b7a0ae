// Package compliance judges the records against the rule pack in force: the findings per
// organization and period, the maintained rollup (org_stats life:<rule>, life_met, the
// attendance sums) and its recount, members' last participation and the 6-month rule,
// 谈心谈话/民主评议 coverage, notices, reminders and calendar feeds, and the secretary's 本月待办.
// It implements life.Hooks, so every record write keeps its figures in step.
package compliance

import (
	"dangjian/internal/life"
	"dangjian/internal/life/appraisal"
	"dangjian/internal/org"
	"dangjian/internal/platform/httpx"
)

// Store keeps the compliance figures over the activity records.
type Store struct {
	*life.Store
	// Appraisal gives the talks and the 限期改正 deadlines (to-dos and reminders).
	Appraisal *appraisal.Store
}

// The records call the compliance figures through life.Hooks.
var _ life.Hooks = (*Store)(nil)

// Routes are the compliance endpoints: findings and the summary, the 6-month rule, notices,
// calendar feeds and the 本月待办. orgs resolves the organizations reported on.
func (s *Store) Routes(orgs *org.Store) []httpx.Route {
	var out []httpx.Route
	for _, part := range [][]httpx.Route{
		s.todoRoutes(orgs), s.complianceRoutes(orgs), s.noticeRoutes(), s.calendarRoutes(), s.lapseRoutes(),
	} {
		out = append(out, part...)
	}
	return out
}
