package org

import (
	"net/http"

	"dangjian/internal/platform/audit"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/httpx"
)

// MoveRequest is the body of POST /api/v1/orgs/{id}/move.
type MoveRequest struct {
	ParentID int64 `json:"parent_id"`
}

// Routes are the organization endpoints.
func (s *Store) Routes() []httpx.Route {
	read := "admin, org_staff, secretary, viewer: their subtree"
	page := []httpx.Param{{Name: "page", Type: "integer"}, {Name: "page_size", Type: "integer"}}
	return append([]httpx.Route{
		{Method: "GET", Path: "/api/v1/orgs", Tag: "orgs", Summary: "Search organizations in scope", Perm: httpx.AnyUser, Access: read,
			Query: append([]httpx.Param{{Name: "q", Type: "string", Doc: "part of the name, or the code"}, {Name: "kind", Type: "string", Enum: Kinds},
				{Name: "parent", Type: "integer", Doc: "direct children of this organization"}}, page...),
			Resp: httpx.List[Org]{}, Handle: s.handleList},
		{Method: "POST", Path: "/api/v1/orgs", Tag: "orgs", Summary: "Create an organization", Perm: auth.NeedManageOrgs, Access: "admin, org_staff: under their subtree; roots: admin",
			Body: Fields{}, Resp: Org{}, Status: http.StatusCreated, Handle: httpx.Body(http.StatusCreated, func(r *http.Request, f Fields) (any, error) { return s.Create(r.Context(), auth.From(r.Context()), f) })},
		{Method: "GET", Path: "/api/v1/orgs/{id}", Tag: "orgs", Summary: "One organization", Perm: auth.NeedRead, Resp: Org{},
			Handle: s.withID(func(w http.ResponseWriter, r *http.Request, id int64) error {
				o, err := s.Get(r.Context(), auth.From(r.Context()), id)
				if err != nil {
					return err
				}
				return httpx.JSON(w, 200, o)
			})},
		{Method: "PATCH", Path: "/api/v1/orgs/{id}", Tag: "orgs", Summary: "Change an organization (rename included)", Perm: auth.NeedEditOrg, Access: "admin, org_staff, secretary: their subtree; kind changes: admin, org_staff",
			Body: Patch{}, Resp: Org{}, Handle: s.withID(func(w http.ResponseWriter, r *http.Request, id int64) error {
				var p Patch
				if err := httpx.Decode(r, &p); err != nil {
					return err
				}
				o, err := s.Update(r.Context(), auth.From(r.Context()), id, p)
				if err != nil {
					return err
				}
				return httpx.JSON(w, 200, o)
			})},
		{Method: "DELETE", Path: "/api/v1/orgs/{id}", Tag: "orgs", Summary: "Dissolve an empty organization", Perm: auth.NeedManageOrgs, Access: "admin; org_staff: below their grant",
			Status: http.StatusNoContent, Handle: s.withID(func(w http.ResponseWriter, r *http.Request, id int64) error {
				if err := s.Dissolve(r.Context(), auth.From(r.Context()), id); err != nil {
					return err
				}
				w.WriteHeader(http.StatusNoContent)
				return nil
			})},
		{Method: "GET", Path: "/api/v1/orgs/{id}/children", Tag: "orgs", Summary: "Direct children in sort order", Perm: auth.NeedRead,
			Query: page, Resp: httpx.List[Org]{}, Handle: s.withID(func(w http.ResponseWriter, r *http.Request, id int64) error {
				p, err := httpx.PageOf(r)
				if err != nil {
					return err
				}
				if r.URL.Query().Get("page_size") == "" {
					p.Size = 500
				}
				items, total, err := s.Children(r.Context(), auth.From(r.Context()), id, p)
				if err != nil {
					return err
				}
				return httpx.JSON(w, 200, listOf(items, total))
			})},
		{Method: "POST", Path: "/api/v1/orgs/{id}/move", Tag: "orgs", Summary: "Move an organization and its subtree under another parent", Perm: auth.NeedManageOrgs, Access: "admin, org_staff: both parents in their subtree",
			Body: MoveRequest{}, Resp: MoveResult{}, Handle: s.withID(func(w http.ResponseWriter, r *http.Request, id int64) error {
				var m MoveRequest
				if err := httpx.Decode(r, &m); err != nil {
					return err
				}
				res, err := s.Move(r.Context(), auth.From(r.Context()), id, m.ParentID)
				if err != nil {
					return err
				}
				return httpx.JSON(w, 200, res)
			})},
		{Method: "GET", Path: "/api/v1/orgs/{id}/stats", Tag: "orgs", Summary: "Statistics of the subtree (maintained rollups)", Perm: auth.NeedRead,
			Resp: Stats{}, Handle: s.withID(func(w http.ResponseWriter, r *http.Request, id int64) error {
				st, err := s.Stats(r.Context(), auth.From(r.Context()), id)
				if err != nil {
					return err
				}
				return httpx.JSON(w, 200, st)
			})},
		{Method: "GET", Path: "/api/v1/orgs/{id}/checks", Tag: "orgs", Summary: "Organizations of the subtree failing a check", Perm: auth.NeedRead,
			Query: append([]httpx.Param{{Name: "check", Type: "string", Enum: Checks}}, page...),
			Resp:  httpx.List[CheckItem]{}, Handle: s.withID(func(w http.ResponseWriter, r *http.Request, id int64) error {
				p, err := httpx.PageOf(r)
				if err != nil {
					return err
				}
				items, total, err := s.CheckList(r.Context(), auth.From(r.Context()), id, r.URL.Query().Get("check"), p)
				if err != nil {
					return err
				}
				return httpx.JSON(w, 200, httpx.List[CheckItem]{Items: items, Total: total})
			})},
		{Method: "GET", Path: "/api/v1/orgs/{id}/history", Tag: "orgs", Summary: "Change history of an organization", Perm: auth.NeedRead,
			Query: page, Resp: httpx.List[audit.Entry]{}, Handle: s.withID(func(w http.ResponseWriter, r *http.Request, id int64) error {
				if _, err := s.Get(r.Context(), auth.From(r.Context()), id); err != nil {
					return err
				}
				p, err := httpx.PageOf(r)
				if err != nil {
					return err
				}
				items, total, err := audit.Query(r.Context(), s.DB, audit.Filter{Entity: "org", EntityID: id, Limit: p.Size, Offset: p.Offset()})
				if err != nil {
					return err
				}
				return httpx.JSON(w, 200, httpx.List[audit.Entry]{Items: nonNil(items), Total: total})
			})},
	}, s.committeeRoutes()...)
}

func nonNil[T any](xs []T) []T {
	if xs == nil {
		return []T{}
	}
	return xs
}

func listOf(items []*Org, total int) httpx.List[Org] {
	out := make([]Org, 0, len(items))
	for _, o := range items {
		out = append(out, *o)
	}
	return httpx.List[Org]{Items: out, Total: total}
}

func (s *Store) withID(f func(w http.ResponseWriter, r *http.Request, id int64) error) httpx.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := httpx.PathID(r, "id", "f.org")
		if err != nil {
			return err
		}
		return f(w, r, id)
	}
}

func (s *Store) handleList(w http.ResponseWriter, r *http.Request) error {
	p, err := httpx.PageOf(r)
	if err != nil {
		return err
	}
	parent, err := httpx.QueryID(r, "parent")
	if err != nil {
		return err
	}
	q := r.URL.Query()
	if k := q.Get("kind"); k != "" && !oneOf(k, Kinds) {
		return httpx.Invalid(httpx.Issue{Field: "kind", Msg: invalidChoice("kind", k)})
	}
	items, total, err := s.List(r.Context(), auth.From(r.Context()), Filter{Q: q.Get("q"), Kind: q.Get("kind"), ParentID: parent, Page: p})
	if err != nil {
		return err
	}
	return httpx.JSON(w, 200, listOf(items, total))
}
