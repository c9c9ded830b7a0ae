package points

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"dangjian/internal/org"
	"dangjian/internal/platform/audit"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/clock"
	"dangjian/internal/platform/db"
	"dangjian/internal/platform/httpx"
	"dangjian/internal/platform/i18n"
)

// States of a branch's year end: the branch reviews the proposed stars, publishes them (公示)
// for the scheme's working days, then confirms them.
const (
	YearReview    = "review"
	YearPublicity = "publicity"
	YearConfirmed = "confirmed"
)

// States of a member's rating within the year end.
const (
	RatingProposed  = "proposed"  // computed from the total, not yet reviewed
	RatingReviewed  = "reviewed"  // the branch accepted or adjusted it
	RatingConfirmed = "confirmed" // final (it may still be withdrawn: 摘星)
)

// PublicitySubject names the points year end to internal/publicity.
const PublicitySubject = "points_year"

// memberStatuses are the members rated at the year end: those in the Party's care today.
const memberStatuses = `'active', 'mobile', 'lost', 'suspended'`

// BranchYear is a branch's year end: every member's total, proposed and given stars, who has
// not been reviewed, the bands' share warnings, and the 公示 with its objections.
type BranchYear struct {
	ID            int64         `json:"id"`
	OrgID         int64         `json:"org_id"`
	OrgName       string        `json:"org_name"`
	Year          int           `json:"year"`
	State         string        `json:"state"` // review, publicity, confirmed
	SchemeID      int64         `json:"scheme_id"`
	SchemeName    string        `json:"scheme_name"`
	SchemeVersion string        `json:"scheme_version"`
	Base          int           `json:"base"`
	PublicityDays int           `json:"publicity_days"` // the scheme's 公示 working days (0: the scheme sets none)
	DaysSource    string        `json:"days_source"`
	Bands         []StarBand    `json:"bands"`
	Ratings       []Rating      `json:"ratings"`
	Unreviewed    int           `json:"unreviewed"` // members whose rating has not been reviewed
	Warnings      []Warning     `json:"warnings"`
	Publicity     *Publicity    `json:"publicity" jsonschema:"nullable"`
	Objections    []ObjectionAt `json:"objections"`
	ComputedAt    time.Time     `json:"computed_at"`
	ConfirmedAt   *time.Time    `json:"confirmed_at" jsonschema:"nullable"`
	CanManage     bool          `json:"can_manage"` // the caller may review, publish, answer and confirm
	CanObject     bool          `json:"can_object"` // the caller is a member of the branch and the window is open
}

// Rating is a member's rating of a year.
type Rating struct {
	ID            int64      `json:"id"`
	YearEndID     int64      `json:"yearend_id"`
	MemberID      int64      `json:"member_id"`
	MemberName    string     `json:"member_name"`
	Year          int        `json:"year"`
	Total         int        `json:"total"`
	Vetoed        bool       `json:"vetoed"`
	ProposedStars int        `json:"proposed_stars"`
	Stars         int        `json:"stars"` // as given (after review, objections, appeals)
	StarName      string     `json:"star_name"`
	Reason        string     `json:"reason"` // why stars differ from the proposal (the latest change)
	State         string     `json:"state"`
	Withdrawn     bool       `json:"withdrawn"` // 摘星: the stars no longer count
	ReviewedAt    *time.Time `json:"reviewed_at" jsonschema:"nullable"`
}

// Warning flags a band holding more of the branch than its share: a warning, never a limit.
type Warning struct {
	Stars     int    `json:"stars"`
	Name      string `json:"name"`
	Count     int    `json:"count"`
	Of        int    `json:"of"`
	Share     string `json:"share"`
	Message   string `json:"message"`
	MessageEN string `json:"message_en"`
}

// NewYearEnd is the body of POST /api/v1/orgs/{id}/points/yearend.
type NewYearEnd struct {
	Year int `json:"year"`
}

func init() {
	i18n.Register(map[string][2]string{
		"f.yearend":           {"年度评星", "Year end"},
		"f.points.year":       {"年度", "Year"},
		"f.points.stars":      {"星级", "Stars"},
		"f.points.text":       {"内容", "Text"},
		"f.points.answer":     {"答复", "Answer"},
		"f.points.from":       {"公示开始日期", "Start of the 公示"},
		"f.points.items":      {"评定", "Ratings"},
		"f.rating":            {"党员年度星级", "Member's rating"},
		"f.appeal":            {"申诉", "Appeal"},
		"pts.v.year":          {"%s应为今年或以前的年份", "%s must be this year or earlier"},
		"pts.v.no_scheme":     {"%s：%d 年没有适用于本组织的积分方案", "%s: no points scheme applies to this organization in %d"},
		"pts.v.stars":         {"%s应为方案星级之一（%s）或 0", "%s must be one of the scheme's star levels (%s) or 0"},
		"pts.v.adjust_reason": {"调整星级（建议 %d 星，调整为 %d 星）须填写%s", "changing the stars (proposed %d, given %d) needs a %s"},
		"pts.v.not_rated":     {"%s：该党员不在本次年度评星名单中", "%s: this member is not rated in this year end"},
		"pts.v.text":          {"%s不能为空，至多 1000 字", "%s is required, at most 1000 characters"},
		"pts.v.future_from":   {"%s应为今天或以后的日期（YYYY-MM-DD）", "%s must be a date (YYYY-MM-DD) from today on"},
		"pts.v.upheld_stars":  {"采纳异议须给出调整后的%s（与当前不同）", "an upheld objection needs the changed %s (different from now)"},
		"pts.ye.state":        {"本年度评星处于“%s”阶段，不能%s", "the year end is in the %q stage: cannot %s"},
		"pts.ye.unreviewed":   {"还有 %d 名党员未评定，评定后才能开始公示", "%d members have not been reviewed; review them before the 公示"},
		"pts.ye.no_days":      {"积分方案未规定公示天数（yearend.publicity_days），不能开始公示", "the scheme sets no 公示 days (yearend.publicity_days)"},
		"pts.ye.not_member":   {"只有本支部党员可以在公示期内提出异议", "only members of the branch may object during the 公示"},
		"pts.ye.share":        {"%s %d 人，占 %d 人中的 %d%%，超过方案建议比例 %s（仅提示，不强制）", "%s: %d of %d (%d%%), above the scheme's suggested share %s (a warning only)"},
		"pts.act.compute":     {"重新计算", "recompute"},
		"pts.act.review":      {"评定", "review"},
		"pts.act.publish":     {"开始公示", "start the 公示"},
		"pts.act.object":      {"提出异议", "object"},
		"pts.act.answer":      {"答复异议", "answer objections"},
		"pts.act.confirm":     {"确认", "confirm"},
	})
}

// yearRow is a year end as stored, with its organization's path.
type yearRow struct {
	ID, OrgID, SchemeID, NoticeID int64
	Year                          int
	State, Path, OrgName          string
	ComputedAt                    time.Time
	ConfirmedAt                   *time.Time
}

const yearCols = `y.id, y.org_id, y.scheme_id, COALESCE(y.notice_id, 0), y.year, y.state, o.path, o.name, y.computed_at, y.confirmed_at`

func scanYear(r db.Scanner) (*yearRow, error) {
	var y yearRow
	var confirmed sql.NullTime
	err := r.Scan(&y.ID, &y.OrgID, &y.SchemeID, &y.NoticeID, &y.Year, &y.State, &y.Path, &y.OrgName, &y.ComputedAt, &confirmed)
	y.ComputedAt, y.ConfirmedAt = y.ComputedAt.UTC(), db.TimeOrNil(confirmed)
	return &y, err
}

// yearByID loads a year end for a write needing perm on its organization: invisible → 403
// (404 for an admin), visible without perm → 403. On PostgreSQL the row is locked.
func yearByID(ctx context.Context, tx *db.Tx, sc *auth.Scope, id int64, perm auth.Perm) (*yearRow, error) {
	y, err := yearLoad(ctx, tx, id)
	if err != nil {
		return nil, sc.Refuse(err)
	}
	if !sc.Can(auth.Read, y.Path) {
		return nil, sc.Refuse(httpx.NotFound("f.yearend"))
	}
	if !sc.Can(perm, y.Path) {
		return nil, httpx.Forbidden()
	}
	return y, nil
}

// yearLoad reads a year end whatever the scope (404 when missing), locking it on PostgreSQL:
// the callers check the scope.
func yearLoad(ctx context.Context, tx *db.Tx, id int64) (*yearRow, error) {
	lock := ""
	if tx.Dialect() == db.Postgres {
		lock = " FOR UPDATE OF y"
	}
	y, err := scanYear(tx.QueryRow(ctx, `SELECT `+yearCols+` FROM points_yearends y JOIN orgs o ON o.id = y.org_id WHERE y.id = ?`+lock, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, httpx.NotFound("f.yearend")
	}
	return y, err
}

// needState refuses (409) an action outside its stage.
func needState(y *yearRow, state, action string) error {
	if y.State != state {
		return httpx.Conflict("yearend_state", i18n.M("pts.ye.state", i18n.M("pts.state."+y.State), i18n.M("pts.act."+action)))
	}
	return nil
}

func init() {
	i18n.Register(map[string][2]string{
		"pts.state.review":    {"评定", "review"},
		"pts.state.publicity": {"公示", "publicity"},
		"pts.state.confirmed": {"已确认", "confirmed"},
	})
}

// yearDay is the day whose scheme rates a year: its last day, or today in a running year.
func (s *Store) yearDay(year int) string {
	return min(clock.Today(s.Clock.Now()), fmt.Sprintf("%d-12-31", year))
}

// Compute starts (or, while in review, recomputes) the year end of an organization: each
// member of it in the Party's care gets their maintained total and the stars its band
// proposes under the scheme in force at the year's end. A rating whose total changed since
// it was reviewed goes back to proposed; one whose total is the same keeps its review.
func (s *Store) Compute(ctx context.Context, sc *auth.Scope, orgID int64, in NewYearEnd) (*BranchYear, error) {
	o, err := org.Resolve(ctx, s.DB, sc, orgID, auth.WriteMembers)
	if err != nil {
		return nil, err
	}
	thisYear, _ := strconv.Atoi(clock.Today(s.Clock.Now())[:4])
	if in.Year < 2000 || in.Year > thisYear {
		return nil, httpx.Invalid(httpx.FieldIssue("year", "f.points.year", "pts.v.year"))
	}
	v, err := s.InForce(ctx, s.DB, o.Path, s.yearDay(in.Year))
	if err != nil {
		return nil, err
	}
	if v == nil {
		return nil, httpx.Invalid(httpx.FieldIssue("year", "f.points.year", "pts.v.no_scheme", in.Year))
	}
	now := s.Clock.Now().UTC()
	var id int64
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO points_yearends (org_id, year, scheme_id, state, computed_by, computed_at) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (org_id, year) DO NOTHING`, o.ID, in.Year, v.RowID, YearReview, nullID(sc.UserID), now); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `SELECT id FROM points_yearends WHERE org_id = ? AND year = ?`, o.ID, in.Year).Scan(&id); err != nil {
			return err
		}
		y, err := yearByID(ctx, tx, sc, id, auth.WriteMembers)
		if err != nil {
			return err
		}
		if err := needState(y, YearReview, "compute"); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE points_yearends SET scheme_id = ?, computed_by = ?, computed_at = ? WHERE id = ?`, v.RowID, nullID(sc.UserID), now, id); err != nil {
			return err
		}
		n, err := s.rate(ctx, tx, y, v.Scheme)
		if err != nil {
			return err
		}
		return audit.Write(ctx, tx, sc.Actor(), now, audit.Entry{Action: "compute", Entity: "points_yearend", EntityID: id, OrgID: o.ID,
			Summary: fmt.Sprintf("%d 年度评星：%d 名党员", in.Year, n)})
	})
	if err != nil {
		return nil, err
	}
	return s.YearOf(ctx, sc, orgID, in.Year)
}

// rate writes each member's total and proposed stars into the year end; it returns how many
// members are rated.
func (s *Store) rate(ctx context.Context, tx *db.Tx, y *yearRow, sch *Scheme) (int, error) {
	type fig struct {
		id           int64
		earned, veto int
	}
	var figs []fig
	err := db.Each(ctx, tx, `SELECT m.id, COALESCE(t.points, 0), COALESCE(v.times, 0) FROM members m
		LEFT JOIN points_totals t ON t.member_id = m.id AND t.year = ? AND t.bucket = ''
		LEFT JOIN points_totals v ON v.member_id = m.id AND v.year = ? AND v.bucket = ?
		WHERE m.org_id = ? AND m.status IN (`+memberStatuses+`) ORDER BY m.id`, []any{y.Year, y.Year, "cat:" + Veto, y.OrgID},
		func(r db.Scanner) error {
			var f fig
			err := r.Scan(&f.id, &f.earned, &f.veto)
			figs = append(figs, f)
			return err
		})
	if err != nil {
		return 0, err
	}
	old := map[int64]int{} // this year end's ratings: member → total
	if err := db.Each(ctx, tx, `SELECT member_id, total FROM points_reviews WHERE yearend_id = ?`, []any{y.ID}, func(r db.Scanner) error {
		var id int64
		var total int
		err := r.Scan(&id, &total)
		old[id] = total
		return err
	}); err != nil {
		return 0, err
	}
	var fresh []any // new ratings, inserted in batches
	for _, f := range figs {
		total, vetoed := sch.Base+f.earned, 0
		if f.veto > 0 {
			total, vetoed = 0, 1
		}
		stars := 0
		if b := sch.Band(total); b != nil {
			stars = b.Stars
		}
		if was, ok := old[f.id]; ok {
			if was != total { // reviewed against another total: to be reviewed again
				if _, err := tx.Exec(ctx, `UPDATE points_reviews SET proposed_stars = ?, stars = ?, reason = '', state = ?, vetoed = ?, total = ?, reviewed_by = NULL, reviewed_at = NULL
					WHERE yearend_id = ? AND member_id = ?`, stars, stars, RatingProposed, vetoed, total, y.ID, f.id); err != nil {
					return 0, err
				}
			}
			continue
		}
		fresh = append(fresh, y.ID, f.id, y.OrgID, y.Year, total, vetoed, stars, stars, RatingProposed)
	}
	const cols, batch = 9, 200
	for len(fresh) > 0 {
		n := min(len(fresh), cols*batch)
		// A member rated by another organization this year (moved since) keeps that rating.
		if _, err := tx.Exec(ctx, `INSERT INTO points_reviews (yearend_id, member_id, org_id, year, total, vetoed, proposed_stars, stars, state)
			VALUES `+strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?, ?, ?, ?, ?), ", n/cols), ", ")+` ON CONFLICT (member_id, year) DO NOTHING`, fresh[:n]...); err != nil {
			return 0, err
		}
		fresh = fresh[n:]
	}
	return len(figs), nil
}

// YearOf reads an organization's year end. Read scope on the organization sees everything;
// a member of the organization (their own record) sees it once the 公示 has started; others
// get 404. A year not started yet answers state "" with no ratings.
func (s *Store) YearOf(ctx context.Context, sc *auth.Scope, orgID int64, year int) (*BranchYear, error) {
	o, err := org.Lookup(ctx, s.DB, orgID)
	if err != nil {
		return nil, err
	}
	if o == nil {
		return nil, httpx.NotFound("f.org")
	}
	reader := sc.Can(auth.Read, o.Path)
	inBranch, err := s.memberOf(ctx, s.DB, sc, orgID)
	if err != nil {
		return nil, err
	}
	if !reader && !inBranch {
		return nil, httpx.NotFound("f.org")
	}
	y, err := scanYear(s.DB.QueryRow(ctx, `SELECT `+yearCols+` FROM points_yearends y JOIN orgs o ON o.id = y.org_id WHERE y.org_id = ? AND y.year = ?`, orgID, year))
	if errors.Is(err, sql.ErrNoRows) {
		if !reader {
			return nil, httpx.NotFound("f.yearend")
		}
		return &BranchYear{OrgID: orgID, OrgName: o.Name, Year: year, Bands: []StarBand{}, Ratings: []Rating{}, Warnings: []Warning{},
			Objections: []ObjectionAt{}, CanManage: sc.Can(auth.WriteMembers, o.Path)}, nil
	}
	if err != nil {
		return nil, err
	}
	if !reader && y.State == YearReview {
		return nil, httpx.NotFound("f.yearend")
	}
	return s.yearView(ctx, sc, y, reader, inBranch)
}

// memberOf tells whether the caller's own member record belongs to the organization.
func (s *Store) memberOf(ctx context.Context, q db.Querier, sc *auth.Scope, orgID int64) (bool, error) {
	if sc.MemberID == 0 {
		return false, nil
	}
	var n int
	err := q.QueryRow(ctx, `SELECT COUNT(*) FROM members WHERE id = ? AND org_id = ?`, sc.MemberID, orgID).Scan(&n)
	return n > 0, err
}

// yearView assembles the answer of a year end.
func (s *Store) yearView(ctx context.Context, sc *auth.Scope, y *yearRow, reader, inBranch bool) (*BranchYear, error) {
	sch, err := s.schemeByRow(ctx, s.DB, y.SchemeID)
	if err != nil {
		return nil, err
	}
	out := &BranchYear{ID: y.ID, OrgID: y.OrgID, OrgName: y.OrgName, Year: y.Year, State: y.State, SchemeID: y.SchemeID,
		SchemeName: sch.Name, SchemeVersion: sch.Version, Base: sch.Base, Bands: sch.Stars, ComputedAt: y.ComputedAt, ConfirmedAt: y.ConfirmedAt,
		CanManage: sc.Can(auth.WriteMembers, y.Path), Objections: []ObjectionAt{}}
	if sch.YearEnd != nil {
		out.PublicityDays, out.DaysSource = sch.YearEnd.PublicityDays, sch.YearEnd.Source
	}
	if out.Ratings, err = s.ratings(ctx, s.DB, `r.yearend_id = ?`, []any{y.ID}, sch); err != nil {
		return nil, err
	}
	for _, r := range out.Ratings {
		if r.State == RatingProposed {
			out.Unreviewed++
		}
	}
	out.Warnings = shareWarnings(sch, out.Ratings)
	if y.NoticeID != 0 {
		if out.Publicity, out.Objections, err = s.publicityOf(ctx, sc, y.NoticeID, reader, out.Ratings); err != nil {
			return nil, err
		}
		out.CanObject = inBranch && y.State == YearPublicity && out.Publicity.InWindow
	}
	return out, nil
}

// ratings reads ratings with their member's name, ordered by total (highest first).
func (s *Store) ratings(ctx context.Context, q db.Querier, where string, args []any, sch *Scheme) ([]Rating, error) {
	out, err := db.All(ctx, q, `SELECT r.id, r.yearend_id, r.member_id, m.name, r.year, r.total, r.vetoed, r.proposed_stars, r.stars, r.reason, r.state,
		r.withdrawn_at, r.reviewed_at FROM points_reviews r JOIN members m ON m.id = r.member_id WHERE `+where+` ORDER BY r.total DESC, m.name_key, r.id`,
		args, func(row db.Scanner) (Rating, error) {
			var r Rating
			var vetoed int
			var withdrawn, reviewed sql.NullTime
			err := row.Scan(&r.ID, &r.YearEndID, &r.MemberID, &r.MemberName, &r.Year, &r.Total, &vetoed, &r.ProposedStars, &r.Stars, &r.Reason, &r.State,
				&withdrawn, &reviewed)
			r.Vetoed, r.Withdrawn, r.ReviewedAt = vetoed != 0, withdrawn.Valid, db.TimeOrNil(reviewed)
			if sch != nil {
				r.StarName = starName(sch, r.Stars)
			}
			return r, err
		})
	if out == nil {
		out = []Rating{}
	}
	return out, err
}

// starName is the name of the band giving stars ("" for 0 or a level the scheme lacks).
func starName(sch *Scheme, stars int) string {
	for _, b := range sch.Stars {
		if b.Stars == stars && stars > 0 {
			return b.Name
		}
	}
	return ""
}
