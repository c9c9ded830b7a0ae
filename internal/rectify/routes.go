package rectify

import (
	"context"
	"net/http"

	"dangjian/internal/org"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/db"
	"dangjian/internal/platform/httpx"
)

// States lists the states in their order.
var States = []string{Open, Submitted, Returned, Closed}

// List pages the items of an organization's subtree (read scope), optionally in one state
// or overdue only; due soonest first.
func (s *Store) List(ctx context.Context, sc *auth.Scope, orgID int64, state string, overdue bool, p httpx.Page) (*httpx.List[Item], error) {
	o, err := org.Resolve(ctx, s.DB, sc, orgID, auth.Read)
	if err != nil {
		return nil, err
	}
	lo, hi := db.SubtreeRange(o.Path)
	where, args := `i.org_path >= ? AND i.org_path < ?`, []any{lo, hi}
	if state != "" {
		where += ` AND i.state = ?`
		args = append(args, state)
	}
	if overdue {
		where += ` AND i.overdue = 1`
	}
	var total int
	if err := s.DB.QueryRow(ctx, `SELECT COUNT(*) FROM rectify_items i WHERE `+where, args...).Scan(&total); err != nil {
		return nil, err
	}
	items, err := s.list(ctx, s.DB, where, args, "i.due_date, i.id", p.Size, p.Offset())
	if err != nil {
		return nil, err
	}
	for i := range items {
		items[i].mayDo(sc)
	}
	return &httpx.List[Item]{Items: items, Total: total}, nil
}

// Routes are the rectification endpoints.
func (s *Store) Routes() []httpx.Route {
	step := func(kind, summary string, perm httpx.Perm, access string) httpx.Route {
		return httpx.Route{Method: "POST", Path: "/api/v1/rectify/{id}/" + kind, Tag: "rectify", Summary: summary, Perm: perm, Access: access,
			Body: Step{}, Resp: Item{}, Handle: httpx.WithID("f.rectify", http.StatusOK, func(r *http.Request, id int64) (*Item, error) {
				b, err := httpx.DecodeInto[Step](r)
				if err != nil {
					return nil, err
				}
				return s.Act(r.Context(), auth.From(r.Context()), id, kind, b)
			})}
	}
	return []httpx.Route{
		{Method: "GET", Path: "/api/v1/orgs/{id}/rectify", Tag: "rectify", Summary: "The rectification items of the organization's subtree (整改事项), due soonest first", Perm: auth.NeedRead,
			Query: []httpx.Param{{Name: "state", Type: "string", Enum: States}, {Name: "overdue", Type: "boolean"},
				{Name: "page", Type: "integer"}, {Name: "page_size", Type: "integer"}},
			Resp: httpx.List[Item]{}, Handle: httpx.WithID("f.org", http.StatusOK, func(r *http.Request, id int64) (*httpx.List[Item], error) {
				state := r.URL.Query().Get("state")
				if state != "" && !has(States, state) {
					return nil, httpx.Invalid(httpx.FieldIssue("state", "f.rectify.state", "v.choice", state))
				}
				overdue, err := httpx.QueryBool(r, "overdue", false)
				if err != nil {
					return nil, err
				}
				p, err := httpx.PageOf(r)
				if err != nil {
					return nil, err
				}
				return s.List(r.Context(), auth.From(r.Context()), id, state, overdue, p)
			})},
		{Method: "GET", Path: "/api/v1/orgs/{id}/rectify/summary", Tag: "rectify", Summary: "The subtree's rectification figures: items not closed and overdue (maintained rollups)", Perm: auth.NeedRead,
			Resp: Summary{}, Handle: httpx.WithID("f.org", http.StatusOK, func(r *http.Request, id int64) (*Summary, error) {
				return s.SummaryOf(r.Context(), auth.From(r.Context()), id)
			})},
		{Method: "GET", Path: "/api/v1/rectify/{id}", Tag: "rectify", Summary: "A rectification item with its notes and what the caller may do", Perm: auth.NeedRead,
			Resp: Item{}, Handle: httpx.WithID("f.rectify", http.StatusOK, func(r *http.Request, id int64) (*Item, error) {
				return s.Get(r.Context(), auth.From(r.Context()), id)
			})},
		step("progress", "Add a progress note (the organization's secretary or the levels above)", auth.NeedWriteMembers, ""),
		step("submit", "Submit the item for closure with what was done", auth.NeedWriteMembers, ""),
		step("close", "Close the item (销号): the level above the organization verifies", auth.NeedWriteMembers, "write on the level above the item's organization"),
		step("return", "Return the item with the reason: the level above the organization", auth.NeedWriteMembers, "write on the level above the item's organization"),
	}
}
