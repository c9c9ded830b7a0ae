package server

import (
	"net/http"
	"time"

	"dangjian/internal/platform/audit"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/db"
	"dangjian/internal/platform/httpx"
	"dangjian/internal/platform/i18n"
)

// handleAudit answers GET /api/v1/audit: admins see everything, staff the entries about
// organizations of their subtree.
func (a *App) handleAudit(w http.ResponseWriter, r *http.Request) error {
	sc := auth.From(r.Context())
	if !sc.Has(auth.ReadAudit) {
		return httpx.Forbidden()
	}
	p, err := httpx.PageOf(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := audit.Filter{Entity: q.Get("entity"), Action: q.Get("action"), Limit: p.Size, Offset: p.Offset()}
	if !sc.IsAdmin() {
		f.Scope, f.ScopeArg = sc.Where("o.path", auth.ReadAudit)
	}
	var is httpx.Issues
	if f.EntityID, err = httpx.QueryID(r, "entity_id"); err != nil {
		return err
	}
	if f.UserID, err = httpx.QueryID(r, "user"); err != nil {
		return err
	}
	for _, t := range []struct {
		name string
		dst  *time.Time
	}{{"from", &f.From}, {"to", &f.To}} {
		if v := q.Get(t.name); v != "" {
			tt, err := time.Parse(time.RFC3339, v)
			if err != nil {
				is = append(is, httpx.Issue{Field: t.name, Msg: i18n.M("v.invalid", t.name, "RFC 3339")})
			}
			*t.dst = tt
		}
	}
	orgID, err := httpx.QueryID(r, "org")
	if err != nil {
		return err
	}
	if err := is.Err(); err != nil {
		return err
	}
	if orgID != 0 {
		o, err := a.Orgs.Get(r.Context(), sc, orgID)
		if err != nil {
			return err
		}
		lo, hi := db.SubtreeRange(o.Path)
		f.OrgRange = &[2]string{lo, hi}
	}
	items, total, err := audit.Query(r.Context(), a.DB, f)
	if err != nil {
		return err
	}
	if items == nil {
		items = []audit.Entry{}
	}
	return httpx.JSON(w, 200, httpx.List[audit.Entry]{Items: items, Total: total})
}
