package sheet

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"dangjian/internal/member"
	"dangjian/internal/org"
	"dangjian/internal/platform/audit"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/clock"
	"dangjian/internal/platform/db"
	"dangjian/internal/platform/httpx"
	"dangjian/internal/platform/i18n"
	"dangjian/internal/tree"
)

// ImportOptions are the parameters of one import.
type ImportOptions struct {
	OrgID       int64  // the organization imported into: rows name branches of its subtree
	DryRun      bool   // check only
	SkipInvalid bool   // apply the good rows even when some are bad
	Filename    string // as uploaded, to tell .xlsx from .csv together with the content
}

// ImportError is one problem of one row.
type ImportError struct {
	Row     int    `json:"row"`
	Name    string `json:"name,omitempty"` // the row's 姓名 as typed, to tell rows apart
	Column  string `json:"column"`
	Field   string `json:"field"`
	Value   string `json:"value"`
	Message string `json:"message"`
}

// ImportReport is the answer of an import, dry or real.
type ImportReport struct {
	ImportID    string `json:"import_id"`
	DryRun      bool   `json:"dry_run"`
	Applied     bool   `json:"applied"`
	TotalRows   int    `json:"total_rows"`
	ValidRows   int    `json:"valid_rows"`
	InvalidRows int    `json:"invalid_rows"`
	SkippedRows int    `json:"skipped_rows"`
	Created     int    `json:"created"`
	// Errors are the first MaxReportErrors problems; ErrorsTotal counts them all and the
	// error workbook carries them all.
	Errors           []ImportError `json:"errors"`
	ErrorsTotal      int           `json:"errors_total"`
	Warnings         []string      `json:"warnings"`
	ErrorWorkbookURL string        `json:"error_workbook_url,omitempty"`
	// ErrorWorkbook is the error workbook's path on disk (for the command line).
	ErrorWorkbook string `json:"-"`
}

// MaxReportErrors bounds the errors listed in a report.
const MaxReportErrors = 1000

// importChunk is how many rows pass 1 checks against the roster in one query.
const importChunk = 500

// importKeep is how long import reports stay on disk.
const importKeep = 7 * 24 * time.Hour

// importMeta is kept next to an import's error workbook: who may download it.
type importMeta struct {
	UserID    int64     `json:"user_id"`
	Username  string    `json:"username"`
	OrgID     int64     `json:"org_id"`
	Filename  string    `json:"filename"`
	CreatedAt time.Time `json:"created_at"`
}

var importIDRe = regexp.MustCompile(`^[0-9a-f]{32}$`)

func newImportID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func (s *Store) importDir(id string) string { return filepath.Join(s.Dir, "imports", id) }

// importRoot checks the organization imported into: it exists, is live, and the caller may
// write members there.
func (s *Store) importRoot(ctx context.Context, sc *auth.Scope, orgID int64) (*org.Ref, error) {
	if orgID == 0 {
		return nil, httpx.Invalid(httpx.FieldIssue("org", "f.import.org", "v.required"))
	}
	o, err := org.ResolveField(ctx, s.Members.DB, sc, orgID, auth.WriteMembers, "org", "f.import.org")
	if err != nil {
		return nil, err
	}
	if o.Kind == org.Group {
		return nil, httpx.Invalid(httpx.FieldIssue("org", "f.import.org", "v.not_branch"))
	}
	return o, nil
}

// loadBranches indexes the live branches and 党小组 of root's subtree by name.
func loadBranches(ctx context.Context, q db.Querier, root *org.Ref) (*branchIndex, error) {
	bx := newBranchIndex(root)
	lo, hi := db.SubtreeRange(root.Path)
	err := db.Each(ctx, q, `SELECT id, COALESCE(parent_id, 0), path, name, short_name, kind, field FROM orgs
		WHERE path >= ? AND path < ? AND dissolved_at IS NULL AND kind IN (?, ?, ?, ?)`,
		[]any{lo, hi, string(org.Branch), string(org.JointBranch), string(org.TempBranch), string(org.Group)}, func(r db.Scanner) error {
			o := &org.Ref{Live: true}
			var short string
			if err := r.Scan(&o.ID, &o.ParentID, &o.Path, &o.Name, &short, &o.Kind, &o.Field); err != nil {
				return err
			}
			if o.Kind == org.Group {
				bx.addGroup(o.ParentID, o.ID, o.Name, short)
			} else {
				bx.addBranch(o, short)
			}
			return nil
		})
	if err != nil {
		return nil, err
	}
	return bx, nil
}

// sniff tells the kind of an upload from its first bytes and its name.
func sniff(head []byte, filename string) (string, error) {
	ext := strings.ToLower(filepath.Ext(filename))
	switch {
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		return "xlsx", nil
	case bytes.HasPrefix(head, []byte{0xD0, 0xCF, 0x11, 0xE0}) || ext == ".xls":
		return "", httpx.Invalid(httpx.Issue{Field: "file", Msg: i18n.M("v.import.xls")})
	case ext == ".xlsx" || ext == ".xlsm":
		return "", formatError(errors.New("not a zip archive"))
	case len(head) == 0:
		return "", httpx.Invalid(httpx.Issue{Field: "file", Msg: i18n.M("v.import.no_rows")})
	default:
		return "csv", nil
	}
}

// Import reads a roster file (.xlsx or .csv) into the subtree of opts.OrgID. Pass 1 checks
// every row and writes the bad ones to an error workbook; pass 2, unless it is a dry run
// or there are errors the caller did not ask to skip, inserts every good row in one
// transaction. Neither pass holds more than a chunk of rows in memory. File-level problems
// (unreadable file, missing columns) are an error naming the file; row problems are in the
// report.
func (s *Store) Import(ctx context.Context, sc *auth.Scope, opts ImportOptions, file io.Reader) (rep *ImportReport, err error) {
	root, err := s.importRoot(ctx, sc, opts.OrgID)
	if err != nil {
		return nil, err
	}
	now := s.Members.Clock.Now()
	s.pruneImports(now)
	id := newImportID()
	dir := s.importDir(id)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			_ = os.RemoveAll(dir)
		}
	}()
	br := newPeekReader(file)
	kind, err := sniff(br.head(8), opts.Filename)
	if err != nil {
		return nil, err
	}
	upload := filepath.Join(dir, "upload."+kind)
	if err := saveFile(upload, br); err != nil {
		return nil, err
	}
	// The upload holds personal data: it lives only as long as the import.
	defer os.Remove(upload)
	if kind == "xlsx" {
		if err := checkXLSX(upload, opts.Filename, s.Unzip); err != nil {
			return nil, err
		}
	}
	meta, _ := json.Marshal(importMeta{UserID: sc.UserID, Username: sc.Username, OrgID: root.ID, Filename: opts.Filename, CreatedAt: now})
	if err := os.WriteFile(filepath.Join(dir, "meta.json"), meta, 0o600); err != nil {
		return nil, err
	}
	bx, err := loadBranches(ctx, s.Members.DB, root)
	if err != nil {
		return nil, err
	}
	lang := httpx.Lang(ctx)
	rep = &ImportReport{ImportID: id, DryRun: opts.DryRun, Errors: []ImportError{}, Warnings: []string{}}
	// Pass 1 keeps the good rows, parsed, for pass 2: reading them back is much cheaper
	// than parsing the workbook again.
	var keep *os.File
	var keepW io.Writer // nil for a dry run
	if !opts.DryRun {
		if keep, err = os.OpenFile(filepath.Join(dir, "valid.jsonl"), os.O_CREATE|os.O_EXCL|os.O_RDWR, 0o600); err != nil {
			return nil, err
		}
		defer func() {
			keep.Close()
			os.Remove(keep.Name())
		}()
		keepW = keep
	}
	if err := s.checkFile(ctx, sc, lang, upload, kind, dir, root, bx, clock.Today(now), rep, keepW); err != nil {
		return nil, err
	}
	if rep.InvalidRows > 0 {
		rep.ErrorWorkbookURL = "/api/v1/members/import/" + id + "/errors.xlsx"
		rep.ErrorWorkbook = filepath.Join(dir, "errors.xlsx")
	}
	if rep.ErrorsTotal > len(rep.Errors) {
		rep.Warnings = append(rep.Warnings, i18n.T(lang, "import.errors_truncated", len(rep.Errors), rep.ErrorsTotal))
	}
	if opts.DryRun || rep.ValidRows == 0 || (rep.InvalidRows > 0 && !opts.SkipInvalid) {
		if err := s.auditCheck(ctx, sc, root, id, opts.Filename, rep); err != nil {
			return nil, err
		}
	}
	switch {
	case opts.DryRun:
		if rep.InvalidRows == 0 {
			rep.Warnings = append(rep.Warnings, i18n.T(lang, "import.dry_run_ok"))
		}
		return rep, nil
	case rep.ValidRows == 0 || (rep.InvalidRows > 0 && !opts.SkipInvalid):
		if rep.InvalidRows > 0 {
			rep.Warnings = append(rep.Warnings, i18n.T(lang, "import.nothing_applied"))
		}
		return rep, nil
	}
	if _, err := keep.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	created, err := s.applyRows(ctx, sc, keep, root, now, id, opts.Filename, rep.InvalidRows)
	var ch *changedError
	if errors.As(err, &ch) {
		rep.Warnings = append(rep.Warnings, i18n.T(lang, "import.changed", ch.row))
		for _, is := range ch.issues {
			rep.ErrorsTotal++
			rep.Errors = append(rep.Errors, importError(lang, is))
		}
		return rep, nil
	}
	if err != nil {
		return nil, err
	}
	rep.Applied, rep.Created, rep.SkippedRows = true, created, rep.InvalidRows
	return rep, nil
}

// auditCheck records an import that applied nothing (a dry run, or refused for its
// errors): reading a roster file against the roster is itself a use of personal data.
func (s *Store) auditCheck(ctx context.Context, sc *auth.Scope, root *org.Ref, id, filename string, rep *ImportReport) error {
	return audit.Write(ctx, s.Members.DB, sc.Actor(), s.Members.Clock.Now(), audit.Entry{Action: "import_check", Entity: "import", OrgID: root.ID,
		Summary: fmt.Sprintf("检查导入文件%s（批次%s）：%d行，正确%d行，错误%d行，未导入", filename, id, rep.TotalRows, rep.ValidRows, rep.InvalidRows),
		Changes: map[string]audit.Change{"rows": {After: rep.TotalRows}, "valid": {After: rep.ValidRows}, "invalid": {After: rep.InvalidRows}, "dry_run": {After: rep.DryRun}}})
}

// changedError is a row that passed the check but failed while applying: the data
// changed in between (a concurrent import, a dissolved branch).
type changedError struct {
	row    int
	issues []httpx.Issue
}

func (e *changedError) Error() string { return fmt.Sprintf("row %d changed during the import", e.row) }

func importError(lang i18n.Lang, is httpx.Issue) ImportError {
	return ImportError{Row: is.Row, Column: is.Column, Field: is.Field, Value: httpx.Clip(is.Value),
		Message: i18n.T(lang, "v.row", is.Row, is.Msg)}
}

// readHeader skips title rows and reads the header row (within the first 10 rows).
func readHeader(src source) (*layout, error) {
	for src.Next() {
		n, cells := src.Row()
		if blank(cells) {
			continue
		}
		if l, ok := findLayout(n, cells); ok {
			return l, nil
		}
		if n >= 10 {
			break
		}
	}
	if err := src.Err(); err != nil {
		return nil, err
	}
	return nil, httpx.Invalid(httpx.Issue{Field: "file", Msg: i18n.M("v.import.no_header")})
}

// keptRow is a good row as pass 1 keeps it for pass 2.
type keptRow struct {
	Row    int           `json:"r"`
	Fields member.Fields `json:"f"`
}

// checkFile is pass 1: every row parsed and validated, checked against the other rows and
// (a chunk at a time) against the roster; bad rows go to the error workbook, good ones to
// keep (when not nil).
func (s *Store) checkFile(ctx context.Context, sc *auth.Scope, lang i18n.Lang, path, kind, dir string, root *org.Ref, bx *branchIndex, today string,
	rep *ImportReport, keep io.Writer) error {
	src, err := openSource(path, kind, dir)
	if err != nil {
		return err
	}
	defer src.Close()
	l, err := readHeader(src)
	if err != nil {
		return err
	}
	if err := l.fileIssues(!root.Kind.HoldsMembers()).Err(); err != nil {
		return err
	}
	if len(l.unknown) > 0 {
		rep.Warnings = append(rep.Warnings, i18n.T(lang, "import.unknown_columns", strings.Join(l.unknown, "、")))
	}
	var kept *json.Encoder
	var kw *bufio.Writer
	if keep != nil {
		kw = bufio.NewWriterSize(keep, 256<<10)
		kept = json.NewEncoder(kw)
	}
	seen := map[string]int{}
	var book *errorBook
	defer func() {
		if book != nil {
			book.discard()
		}
	}()
	chunk := make([]*parsed, 0, importChunk)
	flush := func() error {
		if err := s.checkTaken(ctx, sc, root, chunk); err != nil {
			return err
		}
		for _, p := range chunk {
			rep.TotalRows++
			if len(p.Issues) == 0 {
				rep.ValidRows++
				if kept != nil {
					if err := kept.Encode(keptRow{Row: p.Row, Fields: p.F}); err != nil {
						return err
					}
				}
				continue
			}
			rep.InvalidRows++
			rep.ErrorsTotal += len(p.Issues)
			msgs := make([]string, 0, len(p.Issues))
			for _, is := range p.Issues {
				if len(rep.Errors) < MaxReportErrors {
					e := importError(lang, is)
					e.Name = httpx.Clip(p.F.Name)
					rep.Errors = append(rep.Errors, e)
				}
				msgs = append(msgs, is.Msg.Render(lang))
			}
			if book == nil {
				if book, err = newErrorBook(filepath.Join(dir, "errors.xlsx"), l.Header); err != nil {
					return err
				}
			}
			if err := book.add(p.Cells, strings.Join(msgs, "；")); err != nil {
				return err
			}
		}
		chunk = chunk[:0]
		return ctx.Err()
	}
	dates := src.Dates()
	for src.Next() {
		n, cells := src.Row()
		if blank(cells) {
			continue
		}
		p := l.parseRow(n, cells, bx, dates, today)
		if member.CheckID(p.F.IDNumber) == member.IDOK {
			if first, dup := seen[p.F.IDNumber]; dup {
				p.Issues = append(p.Issues, httpx.Issue{Field: "id_number", Row: n, Column: l.columnHeader("id_number"),
					Value: strings.TrimSpace(l.cell(cells, "id_number")), Msg: i18n.M("v.id.duplicate_file", i18n.M("f.member.id_number"), first)})
			} else {
				seen[p.F.IDNumber] = n
			}
		}
		if chunk = append(chunk, p); len(chunk) == importChunk {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if err := src.Err(); err != nil {
		return err
	}
	if err := flush(); err != nil {
		return err
	}
	if rep.TotalRows == 0 {
		return httpx.Invalid(httpx.Issue{Field: "file", Msg: i18n.M("v.import.no_rows")})
	}
	if kw != nil {
		if err := kw.Flush(); err != nil {
			return err
		}
	}
	if book != nil {
		b := book
		book = nil
		if err := b.close(); err != nil {
			return err
		}
	}
	return nil
}

// checkTaken adds a duplicate issue (see member.Store.DuplicateIDs) to every row of chunk whose ID
// number another member holds: one query per chunk.
func (s *Store) checkTaken(ctx context.Context, sc *auth.Scope, root *org.Ref, chunk []*parsed) error {
	var ids []string
	for _, p := range chunk {
		if member.CheckID(p.F.IDNumber) == member.IDOK && !hasIssue(p.Issues, "v.id.duplicate_file") {
			ids = append(ids, p.F.IDNumber)
		}
	}
	dup, err := s.Members.DuplicateIDs(ctx, sc, ids, root.Path)
	if err != nil {
		return err
	}
	for _, p := range chunk {
		if msg, ok := dup[p.F.IDNumber]; ok && !hasIssue(p.Issues, "v.id.duplicate_file") {
			p.Issues = append(p.Issues, httpx.Issue{Field: "id_number", Row: p.Row, Column: columnOf(p, "id_number"), Value: p.F.IDNumber, Msg: msg})
		}
	}
	return nil
}

func columnOf(p *parsed, field string) string {
	for _, is := range p.Issues {
		if is.Field == field {
			return is.Column
		}
	}
	for _, c := range Columns {
		if c.Field == field {
			return c.Header
		}
	}
	return field
}

func hasIssue(is []httpx.Issue, key string) bool {
	for _, x := range is {
		if x.Msg.Key == key {
			return true
		}
	}
	return false
}

// importBatch is how many rows pass 2 commits at a time on SQLite, whose one writer the
// import would otherwise hold from first row to last: a login (which writes its session)
// waits for one batch at most. PostgreSQL writers do not queue behind each other, so there
// the import is one transaction.
const importBatch = 1000

func (s *Store) batchSize() int {
	switch {
	case s.ImportBatch > 0:
		return s.ImportBatch
	case s.Members.DB.Dialect() == db.SQLite:
		return importBatch
	}
	return math.MaxInt
}

// applyRows is pass 2: the good rows kept by pass 1 inserted a batch per transaction (see
// importBatch), each with its members' rollups and audit entries, then one audit entry for
// the import. It stays all or nothing: when a batch fails, the members of the batches
// committed before it are taken out again (undoImport), and a crash between batches is
// undone at the next start (RecoverImports, recover.go). Branches and groups are looked up
// again while applying: one may have moved or been dissolved since the check, and a
// concurrent import may have taken an ID number.
func (s *Store) applyRows(ctx context.Context, sc *auth.Scope, kept io.Reader, root *org.Ref, now time.Time, importID, filename string, skipped int) (int, error) {
	dec := json.NewDecoder(bufio.NewReaderSize(kept, 256<<10))
	size := s.batchSize()
	tracked := size != math.MaxInt // several transactions: a crash between them is undone at the next start
	if tracked {
		if err := s.markApplying(ctx, importID, now); err != nil {
			return 0, err
		}
	}
	var done []int64 // members of the committed batches
	fail := func(err error) (int, error) {
		// Taken out even when the request was cancelled.
		bg := context.WithoutCancel(ctx)
		if len(done) > 0 {
			if uerr := s.undoImport(bg, sc, done, now, importID); uerr != nil {
				return 0, fmt.Errorf("%w (undoing after: %v)", uerr, err)
			}
		}
		if tracked {
			if merr := markFinished(bg, s.Members.DB, importID, now, "undone: "+err.Error()); merr != nil {
				return 0, fmt.Errorf("%w (after: %v)", merr, err)
			}
		}
		return 0, err
	}
	for more := true; more; {
		var ids []int64
		if err := s.Members.DB.InTx(ctx, func(tx *db.Tx) (err error) {
			if ids, more, err = insertKept(ctx, tx, sc, dec, size, root, now); err != nil || !tracked {
				return err
			}
			return noteBatch(ctx, tx, importID, ids)
		}); err != nil {
			return fail(err)
		}
		done = append(done, ids...)
		if s.afterBatch != nil && len(ids) > 0 {
			s.afterBatch(len(done))
		}
	}
	err := s.Members.DB.InTx(ctx, func(tx *db.Tx) error {
		if tracked {
			if err := markFinished(ctx, tx, importID, now, fmt.Sprintf("imported %d members", len(done))); err != nil {
				return err
			}
		}
		return audit.Write(ctx, tx, sc.Actor(), now, audit.Entry{Action: "import", Entity: "import", OrgID: root.ID,
			Summary: fmt.Sprintf("导入党员%d名（批次%s，文件%s，跳过%d行）", len(done), importID, filename, skipped)})
	})
	if err != nil {
		return fail(err)
	}
	return len(done), nil
}

// insertKept inserts up to limit rows kept by pass 1 (read as they go: limit may be all)
// in tx, with their rollups and audit entries; more tells whether rows are left.
func insertKept(ctx context.Context, tx *db.Tx, sc *auth.Scope, dec *json.Decoder, limit int, root *org.Ref, now time.Time) (ids []int64, more bool, err error) {
	live := map[int64]*org.Ref{}
	lookup := func(id int64) (*org.Ref, error) {
		if o, ok := live[id]; ok {
			return o, nil
		}
		o, err := org.Lookup(ctx, tx, id)
		if err != nil {
			return nil, err
		}
		if o != nil && !o.Live {
			o = nil
		}
		live[id] = o
		return o, nil
	}
	r := tree.Rollup{}
	direct := member.Direct{}
	for len(ids) < limit {
		var k keptRow
		if err := dec.Decode(&k); err == io.EOF {
			break
		} else if err != nil {
			return nil, false, err
		}
		n, f := k.Row, &k.Fields
		b, err := lookup(f.OrgID)
		if err != nil {
			return nil, false, err
		}
		if b == nil || !b.Kind.HoldsMembers() || !b.Live || !sc.Can(auth.WriteMembers, b.Path) || !strings.HasPrefix(b.Path, root.Path) {
			return nil, false, &changedError{row: n, issues: []httpx.Issue{{Field: "org_id", Row: n, Column: "所在党支部",
				Msg: i18n.M("v.not_branch", i18n.M("f.member.org_id"))}}}
		}
		if f.GroupID != 0 {
			g, err := lookup(f.GroupID)
			if err != nil {
				return nil, false, err
			}
			if g == nil || g.Kind != org.Group || g.ParentID != b.ID {
				return nil, false, &changedError{row: n, issues: []httpx.Issue{{Field: "group_id", Row: n, Column: "党小组",
					Msg: i18n.M("v.group_not_in_org", i18n.M("f.member.group_id"))}}}
			}
		}
		id, err := member.Insert(ctx, tx, f, b, now, r, direct)
		if err != nil {
			if db.IsUniqueViolation(err) {
				return nil, false, &changedError{row: n, issues: []httpx.Issue{{Field: "id_number", Row: n, Column: "公民身份号码",
					Value: f.IDNumber, Msg: i18n.M("v.id.unusable", i18n.M("f.member.id_number"))}}}
			}
			return nil, false, err
		}
		if err := audit.Write(ctx, tx, sc.Actor(), now, audit.Entry{Action: "import", Entity: "member", EntityID: id, OrgID: b.ID,
			Summary: f.Name, Changes: audit.Snapshot(member.Masked(*f))}); err != nil {
			return nil, false, err
		}
		ids = append(ids, id)
	}
	if err := direct.Apply(ctx, tx, r, now); err != nil {
		return nil, false, err
	}
	return ids, len(ids) == limit, r.Flush(ctx, tx)
}

// undoImport takes the members of an import's committed batches out again, a batch per
// transaction, with their rollups; each gets an audit entry saying so (the entries of
// their import stay: the trail is append-only).
func (s *Store) undoImport(ctx context.Context, sc *auth.Scope, ids []int64, now time.Time, importID string) error {
	for len(ids) > 0 {
		batch := ids[max(0, len(ids)-s.batchSize()):]
		ids = ids[:len(ids)-len(batch)]
		err := s.Members.DB.InTx(ctx, func(tx *db.Tx) error {
			ms, err := member.Unload(ctx, tx, batch, now)
			if err != nil {
				return err
			}
			for _, m := range ms {
				if err := audit.Write(ctx, tx, sc.Actor(), now, audit.Entry{Action: "import_undone", Entity: "member", EntityID: m.ID, OrgID: m.OrgID,
					Summary: fmt.Sprintf("%s（导入批次%s未能全部完成，已撤销）", m.Name, importID)}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			slog.ErrorContext(ctx, "undoing a failed import", "import", importID, "err", err)
			return fmt.Errorf("undo import %s: %w", importID, err)
		}
	}
	return nil
}

// ImportErrors opens the error workbook of an import; only the user who ran it, or an
// administrator, may read it. The caller closes the file.
func (s *Store) ImportErrors(sc *auth.Scope, id string) (*os.File, error) {
	if !importIDRe.MatchString(id) || s.Dir == "" {
		return nil, httpx.NotFound("f.import")
	}
	dir := s.importDir(id)
	b, err := os.ReadFile(filepath.Join(dir, "meta.json"))
	if err != nil {
		return nil, httpx.NotFound("f.import")
	}
	var m importMeta
	if err := json.Unmarshal(b, &m); err != nil || !(sc.IsAdmin() || (sc.UserID != 0 && sc.UserID == m.UserID)) {
		return nil, httpx.NotFound("f.import")
	}
	f, err := os.Open(filepath.Join(dir, "errors.xlsx"))
	if err != nil {
		return nil, httpx.NotFound("f.import")
	}
	return f, nil
}

// pruneImports removes the reports of imports older than importKeep.
func (s *Store) pruneImports(now time.Time) {
	base := filepath.Join(s.Dir, "imports")
	entries, err := os.ReadDir(base)
	if err != nil {
		return
	}
	for _, e := range entries {
		if !e.IsDir() || !importIDRe.MatchString(e.Name()) {
			continue
		}
		b, err := os.ReadFile(filepath.Join(base, e.Name(), "meta.json"))
		if err != nil {
			continue
		}
		var m importMeta
		if json.Unmarshal(b, &m) == nil && now.Sub(m.CreatedAt) > importKeep {
			_ = os.RemoveAll(filepath.Join(base, e.Name()))
		}
	}
}

// errorBook is the error workbook, written row by row as pass 1 finds bad rows.
type errorBook struct {
	f     *excelize.File
	sw    *excelize.StreamWriter
	path  string
	width int
	next  int
	style int
}

const errorSheet = "党员信息"

func newErrorBook(path string, header []string) (*errorBook, error) {
	f := excelize.NewFile(excelize.Options{TmpDir: filepath.Dir(path)})
	if err := f.SetSheetName("Sheet1", errorSheet); err != nil {
		f.Close()
		return nil, err
	}
	sw, err := f.NewStreamWriter(errorSheet)
	if err != nil {
		f.Close()
		return nil, err
	}
	width := len(header)
	for width > 0 && strings.TrimSpace(header[width-1]) == "" {
		width--
	}
	b := &errorBook{f: f, sw: sw, path: path, width: width, next: 1}
	bold, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	b.style, _ = f.NewStyle(&excelize.Style{Font: &excelize.Font{Color: "C00000"}})
	_ = sw.SetColWidth(1, max(width, 1), 14)
	_ = sw.SetColWidth(width+1, width+1, 60)
	row := make([]any, width+1)
	for i := 0; i < width; i++ {
		row[i] = excelize.Cell{StyleID: bold, Value: header[i]}
	}
	row[width] = excelize.Cell{StyleID: bold, Value: ErrorHeader}
	if err := b.put(row); err != nil {
		f.Close()
		return nil, err
	}
	return b, nil
}

func (b *errorBook) put(row []any) error {
	cell, _ := excelize.CoordinatesToCellName(1, b.next)
	b.next++
	return b.sw.SetRow(cell, row)
}

func (b *errorBook) add(cells []string, msg string) error {
	row := make([]any, b.width+1)
	for i := 0; i < b.width; i++ {
		if i < len(cells) {
			row[i] = cells[i]
		}
	}
	row[b.width] = excelize.Cell{StyleID: b.style, Value: msg}
	return b.put(row)
}

func (b *errorBook) close() error {
	defer b.f.Close()
	if err := b.sw.Flush(); err != nil {
		return err
	}
	// Not SaveAs, which creates the file executable (0777 before the umask).
	out, err := os.OpenFile(b.path, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := b.f.WriteTo(out); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

func (b *errorBook) discard() { _ = b.f.Close() }

// peekReader lets the first bytes of an upload be looked at before it is saved.
type peekReader struct {
	r   io.Reader
	buf []byte
}

func newPeekReader(r io.Reader) *peekReader { return &peekReader{r: r} }

func (p *peekReader) head(n int) []byte {
	if len(p.buf) < n {
		b := make([]byte, n-len(p.buf))
		k, _ := io.ReadFull(p.r, b)
		p.buf = append(p.buf, b[:k]...)
	}
	return p.buf
}

func (p *peekReader) Read(b []byte) (int, error) {
	if len(p.buf) > 0 {
		n := copy(b, p.buf)
		p.buf = p.buf[n:]
		return n, nil
	}
	return p.r.Read(b)
}

func saveFile(path string, r io.Reader) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, r); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
