package inspect

import (
	"context"

	"dangjian/internal/life/rules"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/db"
	"dangjian/internal/platform/i18n"
	"dangjian/internal/quarterly"
	"dangjian/internal/rectify"
)

func init() {
	i18n.Register(map[string][2]string{
		"qr.m.rectify_open":    {"未销号整改事项", "rectification items open"},
		"qr.m.rectify_overdue": {"逾期整改事项", "rectification items overdue"},
		"qr.m.findings":        {"本季度督查发现问题", "inspection findings in the quarter"},
		"qr.r.overdue":         {"逾期：%s（时限 %s）", "overdue: %s (due %s)"},
		"qr.r.finding":         {"督查发现：%s", "finding: %s"},
	})
}

// reasonsMax bounds the reasons listed per organization (the pack stays printable).
const reasonsMax = 3

// QuarterSection is inspections and rectification in the quarterly review pack: per child
// organization its subtree's items open and overdue (rectify's maintained rollup, the numbers
// of its summary) and the inspection findings made in the quarter, with the problems as reasons.
type QuarterSection struct{ DB *db.DB }

func (QuarterSection) Measures(lang i18n.Lang) []quarterly.ReviewMeasure {
	return []quarterly.ReviewMeasure{{Key: "rectify_open", Title: i18n.T(lang, "qr.m.rectify_open")},
		{Key: "rectify_overdue", Title: i18n.T(lang, "qr.m.rectify_overdue")},
		{Key: "findings", Title: i18n.T(lang, "qr.m.findings")}}
}

func (q QuarterSection) Figures(ctx context.Context, _ *auth.Scope, quarter rules.Period, units []quarterly.Unit, lang i18n.Lang) (map[string]map[int64]quarterly.ReviewFigure, error) {
	out := map[string]map[int64]quarterly.ReviewFigure{"rectify_open": {}, "rectify_overdue": {}, "findings": {}}
	from, to := quarter.Start().UTC(), quarter.End().UTC()
	for _, u := range units {
		var open, late int
		if err := db.Each(ctx, q.DB, `SELECT dim, n FROM org_stats WHERE org_id = ? AND dim IN (?, ?) AND key = 'all'`, []any{u.ID, rectify.DimOpen, rectify.DimOverdue}, func(r db.Scanner) error {
			var dim string
			var n int
			err := r.Scan(&dim, &n)
			if dim == rectify.DimOpen {
				open = n
			} else {
				late = n
			}
			return err
		}); err != nil {
			return nil, err
		}
		out["rectify_open"][u.ID] = quarterly.ReviewFigure{Value: float64(open), Num: open}
		lo, hi := db.SubtreeRange(u.Path)
		f := quarterly.ReviewFigure{Value: float64(late), Num: late}
		if late > 0 {
			if err := db.Each(ctx, q.DB, `SELECT problem, due_date FROM rectify_items WHERE org_path >= ? AND org_path < ? AND overdue = 1 AND state <> ? ORDER BY due_date, id LIMIT ?`,
				[]any{lo, hi, rectify.Closed, reasonsMax}, func(r db.Scanner) error {
					var p, due string
					err := r.Scan(&p, &due)
					f.Reasons = append(f.Reasons, i18n.T(lang, "qr.r.overdue", p, due))
					return err
				}); err != nil {
				return nil, err
			}
		}
		out["rectify_overdue"][u.ID] = f
		var fd quarterly.ReviewFigure
		if err := db.Each(ctx, q.DB, `SELECT f.problem FROM inspection_findings f JOIN orgs o ON o.id = f.org_id
			WHERE o.path >= ? AND o.path < ? AND f.created_at >= ? AND f.created_at < ? ORDER BY f.id`, []any{lo, hi, from, to}, func(r db.Scanner) error {
			var p string
			err := r.Scan(&p)
			if fd.Num++; fd.Num <= reasonsMax {
				fd.Reasons = append(fd.Reasons, i18n.T(lang, "qr.r.finding", p))
			}
			return err
		}); err != nil {
			return nil, err
		}
		fd.Value = float64(fd.Num)
		out["findings"][u.ID] = fd
	}
	return out, nil
}
