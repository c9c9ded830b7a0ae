package quarterly

import (
	"context"
	"math"

	"dangjian/internal/life/compliance"
	"dangjian/internal/life/rules"
	"dangjian/internal/member"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/db"
	"dangjian/internal/platform/i18n"
	"dangjian/internal/points"
)

func init() {
	i18n.Register(map[string][2]string{
		"qr.m.life":       {"组织生活落实率", "organizational life held"},
		"qr.m.attendance": {"参会率", "attendance"},
		"qr.m.points_avg": {"人均积分（本年）", "points per member (year)"},
		"qr.m.pending":    {"待审核积分申报", "claims waiting"},
		"qr.r.rule":       {"%s（%s）：应落实 %d 个，已落实 %d 个", "%s (%s): %d required, %d held"},
		"qr.r.pending":    {"有 %d 条积分申报待审核", "%d claim(s) waiting for a decision"},
	})
}

// Life is organizational life in the pack: the share of the quarter's ended rule periods met
// (the numbers of the compliance summary, from the same rollup), and the attendance rate.
type Life struct{ Compliance *compliance.Store }

func (Life) Measures(lang i18n.Lang) []ReviewMeasure {
	return []ReviewMeasure{{Key: "life", Title: i18n.T(lang, "qr.m.life"), Share: true, Higher: true},
		{Key: "attendance", Title: i18n.T(lang, "qr.m.attendance"), Share: true, Higher: true}}
}

func (l Life) Figures(ctx context.Context, _ *auth.Scope, quarter rules.Period, units []Unit, lang i18n.Lang) (map[string]map[int64]ReviewFigure, error) {
	out := map[string]map[int64]ReviewFigure{"life": {}, "attendance": {}}
	for _, u := range units {
		sum, err := l.Compliance.SummaryAt(ctx, u.ID, u.Path, quarter)
		if err != nil {
			return nil, err
		}
		var f ReviewFigure
		for _, r := range sum.Rules {
			if r.Status != "ended" || r.Required == 0 {
				continue // a running period is in progress, not a shortfall
			}
			f.Num += r.Met
			f.Den += r.Required
			if r.Met < r.Required {
				f.Reasons = append(f.Reasons, i18n.T(lang, "qr.r.rule", r.Rule, r.Period, r.Required, r.Met))
			}
		}
		f.Value = share(f.Num, f.Den)
		out["life"][u.ID] = f
		a := sum.Attendance
		out["attendance"][u.ID] = ReviewFigure{Num: a.Present, Den: a.Expected, Value: share(a.Present, a.Expected)}
	}
	return out, nil
}

// Points is members' points in the pack: the year's points per current member and the claims
// waiting (the numbers of the points summary).
type Points struct {
	Points *points.Store
	DB     *db.DB
}

func (Points) Measures(lang i18n.Lang) []ReviewMeasure {
	return []ReviewMeasure{{Key: "points_avg", Title: i18n.T(lang, "qr.m.points_avg"), Higher: true},
		{Key: "pending", Title: i18n.T(lang, "qr.m.pending"), Higher: false}}
}

func (p Points) Figures(ctx context.Context, sc *auth.Scope, quarter rules.Period, units []Unit, lang i18n.Lang) (map[string]map[int64]ReviewFigure, error) {
	out := map[string]map[int64]ReviewFigure{"points_avg": {}, "pending": {}}
	for _, u := range units {
		sum, err := p.Points.Summary(ctx, sc, u.ID, quarter.Year)
		if err != nil {
			return nil, err
		}
		var members int
		if err := p.DB.QueryRow(ctx, `SELECT COALESCE(SUM(n), 0) FROM org_stats WHERE org_id = ? AND dim = ? AND key = ''`, u.ID, member.DimTotal).Scan(&members); err != nil {
			return nil, err
		}
		out["points_avg"][u.ID] = ReviewFigure{Num: sum.Points, Den: members, Value: round1(share(sum.Points, members))}
		f := ReviewFigure{Value: float64(sum.Pending), Num: sum.Pending}
		if sum.Pending > 0 {
			f.Reasons = []string{i18n.T(lang, "qr.r.pending", sum.Pending)}
		}
		out["pending"][u.ID] = f
	}
	return out, nil
}

func share(num, den int) float64 {
	if den == 0 {
		return 0
	}
	return float64(num) / float64(den)
}

func round1(v float64) float64 { return math.Round(v*10) / 10 }
