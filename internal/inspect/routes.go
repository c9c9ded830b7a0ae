package inspect

import (
	"net/http"

	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/httpx"
)

// Routes are the inspection endpoints.
func (s *Store) Routes() []httpx.Route {
	move := func(action, summary string) httpx.Route {
		return httpx.Route{Method: "POST", Path: "/api/v1/inspections/{id}/" + action, Tag: "inspect", Summary: summary, Perm: auth.NeedManageOrgs,
			Resp: Inspection{}, Handle: httpx.WithID("f.inspect", http.StatusOK, func(r *http.Request, id int64) (*Inspection, error) {
				return s.Move(r.Context(), auth.From(r.Context()), id, action)
			})}
	}
	return []httpx.Route{
		{Method: "POST", Path: "/api/v1/orgs/{id}/inspections", Tag: "inspect", Summary: "Plan a special inspection (专项督查) of the level: topic, checklist, organizations of its subtree visited, inspectors, dates",
			Perm: auth.NeedManageOrgs, Body: InspectNew{}, Resp: Inspection{}, Status: http.StatusCreated,
			Handle: httpx.WithID("f.org", http.StatusCreated, func(r *http.Request, id int64) (*Inspection, error) {
				b, err := httpx.DecodeInto[InspectNew](r)
				if err != nil {
					return nil, err
				}
				return s.Create(r.Context(), auth.From(r.Context()), id, b)
			})},
		{Method: "GET", Path: "/api/v1/orgs/{id}/inspections", Tag: "inspect", Summary: "The level's inspections, newest first, each with its findings and their items open / overdue / closed",
			Perm: auth.NeedRead, Query: []httpx.Param{{Name: "page", Type: "integer"}, {Name: "page_size", Type: "integer"}}, Resp: httpx.List[Inspection]{},
			Handle: httpx.WithID("f.org", http.StatusOK, func(r *http.Request, id int64) (*httpx.List[Inspection], error) {
				p, err := httpx.PageOf(r)
				if err != nil {
					return nil, err
				}
				return s.List(r.Context(), auth.From(r.Context()), id, p)
			})},
		{Method: "GET", Path: "/api/v1/inspections/{id}", Tag: "inspect", Summary: "An inspection with its checklist, organizations visited, findings and their rectification items",
			Perm: auth.NeedRead, Resp: Inspection{}, Handle: httpx.WithID("f.inspect", http.StatusOK, func(r *http.Request, id int64) (*Inspection, error) {
				return s.Get(r.Context(), auth.From(r.Context()), id)
			})},
		move("start", "Start the inspection (planned → in progress)"),
		move("finish", "Finish the inspection (in progress → finished); its items stay open until closed"),
		{Method: "POST", Path: "/api/v1/inspections/{id}/findings", Tag: "inspect", Summary: "Record a finding of an inspection in progress; it becomes a rectification item whose closure the inspecting level verifies",
			Perm: auth.NeedManageOrgs, Body: InspectNewFinding{}, Resp: Inspection{}, Status: http.StatusCreated,
			Handle: httpx.WithID("f.inspect", http.StatusCreated, func(r *http.Request, id int64) (*Inspection, error) {
				b, err := httpx.DecodeInto[InspectNewFinding](r)
				if err != nil {
					return nil, err
				}
				return s.AddFinding(r.Context(), auth.From(r.Context()), id, b)
			})},
	}
}
