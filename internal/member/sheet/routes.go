// Package sheet is the roster as a spreadsheet: the import template, the import of an
// .xlsx or .csv roster (checked row by row, applied all or nothing) with its error
// workbook, and the export of the filtered roster. The members' field rules and their
// store are member's: a row becomes member.Fields, checked by Fields.Validate and written
// by member.Insert.
package sheet

import (
	"errors"
	"io"
	"net/http"
	"net/url"

	"dangjian/internal/member"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/files"
	"dangjian/internal/platform/httpx"
	"dangjian/internal/platform/i18n"
)

// Store imports and exports rosters through the member store.
type Store struct {
	Members *member.Store
	Dir     string // where import reports (error workbooks) are kept
	// Unzip bounds what an uploaded .xlsx may inflate to (zero: files.DefaultZipLimits).
	Unzip files.ZipLimits
	// ImportBatch is how many rows an import commits per transaction (zero: importBatch on
	// SQLite, all on PostgreSQL).
	ImportBatch int
	afterBatch  func(committed int) // tests: called between an import's batches
}

// xlsxType is the content type of .xlsx answers.
const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// attachment sets the headers of a workbook download named name.
func attachment(w http.ResponseWriter, name string) {
	w.Header().Set("Content-Type", xlsxType)
	w.Header().Set("Content-Disposition", "attachment; filename=\"roster.xlsx\"; filename*=UTF-8''"+url.PathEscape(name))
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
}

func boolParam(q url.Values, name string, def bool) (bool, error) {
	switch q.Get(name) {
	case "":
		return def, nil
	case "true", "1":
		return true, nil
	case "false", "0":
		return false, nil
	}
	return false, httpx.Invalid(httpx.Issue{Field: name, Value: q.Get(name), Msg: i18n.M("v.bool", name)})
}

// Routes are the import and export endpoints.
func (s *Store) Routes() []httpx.Route {
	write := "admin, org_staff, secretary: into their subtree"
	return []httpx.Route{
		{Method: "GET", Path: "/api/v1/members/import/template", Tag: "members", Summary: "The .xlsx import template (the national roster's 16 columns, with 填写说明)",
			Perm: httpx.AnyUser, RespType: xlsxType, Handle: func(w http.ResponseWriter, r *http.Request) error {
				f, err := Template()
				if err != nil {
					return err
				}
				defer f.Close()
				attachment(w, "党员信息导入模板.xlsx")
				_, err = f.WriteTo(w)
				return err
			}},
		{Method: "POST", Path: "/api/v1/members/import", Tag: "members", Perm: auth.NeedWriteMembers, Access: write, Multipart: true, MaxBody: 64 << 20, Resp: ImportReport{}, Heavy: true,
			Summary: "Import members from an .xlsx or .csv roster: a dry run checks every row; a real run applies all rows or none (unless skip_invalid)",
			Query: []httpx.Param{
				{Name: "org", Type: "integer", Doc: "organization imported into (required): rows name branches of its subtree; when it is a branch, 所在党支部 may be empty"},
				{Name: "dry_run", Type: "boolean", Doc: "only check (default true)"},
				{Name: "skip_invalid", Type: "boolean", Doc: "apply the good rows even when some rows are bad (default false)"},
			}, Handle: s.handleImport},
		{Method: "GET", Path: "/api/v1/members/import/{id}/errors.xlsx", Tag: "members", RespType: xlsxType,
			Summary: "The bad rows of an import with an added 错误 column", Perm: httpx.AnyUser, Access: "the user who ran the import, and admins",
			Handle: func(w http.ResponseWriter, r *http.Request) error {
				f, err := s.ImportErrors(auth.From(r.Context()), r.PathValue("id"))
				if err != nil {
					return err
				}
				defer f.Close()
				attachment(w, "导入错误报告.xlsx")
				_, err = io.Copy(w, f)
				return err
			}},
		{Method: "GET", Path: "/api/v1/members/export", Tag: "members", RespType: xlsxType, Heavy: true,
			Summary: "The filtered roster as .xlsx (template columns plus 年龄); reveal=true shows ID and phone numbers in full where the caller may (audited)",
			Perm:    auth.NeedReadOrOwn,
			Query:   append(append([]httpx.Param{}, member.ListParams...), httpx.Param{Name: "reveal", Type: "boolean", Doc: "full ID and phone numbers where the caller's role allows (audited)"}),
			Handle:  s.handleExport},
	}
}

func (s *Store) handleImport(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	orgID, err := httpx.QueryID(r, "org")
	if err != nil {
		return err
	}
	dry, err := boolParam(q, "dry_run", true)
	if err != nil {
		return err
	}
	skip, err := boolParam(q, "skip_invalid", false)
	if err != nil {
		return err
	}
	sc := auth.From(r.Context())
	// Refuse before reading the upload.
	if _, err := s.importRoot(r.Context(), sc, orgID); err != nil {
		return err
	}
	mr, err := r.MultipartReader()
	if err != nil {
		return httpx.Invalid(httpx.Issue{Field: "file", Msg: i18n.M("v.import.no_file")})
	}
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			return httpx.Invalid(httpx.Issue{Field: "file", Msg: i18n.M("v.import.no_file")})
		}
		if err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				return err
			}
			return httpx.BadRequest(i18n.M("v.import.no_file"))
		}
		if part.FormName() != "file" {
			part.Close()
			continue
		}
		rep, err := s.Import(r.Context(), sc, ImportOptions{OrgID: orgID, DryRun: dry, SkipInvalid: skip, Filename: part.FileName()}, part)
		part.Close()
		if err != nil {
			return err
		}
		return httpx.JSON(w, http.StatusOK, rep)
	}
}

func (s *Store) handleExport(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f, err := member.ParseFilter(q)
	if err != nil {
		return err
	}
	reveal, err := boolParam(q, "reveal", false)
	if err != nil {
		return err
	}
	e, err := s.Export(r.Context(), auth.From(r.Context()), f, reveal)
	if err != nil {
		return err
	}
	defer e.Close()
	attachment(w, s.ExportFilename())
	_, err = e.WriteTo(w)
	return err
}
