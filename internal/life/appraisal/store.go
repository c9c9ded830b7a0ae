// Package appraisal is 民主评议党员 and what follows it: the grades of an appraisal (with the
// pack's ⅓ cap of 优秀), the decisions after a 不合格 grade, the problems a 组织生活会 finds
// (rectifications) and the 谈心谈话 talks. It works on the records of package life; a grade
// or talk written goes through the records' hooks, so the compliance figures follow it.
package appraisal

import (
	"context"

	"dangjian/internal/life"
	"dangjian/internal/platform/db"
	"dangjian/internal/platform/httpx"
)

// Store keeps the appraisals over the activity records (the same database, clock and pack).
type Store struct {
	*life.Store
	// Ratings reads members' points ratings of a year (points.StarsOf, wired by the server:
	// points' tests import this package, so it cannot import points); nil: none shown.
	Ratings func(ctx context.Context, q db.Querier, memberIDs []int64, year int) (map[int64]AppraisalPointsRef, error)
}

// GoodStanding are the statuses of members who are graded and talked with: not lost, not
// suspended (REGULATIONS §4: those are in their own process).
var GoodStanding = []string{"active", "mobile"}

// Gradable tells whether a member is graded at an appraisal held on day: a full member in
// good standing who was full by then (预备党员 take part but get no grade).
func Gradable(category, status, fullDate, day string) bool {
	return category == "full" && life.OneOf(status, GoodStanding) && (fullDate == "" || fullDate <= day)
}

// Routes are the appraisal endpoints: grades and rectifications, the decisions after a
// 不合格 grade, and talks.
func (s *Store) Routes() []httpx.Route {
	var out []httpx.Route
	for _, part := range [][]httpx.Route{s.reviewRoutes(), s.outcomeRoutes(), s.talkRoutes()} {
		out = append(out, part...)
	}
	return out
}
