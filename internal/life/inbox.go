package life

import (
	"context"
	"fmt"
	"strings"
	"time"

	"dangjian/internal/org"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/db"
	"dangjian/internal/platform/httpx"
)

// Inbox lists the submitted records the caller may accept or return — those of organizations
// whose parent the caller may edit (canReview: the level above), every one for an admin —
// newest submission first. One range of the partial index activities_submitted.
func (s *Store) Inbox(ctx context.Context, sc *auth.Scope, p httpx.Page) ([]Activity, int, error) {
	cond, args := sc.Where("p.path", auth.EditOrg)
	join := " JOIN orgs p ON p.id = o.parent_id"
	if sc.IsAdmin() {
		join, cond, args = "", "1=1", nil
	}
	from := ` FROM activities a JOIN orgs o ON o.id = a.org_id` + join + `
		WHERE a.state = 'submitted' AND a.superseded_by IS NULL AND (` + cond + `)`
	var total int
	if err := s.DB.QueryRow(ctx, "SELECT COUNT(*)"+from, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	out := []Activity{}
	var ids []int64
	if err := db.Each(ctx, s.DB, "SELECT "+activityCols+from+" ORDER BY a.updated_at DESC, a.id DESC LIMIT ? OFFSET ?", append(args, p.Size, p.Offset()), func(rs db.Scanner) error {
		a, err := scanActivity(rs)
		if err != nil {
			return err
		}
		s.permissions(sc, a)
		out = append(out, *a)
		ids = append(ids, a.ID)
		return nil
	}); err != nil {
		return nil, 0, err
	}
	kinds, err := s.kindsOf(ctx, s.DB, ids)
	if err != nil {
		return nil, 0, err
	}
	for i := range out {
		out[i].Kinds = nonNil(kinds[out[i].ID])
	}
	return out, total, LabelRows(ctx, s.DB, out, func(a *Activity) (int64, *string) { return a.OrgID, &a.OrgLabel })
}

// notifySubmitted tells the level above that a record awaits its review: the secretaries and
// staff of the nearest organization above that has any.
func notifySubmitted(ctx context.Context, q db.Querier, a *Activity, now time.Time) error {
	ids := org.PathIDsOf(a.orgPath)
	for i := len(ids) - 2; i >= 0; i-- {
		users, err := Responsible(ctx, q, ids[i])
		if err != nil {
			return err
		}
		if len(users) == 0 {
			continue
		}
		title := fmt.Sprintf("%s报送了“%s”，待审核", a.OrgName, strings.TrimSpace(a.Topic))
		body := fmt.Sprintf("%s于%s报送组织生活记录“%s”（%s），请审核：通过或退回修改。", a.OrgName, CSTTime(now), a.Topic, CSTTime(a.StartsAt))
		_, err = Notify(ctx, q, users, a.OrgID, "submitted", title, body, fmt.Sprintf("/activities/%d", a.ID),
			fmt.Sprintf("submitted:%d:%d", a.ID, now.UnixNano()), now)
		return err
	}
	return nil
}

// LabelRows sets the org label of each row of a page, from one set-based read (org.Labels).
func LabelRows[T any](ctx context.Context, q db.Querier, rows []T, field func(*T) (int64, *string)) error {
	ids := make([]int64, len(rows))
	for i := range rows {
		ids[i], _ = field(&rows[i])
	}
	labels, err := org.Labels(ctx, q, ids)
	if err != nil {
		return err
	}
	for i := range rows {
		id, dst := field(&rows[i])
		*dst = labels[id]
	}
	return nil
}
