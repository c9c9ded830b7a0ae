package points

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"dangjian/internal/org"
	"dangjian/internal/platform/audit"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/db"
	"dangjian/internal/platform/httpx"
	"dangjian/internal/platform/i18n"
)

// What an appeal is about, and its states.
const (
	TargetEntry  = "entry"
	TargetRating = "rating"

	AppealOpen    = "open"
	AppealUpheld  = "upheld"  // the entry or rating stands
	AppealChanged = "changed" // changed by a new entry or a new rating event

	SourceAppeal = "appeal" // an entry the level above wrote on an appeal
)

// Appeal is a member's appeal to the level above (the parent of their branch) against a
// ledger entry or their year rating.
type Appeal struct {
	ID         int64      `json:"id"`
	MemberID   int64      `json:"member_id"`
	MemberName string     `json:"member_name"`
	OrgID      int64      `json:"org_id"` // the member's branch when filed
	OrgName    string     `json:"org_name"`
	Year       int        `json:"year"`
	Target     string     `json:"target"` // entry, rating
	EntryID    int64      `json:"entry_id"`
	ItemName   string     `json:"item_name"` // the entry's item (entry appeals)
	Applied    int        `json:"applied"`   // the entry's points (entry appeals)
	RatingID   int64      `json:"rating_id"`
	Stars      int        `json:"stars"` // the rating's stars when filed or now (rating appeals)
	Text       string     `json:"text"`
	State      string     `json:"state"` // open, upheld, changed
	Answer     string     `json:"answer"`
	NewEntryID int64      `json:"new_entry_id"`
	NewStars   *int       `json:"new_stars" jsonschema:"nullable"`
	CreatedAt  time.Time  `json:"created_at"`
	AnsweredAt *time.Time `json:"answered_at" jsonschema:"nullable"`
}

// NewAppeal is the body of POST /api/v1/points/appeals: an entry (entry_id) or the year's
// rating (year).
type NewAppeal struct {
	EntryID int64  `json:"entry_id,omitempty"`
	Year    int    `json:"year,omitempty"`
	Text    string `json:"text"`
}

// AppealDecision is the body of POST /api/v1/points/appeals/{id}/decide.
type AppealDecision struct {
	Action string `json:"action" jsonschema:"enum=uphold,enum=change"`
	Answer string `json:"answer"`
	Points *int   `json:"points,omitempty"` // change of an entry: the points it should have applied (0: none)
	Stars  *int   `json:"stars,omitempty"`  // change of a rating: the stars it should give
}

func init() {
	i18n.Register(map[string][2]string{
		"pts.v.appeal_target": {"%s：请选择一条积分条目（entry_id）或年度星级（year）之一", "%s: name one entry (entry_id) or the year's rating (year)"},
		"pts.v.appeal_action": {"%s应为 uphold 或 change", "%s must be uphold or change"},
		"pts.v.appeal_points": {"%s应在 0 与原条目分值 %d 之间（同号）", "%s must lie between 0 and the entry's %d (same sign)"},
		"pts.v.appeal_stars":  {"改变星级须给出与当前不同的%s", "changing the rating needs %s different from now"},
		"pts.ap.not_own":      {"只能对本人的积分条目或星级提出申诉", "only one's own entries and rating can be appealed"},
		"pts.ap.open":         {"对此已有一项申诉在处理中", "an appeal of this is already open"},
		"pts.ap.rating_state": {"年度星级确认后才能申诉；公示期内请提出异议", "a rating can be appealed once confirmed; during the 公示, object"},
		"pts.ap.reversal":     {"冲正条目或已冲正的条目不能申诉", "a reversal, or a reversed entry, cannot be appealed"},
		"pts.ap.decided":      {"申诉 %d 已处理（%s）", "appeal %d has already been decided (%s)"},
		"f.points.entry_id":   {"积分条目", "Entry"},
	})
}

// FileAppeal records a member's appeal of their own entry or confirmed rating; one open
// appeal per entry or rating.
func (s *Store) FileAppeal(ctx context.Context, sc *auth.Scope, in NewAppeal) (*Appeal, error) {
	in.Text = strings.TrimSpace(in.Text)
	var is httpx.Issues
	if (in.EntryID == 0) == (in.Year == 0) {
		is.Add("entry_id", "f.points.entry_id", "pts.v.appeal_target")
	}
	if in.Text == "" || len([]rune(in.Text)) > 1000 {
		is.Add("text", "f.points.text", "pts.v.text")
	}
	if sc.MemberID == 0 { // an account without a member record has nothing to appeal
		return nil, &httpx.Error{Status: http.StatusForbidden, Code: "not_own", Detail: i18n.M("pts.ap.not_own")}
	}
	if err := is.Err(); err != nil {
		return nil, err
	}
	var out *Appeal
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		a := &Appeal{MemberID: sc.MemberID, Text: in.Text, State: AppealOpen, CreatedAt: s.Clock.Now().UTC()}
		if err := s.appealTarget(ctx, tx, sc, in, a); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM points_appeals WHERE state = ? AND ((entry_id IS NOT NULL AND entry_id = ?) OR (review_id IS NOT NULL AND review_id = ?))`,
			AppealOpen, a.EntryID, a.RatingID).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return httpx.Conflict("appeal_open", i18n.M("pts.ap.open"))
		}
		if err := tx.QueryRow(ctx, `INSERT INTO points_appeals (member_id, org_id, year, target, entry_id, review_id, text, state, raised_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, a.MemberID, a.OrgID, a.Year, a.Target, nullID(a.EntryID), nullID(a.RatingID),
			a.Text, AppealOpen, nullID(sc.UserID), a.CreatedAt).Scan(&a.ID); err != nil {
			return err
		}
		out = a
		if err := flushAt(ctx, tx, a.OrgID, DimAppeals, AppealOpen, 1); err != nil {
			return err
		}
		return audit.Write(ctx, tx, sc.Actor(), a.CreatedAt, audit.Entry{Action: "appeal", Entity: "points_appeal", EntityID: a.ID, OrgID: a.OrgID,
			Summary: a.Target + " " + strconv.FormatInt(a.EntryID+a.RatingID, 10)})
	})
	return out, err
}

// appealTarget checks what is appealed (the caller's own, appealable) and fills a.
func (s *Store) appealTarget(ctx context.Context, tx *db.Tx, sc *auth.Scope, in NewAppeal, a *Appeal) error {
	notOwn := sc.Refuse(&httpx.Error{Status: http.StatusForbidden, Code: "not_own", Detail: i18n.M("pts.ap.not_own")})
	if in.EntryID != 0 {
		var memberID int64
		var rev, reversed sql.NullInt64
		err := tx.QueryRow(ctx, `SELECT e.member_id, e.org_id, e.year, e.reverses_id, r.id FROM points_entries e
			LEFT JOIN points_entries r ON r.reverses_id = e.id WHERE e.id = ?`, in.EntryID).Scan(&memberID, &a.OrgID, &a.Year, &rev, &reversed)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && memberID != sc.MemberID) {
			return notOwn
		}
		if err != nil {
			return err
		}
		if rev.Valid || reversed.Valid {
			return httpx.Conflict("not_appealable", i18n.M("pts.ap.reversal"))
		}
		a.Target, a.EntryID = TargetEntry, in.EntryID
		return nil
	}
	var state string
	err := tx.QueryRow(ctx, `SELECT r.id, r.org_id, r.stars, y.state FROM points_reviews r JOIN points_yearends y ON y.id = r.yearend_id
		WHERE r.member_id = ? AND r.year = ?`, sc.MemberID, in.Year).Scan(&a.RatingID, &a.OrgID, &a.Stars, &state)
	if errors.Is(err, sql.ErrNoRows) {
		return httpx.Invalid(httpx.FieldIssue("year", "f.points.year", "pts.v.not_rated"))
	}
	if err != nil {
		return err
	}
	if state != YearConfirmed {
		return httpx.Conflict("rating_not_final", i18n.M("pts.ap.rating_state"))
	}
	a.Target, a.Year = TargetRating, in.Year
	return nil
}

// Appeals lists the appeals the level above handles: of the organizations in the subtree of
// orgID other than orgID itself (read scope), in a state (default open), newest first.
func (s *Store) Appeals(ctx context.Context, sc *auth.Scope, orgID int64, state string, p httpx.Page) (*httpx.List[Appeal], error) {
	o, err := org.Resolve(ctx, s.DB, sc, orgID, auth.Read)
	if err != nil {
		return nil, err
	}
	lo, hi := db.SubtreeRange(o.Path)
	cond, args := sc.Where("o.path", auth.Read)
	where := `o.path >= ? AND o.path < ? AND a.org_id <> ? AND a.state = ? AND (` + cond + `)`
	args = append([]any{lo, hi, orgID, state}, args...)
	var total int
	if err := s.DB.QueryRow(ctx, `SELECT COUNT(*) FROM points_appeals a JOIN orgs o ON o.id = a.org_id WHERE `+where, args...).Scan(&total); err != nil {
		return nil, err
	}
	items, err := s.appealsWhere(ctx, where+` ORDER BY a.id DESC LIMIT `+strconv.Itoa(p.Size)+` OFFSET `+strconv.Itoa(p.Offset()), args, 0)
	if err != nil {
		return nil, err
	}
	return &httpx.List[Appeal]{Items: items, Total: total}, nil
}

// appealsWhere reads appeals with their member, branch, entry and rating (limit 0: the
// where clause orders and limits itself).
func (s *Store) appealsWhere(ctx context.Context, where string, args []any, limit int) ([]Appeal, error) {
	if limit > 0 {
		where += ` ORDER BY a.id DESC LIMIT ` + strconv.Itoa(limit)
	}
	out, err := db.All(ctx, s.DB, `SELECT a.id, a.member_id, m.name, a.org_id, o.name, a.year, a.target, COALESCE(a.entry_id, 0), COALESCE(e.item_code, ''),
		COALESCE(e.applied, 0), COALESCE(e.scheme_id, 0), COALESCE(e.layer, ''), COALESCE(a.review_id, 0), COALESCE(r.stars, 0), a.text, a.state, a.answer,
		COALESCE(a.new_entry_id, 0), a.new_stars, a.created_at, a.answered_at
		FROM points_appeals a JOIN orgs o ON o.id = a.org_id JOIN members m ON m.id = a.member_id
		LEFT JOIN points_entries e ON e.id = a.entry_id LEFT JOIN points_reviews r ON r.id = a.review_id WHERE `+where, args,
		func(row db.Scanner) (Appeal, error) {
			var a Appeal
			var schemeID int64
			var layer string
			var newStars sql.NullInt64
			var answered sql.NullTime
			err := row.Scan(&a.ID, &a.MemberID, &a.MemberName, &a.OrgID, &a.OrgName, &a.Year, &a.Target, &a.EntryID, &a.ItemName, &a.Applied, &schemeID, &layer,
				&a.RatingID, &a.Stars, &a.Text, &a.State, &a.Answer, &a.NewEntryID, &newStars, &a.CreatedAt, &answered)
			if err == nil && schemeID != 0 {
				if sch, err := s.schemeByRow(ctx, s.DB, schemeID); err == nil {
					a.ItemName = itemName(sch, layer, a.ItemName)
				}
			}
			if newStars.Valid {
				n := int(newStars.Int64)
				a.NewStars = &n
			}
			a.CreatedAt, a.AnsweredAt = a.CreatedAt.UTC(), db.TimeOrNil(answered)
			return a, err
		})
	if out == nil {
		out = []Appeal{}
	}
	return out, err
}

func openAppeal(as []Appeal, target string, id int64) bool {
	for _, a := range as {
		if a.State == AppealOpen && a.Target == target && (a.EntryID == id || a.RatingID == id) {
			return true
		}
	}
	return false
}

// DecideAppeal answers an appeal (WriteMembers on the level above the member's branch):
// upheld with an answer, or changed — an entry by its reversal and, unless the points
// become 0, a new entry (source appeal) with the points it should have applied; a rating by
// a new event with the stars it should give. Nothing is edited.
func (s *Store) DecideAppeal(ctx context.Context, sc *auth.Scope, id int64, in AppealDecision) (*Appeal, error) {
	in.Answer = strings.TrimSpace(in.Answer)
	var is httpx.Issues
	if in.Action != "uphold" && in.Action != "change" {
		is.Add("action", "f.points.action", "pts.v.appeal_action")
	}
	if in.Answer == "" || len([]rune(in.Answer)) > 1000 {
		is.Add("answer", "f.points.answer", "pts.v.text")
	}
	if err := is.Err(); err != nil {
		return nil, err
	}
	var memberID int64
	var year int
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		var a Appeal
		var path string
		err := tx.QueryRow(ctx, `SELECT a.member_id, a.org_id, a.year, a.target, COALESCE(a.entry_id, 0), COALESCE(a.review_id, 0), a.state, o.path
			FROM points_appeals a JOIN orgs o ON o.id = a.org_id WHERE a.id = ?`, id).
			Scan(&a.MemberID, &a.OrgID, &a.Year, &a.Target, &a.EntryID, &a.RatingID, &a.State, &path)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && !sc.Can(auth.Read, path)) {
			return sc.Refuse(httpx.NotFound("f.appeal"))
		}
		if err != nil {
			return err
		}
		if !sc.Can(auth.WriteMembers, parentPath(path)) { // the level above (a root branch: admins only)
			return httpx.Forbidden()
		}
		if a.State != AppealOpen {
			return httpx.Conflict("appeal_decided", i18n.M("pts.ap.decided", id, a.State))
		}
		memberID, year = a.MemberID, a.Year
		now := s.Clock.Now().UTC()
		state, newEntry, newStars := AppealUpheld, int64(0), any(nil)
		if in.Action == "change" {
			state = AppealChanged
			if a.Target == TargetEntry {
				if newEntry, err = s.changeEntry(ctx, tx, sc, id, a.EntryID, in); err != nil {
					return err
				}
			} else {
				if err := s.changeRating(ctx, tx, sc, id, a.RatingID, in, now); err != nil {
					return err
				}
				newStars = *in.Stars
			}
		}
		if _, err := tx.Exec(ctx, `UPDATE points_appeals SET state = ?, answer = ?, new_entry_id = ?, new_stars = ?, answered_by = ?, answered_at = ? WHERE id = ?`,
			state, in.Answer, nullID(newEntry), newStars, nullID(sc.UserID), now, id); err != nil {
			return err
		}
		if err := flushAt(ctx, tx, a.OrgID, DimAppeals, AppealOpen, -1); err != nil {
			return err
		}
		return audit.Write(ctx, tx, sc.Actor(), now, audit.Entry{Action: "decide", Entity: "points_appeal", EntityID: id, OrgID: a.OrgID,
			Summary: state + " " + in.Answer})
	})
	if err != nil {
		return nil, err
	}
	as, err := s.appealsWhere(ctx, `a.id = ?`, []any{id}, 1)
	if err != nil || len(as) == 0 {
		return nil, errors.Join(err, fmt.Errorf("points: appeal %d of member %d (%d) vanished", id, memberID, year))
	}
	return &as[0], nil
}

// changeEntry reverses the appealed entry and, unless points is 0, writes the entry it
// should have been (source appeal); it returns the new entry's id (0: none).
func (s *Store) changeEntry(ctx context.Context, tx *db.Tx, sc *auth.Scope, appealID, entryID int64, in AppealDecision) (int64, error) {
	var requested int
	var path string
	if err := tx.QueryRow(ctx, `SELECT e.requested, o.path FROM points_entries e JOIN orgs o ON o.id = e.org_id WHERE e.id = ?`, entryID).Scan(&requested, &path); err != nil {
		return 0, err
	}
	if in.Points == nil || *in.Points*requested < 0 || abs(*in.Points) > abs(requested) {
		return 0, httpx.Invalid(httpx.FieldIssue("points", "f.points.points", "pts.v.appeal_points", requested))
	}
	why := fmt.Sprintf("申诉改正（申诉 #%d）：%s", appealID, in.Answer)
	whyEN := fmt.Sprintf("changed on appeal #%d: %s", appealID, in.Answer)
	rev, err := s.reverse(ctx, tx, entryID, sc.UserID, why, whyEN)
	if err != nil {
		return 0, err
	}
	if *in.Points == 0 {
		return 0, nil
	}
	e := *rev
	e.Requested, e.Applied, e.ReversesID, e.SourceKind, e.SourceID = *in.Points, *in.Points, 0, SourceAppeal, appealID
	if err := insertEntry(ctx, tx, &e); err != nil {
		return 0, err
	}
	return e.ID, s.applyTotals(ctx, tx, &e, path, 1)
}

// changeRating gives the appealed rating new stars by a new event.
func (s *Store) changeRating(ctx context.Context, tx *db.Tx, sc *auth.Scope, appealID, ratingID int64, in AppealDecision, now time.Time) error {
	var stars, year int
	var schemeID, orgID int64
	var state string
	var withdrawn sql.NullTime
	if err := tx.QueryRow(ctx, `SELECT r.stars, r.year, r.org_id, r.state, r.withdrawn_at, y.scheme_id FROM points_reviews r JOIN points_yearends y ON y.id = r.yearend_id WHERE r.id = ?`, ratingID).
		Scan(&stars, &year, &orgID, &state, &withdrawn, &schemeID); err != nil {
		return err
	}
	if in.Stars == nil || *in.Stars == stars {
		return httpx.Invalid(httpx.FieldIssue("stars", "f.points.stars", "pts.v.appeal_stars"))
	}
	sch, err := s.schemeByRow(ctx, tx, schemeID)
	if err != nil {
		return err
	}
	if err := checkStars(sch, "stars", *in.Stars); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `UPDATE points_reviews SET stars = ?, reason = ? WHERE id = ?`, *in.Stars, in.Answer, ratingID); err != nil {
		return err
	}
	if state == RatingConfirmed && !withdrawn.Valid { // the subtree's distribution follows
		if err := flushAt(ctx, tx, orgID, DimRated, ratedKey(year, stars), -1); err != nil {
			return err
		}
		if err := flushAt(ctx, tx, orgID, DimRated, ratedKey(year, *in.Stars), 1); err != nil {
			return err
		}
	}
	return starEvent(ctx, tx, ratingID, EventAppeal, *in.Stars, in.Answer, appealID, sc.UserID, now)
}

func init() {
	i18n.Register(map[string][2]string{"f.points.points": {"分值", "Points"}})
}
