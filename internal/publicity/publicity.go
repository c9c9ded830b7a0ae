// Package publicity is 公示: a result made public for a number of working days (counted in the
// calendar of China's holidays and make-up days), during which people may object; each
// objection is answered, and only then is the result closed (confirmed). Points' year end and
// assessment rounds both publish through it. It has no routes: the owning module decides who
// sees a notice, who may object and who answers, and audits its own writes.
package publicity

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"time"

	"dangjian/internal/calendar"
	"dangjian/internal/platform/clock"
	"dangjian/internal/platform/db"
	"dangjian/internal/platform/httpx"
	"dangjian/internal/platform/i18n"
)

func init() {
	i18n.Register(map[string][2]string{
		"f.publicity":              {"公示", "public notice"},
		"f.publicity.title":        {"公示标题", "title"},
		"f.publicity.working_days": {"公示天数（工作日）", "working days"},
		"f.publicity.from":         {"公示开始日期", "first day"},
		"f.objection":              {"异议", "objection"},
		"f.objection.text":         {"异议内容", "objection"},
		"f.objection.answer":       {"答复", "answer"},
		"pub.days":                 {"%s：应为 1–60 个工作日", "%s: 1 to 60 working days"},
		"pub.outside":              {"公示期为 %s 至 %s，今天（%s）不在公示期内，不能提出异议", "the notice runs %s to %s; today (%s) is outside it, so no objection can be raised"},
		"pub.answered":             {"这条异议已答复", "this objection has been answered already"},
		"pub.closed":               {"公示已结束确认，不能再更改", "the notice is closed; nothing can change"},
		"pub.running":              {"公示期到 %s 才结束，之后才能确认", "the notice runs until %s; it can be closed after that"},
		"pub.open_objections":      {"还有 %d 条异议未答复，答复后才能确认", "%d objection(s) are still unanswered"},
	})
}

// States of a notice as read (only closed is stored; the others follow from the day).
const (
	Open   = "open"   // before or within its window: objections may be raised within it
	Ended  = "ended"  // the window is over; objections may still wait for answers
	Closed = "closed" // confirmed: the result stands
)

// States of an objection.
const (
	ObjOpen      = "open"
	ObjUpheld    = "upheld"
	ObjDismissed = "dismissed"
)

// Store keeps notices and objections.
type Store struct {
	DB    *db.DB
	Clock clock.Clock
	Cal   *calendar.Store
}

// Notice is one 公示.
type Notice struct {
	ID             int64      `json:"id"`
	OrgID          int64      `json:"org_id"`
	Subject        string     `json:"subject"`
	SubjectID      int64      `json:"subject_id"`
	Title          string     `json:"title"`
	From           string     `json:"from"`
	To             string     `json:"to"`
	WorkingDays    int        `json:"working_days"`
	Missing        []int      `json:"missing,omitempty"` // calendar years counted as Monday to Friday
	Warning        string     `json:"warning,omitempty"` // what Missing means, in the caller's language
	State          string     `json:"state" enum:"open,ended,closed"`
	Objections     int        `json:"objections"`
	OpenObjections int        `json:"open_objections"`
	CreatedBy      int64      `json:"created_by"`
	CreatedAt      time.Time  `json:"created_at"`
	ClosedAt       *time.Time `json:"closed_at,omitempty"`
}

// Objection is one objection raised during a notice.
type Objection struct {
	ID         int64      `json:"id"`
	NoticeID   int64      `json:"notice_id"`
	Target     string     `json:"target"`
	TargetID   int64      `json:"target_id"`
	Text       string     `json:"text"`
	RaisedBy   int64      `json:"raised_by"`
	RaisedAt   time.Time  `json:"raised_at"`
	State      string     `json:"state" enum:"open,upheld,dismissed"`
	Answer     string     `json:"answer"`
	AnsweredBy int64      `json:"answered_by,omitempty"`
	AnsweredAt *time.Time `json:"answered_at,omitempty"`
}

// OpenIn is a notice to open. From "" is today (CST).
type OpenIn struct {
	OrgID       int64
	Subject     string
	SubjectID   int64
	Title       string
	WorkingDays int
	From        string
	By          int64
}

// Open starts a notice: its last day is the WorkingDays-th working day from From.
func (s *Store) Open(ctx context.Context, tx *db.Tx, in OpenIn) (*Notice, error) {
	var is httpx.Issues
	in.Title = strings.TrimSpace(in.Title)
	if in.Title == "" {
		is.Add("title", "f.publicity.title", "v.required")
	}
	if in.WorkingDays < 1 || in.WorkingDays > 60 {
		is.Add("working_days", "f.publicity.working_days", "pub.days")
	}
	if in.From == "" {
		in.From = clock.Today(s.Clock.Now())
	} else if _, err := time.Parse(time.DateOnly, in.From); err != nil {
		is.Add("from", "f.publicity.from", "v.date")
	}
	if err := is.Err(); err != nil {
		return nil, err
	}
	cal, err := s.Cal.Calendar(ctx)
	if err != nil {
		return nil, err
	}
	win, err := cal.Window(in.From, in.WorkingDays)
	if err != nil {
		return nil, err
	}
	missing := make([]string, len(win.Missing))
	for i, y := range win.Missing {
		missing[i] = strconv.Itoa(y)
	}
	var id int64
	if err := tx.QueryRow(ctx, `INSERT INTO publicity_notices (org_id, subject, subject_id, title, from_day, to_day, working_days, missing, created_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, in.OrgID, in.Subject, in.SubjectID, in.Title, win.From, win.To, in.WorkingDays,
		strings.Join(missing, ","), in.By, s.Clock.Now().UTC()).Scan(&id); err != nil {
		return nil, err
	}
	return s.Get(ctx, tx, id)
}

const noticeCols = `n.id, n.org_id, n.subject, n.subject_id, n.title, n.from_day, n.to_day, n.working_days, n.missing, COALESCE(n.created_by, 0), n.created_at, n.closed_at,
	(SELECT COUNT(*) FROM publicity_objections o WHERE o.notice_id = n.id),
	(SELECT COUNT(*) FROM publicity_objections o WHERE o.notice_id = n.id AND o.state = 'open')`

func (s *Store) scanNotice(r db.Scanner) (*Notice, error) {
	var n Notice
	var missing string
	var closed sql.NullTime
	if err := r.Scan(&n.ID, &n.OrgID, &n.Subject, &n.SubjectID, &n.Title, &n.From, &n.To, &n.WorkingDays, &missing, &n.CreatedBy, &n.CreatedAt,
		&closed, &n.Objections, &n.OpenObjections); err != nil {
		return nil, err
	}
	for _, y := range strings.Split(missing, ",") {
		if v, err := strconv.Atoi(y); err == nil {
			n.Missing = append(n.Missing, v)
		}
	}
	n.ClosedAt = db.TimeOrNil(closed)
	switch today := clock.Today(s.Clock.Now()); {
	case n.ClosedAt != nil:
		n.State = Closed
	case today > n.To:
		n.State = Ended
	default:
		n.State = Open
	}
	return &n, nil
}

// Get reads a notice (the caller has checked the reader may see it).
func (s *Store) Get(ctx context.Context, q db.Querier, id int64) (*Notice, error) {
	n, err := s.scanNotice(q.QueryRow(ctx, `SELECT `+noticeCols+` FROM publicity_notices n WHERE n.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, httpx.NotFound("f.publicity")
	}
	return n, err
}

// Of is the newest notice of a subject's record, nil when it has none.
func (s *Store) Of(ctx context.Context, q db.Querier, subject string, subjectID int64) (*Notice, error) {
	n, err := s.scanNotice(q.QueryRow(ctx, `SELECT `+noticeCols+` FROM publicity_notices n WHERE n.subject = ? AND n.subject_id = ? ORDER BY n.id DESC LIMIT 1`, subject, subjectID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return n, err
}

// Localize fills the notice's warning in the caller's language (a window that crossed years
// without a calendar was counted as Monday to Friday).
func (n *Notice) Localize(lang i18n.Lang) *Notice {
	if len(n.Missing) > 0 {
		m := calendar.MissingWarning(n.Missing)
		n.Warning = i18n.T(lang, m.Key, m.Args...)
	}
	return n
}

// ObjectIn is an objection to raise.
type ObjectIn struct {
	Target   string
	TargetID int64
	Text     string
	By       int64
}

// Object raises an objection; only within the window, and never on a closed notice.
func (s *Store) Object(ctx context.Context, tx *db.Tx, noticeID int64, in ObjectIn) (*Objection, error) {
	if err := tx.Lock(ctx, "publicity_notices", noticeID); err != nil {
		return nil, err
	}
	n, err := s.Get(ctx, tx, noticeID)
	if err != nil {
		return nil, err
	}
	in.Text = strings.TrimSpace(in.Text)
	if in.Text == "" {
		return nil, httpx.Invalid(httpx.FieldIssue("text", "f.objection.text", "v.required"))
	}
	if len([]rune(in.Text)) > 2000 {
		return nil, httpx.Invalid(httpx.FieldIssue("text", "f.objection.text", "v.too_long", 2000))
	}
	today := clock.Today(s.Clock.Now())
	switch {
	case n.State == Closed:
		return nil, httpx.Conflict("publicity_closed", i18n.M("pub.closed"))
	case today < n.From || today > n.To:
		return nil, httpx.Conflict("publicity_outside", i18n.M("pub.outside", n.From, n.To, today))
	}
	var id int64
	if err := tx.QueryRow(ctx, `INSERT INTO publicity_objections (notice_id, target, target_id, text, raised_by, raised_at, state)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, noticeID, in.Target, in.TargetID, in.Text, in.By, s.Clock.Now().UTC(), ObjOpen).Scan(&id); err != nil {
		return nil, err
	}
	return s.objection(ctx, tx, id)
}

// Answer upholds or dismisses an open objection; the answer is required (it is what the one who
// objected reads). What an upheld objection changes is the owning module's to write.
func (s *Store) Answer(ctx context.Context, tx *db.Tx, objectionID int64, upheld bool, answer string, by int64) (*Objection, error) {
	o, err := s.objection(ctx, tx, objectionID)
	if err != nil {
		return nil, err
	}
	if err := tx.Lock(ctx, "publicity_notices", o.NoticeID); err != nil {
		return nil, err
	}
	if answer = strings.TrimSpace(answer); answer == "" {
		return nil, httpx.Invalid(httpx.FieldIssue("answer", "f.objection.answer", "v.required"))
	}
	n, err := s.Get(ctx, tx, o.NoticeID)
	if err != nil {
		return nil, err
	}
	switch {
	case n.State == Closed:
		return nil, httpx.Conflict("publicity_closed", i18n.M("pub.closed"))
	case o.State != ObjOpen:
		return nil, httpx.Conflict("objection_answered", i18n.M("pub.answered"))
	}
	state := ObjDismissed
	if upheld {
		state = ObjUpheld
	}
	if _, err := tx.Exec(ctx, `UPDATE publicity_objections SET state = ?, answer = ?, answered_by = ?, answered_at = ? WHERE id = ?`,
		state, answer, by, s.Clock.Now().UTC(), objectionID); err != nil {
		return nil, err
	}
	return s.objection(ctx, tx, objectionID)
}

const objectionCols = `id, notice_id, target, target_id, text, COALESCE(raised_by, 0), raised_at, state, answer, COALESCE(answered_by, 0), answered_at`

func scanObjection(r db.Scanner) (Objection, error) {
	var o Objection
	var at sql.NullTime
	err := r.Scan(&o.ID, &o.NoticeID, &o.Target, &o.TargetID, &o.Text, &o.RaisedBy, &o.RaisedAt, &o.State, &o.Answer, &o.AnsweredBy, &at)
	o.AnsweredAt = db.TimeOrNil(at)
	return o, err
}

func (s *Store) objection(ctx context.Context, q db.Querier, id int64) (*Objection, error) {
	o, err := scanObjection(q.QueryRow(ctx, `SELECT `+objectionCols+` FROM publicity_objections WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, httpx.NotFound("f.objection")
	}
	return &o, err
}

// Objection reads one objection (the caller checks the reader may see its notice).
func (s *Store) Objection(ctx context.Context, q db.Querier, id int64) (*Objection, error) {
	return s.objection(ctx, q, id)
}

// Objections are a notice's objections, oldest first.
func (s *Store) Objections(ctx context.Context, q db.Querier, noticeID int64) ([]Objection, error) {
	return db.All(ctx, q, `SELECT `+objectionCols+` FROM publicity_objections WHERE notice_id = ? ORDER BY id`, []any{noticeID}, scanObjection)
}

// Close confirms the result: only after the window, with every objection answered.
func (s *Store) Close(ctx context.Context, tx *db.Tx, noticeID int64, by int64) (*Notice, error) {
	if err := tx.Lock(ctx, "publicity_notices", noticeID); err != nil {
		return nil, err
	}
	n, err := s.Get(ctx, tx, noticeID)
	if err != nil {
		return nil, err
	}
	switch {
	case n.State == Closed:
		return nil, httpx.Conflict("publicity_closed", i18n.M("pub.closed"))
	case n.State == Open:
		return nil, httpx.Conflict("publicity_running", i18n.M("pub.running", n.To))
	case n.OpenObjections > 0:
		return nil, httpx.Conflict("publicity_objections", i18n.M("pub.open_objections", n.OpenObjections))
	}
	if _, err := tx.Exec(ctx, `UPDATE publicity_notices SET closed_by = ?, closed_at = ? WHERE id = ?`, by, s.Clock.Now().UTC(), noticeID); err != nil {
		return nil, err
	}
	return s.Get(ctx, tx, noticeID)
}
