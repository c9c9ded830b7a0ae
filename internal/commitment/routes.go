package commitment

import (
	"net/http"
	"strconv"
	"strings"

	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/clock"
	"dangjian/internal/platform/httpx"
)

var yearParam = httpx.Param{Name: "year", Type: "integer", Doc: "calendar year (CST); default this year"}

func (s *Store) year(r *http.Request) (int, error) {
	y, _ := strconv.Atoi(clock.Today(s.Clock.Now())[:4])
	return httpx.QueryYear(r, "year", y)
}

// Routes are the commitment endpoints.
func (s *Store) Routes() []httpx.Route {
	act := func(path, summary string, fn func(r *http.Request, id int64) (*Commitment, error)) httpx.Route {
		return httpx.Route{Method: "POST", Path: "/api/v1/commitments/{id}/" + path, Tag: "commitments", Summary: summary,
			Perm: auth.NeedWriteMembers, Resp: Commitment{}, Handle: httpx.WithID("f.commitment", http.StatusOK, fn)}
	}
	withdraw := act("withdraw", "Withdraw a commitment before its outcome: the member their own draft, the branch a draft or a confirmed one",
		func(r *http.Request, id int64) (*Commitment, error) {
			return s.Withdraw(r.Context(), auth.From(r.Context()), id)
		})
	withdraw.Perm, withdraw.Access = httpx.AnyUser, "the member themselves (a draft); or a role that writes members on the member's branch"
	return []httpx.Route{
		{Method: "GET", Path: "/api/v1/commitments/catalogue", Tag: "commitments", Summary: "The commitment catalogue in force: categories, reminder days, the most a member makes a year (data, versioned)",
			Perm: httpx.AnyUser, Resp: CommitmentCatalogue{}, Handle: func(w http.ResponseWriter, r *http.Request) error { return httpx.JSON(w, 200, Current()) }},
		{Method: "POST", Path: "/api/v1/commitments", Tag: "commitments", Summary: "Draft a commitment (公开承诺): a member for themselves, or a secretary on behalf of a member of their subtree; it waits for the branch's confirmation",
			Perm: httpx.AnyUser, Access: "the member themselves; or a role that writes members on the member's branch", Body: NewCommitment{}, Resp: Commitment{}, Status: http.StatusCreated,
			Handle: httpx.Body(http.StatusCreated, func(r *http.Request, b NewCommitment) (*Commitment, error) {
				return s.Draft(r.Context(), auth.From(r.Context()), b)
			})},
		act("confirm", "The branch confirms a drafted commitment (it goes on the notice board)",
			func(r *http.Request, id int64) (*Commitment, error) {
				return s.Confirm(r.Context(), auth.From(r.Context()), id)
			}),
		withdraw,
		{Method: "POST", Path: "/api/v1/commitments/{id}/outcome", Tag: "commitments", Summary: "Record a confirmed commitment kept or not kept with evidence (a note, optionally a link); not kept only at or after the due date. Kept yields points under the scheme",
			Perm: auth.NeedWriteMembers, Body: CommitmentOutcome{}, Resp: Commitment{}, Handle: httpx.WithID("f.commitment", http.StatusOK, func(r *http.Request, id int64) (*Commitment, error) {
				b, err := httpx.DecodeInto[CommitmentOutcome](r)
				if err != nil {
					return nil, err
				}
				return s.Record(r.Context(), auth.From(r.Context()), id, b)
			})},
		{Method: "POST", Path: "/api/v1/commitments/{id}/reopen", Tag: "commitments", Summary: "Take a recorded outcome back with a reason (the commitment is confirmed again; its points are reversed)",
			Perm: auth.NeedWriteMembers, Body: ReopenReason{}, Resp: Commitment{}, Handle: httpx.WithID("f.commitment", http.StatusOK, func(r *http.Request, id int64) (*Commitment, error) {
				b, err := httpx.DecodeInto[ReopenReason](r)
				if err != nil {
					return nil, err
				}
				return s.Reopen(r.Context(), auth.From(r.Context()), id, b)
			})},
		{Method: "GET", Path: "/api/v1/members/{id}/commitments", Tag: "commitments", Summary: "A member's commitments of a year, with the catalogue to draft more",
			Perm: auth.NeedReadOrOwn, Query: []httpx.Param{yearParam}, Resp: MemberCommitments{},
			Handle: httpx.WithID("f.member", http.StatusOK, func(r *http.Request, id int64) (*MemberCommitments, error) {
				y, err := s.year(r)
				if err != nil {
					return nil, err
				}
				return s.OfMember(r.Context(), auth.From(r.Context()), id, y)
			})},
		{Method: "GET", Path: "/api/v1/orgs/{id}/commitments", Tag: "commitments", Summary: "The commitments of the organization's subtree for a year in the states asked for (comma-separated; all by default), with counts per state and those due within the catalogue's reminder days (the branch's work list and its printable 承诺公示栏)",
			Perm: auth.NeedRead, Query: []httpx.Param{yearParam, {Name: "state", Type: "string", Doc: "comma-separated: draft, confirmed, kept, not_kept, withdrawn"},
				{Name: "page", Type: "integer"}, {Name: "page_size", Type: "integer"}},
			Resp: CommitmentBoard{}, Handle: httpx.WithID("f.org", http.StatusOK, func(r *http.Request, id int64) (*CommitmentBoard, error) {
				y, err := s.year(r)
				if err != nil {
					return nil, err
				}
				var states []string
				if q := r.URL.Query().Get("state"); q != "" {
					for _, st := range strings.Split(q, ",") {
						if !oneOf(st, States) {
							return nil, httpx.Invalid(httpx.FieldIssue("state", "f.commitment", "v.choice", st))
						}
						states = append(states, st)
					}
				}
				p, err := httpx.PageOf(r)
				if err != nil {
					return nil, err
				}
				return s.OfOrg(r.Context(), auth.From(r.Context()), id, y, states, p)
			})},
		{Method: "GET", Path: "/api/v1/orgs/{id}/commitments/summary", Tag: "commitments", Summary: "The subtree's commitments of a year: drafts waiting, made, kept, not kept (maintained rollups)",
			Perm: auth.NeedRead, Query: []httpx.Param{yearParam}, Resp: CommitmentSummary{}, Handle: httpx.WithID("f.org", http.StatusOK, func(r *http.Request, id int64) (*CommitmentSummary, error) {
				y, err := s.year(r)
				if err != nil {
					return nil, err
				}
				return s.Summary(r.Context(), auth.From(r.Context()), id, y)
			})},
	}
}

func oneOf(v string, xs []string) bool {
	for _, x := range xs {
		if x == v {
			return true
		}
	}
	return false
}
