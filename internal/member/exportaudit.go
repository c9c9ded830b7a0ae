package member

import (
	"context"
	"fmt"
	"strings"
	"time"

	"dangjian/internal/platform/audit"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/db"
)

// AuditExport records an export of what (the entity exported: member, record_book …)
// under orgID: who, which subtree, how many rows, how many of them with personal data in
// full, and how it was selected. Every export writes one, revealing or not. Without an
// organization the entry goes to the caller's first grant, so its staff see it.
func AuditExport(ctx context.Context, q db.Querier, sc *auth.Scope, at time.Time, what string, orgID int64, rows, revealed int, filter string) error {
	if orgID == 0 && len(sc.Grants) > 0 {
		orgID = sc.Grants[0].OrgID
	}
	return audit.Write(ctx, q, sc.Actor(), at, audit.Entry{Action: "export", Entity: what, OrgID: orgID,
		Summary: fmt.Sprintf("导出%d行（其中%d行显示完整个人信息）；筛选：%s", rows, revealed, filter),
		Changes: map[string]audit.Change{"rows": {After: rows}, "revealed": {After: revealed}, "subtree": {After: orgID}, "filter": {After: filter}}})
}

// Describe is the filter in words for the audit trail.
func (f Filter) Describe() string {
	var parts []string
	add := func(k, v string) {
		if v != "" {
			parts = append(parts, k+"="+v)
		}
	}
	if f.OrgID != 0 {
		add("org", fmt.Sprint(f.OrgID))
		if !f.Subtree {
			add("subtree", "false")
		}
	}
	add("q", maskQuery(f.Q))
	add("status", strings.Join(f.Statuses, ","))
	add("category", f.Category)
	add("sex", f.Sex)
	add("age_band", f.AgeBand)
	add("education", f.Education)
	add("field", f.Field)
	if len(parts) == 0 {
		return "全部"
	}
	return strings.Join(parts, " ")
}

// maskQuery is a search as the audit trail keeps it: a full ID or phone number masked.
func maskQuery(q string) string {
	switch {
	case len(q) == 18:
		return MaskID(q)
	case len(q) == 11 && allDigits(q):
		return MaskPhone(q)
	}
	return q
}
