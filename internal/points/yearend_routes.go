package points

import (
	"net/http"

	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/httpx"
)

// withTwo reads a path's {id} and {oid} (a year end and one of its objections).
func withTwo[R any](status int, fn func(r *http.Request, id, oid int64) (R, error)) httpx.HandlerFunc {
	return httpx.WithID("f.yearend", status, func(r *http.Request, id int64) (R, error) {
		oid, err := httpx.PathID(r, "oid", "f.objection")
		if err != nil {
			var zero R
			return zero, err
		}
		return fn(r, id, oid)
	})
}

// withBody is WithID with a decoded JSON body.
func withBody[B, R any](what string, status int, fn func(r *http.Request, id int64, b B) (R, error)) httpx.HandlerFunc {
	return httpx.WithID(what, status, func(r *http.Request, id int64) (R, error) {
		b, err := httpx.DecodeInto[B](r)
		if err != nil {
			var zero R
			return zero, err
		}
		return fn(r, id, b)
	})
}

func (s *Store) yearEndRoutes() []httpx.Route {
	sc := func(r *http.Request) *auth.Scope { return auth.From(r.Context()) }
	return []httpx.Route{
		{Method: "GET", Path: "/api/v1/orgs/{id}/points/yearend", Tag: "points", Summary: "The organization's year end: members' totals, proposed and given stars, who has not been reviewed, band share warnings, the 公示 and its objections",
			Perm: auth.NeedReadOrOwn, Access: "read on the organization; a member of it once the 公示 has started (their own objections only)",
			Query: []httpx.Param{yearParam}, Resp: BranchYear{}, Handle: httpx.WithID("f.org", http.StatusOK, func(r *http.Request, id int64) (*BranchYear, error) {
				y, err := s.year(r)
				if err != nil {
					return nil, err
				}
				return s.YearOf(r.Context(), sc(r), id, y)
			})},
		{Method: "POST", Path: "/api/v1/orgs/{id}/points/yearend", Tag: "points", Summary: "Compute (or, while in review, recompute) the year end: each member's maintained total and the stars its band proposes under the scheme in force at the year's end",
			Perm: auth.NeedWriteMembers, Body: NewYearEnd{}, Resp: BranchYear{},
			Handle: withBody("f.org", http.StatusOK, func(r *http.Request, id int64, b NewYearEnd) (*BranchYear, error) {
				return s.Compute(r.Context(), sc(r), id, b)
			})},
		{Method: "POST", Path: "/api/v1/points/yearend/{id}/reviews", Tag: "points", Summary: "The branch gives members' ratings (a change from the proposal needs a reason, kept in the history), or accepts every proposed rating; all or none",
			Perm: auth.NeedWriteMembers, Body: RatingReview{}, Resp: BranchYear{},
			Handle: withBody("f.yearend", http.StatusOK, func(r *http.Request, id int64, b RatingReview) (*BranchYear, error) {
				return s.Review(r.Context(), sc(r), id, b)
			})},
		{Method: "POST", Path: "/api/v1/points/yearend/{id}/publicity", Tag: "points", Summary: "Start the 公示 of the reviewed ratings for the scheme's working days (public holidays skipped)",
			Perm: auth.NeedWriteMembers, Body: PublicityStart{}, Resp: BranchYear{},
			Handle: withBody("f.yearend", http.StatusOK, func(r *http.Request, id int64, b PublicityStart) (*BranchYear, error) {
				return s.StartPublicity(r.Context(), sc(r), id, b)
			})},
		{Method: "POST", Path: "/api/v1/points/yearend/{id}/objections", Tag: "points", Summary: "A member of the branch objects to a rating (their own or another member's) during the 公示 window",
			Perm: httpx.AnyUser, Access: "a member of the organization, with their own account", Body: NewObjection{}, Resp: ObjectionAt{}, Status: http.StatusCreated,
			Handle: withBody("f.yearend", http.StatusCreated, func(r *http.Request, id int64, b NewObjection) (*ObjectionAt, error) {
				return s.Object(r.Context(), sc(r), id, b)
			})},
		{Method: "POST", Path: "/api/v1/points/yearend/{id}/objections/{oid}/answer", Tag: "points", Summary: "The branch answers an objection: dismissed with an answer, or upheld with the changed rating (the answer is its reason)",
			Perm: auth.NeedWriteMembers, Body: ObjectionAnswer{}, Resp: ObjectionAt{},
			Handle: withTwo(http.StatusOK, func(r *http.Request, id, oid int64) (*ObjectionAt, error) {
				b, err := httpx.DecodeInto[ObjectionAnswer](r)
				if err != nil {
					return nil, err
				}
				return s.AnswerObjection(r.Context(), sc(r), id, oid, b)
			})},
		{Method: "POST", Path: "/api/v1/points/yearend/{id}/confirm", Tag: "points", Summary: "Confirm the year's ratings after the 公示 window, with no objection open: the stars are final",
			Perm: auth.NeedWriteMembers, Resp: BranchYear{},
			Handle: httpx.WithID("f.yearend", http.StatusOK, func(r *http.Request, id int64) (*BranchYear, error) {
				return s.Confirm(r.Context(), sc(r), id)
			})},
		{Method: "POST", Path: "/api/v1/points/ratings/{id}/withdraw", Tag: "points", Summary: "摘星: withdraw a confirmed rating's stars with a reason (the branch or a level above); the history keeps every event",
			Perm: auth.NeedWriteMembers, Body: StarChange{}, Resp: []StarEvent{},
			Handle: withBody("f.rating", http.StatusOK, func(r *http.Request, id int64, b StarChange) ([]StarEvent, error) {
				return s.Withdraw(r.Context(), sc(r), id, b)
			})},
		{Method: "POST", Path: "/api/v1/points/ratings/{id}/restore", Tag: "points", Summary: "Restore withdrawn stars with a reason",
			Perm: auth.NeedWriteMembers, Body: StarChange{}, Resp: []StarEvent{},
			Handle: withBody("f.rating", http.StatusOK, func(r *http.Request, id int64, b StarChange) ([]StarEvent, error) {
				return s.Restore(r.Context(), sc(r), id, b)
			})},
		{Method: "GET", Path: "/api/v1/orgs/{id}/points/yearend/summary", Tag: "points", Summary: "The subtree's year-end figures: confirmed stars of the year by level and appeals waiting for a decision (maintained rollups)",
			Perm: auth.NeedRead, Query: []httpx.Param{yearParam}, Resp: YearEndSummary{},
			Handle: httpx.WithID("f.org", http.StatusOK, func(r *http.Request, id int64) (*YearEndSummary, error) {
				y, err := s.year(r)
				if err != nil {
					return nil, err
				}
				return s.YearEndSummaryOf(r.Context(), sc(r), id, y)
			})},
		{Method: "GET", Path: "/api/v1/members/{id}/points/rating", Tag: "points", Summary: "A member's year rating: stars with their history, the 公示, their objections and appeals",
			Perm: auth.NeedReadOrOwn, Query: []httpx.Param{yearParam}, Resp: MemberRating{},
			Handle: httpx.WithID("f.member", http.StatusOK, func(r *http.Request, id int64) (*MemberRating, error) {
				y, err := s.year(r)
				if err != nil {
					return nil, err
				}
				return s.RatingOf(r.Context(), sc(r), id, y)
			})},
	}
}

func (s *Store) appealRoutes() []httpx.Route {
	sc := func(r *http.Request) *auth.Scope { return auth.From(r.Context()) }
	states := []string{AppealOpen, AppealUpheld, AppealChanged}
	return []httpx.Route{
		{Method: "POST", Path: "/api/v1/points/appeals", Tag: "points", Summary: "A member appeals one of their ledger entries or their confirmed year rating to the level above",
			Perm: httpx.AnyUser, Access: "a member, for their own entries and rating", Body: NewAppeal{}, Resp: Appeal{}, Status: http.StatusCreated,
			Handle: httpx.Body(http.StatusCreated, func(r *http.Request, b NewAppeal) (*Appeal, error) {
				return s.FileAppeal(r.Context(), sc(r), b)
			})},
		{Method: "GET", Path: "/api/v1/orgs/{id}/points/appeals", Tag: "points", Summary: "The appeals the organization handles as the level above: of the organizations below it, in a state (default open), newest first",
			Perm: auth.NeedRead, Query: []httpx.Param{{Name: "state", Type: "string", Enum: states, Doc: "default open"}, {Name: "page", Type: "integer"}, {Name: "page_size", Type: "integer"}},
			Resp: httpx.List[Appeal]{}, Handle: httpx.WithID("f.org", http.StatusOK, func(r *http.Request, id int64) (*httpx.List[Appeal], error) {
				state := r.URL.Query().Get("state")
				if state == "" {
					state = AppealOpen
				}
				if !has(states, state) {
					return nil, httpx.Invalid(httpx.FieldIssue("state", "f.appeal", "v.choice", state))
				}
				p, err := httpx.PageOf(r)
				if err != nil {
					return nil, err
				}
				return s.Appeals(r.Context(), sc(r), id, state, p)
			})},
		{Method: "POST", Path: "/api/v1/points/appeals/{id}/decide", Tag: "points", Summary: "The level above upholds an appeal or changes the entry (a reversal and a new entry, source appeal) or the rating (a new event); never an edit",
			Perm: auth.NeedWriteMembers, Access: "write on the parent of the member's branch", Body: AppealDecision{}, Resp: Appeal{},
			Handle: withBody("f.appeal", http.StatusOK, func(r *http.Request, id int64, b AppealDecision) (*Appeal, error) {
				return s.DecideAppeal(r.Context(), sc(r), id, b)
			})},
	}
}
