package member

import (
	"net/http"

	"dangjian/internal/platform/audit"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/httpx"
)

// ListParams documents the roster filters shared by the list and the export.
var ListParams = []httpx.Param{
	{Name: "org", Type: "integer", Doc: "organization whose members to list"},
	{Name: "subtree", Type: "boolean", Doc: "include the whole subtree (default true)"},
	{Name: "q", Type: "string", Doc: "name or last 4 of the phone number; a full ID or phone number or the last 4 of the ID find only members the caller may reveal"},
	{Name: "status", Type: "string", Doc: "comma-separated statuses, or all; default the current members", Enum: append([]string{"all"}, Statuses.Codes...)},
	{Name: "category", Type: "string", Enum: Categories.Codes},
	{Name: "sex", Type: "string", Enum: Sexes.Codes},
	{Name: "age_band", Type: "string", Enum: []string{"0-30", "31-40", "41-50", "51-60", "61-70", "71-"}},
	{Name: "education", Type: "string", Enum: Educations.Codes},
	{Name: "field", Type: "string", Doc: "field of the member's organization"},
	{Name: "sort", Type: "string", Enum: Sorts},
}

// Routes are the member endpoints except import and export.
func (s *Store) Routes() []httpx.Route {
	return []httpx.Route{
		{Method: "GET", Path: "/api/v1/members", Tag: "members", Summary: "The roster, filtered, sorted and paged", Perm: auth.NeedReadOrOwn,
			Query: append(ListParams, httpx.Param{Name: "page", Type: "integer"}, httpx.Param{Name: "page_size", Type: "integer"}),
			Resp:  httpx.List[Member]{}, Handle: s.handleList},
		{Method: "POST", Path: "/api/v1/members", Tag: "members", Summary: "Add a member to a branch", Perm: auth.NeedWriteMembers,
			Body: Fields{}, Resp: Member{}, Status: http.StatusCreated, Handle: httpx.Body(http.StatusCreated, func(r *http.Request, f Fields) (any, error) { return s.Create(r.Context(), auth.From(r.Context()), f) })},
		{Method: "GET", Path: "/api/v1/members/{id}", Tag: "members", Summary: "One member; reveal=true shows ID and phone in full (audited)", Perm: auth.NeedReadOrOwn,
			Query: []httpx.Param{{Name: "reveal", Type: "boolean"}}, Resp: Member{}, Handle: withID(func(w http.ResponseWriter, r *http.Request, id int64) error {
				m, err := s.Get(r.Context(), auth.From(r.Context()), id, httpx.QueryFlag(r, "reveal", false))
				if err != nil {
					return err
				}
				return httpx.JSON(w, 200, m)
			})},
		{Method: "PATCH", Path: "/api/v1/members/{id}", Tag: "members", Summary: "Change a member (a new org_id transfers within scope)", Perm: auth.NeedWriteMembers,
			Body: Patch{}, Resp: Member{}, Handle: withID(func(w http.ResponseWriter, r *http.Request, id int64) error {
				var p Patch
				if err := httpx.Decode(r, &p); err != nil {
					return err
				}
				m, err := s.Update(r.Context(), auth.From(r.Context()), id, p)
				if err != nil {
					return err
				}
				return httpx.JSON(w, 200, m)
			})},
		{Method: "GET", Path: "/api/v1/members/{id}/history", Tag: "members", Summary: "Change history of a member", Perm: auth.NeedReadOrOwn,
			Query: []httpx.Param{{Name: "page", Type: "integer"}, {Name: "page_size", Type: "integer"}},
			Resp:  httpx.List[audit.Entry]{}, Handle: withID(func(w http.ResponseWriter, r *http.Request, id int64) error {
				if _, err := s.Get(r.Context(), auth.From(r.Context()), id, false); err != nil {
					return err
				}
				p, err := httpx.PageOf(r)
				if err != nil {
					return err
				}
				items, total, err := audit.Query(r.Context(), s.DB, audit.Filter{Entity: "member", EntityID: id, Limit: p.Size, Offset: p.Offset()})
				if err != nil {
					return err
				}
				if items == nil {
					items = []audit.Entry{}
				}
				for _, e := range items {
					remask(e.Changes)
				}
				return httpx.JSON(w, 200, httpx.List[audit.Entry]{Items: items, Total: total})
			})},
	}
}

func withID(f func(w http.ResponseWriter, r *http.Request, id int64) error) httpx.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := httpx.PathID(r, "id", "f.member")
		if err != nil {
			return err
		}
		return f(w, r, id)
	}
}

func (s *Store) handleList(w http.ResponseWriter, r *http.Request) error {
	f, err := ParseFilter(r.URL.Query())
	if err != nil {
		return err
	}
	p, err := httpx.PageOf(r)
	if err != nil {
		return err
	}
	items, total, err := s.List(r.Context(), auth.From(r.Context()), f, p)
	if err != nil {
		return err
	}
	out := make([]Member, 0, len(items))
	for _, m := range items {
		out = append(out, *m)
	}
	return httpx.JSON(w, 200, httpx.List[Member]{Items: out, Total: total})
}

// remask applies today's mask to personal data in audit changes when they are read:
// entries written under an older, weaker mask (first and last four digits, the birth date
// in full) would otherwise undo it. Masking a masked value again changes nothing.
func remask(changes map[string]audit.Change) {
	for k, mask := range map[string]func(string) string{"id_number": MaskID, "phone": MaskPhone, "birth_date": MaskDate} {
		c, ok := changes[k]
		if !ok {
			continue
		}
		for _, v := range []*any{&c.Before, &c.After} {
			if s, ok := (*v).(string); ok && s != "" {
				*v = mask(s)
			}
		}
		changes[k] = c
	}
}
