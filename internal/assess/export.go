package assess

import (
	"context"
	"fmt"
	"html/template"
	"net/http"
	"net/url"

	"github.com/xuri/excelize/v2"

	"dangjian/internal/platform/audit"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/db"
	"dangjian/internal/platform/i18n"
)

// Export writes the round as a workbook: 排名 (every organization with its totals, in rank
// order) and 指标明细 (every current value of every stage, with its note and records). Rows are
// streamed, so a round of 35,000 organizations is not held in memory. Audited.
func (s *Store) Export(ctx context.Context, sc *auth.Scope, roundID int64, w http.ResponseWriter) error {
	r, set, err := s.roundFor(ctx, s.DB, sc, roundID)
	if err != nil {
		return err
	}
	f := excelize.NewFile()
	defer f.Close()
	f.SetSheetName("Sheet1", "排名")
	sw, err := f.NewStreamWriter("排名")
	if err != nil {
		return err
	}
	row := 1
	put := func(sw *excelize.StreamWriter, vals ...any) error {
		cell, _ := excelize.CoordinatesToCellName(1, row)
		row++
		return sw.SetRow(cell, vals)
	}
	if err := put(sw, fmt.Sprintf("%s（%s %s）", r.Name, set.Name, set.Version)); err != nil {
		return err
	}
	if err := put(sw, "名次", "组织", "状态", "自评总分", "审核总分", "总分", "星级", "一票否决"); err != nil {
		return err
	}
	n, rank, prev := 0, 0, -1.0
	if err := db.Each(ctx, s.DB, `SELECT o.name, a.state, a.self_total, a.review_total, a.total, a.band, a.vetoed FROM assess_orgs a JOIN orgs o ON o.id = a.org_id
		WHERE a.round_id = ? ORDER BY a.total DESC, a.org_id`, []any{roundID}, func(rs db.Scanner) error {
		var name, state, band, vetoed string
		var self, total float64
		var review *float64
		if err := rs.Scan(&name, &state, &self, &review, &total, &band, &vetoed); err != nil {
			return err
		}
		n++
		if total != prev {
			rank, prev = n, total
		}
		var rv any = ""
		if review != nil {
			rv = *review
		}
		return put(sw, rank, name, i18n.T(i18n.ZH, "assess.st."+state), self, rv, total, band, vetoed)
	}); err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	if _, err := f.NewSheet("指标明细"); err != nil {
		return err
	}
	if sw, err = f.NewStreamWriter("指标明细"); err != nil {
		return err
	}
	row = 1
	if err := put(sw, "组织", "指标代码", "指标", "阶段", "数值", "说明", "佐证", "数据来源"); err != nil {
		return err
	}
	stageZH := map[string]string{StageData: "数据", StageSelf: "自评", StageReview: "审核"}
	if err := db.Each(ctx, s.DB, `SELECT o.name, v.code, v.stage, v.value, v.detail, v.note, v.evidence FROM assess_values v JOIN orgs o ON o.id = v.org_id
		WHERE v.round_id = ? AND v.id = (SELECT MAX(x.id) FROM assess_values x WHERE x.round_id = v.round_id AND x.org_id = v.org_id AND x.stage = v.stage AND x.code = v.code)
		ORDER BY v.org_id, v.code, v.stage`, []any{roundID}, func(rs db.Scanner) error {
		var name, code, stage, detail, note, ev string
		var v float64
		if err := rs.Scan(&name, &code, &stage, &v, &detail, &note, &ev); err != nil {
			return err
		}
		label := code
		if in := set.Indicator(code); in != nil {
			label = in.Name
		}
		return put(sw, name, code, label, stageZH[stage], v, note, ev, detail)
	}); err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	if err := audit.Write(ctx, s.DB, sc.Actor(), s.Clock.Now(), audit.Entry{Action: "export", Entity: "assess_round", EntityID: roundID, OrgID: r.OrgID,
		Summary: fmt.Sprintf("%s（%d 个组织）", r.Name, n)}); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(r.Name+".xlsx"))
	return f.Write(w)
}

var reportPage = template.Must(template.New("report").Funcs(template.FuncMap{
	"num": fmtNum,
	"st":  func(s string) string { return i18n.T(i18n.ZH, "assess.st."+s) },
}).Parse(`<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.OrgName}} · {{.RoundName}}</title>
<style>body{font-family:sans-serif;margin:16px;color:#222}table{border-collapse:collapse;width:100%;font-size:13px}th,td{border:1px solid #999;padding:4px 6px;text-align:left;vertical-align:top}
th{background:#f2f2f2}.num{text-align:right}.changed{background:#fff4e0}.veto{color:#b00020;font-weight:bold}@media print{body{margin:0}}</style></head><body>
<h1>{{.OrgName}}</h1><p>{{.RoundName}} · 状态：{{st .State}}</p>
<p>自评总分 <b>{{num .Self.Total}}</b>{{if .Review}} · 审核总分 <b>{{num .Review.Total}}</b>{{end}} · 满分 {{num .MaxTotal}}
{{with .Final}}{{if .Band}} · 拟评星级 <b>{{.Band}}</b>{{end}}{{end}}</p>
{{range .Vetoes}}<p class="veto">一票否决：{{.Name}}。{{.Reason}} {{.Note}}</p>{{end}}
<table><thead><tr><th>维度</th><th>指标</th><th>分值</th><th>数据</th><th>自评</th><th>审核</th><th class="num">得分</th></tr></thead><tbody>
{{range .Lines}}<tr{{if .Changed}} class="changed"{{end}}><td>{{.DimName}}</td><td>{{.Name}}{{if .Rubric}}<br><small>{{.Rubric}}</small>{{end}}</td><td class="num">{{num .Max}}</td>
<td>{{with .Data}}{{num .Value}}<br><small>{{.Detail}}</small>{{end}}</td>
<td>{{with .Self}}{{num .Value}}{{if .Note}}<br><small>{{.Note}}</small>{{end}}{{if .Evidence}}<br><small>佐证：{{.Evidence}}</small>{{end}}{{end}}</td>
<td>{{with .Review}}{{num .Value}}{{if .Note}}<br><small>{{.Note}}</small>{{end}}{{end}}</td><td class="num">{{num .ReviewScore}}</td></tr>{{end}}
</tbody></table></body></html>`))

// Report writes an organization's sheet as a printable page.
func (s *Store) Report(ctx context.Context, sc *auth.Scope, roundID, orgID int64, w http.ResponseWriter) error {
	sh, err := s.Sheet(ctx, sc, roundID, orgID)
	if err != nil {
		return err
	}
	final := sh.Self
	if sh.Review != nil {
		final = *sh.Review
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	return reportPage.Execute(w, struct {
		*Sheet
		Final Result
	}{sh, final})
}
