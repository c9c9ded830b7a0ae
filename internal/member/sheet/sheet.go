package sheet

import (
	"bufio"
	"encoding/csv"
	"errors"
	"io"
	"math"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"

	"dangjian/internal/member"
	"dangjian/internal/org"
	"dangjian/internal/platform/httpx"
	"dangjian/internal/platform/i18n"
)

// The roster's sheet: the 16 member items of the national information collection
// (REGULATIONS §11) as columns with Chinese headers, shared by the import template, the
// import and the export.

type colKind int

const (
	colText colKind = iota
	colEnum
	colDate
	colBranch
	colGroup
)

// column is one column of the roster sheet.
type column struct {
	Header   string   // the header of the template and the export
	Field    string   // the JSON field name issues carry
	Aliases  []string // other headers accepted on import
	Required bool     // a file without the column cannot be imported
	Kind     colKind
	Enum     *member.Enum
	Note     string // what to fill in, for the template's 填写说明
	Width    float64
}

// Columns are the roster's columns in the order of the template and the export.
var Columns = []column{
	{Header: "姓名", Field: "name", Required: true, Note: "必填，不超过30个字", Width: 10},
	{Header: "性别", Field: "sex", Kind: colEnum, Enum: member.Sexes, Aliases: []string{"性 别"}, Note: "可不填，按公民身份号码自动识别；填写时须与号码一致", Width: 6},
	{Header: "民族", Field: "ethnicity", Kind: colEnum, Enum: member.Ethnicities, Required: true, Note: "必填，56个民族之一（如“汉族”），也可填两位代码", Width: 10},
	{Header: "公民身份号码", Field: "id_number", Required: true, Aliases: []string{"身份证号", "身份证号码", "公民身份证号码", "身份证件号码", "身份证"},
		Note: "必填，18位居民身份号码，末位可为X；请将单元格设为文本格式，以免Excel改写号码", Width: 21},
	{Header: "出生日期", Field: "birth_date", Kind: colDate, Note: "可不填，按公民身份号码自动识别；格式如 1980-05-01、1980/5/1、1980.05.01、19800501 或Excel日期", Width: 12},
	{Header: "学历", Field: "education", Kind: colEnum, Enum: member.Educations, Aliases: []string{"文化程度"}, Note: "可不填", Width: 12},
	{Header: "籍贯", Field: "native_place", Note: "可不填，不超过50个字", Width: 14},
	{Header: "人员类别", Field: "category", Kind: colEnum, Enum: member.Categories, Required: true, Aliases: []string{"党员类别"}, Note: "必填，正式党员或预备党员", Width: 10},
	{Header: "所在党支部", Field: "org_id", Kind: colBranch, Aliases: []string{"所在支部", "所在党组织", "党支部"},
		Note: "所导入组织下的党支部全称或简称；导入到某个党支部时可不填", Width: 30},
	{Header: "党小组", Field: "group_id", Kind: colGroup, Aliases: []string{"所在党小组"}, Note: "可不填；填写时须为该党支部下的党小组名称", Width: 12},
	{Header: "入党日期", Field: "join_date", Kind: colDate, Required: true, Aliases: []string{"入党时间"}, Note: "必填，日期格式同出生日期；入党时应年满18周岁", Width: 12},
	{Header: "转正日期", Field: "full_date", Kind: colDate, Aliases: []string{"转为正式党员日期", "转正时间"}, Note: "正式党员必填，预备党员不填；应晚于入党日期", Width: 12},
	{Header: "工作岗位", Field: "position", Aliases: []string{"岗位"}, Note: "可不填，不超过100个字", Width: 16},
	{Header: "手机号码", Field: "phone", Aliases: []string{"联系电话", "手机号", "联系方式"}, Note: "可不填，11位手机号码", Width: 14},
	{Header: "家庭住址", Field: "address", Aliases: []string{"家庭地址", "住址", "现居住地"}, Note: "可不填，不超过200个字", Width: 30},
	{Header: "党籍状态", Field: "status", Kind: colEnum, Enum: member.Statuses, Aliases: []string{"状态"}, Note: "可不填，不填为“在册”", Width: 10},
}

// extraColumns are accepted on import but not part of the template.
var extraColumns = []column{
	{Header: "状态说明", Field: "status_note"},
}

// ignoredHeaders are columns of our own exports and error workbooks that an import skips
// without a warning.
var ignoredHeaders = map[string]bool{"序号": true, "年龄": true, "错误": true, "行号": true}

// ErrorHeader is the header of the column the error workbook adds.
const ErrorHeader = "错误"

func init() {
	i18n.Register(map[string][2]string{
		"f.import":                  {"导入记录", "Import"},
		"f.import.org":              {"导入到的组织", "Organization to import into"},
		"f.import.file":             {"导入文件", "Import file"},
		"v.bool":                    {"%s：应为 true 或 false", "%s: must be true or false"},
		"v.branch_unknown":          {"%s：“%s”不是本次导入范围内的党支部", "%s: \"%s\" is not a branch within the organization imported into"},
		"v.branch_ambiguous":        {"%s：“%s”对应多个党支部，请填写全称", "%s: \"%s\" matches several branches; use the full name"},
		"v.import.missing_columns":  {"文件缺少必填列：%s", "The file lacks required columns: %s"},
		"v.import.duplicate_column": {"列“%s”出现了多次", "The column \"%s\" appears more than once"},
		"v.import.no_header":        {"未找到表头行（应包含“姓名”“公民身份号码”等列）", "No header row found (it should have columns such as 姓名 and 公民身份号码)"},
		"v.import.no_rows":          {"文件中没有数据行", "The file has no data rows"},
		"v.import.format":           {"无法读取文件（%s），请上传 .xlsx 或 .csv 文件", "Cannot read the file (%s); upload an .xlsx or .csv file"},
		"v.import.xls":              {"不支持旧版 .xls 文件，请在 Excel 中另存为 .xlsx 后上传", "Old .xls files are not supported; save the file as .xlsx in Excel and upload it again"},
		"v.import.no_file":          {"请上传文件（表单字段 file）", "Upload a file (form field \"file\")"},
		"v.import.row_cells":        {"第%d行：单元格过多", "Row %d: too many cells"},
		"import.unknown_columns":    {"已忽略无法识别的列：%s", "Ignored columns that were not recognised: %s"},
		"import.errors_truncated":   {"此处仅列出前%d条错误（共%d条），完整列表见错误报告工作簿", "Only the first %d of %d errors are listed here; the error workbook has them all"},
		"import.changed":            {"第%d行：导入期间数据发生变化，已全部撤销，请重新导入", "Row %d: the data changed during the import; everything was rolled back, please import again"},
		"import.nothing_applied":    {"存在错误，未导入任何数据；请修改后重新导入，或选择跳过错误行", "There are errors, so nothing was imported; correct them and import again, or choose to skip the bad rows"},
		"import.dry_run_ok":         {"检查通过，可以正式导入", "The check passed; the file can be imported"},
	})
}

// normHeader makes a header comparable: no spaces of any width, no required-markers.
func normHeader(s string) string {
	s = strings.TrimPrefix(s, "\ufeff")
	var b strings.Builder
	for _, r := range s {
		if unicode.IsSpace(r) || r == '*' || r == '＊' || r == '\u200b' || r == '\ufeff' {
			continue
		}
		b.WriteRune(r)
	}
	out := b.String()
	for _, suf := range []string{"（必填）", "(必填)", "【必填】"} {
		out = strings.TrimSuffix(out, suf)
	}
	return out
}

var headerIndex = func() map[string]*column {
	m := map[string]*column{}
	add := func(c *column) {
		m[normHeader(c.Header)] = c
		for _, a := range c.Aliases {
			m[normHeader(a)] = c
		}
	}
	for i := range Columns {
		add(&Columns[i])
	}
	for i := range extraColumns {
		add(&extraColumns[i])
	}
	return m
}()

// layout is where each known column sits in a file.
type layout struct {
	HeaderRow int
	Header    []string       // the header row as read
	pos       map[string]int // field → cell index
	header    map[string]string
	unknown   []string
}

// findLayout reads the header row: the first row (within the first 10) that names at least
// two known columns, so title rows above the header are tolerated.
func findLayout(row int, cells []string) (*layout, bool) {
	l := &layout{HeaderRow: row, pos: map[string]int{}, header: map[string]string{}}
	known := 0
	for i, c := range cells {
		h := normHeader(c)
		if h == "" {
			continue
		}
		col, ok := headerIndex[h]
		switch {
		case ok:
			if _, dup := l.pos[col.Field]; !dup {
				l.pos[col.Field] = i
				l.header[col.Field] = strings.TrimSpace(c)
			}
			known++
		case ignoredHeaders[h]:
		default:
			l.unknown = append(l.unknown, strings.TrimSpace(c))
		}
	}
	l.Header = append([]string(nil), cells...)
	return l, known >= 2
}

// fileIssues lists what makes the file unimportable as a whole: missing required columns
// (and 所在党支部 when the import's organization is not itself a branch), duplicated ones.
func (l *layout) fileIssues(needBranch bool) httpx.Issues {
	var is httpx.Issues
	var missing []string
	for _, c := range Columns {
		if _, ok := l.pos[c.Field]; !ok && (c.Required || (needBranch && c.Kind == colBranch)) {
			missing = append(missing, c.Header)
		}
	}
	if len(missing) > 0 {
		is = append(is, httpx.Issue{Field: "file", Row: l.HeaderRow, Msg: i18n.M("v.import.missing_columns", strings.Join(missing, "、"))})
	}
	seen := map[string]bool{}
	for _, c := range l.Header {
		h := normHeader(c)
		if col, ok := headerIndex[h]; ok {
			if seen[col.Field] {
				is = append(is, httpx.Issue{Field: "file", Row: l.HeaderRow, Column: strings.TrimSpace(c), Msg: i18n.M("v.import.duplicate_column", strings.TrimSpace(c))})
			}
			seen[col.Field] = true
		}
	}
	return is
}

// columnHeader is the header under which field appears in the file (or the template's).
func (l *layout) columnHeader(field string) string {
	if h, ok := l.header[field]; ok {
		return h
	}
	for _, c := range Columns {
		if c.Field == field {
			return c.Header
		}
	}
	for _, c := range extraColumns {
		if c.Field == field {
			return c.Header
		}
	}
	return field
}

func (l *layout) cell(cells []string, field string) string {
	i, ok := l.pos[field]
	if !ok || i >= len(cells) {
		return ""
	}
	return cells[i]
}

// branchIndex resolves the 所在党支部 and 党小组 cells within the import's organization.
type branchIndex struct {
	Root     *org.Ref
	byName   map[string][]*org.Ref
	groups   map[int64]map[string]int64
	Branches map[int64]*org.Ref
}

func newBranchIndex(root *org.Ref) *branchIndex {
	return &branchIndex{Root: root, byName: map[string][]*org.Ref{}, groups: map[int64]map[string]int64{}, Branches: map[int64]*org.Ref{}}
}

// addBranch registers a live branch under its full and short names.
func (b *branchIndex) addBranch(o *org.Ref, shortName string) {
	b.Branches[o.ID] = o
	for _, n := range uniqueNames(o.Name, shortName) {
		b.byName[n] = append(b.byName[n], o)
	}
}

// addGroup registers a live 党小组 of branch parent.
func (b *branchIndex) addGroup(parent, id int64, name, shortName string) {
	m := b.groups[parent]
	if m == nil {
		m = map[string]int64{}
		b.groups[parent] = m
	}
	for _, n := range uniqueNames(name, shortName) {
		if _, dup := m[n]; dup {
			m[n] = -1 // ambiguous
		} else {
			m[n] = id
		}
	}
}

func uniqueNames(name, short string) []string {
	name, short = normName(name), normName(short)
	if short == "" || short == name {
		return []string{name}
	}
	return []string{name, short}
}

func normName(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

// parsed is one data row after parsing and validation.
type parsed struct {
	Row    int
	Cells  []string // the row as the error workbook shows it (dates of date cells as text)
	F      member.Fields
	Branch *org.Ref
	Issues []httpx.Issue
}

// sheetDates tells how date cells of the source look: an .xlsx gives serial numbers for
// real date cells (read raw), a CSV never does.
type sheetDates struct {
	serials  bool
	date1904 bool
}

// parseRow turns the cells of one data row into a member's fields and validates them. It
// never touches the database: duplicates against the roster are checked by the caller.
func (l *layout) parseRow(row int, cells []string, bx *branchIndex, dates sheetDates, today string) *parsed {
	p := &parsed{Row: row, Cells: cells}
	raw := map[string]string{}
	get := func(field string) string {
		v := strings.TrimSpace(l.cell(cells, field))
		raw[field] = v
		return v
	}
	f := &p.F
	f.Name = get("name")
	f.Sex = parseEnum(member.Sexes, get("sex"))
	f.Ethnicity = parseEnum(member.Ethnicities, get("ethnicity"))
	f.IDNumber = normalizeID(get("id_number"))
	f.Education = parseEnum(member.Educations, get("education"))
	f.NativePlace = get("native_place")
	f.Category = parseEnum(member.Categories, get("category"))
	f.Position = get("position")
	f.Phone = normalizePhone(get("phone"))
	f.Address = get("address")
	f.Status = parseEnum(member.Statuses, get("status"))
	f.StatusNote = get("status_note")
	copied := false
	for _, d := range []struct {
		field string
		dst   *string
	}{{"birth_date", &f.BirthDate}, {"join_date", &f.JoinDate}, {"full_date", &f.FullDate}} {
		v := get(d.field)
		*d.dst = parseDate(v, dates)
		if i, ok := l.pos[d.field]; ok && i < len(cells) && *d.dst != v && isDate(*d.dst) {
			if !copied {
				p.Cells, copied = append([]string(nil), cells...), true
			}
			p.Cells[i] = *d.dst
		}
	}
	var is httpx.Issues
	branchName, groupName := get("org_id"), get("group_id")
	switch {
	case branchName == "" && bx.Root.Kind.HoldsMembers():
		f.OrgID, p.Branch = bx.Root.ID, bx.Root
	case branchName == "":
		// Validate reports it as required.
	default:
		refs := bx.byName[normName(branchName)]
		switch len(refs) {
		case 0:
			f.OrgID = -1
			is.Add("org_id", "f.member.org_id", "v.branch_unknown", httpx.Clip(branchName))
		case 1:
			f.OrgID, p.Branch = refs[0].ID, refs[0]
		default:
			f.OrgID = -1
			is.Add("org_id", "f.member.org_id", "v.branch_ambiguous", httpx.Clip(branchName))
		}
	}
	if groupName != "" && p.Branch != nil {
		if id := bx.groups[p.Branch.ID][normName(groupName)]; id > 0 {
			f.GroupID = id
		} else {
			is.Add("group_id", "f.member.group_id", "v.group_not_in_org")
		}
	}
	idGiven := f.IDNumber != ""
	for _, x := range f.Validate(today) {
		// The birth date and the sex come from a valid ID number when left empty: with a
		// bad number, its own error says enough.
		if idGiven && x.Msg.Key == "v.required" && (x.Field == "birth_date" || x.Field == "sex") && raw[x.Field] == "" {
			continue
		}
		is = append(is, x)
	}
	for i := range is {
		is[i].Row = row
		is[i].Column = l.columnHeader(is[i].Field)
		is[i].Value = raw[is[i].Field]
	}
	p.Issues = is
	return p
}

// enumAliases are other words people write in the roster's enum columns.
var enumAliases = map[*member.Enum]map[string]string{
	member.Sexes:      {"男性": "male", "女性": "female"},
	member.Categories: {"正式": "full", "预备": "probationary"},
	member.Statuses:   {"正常": "active", "在籍": "active"},
	member.Educations: {"博士": "doctor", "研究生": "master", "硕士": "master", "本科": "bachelor", "大学": "bachelor", "大专": "college",
		"专科": "college", "中技": "secondary", "中专中技": "secondary", "技校": "secondary", "职高": "secondary", "高中": "high",
		"初中": "junior", "小学": "primary", "小学及以下": "primary"},
}

// parseEnum reads a label or a code; what it cannot read is returned as is, for Validate
// to report with the value.
func parseEnum(e *member.Enum, s string) string {
	if s == "" {
		return ""
	}
	if c, ok := e.Parse(s); ok {
		return c
	}
	if c, ok := enumAliases[e][s]; ok {
		return c
	}
	if e == member.Ethnicities {
		if c, ok := e.Parse(s + "族"); ok {
			return c
		}
		if n, err := strconv.Atoi(s); err == nil && n >= 1 && n <= 56 { // "1" for "01" from a numeric cell
			return strconv.Itoa(n/10) + strconv.Itoa(n%10)
		}
	}
	return s
}

// normalizeID removes the spaces people type inside ID numbers and a leading apostrophe
// (Excel's text marker, when a CSV was made by hand).
func normalizeID(s string) string {
	s = strings.TrimPrefix(s, "'")
	s = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '-' {
			return -1
		}
		if r == 'ｘ' || r == 'Ｘ' {
			return 'X'
		}
		if r >= '０' && r <= '９' {
			return '0' + (r - '０')
		}
		return r
	}, s)
	return strings.ToUpper(s)
}

func normalizePhone(s string) string {
	s = strings.TrimPrefix(s, "'")
	s = strings.TrimPrefix(strings.TrimPrefix(s, "+86"), "86-")
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '-' {
			return -1
		}
		return r
	}, s)
}

var (
	serialRe = regexp.MustCompile(`^[0-9]{1,6}(\.[0-9]+)?$`)
	ymdRe    = regexp.MustCompile(`^([0-9]{4})\s*[-/.年]\s*([0-9]{1,2})\s*[-/.月]\s*([0-9]{1,2})\s*日?$`)
)

// parseDate accepts 2006-01-02, 2006/1/2, 2006.01.02, 2006年1月2日, 20060102, an ISO
// instant, and Excel date serials from date cells; anything else is returned unchanged
// for Validate to report.
func parseDate(s string, d sheetDates) string {
	if s == "" {
		return ""
	}
	if len(s) == 8 && allDigits(s) {
		if t, err := time.Parse("20060102", s); err == nil {
			return t.Format("2006-01-02")
		}
		return s
	}
	if m := ymdRe.FindStringSubmatch(s); m != nil {
		y, _ := strconv.Atoi(m[1])
		mo, _ := strconv.Atoi(m[2])
		da, _ := strconv.Atoi(m[3])
		t := time.Date(y, time.Month(mo), da, 0, 0, 0, 0, time.UTC)
		if t.Year() == y && int(t.Month()) == mo && t.Day() == da {
			return t.Format("2006-01-02")
		}
		return s
	}
	if len(s) > 10 && (s[10] == 'T' || s[10] == ' ') && isDate(s[:10]) {
		return s[:10]
	}
	if d.serials && serialRe.MatchString(s) {
		v, err := strconv.ParseFloat(s, 64)
		if err == nil && v >= 1 && v < 2958466 {
			if t, err := excelize.ExcelDateToTime(math.Floor(v), d.date1904); err == nil {
				return t.Format("2006-01-02")
			}
		}
	}
	return s
}

// source is a stream of rows from an uploaded file; Row numbers are the spreadsheet's.
type source interface {
	Next() bool
	Row() (int, []string)
	Err() error
	Close() error
	Dates() sheetDates
}

// maxCells bounds the cells of one row (a malformed file must not exhaust memory).
const maxCells = 256

// openSource opens an uploaded file that was stored at path; kind is "xlsx" or "csv".
func openSource(path, kind, tmpDir string) (source, error) {
	if kind == "xlsx" {
		return openXLSX(path, tmpDir)
	}
	return openCSV(path)
}

type xlsxSource struct {
	f     *excelize.File
	rows  *excelize.Rows
	n     int
	cur   []string
	err   error
	dates sheetDates
}

func openXLSX(path, tmpDir string) (*xlsxSource, error) {
	f, err := excelize.OpenFile(path, excelize.Options{RawCellValue: true, UnzipXMLSizeLimit: xlsxInMemory, UnzipSizeLimit: 2 << 30, TmpDir: tmpDir})
	if err != nil {
		return nil, formatError(err)
	}
	sheet := ""
	for _, name := range f.GetSheetList() {
		if name == "填写说明" || name == "选项" {
			continue
		}
		if v, err := f.GetSheetVisible(name); err == nil && !v {
			continue
		}
		sheet = name
		break
	}
	if sheet == "" {
		f.Close()
		return nil, formatError(errors.New("no worksheet"))
	}
	s := &xlsxSource{f: f, dates: sheetDates{serials: true}}
	if p, err := f.GetWorkbookProps(); err == nil && p.Date1904 != nil {
		s.dates.date1904 = *p.Date1904
	}
	if s.rows, err = f.Rows(sheet); err != nil {
		f.Close()
		return nil, formatError(err)
	}
	return s, nil
}

func (s *xlsxSource) Next() bool {
	if s.err != nil || !s.rows.Next() {
		return false
	}
	s.n++
	s.cur, s.err = s.rows.Columns()
	if s.err == nil && len(s.cur) > maxCells {
		s.err = httpx.Invalid(httpx.Issue{Field: "file", Row: s.n, Msg: i18n.M("v.import.row_cells", s.n)})
	}
	if s.err == nil {
		s.err = checkRow(s.n, s.cur)
	}
	return s.err == nil
}

func (s *xlsxSource) Row() (int, []string) { return s.n, s.cur }
func (s *xlsxSource) Dates() sheetDates    { return s.dates }

func (s *xlsxSource) Err() error {
	if s.err != nil {
		return formatError(s.err)
	}
	if err := s.rows.Error(); err != nil {
		return formatError(err)
	}
	return nil
}

func (s *xlsxSource) Close() error {
	err := s.rows.Close()
	return errors.Join(err, s.f.Close())
}

type csvSource struct {
	file  *os.File
	cap   *recordCap
	r     *csv.Reader
	n     int
	extra int // lines taken by line breaks inside quoted cells so far
	cur   []string
	err   error
}

// openCSV opens a CSV file in UTF-8 (with or without BOM) or, as Excel on Chinese Windows
// saves it, GB18030; the encoding is told from the first 64 KiB.
func openCSV(path string) (*csvSource, error) {
	file, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	br := bufio.NewReaderSize(file, 64<<10)
	head, _ := br.Peek(64 << 10)
	var rd io.Reader = br
	if len(head) >= 3 && string(head[:3]) == "\ufeff" {
		_, _ = br.Discard(3)
	} else if !validUTF8Prefix(head) {
		rd = transform.NewReader(br, simplifiedchinese.GB18030.NewDecoder())
	}
	// A record may take twice a row's limit in the file (quotes, separators), no more.
	rc := &recordCap{r: rd, limit: 2 * maxRowBytes}
	r := csv.NewReader(rc)
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	r.ReuseRecord = false
	if len(head) > 0 && !strings.ContainsAny(firstLine(head), ",") {
		switch {
		case strings.Contains(firstLine(head), "\t"):
			r.Comma = '\t'
		case strings.Contains(firstLine(head), ";"):
			r.Comma = ';'
		}
	}
	return &csvSource{file: file, cap: rc, r: r}, nil
}

func firstLine(b []byte) string {
	s := string(b)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// validUTF8Prefix is utf8.Valid allowing one rune cut off at the end of the chunk.
func validUTF8Prefix(b []byte) bool {
	i := len(b) - 1
	for n := 0; i > 0 && n < utf8.UTFMax-1 && b[i]&0xC0 == 0x80; n++ {
		i--
	}
	if i >= 0 && !utf8.FullRune(b[i:]) {
		b = b[:i]
	}
	return utf8.Valid(b)
}

func (s *csvSource) Next() bool {
	if s.err != nil {
		return false
	}
	s.cap.n = 0
	rec, err := s.r.Read()
	if err == io.EOF {
		return false
	}
	if errors.Is(err, errRecordLong) {
		s.err = rowLong(s.n + 1)
		return false
	}
	if err != nil {
		s.err = err
		return false
	}
	start, _ := s.r.FieldPos(0)
	end, _ := s.r.FieldPos(len(rec) - 1)
	s.n = start - s.extra
	// A field's position is where it starts: count the line breaks inside the last one too.
	s.extra += end - start + strings.Count(rec[len(rec)-1], "\n")
	if len(rec) > maxCells {
		s.err = httpx.Invalid(httpx.Issue{Field: "file", Row: s.n, Msg: i18n.M("v.import.row_cells", s.n)})
		return false
	}
	if s.err = checkRow(s.n, rec); s.err != nil {
		return false
	}
	for i, c := range rec {
		rec[i] = strings.TrimPrefix(c, "\ufeff")
	}
	s.cur = rec
	return true
}

func (s *csvSource) Row() (int, []string) { return s.n, s.cur }
func (s *csvSource) Dates() sheetDates    { return sheetDates{} }

func (s *csvSource) Err() error {
	if s.err != nil {
		var he *httpx.Error
		if errors.As(s.err, &he) {
			return he
		}
		return formatError(s.err)
	}
	return nil
}

func (s *csvSource) Close() error { return s.file.Close() }

// formatError is an unreadable file, as a validation error on the file.
func formatError(err error) error {
	var he *httpx.Error
	if errors.As(err, &he) {
		return he
	}
	return httpx.Invalid(httpx.Issue{Field: "file", Msg: i18n.M("v.import.format", err.Error())})
}

// blank tells whether a row has no content.
func blank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

func isDate(s string) bool {
	_, err := time.Parse("2006-01-02", s)
	return err == nil
}

func allDigits(s string) bool {
	for _, r := range s {
		if !unicode.IsDigit(r) {
			return false
		}
	}
	return true
}
