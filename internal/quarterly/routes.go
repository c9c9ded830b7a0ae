package quarterly

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/xuri/excelize/v2"

	"dangjian/internal/platform/audit"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/httpx"
	"dangjian/internal/platform/i18n"
)

func init() {
	i18n.Register(map[string][2]string{
		"qr.x.title":   {"%s %s 季度讲评", "%s quarterly review %s"},
		"qr.x.org":     {"组织", "Organization"},
		"qr.x.rank":    {"排名", "rank"},
		"qr.x.reasons": {"主要问题", "Shortfalls"},
		"qr.x.comment": {"讲评意见", "ReviewComment"},
		"qr.x.level":   {"本级合计", "Whole subtree"},
	})
}

var quarterParam = httpx.Param{Name: "quarter", Type: "string", Doc: "YYYY-Qn; default the last quarter that has ended"}

// Routes are the quarterly review's endpoints.
func (s *Store) Routes() []httpx.Route {
	return []httpx.Route{
		{Method: "GET", Path: "/api/v1/orgs/{id}/quarterly", Tag: "quarterly", Summary: "季度讲评: the organization's children measured for a quarter (the dashboards' figures), ranked on each measure, with the reasons behind each shortfall and the level's comments",
			Perm: auth.NeedRead, Query: []httpx.Param{quarterParam}, Resp: ReviewPack{},
			Handle: httpx.WithID("f.org", http.StatusOK, func(r *http.Request, id int64) (*ReviewPack, error) {
				q, err := s.ParseQuarter(r.URL.Query().Get("quarter"))
				if err != nil {
					return nil, err
				}
				return s.Build(r.Context(), auth.From(r.Context()), id, q)
			})},
		{Method: "GET", Path: "/api/v1/orgs/{id}/quarterly/workbook", Tag: "quarterly", Summary: "The quarterly review pack as an .xlsx workbook (the same figures, ranks, reasons and comments)",
			Perm: auth.NeedRead, Query: []httpx.Param{quarterParam}, RespType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", Heavy: true,
			Handle: func(w http.ResponseWriter, r *http.Request) error {
				id, err := httpx.PathID(r, "id", "f.org")
				if err != nil {
					return err
				}
				q, err := s.ParseQuarter(r.URL.Query().Get("quarter"))
				if err != nil {
					return err
				}
				sc := auth.From(r.Context())
				p, err := s.Build(r.Context(), sc, id, q)
				if err != nil {
					return err
				}
				b, err := p.XLSX(httpx.Lang(r.Context()))
				if err != nil {
					return err
				}
				if err := audit.Write(r.Context(), s.DB, sc.Actor(), s.Clock.Now().UTC(), audit.Entry{Action: "export", Entity: "quarterly_review", EntityID: id, OrgID: id, Summary: p.Quarter}); err != nil {
					return err
				}
				w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
				w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(fmt.Sprintf("%s-%s-季度讲评.xlsx", p.OrgName, p.Quarter)))
				_, err = w.Write(b)
				return err
			}},
		{Method: "PUT", Path: "/api/v1/orgs/{id}/quarterly/comments", Tag: "quarterly", Summary: "The level's comment on one of its child organizations for a quarter (empty text removes it)",
			Perm: auth.NeedWriteMembers, Body: ReviewComment{}, Status: http.StatusNoContent,
			Handle: func(w http.ResponseWriter, r *http.Request) error {
				id, err := httpx.PathID(r, "id", "f.org")
				if err != nil {
					return err
				}
				b, err := httpx.DecodeInto[ReviewComment](r)
				if err != nil {
					return err
				}
				if err := s.SetComment(r.Context(), auth.From(r.Context()), id, b); err != nil {
					return err
				}
				w.WriteHeader(http.StatusNoContent)
				return nil
			}},
	}
}

// XLSX renders the pack: one row per organization, each measure's figure and rank, the
// reasons and the comment; the level's own figures last.
func (p *ReviewPack) XLSX(lang i18n.Lang) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	sheet := "Sheet1"
	head := []any{i18n.T(lang, "qr.x.org")}
	for _, m := range p.Measures {
		head = append(head, m.Title, m.Title+" "+i18n.T(lang, "qr.x.rank"))
	}
	head = append(head, i18n.T(lang, "qr.x.reasons"), i18n.T(lang, "qr.x.comment"))
	rows := [][]any{{i18n.T(lang, "qr.x.title", p.OrgName, p.Quarter)}, head}
	for _, r := range p.Rows {
		row := []any{r.Name}
		var reasons []string
		for _, m := range p.Measures {
			fig, ok := r.Figures[m.Key]
			row = append(row, cellValue(m, fig, ok))
			if rk, ok := r.Ranks[m.Key]; ok {
				row = append(row, rk)
			} else {
				row = append(row, "—")
			}
			reasons = append(reasons, fig.Reasons...)
		}
		rows = append(rows, append(row, strings.Join(reasons, "；"), r.ReviewComment))
	}
	level := []any{i18n.T(lang, "qr.x.level")}
	for _, m := range p.Measures {
		fig, ok := p.Level[m.Key]
		level = append(level, cellValue(m, fig, ok), "")
	}
	rows = append(rows, level)
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(sheet, cell, &r); err != nil {
			return nil, err
		}
	}
	bold, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	last, _ := excelize.CoordinatesToCellName(len(head), 2)
	_ = f.SetCellStyle(sheet, "A1", last, bold)
	_ = f.SetColWidth(sheet, "A", "A", 28)
	col, _ := excelize.ColumnNumberToName(len(head) - 1)
	_ = f.SetColWidth(sheet, col, col, 60)
	buf, err := f.WriteToBuffer()
	if err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// cellValue is a figure as a spreadsheet shows it: a share as a percentage with its counts.
func cellValue(m ReviewMeasure, f ReviewFigure, ok bool) any {
	switch {
	case !ok || (m.Share && f.Den == 0):
		return "—"
	case m.Share:
		return fmt.Sprintf("%.0f%%（%d/%d）", f.Value*100, f.Num, f.Den)
	}
	return f.Value
}
