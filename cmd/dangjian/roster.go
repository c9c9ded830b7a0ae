package main

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"

	"dangjian/internal/member"
	"dangjian/internal/member/sheet"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/httpx"
	"dangjian/internal/platform/i18n"
)

func init() {
	register("import", "import members from an .xlsx or .csv roster (same checks as the API)", importRoster)
	register("export", "export the roster of a subtree to .xlsx", exportRoster)
}

func cliLang(s string) i18n.Lang {
	if s == "en" || s == "en-US" {
		return i18n.EN
	}
	return i18n.ZH
}

// printProblem prints a refused request in lang, one issue a line.
func printProblem(lang i18n.Lang, err error) error {
	var he *httpx.Error
	if !errors.As(err, &he) {
		return err
	}
	fmt.Fprintln(os.Stderr, he.Detail.Render(lang))
	for _, is := range httpx.RenderIssues(lang, he.Issues) {
		msg := is.Message
		if is.Row > 0 {
			msg = i18n.T(lang, "v.row", is.Row, msg)
		}
		fmt.Fprintln(os.Stderr, "  "+msg)
	}
	return errors.New(i18n.T(lang, "code."+he.Code))
}

func importRoster(ctx context.Context, args []string) error {
	f := newFlags("import", "Imports members into the subtree of --org from an .xlsx or .csv file with the template's Chinese headers.\n"+
		"Every row is checked first; unless --skip-invalid, nothing is imported when any row is bad.")
	dsn := f.dbFlag()
	dataDir := f.str("data-dir", "data", "directory for import reports (error workbooks)")
	orgID := f.Int64("org", 0, "organization id to import into")
	file := f.String("file", "", "the roster file (.xlsx or .csv)")
	dry := f.Bool("dry-run", false, "only check the file")
	skip := f.Bool("skip-invalid", false, "import the good rows even when some are bad")
	langFlag := f.str("lang", "zh", "language of the messages: zh or en")
	if err := f.Parse(args); err != nil {
		return err
	}
	lang := cliLang(*langFlag)
	if *file == "" {
		return errors.New("--file is required")
	}
	in, err := os.Open(*file)
	if err != nil {
		return err
	}
	defer in.Close()
	app, err := openApp(ctx, *dsn, *dataDir)
	if err != nil {
		return err
	}
	defer app.DB.Close()
	ctx = httpx.WithLang(httpx.WithClientIP(ctx, "cli"), lang)
	rep, err := app.Sheets.Import(ctx, auth.System(), sheet.ImportOptions{OrgID: *orgID, DryRun: *dry, SkipInvalid: *skip,
		Filename: filepath.Base(*file)}, in)
	if err != nil {
		return printProblem(lang, err)
	}
	for _, e := range rep.Errors {
		fmt.Println(e.Message)
	}
	for _, w := range rep.Warnings {
		fmt.Println(w)
	}
	if lang == i18n.EN {
		fmt.Printf("rows %d, valid %d, invalid %d, skipped %d, created %d, applied %v (import %s)\n",
			rep.TotalRows, rep.ValidRows, rep.InvalidRows, rep.SkippedRows, rep.Created, rep.Applied, rep.ImportID)
		if rep.ErrorWorkbook != "" {
			fmt.Println("error workbook:", rep.ErrorWorkbook)
		}
	} else {
		fmt.Printf("共%d行，正确%d行，错误%d行，跳过%d行，新增党员%d名，%s（批次 %s）\n",
			rep.TotalRows, rep.ValidRows, rep.InvalidRows, rep.SkippedRows, rep.Created, map[bool]string{true: "已导入", false: "未导入"}[rep.Applied], rep.ImportID)
		if rep.ErrorWorkbook != "" {
			fmt.Println("错误报告：", rep.ErrorWorkbook)
		}
	}
	if !rep.Applied && (rep.InvalidRows > 0 || len(rep.Errors) > 0) {
		return errors.New(i18n.T(lang, "import.nothing_applied"))
	}
	return nil
}

func exportRoster(ctx context.Context, args []string) error {
	f := newFlags("export", "Writes the roster of a subtree, filtered like the API's list, to an .xlsx file.")
	dsn := f.dbFlag()
	orgID := f.Int64("org", 0, "organization whose subtree to export (0: everything)")
	out := f.String("out", "", "the .xlsx file to write (default 党员名册-YYYYMMDD.xlsx)")
	reveal := f.Bool("reveal", false, "full ID and phone numbers (audited)")
	subtree := f.Bool("subtree", true, "include the whole subtree")
	q := url.Values{}
	for _, name := range []string{"status", "category", "sex", "age_band", "education", "field", "q", "sort"} {
		name := name
		f.Func(name, "filter "+name+" (as the list endpoint's parameter)", func(v string) error { q.Set(name, v); return nil })
	}
	if err := f.Parse(args); err != nil {
		return err
	}
	if *orgID != 0 {
		q.Set("org", strconv.FormatInt(*orgID, 10))
	}
	q.Set("subtree", strconv.FormatBool(*subtree))
	lang := i18n.ZH
	filter, err := member.ParseFilter(q)
	if err != nil {
		return printProblem(lang, err)
	}
	app, err := openApp(ctx, *dsn, "data")
	if err != nil {
		return err
	}
	defer app.DB.Close()
	ctx = httpx.WithClientIP(ctx, "cli")
	e, err := app.Sheets.Export(ctx, auth.System(), filter, *reveal)
	if err != nil {
		return printProblem(lang, err)
	}
	defer e.Close()
	path := *out
	if path == "" {
		path = app.Sheets.ExportFilename()
	}
	w, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := e.WriteTo(w); err != nil {
		w.Close()
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	fmt.Printf("exported %d members to %s\n", e.Count, path)
	return nil
}
