package life

import (
	"context"
	"net/http"
	"time"

	"dangjian/internal/platform/clock"
	"dangjian/internal/platform/db"
	"dangjian/internal/platform/httpx"
	"dangjian/internal/platform/i18n"
)

func init() {
	i18n.Register(map[string][2]string{
		"f.activity.attendance":   {"出勤情况", "Attendance"},
		"code.confirm_required":   {"需要确认", "Confirmation required"},
		"detail.confirm_required": {"报送前请核对以下提醒；确认无误后再次报送（confirm: true）", "Check the warnings below; to submit anyway, repeat with confirm: true"},
		"warn.no_attendance":      {"%s：尚未记录任何出勤情况", "%s: no attendance has been recorded"},
		"warn.duplicate":          {"%s：本组织同一天已有一条“%s”记录（#%d）", "%s: the organization already has a %s record on the same day (#%d)"},
	})
}

// submitWarnings are what a secretary must confirm before a record goes to the level above:
// no attendance recorded, or another counting record of a same kind on the same day for the
// same organization (entered twice?). The record a correction amends is not a second record.
func submitWarnings(ctx context.Context, q db.Querier, a *Activity) ([]httpx.Issue, error) {
	var out []httpx.Issue
	var n int
	if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM attendance WHERE activity_id = ?`, a.ID).Scan(&n); err != nil {
		return nil, err
	}
	if n == 0 {
		out = append(out, httpx.FieldIssue("attendance", "f.activity.attendance", "warn.no_attendance"))
	}
	if len(a.Kinds) == 0 {
		return out, nil
	}
	d := a.StartsAt.In(clock.CST)
	from := time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, clock.CST)
	args := []any{a.OrgID, a.ID, a.AmendsID, a.ID, from.UTC(), from.AddDate(0, 0, 1).UTC()}
	for _, k := range a.Kinds {
		args = append(args, k)
	}
	if err := db.Each(ctx, q, `SELECT MIN(a.id), k.kind FROM activities a JOIN activity_kinds k ON k.activity_id = a.id
		WHERE a.org_id = ? AND a.id <> ? AND a.id <> ? AND (a.amends_id IS NULL OR a.amends_id <> ?)
		  AND a.starts_at >= ? AND a.starts_at < ? AND k.kind IN (`+db.Placeholders(len(a.Kinds))+`) AND `+CountingWhere+`
		GROUP BY k.kind ORDER BY k.kind`, args, func(rs db.Scanner) error {
		var id int64
		var kind string
		if err := rs.Scan(&id, &kind); err != nil {
			return err
		}
		var name any = kind
		if i18n.Has("activity_kind." + kind) {
			name = i18n.M("activity_kind." + kind)
		}
		out = append(out, httpx.FieldIssue("kinds", "f.activity.kinds", "warn.duplicate", name, id))
		return nil
	}); err != nil {
		return nil, err
	}
	return out, nil
}

// confirmRequired is the answer to a first submission with warnings: nothing changes, and the
// same request with confirm: true goes through.
func confirmRequired(ws []httpx.Issue) error {
	return &httpx.Error{Status: http.StatusConflict, Code: "confirm_required", Detail: i18n.M("detail.confirm_required"), Issues: ws}
}
