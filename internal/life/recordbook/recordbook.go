// Package recordbook is a branch's 组织生活记录本 for a year: its counting records with their
// attendance and minutes, the 民主评议 results and the problems found, and the year's
// findings, as a printable page or a workbook. It reads the other life packages and keeps
// nothing of its own.
package recordbook

import (
	"bytes"
	"context"
	"dangjian/internal/life"
	"dangjian/internal/life/appraisal"
	"dangjian/internal/life/compliance"
	"dangjian/internal/life/rules"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"dangjian/internal/member"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/httpx"
	"dangjian/internal/platform/i18n"
)

// Store assembles record books from the records, the appraisals and the findings.
type Store struct {
	*compliance.Store
}

// Routes are the record book's endpoints.
func (s *Store) Routes() []httpx.Route { return s.recordBookRoutes() }

// BookEntry is one activity of the record book with its attendance.
type BookEntry struct {
	Activity   life.Activity
	Attendance *life.Attendance
	Appraisals *appraisal.Appraisals
	Problems   []appraisal.Rectification
}

// RecordBook is a branch's 组织生活记录本 for a year: every counting activity with its
// attendance and minutes, the 民主评议 results, and the year's compliance.
type RecordBook struct {
	OrgID    int64
	OrgName  string
	Year     int
	Entries  []BookEntry
	Findings []rules.Finding
	Printed  time.Time
}

// Book assembles the record book of an organization the caller may read.
func (s *Store) Book(ctx context.Context, sc *auth.Scope, orgID int64, year int) (*RecordBook, error) {
	if _, err := s.OrgForRead(ctx, sc, orgID); err != nil {
		return nil, err
	}
	per := rules.YearPeriod(year)
	list, _, err := s.List(ctx, sc, life.ActivityFilter{OrgID: orgID, ForYear: year}, httpx.Page{Page: 1, Size: 2000})
	if err != nil {
		return nil, err
	}
	b := &RecordBook{OrgID: orgID, Year: year, Printed: s.Clock.Now()}
	_ = s.DB.QueryRow(ctx, `SELECT name FROM orgs WHERE id = ?`, orgID).Scan(&b.OrgName)
	// Oldest first, as a ledger reads; planned, cancelled and superseded records are left out.
	var kept []*life.Activity
	for i := len(list) - 1; i >= 0; i-- {
		a := &list[i]
		if a.SupersededBy != 0 || !life.OneOf(a.State, life.CountingStates) || (a.AmendsID != 0 && a.State != life.Accepted) {
			continue
		}
		kept = append(kept, a)
	}
	// The attendance of the whole year at once: one query per activity was 1.7 s at 20k members.
	att, err := s.AttendanceOfMany(ctx, s.DB, kept)
	if err != nil {
		return nil, err
	}
	for _, ap := range kept {
		a := *ap
		e := BookEntry{Activity: a, Attendance: att[a.ID]}
		if rules.HasKind(a.Kinds, "member_review") {
			if e.Appraisals, err = s.Appraisal.ReviewsOf(ctx, s.DB, &a, i18n.ZH); err != nil {
				return nil, err
			}
		}
		if rules.HasKind(a.Kinds, "life_meeting") {
			if e.Problems, err = s.Appraisal.Rectifications(ctx, sc, a.ID); err != nil {
				return nil, err
			}
		}
		b.Entries = append(b.Entries, e)
	}
	o, err := s.OrgRow(ctx, orgID)
	if err != nil {
		return nil, err
	}
	oc, err := s.Evaluate(ctx, s.DB, o, per)
	if err != nil {
		return nil, err
	}
	b.Findings = oc.Findings
	return b, nil
}

// kindNames names the kinds in the pack's order (大会 before 党课 before 主题党日 …).
// AuditBook records that the caller took the record book out as format (html, xlsx): an
// export like any other, with its activities as rows and no personal numbers in it.
func (s *Store) AuditBook(ctx context.Context, sc *auth.Scope, b *RecordBook, format string) error {
	return member.AuditExport(ctx, s.DB, sc, s.Clock.Now(), "record_book", b.OrgID, len(b.Entries), 0,
		fmt.Sprintf("year=%d format=%s", b.Year, format))
}

func kindNames(p *rules.Pack, kinds []string) string {
	var out []string
	for _, k := range p.KindNames() {
		if rules.HasKind(kinds, k.Code) {
			out = append(out, k.Name)
		}
	}
	return strings.Join(out, "、")
}

var attendanceZH = map[string]string{"present": "出席", "leave": "请假", "absent": "缺席", "exempt": "免参加", "": "未登记"}
var gradeZH = map[string]string{"excellent": "优秀", "qualified": "合格", "basic": "基本合格", "unqualified": "不合格", "": "未评"}
var statusZH = map[rules.Status]string{rules.Met: "已完成", rules.Pending: "进行中", rules.DueSoon: "即将到期", rules.Missing: "未完成", rules.Upcoming: "未开始"}

// XLSX renders the record book as a workbook: 活动记录, 出勤明细, 民主评议, 年度完成情况.
func (b *RecordBook) XLSX(p *rules.Pack) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	write := func(sheet string, rows [][]any) error {
		for i, r := range rows {
			cell, _ := excelize.CoordinatesToCellName(1, i+1)
			if err := f.SetSheetRow(sheet, cell, &r); err != nil {
				return err
			}
		}
		return nil
	}
	bold, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	f.SetSheetName("Sheet1", "活动记录")
	rows := [][]any{{fmt.Sprintf("%s %d年组织生活记录本", b.OrgName, b.Year)},
		{"序号", "时间", "类型", "主题", "地点", "主持人", "记录人", "授课人", "应到", "出席", "请假", "缺席", "免参加", "出席率", "会议记录", "决议事项", "状态"}}
	for i, e := range b.Entries {
		a, at := e.Activity, e.Attendance
		rows = append(rows, []any{i + 1, life.CSTTime(a.StartsAt), kindNames(p, a.Kinds), a.Topic, a.Place, a.Host, a.Recorder, a.Speaker,
			at.Expected, at.Present, at.Leave, at.Absent, at.Exempt, fmt.Sprintf("%.0f%%", at.Rate*100), a.Minutes, a.Resolutions, i18n.T(i18n.ZH, "state."+a.State)})
	}
	if err := write("活动记录", rows); err != nil {
		return nil, err
	}
	_ = f.SetCellStyle("活动记录", "A1", "Q2", bold)
	_ = f.SetColWidth("活动记录", "B", "B", 17)
	_ = f.SetColWidth("活动记录", "C", "D", 28)
	_ = f.SetColWidth("活动记录", "O", "P", 40)

	if _, err := f.NewSheet("出勤明细"); err != nil {
		return nil, err
	}
	rows = [][]any{{"时间", "主题", "党员", "出勤情况", "原因"}}
	for _, e := range b.Entries {
		for _, it := range e.Attendance.Items {
			rows = append(rows, []any{life.CSTTime(e.Activity.StartsAt), e.Activity.Topic, it.Name, attendanceZH[it.State], it.Reason})
		}
	}
	if err := write("出勤明细", rows); err != nil {
		return nil, err
	}
	_ = f.SetCellStyle("出勤明细", "A1", "E1", bold)

	if _, err := f.NewSheet("民主评议"); err != nil {
		return nil, err
	}
	rows = [][]any{{"时间", "党员", "个人自评", "评议等次", "限期整改日期"}}
	for _, e := range b.Entries {
		if e.Appraisals == nil {
			continue
		}
		for _, it := range e.Appraisals.Items {
			rows = append(rows, []any{life.CSTTime(e.Activity.StartsAt), it.Name, it.SelfSummary, gradeZH[it.Grade], it.CorrectionDeadline})
		}
	}
	if err := write("民主评议", rows); err != nil {
		return nil, err
	}
	_ = f.SetCellStyle("民主评议", "A1", "E1", bold)

	if _, err := f.NewSheet("年度完成情况"); err != nil {
		return nil, err
	}
	rows = [][]any{{"规则", "期间", "要求次数", "开展次数", "完成情况", "依据"}}
	for _, fd := range b.Findings {
		rows = append(rows, []any{fd.Rule, fd.Period, fd.Required, fd.Held, statusZH[fd.Status], fd.Source})
	}
	if err := write("年度完成情况", rows); err != nil {
		return nil, err
	}
	_ = f.SetCellStyle("年度完成情况", "A1", "F1", bold)
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// PrintHandler is the record book's only script, its 打印 button; the page's
// Content-Security-Policy allows exactly this text (httpx.AllowInlineHandlers).
const PrintHandler = "window.print()"

var bookTmpl = template.Must(template.New("book").Funcs(template.FuncMap{
	"printHandler": func() template.JS { return PrintHandler },
	"cst":          life.CSTTime, "pct": func(f float64) string { return fmt.Sprintf("%.0f%%", f*100) },
	"att": func(s string) string { return attendanceZH[s] }, "grade": func(s string) string { return gradeZH[s] },
	"status": func(s rules.Status) string { return statusZH[s] }, "inc": func(i int) int { return i + 1 },
}).Parse(`<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>{{.Book.OrgName}} {{.Book.Year}}年组织生活记录本</title>
<style>body{font:14px/1.6 "Noto Serif CJK SC","Songti SC",serif;max-width:190mm;margin:0 auto;padding:10mm;color:#000}
h1{text-align:center;font-size:22px;margin:0 0 4mm}h2{font-size:16px;border-bottom:1px solid #000;margin:8mm 0 2mm}
table{border-collapse:collapse;width:100%;margin:2mm 0}td,th{border:1px solid #000;padding:1mm 2mm;vertical-align:top;font-size:12px}
th{background:#eee}.meta td:first-child{width:22mm;font-weight:bold}.entry{page-break-inside:avoid}.minutes{white-space:pre-wrap}
.sub{text-align:center;color:#333}@media print{body{padding:0}.noprint{display:none}}</style></head><body>
<p class="noprint"><button onclick="{{printHandler}}">打印 / Print</button></p>
<h1>{{.Book.OrgName}}</h1><p class="sub">{{.Book.Year}}年组织生活记录本 · 生成于 {{cst .Book.Printed}}</p>
<h2>年度完成情况</h2><table><tr><th>规则</th><th>期间</th><th>要求</th><th>开展</th><th>情况</th><th>依据</th></tr>
{{range .Book.Findings}}<tr><td>{{.Rule}}</td><td>{{.Period}}</td><td>{{.Required}}</td><td>{{.Held}}</td><td>{{status .Status}}</td><td>{{.Source}}</td></tr>{{end}}</table>
{{range $i, $e := .Book.Entries}}<div class="entry"><h2>{{inc $i}}. {{$e.Activity.Topic}}</h2>
<table class="meta"><tr><td>时间</td><td>{{cst $e.Activity.StartsAt}}</td><td>类型</td><td>{{index $.Kinds $i}}</td></tr>
<tr><td>地点</td><td>{{$e.Activity.Place}}</td><td>主持人</td><td>{{$e.Activity.Host}}</td></tr>
<tr><td>记录人</td><td>{{$e.Activity.Recorder}}</td><td>授课人</td><td>{{$e.Activity.Speaker}}</td></tr>
<tr><td>出勤</td><td colspan="3">应到{{$e.Attendance.Expected}}人，出席{{$e.Attendance.Present}}人，请假{{$e.Attendance.Leave}}人，缺席{{$e.Attendance.Absent}}人，免参加{{$e.Attendance.Exempt}}人，出席率{{pct $e.Attendance.Rate}}</td></tr>
<tr><td>出勤明细</td><td colspan="3">{{range $e.Attendance.Items}}{{.Name}}（{{att .State}}{{if .Reason}}：{{.Reason}}{{end}}） {{end}}</td></tr>
<tr><td>会议记录</td><td colspan="3" class="minutes">{{$e.Activity.Minutes}}</td></tr>
{{if $e.Activity.Resolutions}}<tr><td>决议事项</td><td colspan="3" class="minutes">{{$e.Activity.Resolutions}}</td></tr>{{end}}</table>
{{if $e.Appraisals}}<table><tr><th>党员</th><th>个人自评</th><th>评议等次</th><th>限期整改</th></tr>{{range $e.Appraisals.Items}}<tr><td>{{.Name}}</td><td>{{.SelfSummary}}</td><td>{{grade .Grade}}</td><td>{{.CorrectionDeadline}}</td></tr>{{end}}</table>{{end}}
{{if $e.Problems}}<table><tr><th>问题</th><th>整改措施</th><th>责任人</th><th>时限</th><th>完成</th></tr>{{range $e.Problems}}<tr><td>{{.Problem}}</td><td>{{.Measure}}</td><td>{{.Owner}}</td><td>{{.Deadline}}</td><td>{{if .DoneAt}}{{cst .DoneAt.UTC}} {{.DoneNote}}{{else}}未完成{{end}}</td></tr>{{end}}</table>{{end}}
</div>{{end}}</body></html>`))

// HTML renders the record book as a print-friendly page.
func (b *RecordBook) HTML(p *rules.Pack) ([]byte, error) {
	kinds := make([]string, len(b.Entries))
	for i, e := range b.Entries {
		kinds[i] = kindNames(p, e.Activity.Kinds)
	}
	var buf bytes.Buffer
	err := bookTmpl.Execute(&buf, struct {
		Book  *RecordBook
		Kinds []string
	}{b, kinds})
	return buf.Bytes(), err
}

// recordBookRoutes are the routes of the year's record book.
func (s *Store) recordBookRoutes() []httpx.Route {
	return []httpx.Route{
		{Method: "GET", Path: "/api/v1/orgs/{id}/record-book", Tag: "life", Summary: "The year's 组织生活记录本 of an organization: a print-friendly page, or .xlsx with format=xlsx", Perm: auth.NeedRead,
			Query: []httpx.Param{{Name: "year", Type: "integer"}, {Name: "format", Type: "string", Enum: []string{"html", "xlsx"}}}, RespType: "text/html", Heavy: true,
			Handle: func(w http.ResponseWriter, r *http.Request) error {
				n, err := httpx.PathID(r, "id", "f.org")
				if err != nil {
					return err
				}
				year, err := httpx.QueryYear(r, "year", rules.PeriodOf(rules.Year, s.Clock.Now()).Year)
				if err != nil {
					return err
				}
				book, err := s.Book(r.Context(), auth.From(r.Context()), n, year)
				if err != nil {
					return err
				}
				format := map[bool]string{true: "xlsx", false: "html"}[r.URL.Query().Get("format") == "xlsx"]
				if err := s.AuditBook(r.Context(), auth.From(r.Context()), book, format); err != nil {
					return err
				}
				if format == "xlsx" {
					b, err := book.XLSX(s.Pack())
					if err != nil {
						return err
					}
					w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
					w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(fmt.Sprintf("%s-%d年组织生活记录本.xlsx", book.OrgName, year)))
					_, err = w.Write(b)
					return err
				}
				b, err := book.HTML(s.Pack())
				if err != nil {
					return err
				}
				httpx.AllowInlineHandlers(w, PrintHandler)
				w.Header().Set("Content-Type", "text/html; charset=utf-8")
				_, err = w.Write(b)
				return err
			}},
	}
}
