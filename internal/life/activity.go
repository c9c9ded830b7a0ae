package life

import (
	"context"
	"dangjian/internal/life/rules"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"dangjian/internal/member"
	"dangjian/internal/org"
	"dangjian/internal/platform/audit"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/clock"
	"dangjian/internal/platform/db"
	"dangjian/internal/platform/files"
	"dangjian/internal/platform/httpx"
	"dangjian/internal/platform/i18n"
	"dangjian/internal/platform/patch"
)

// States of an activity record.
const (
	Planned   = "planned"
	HeldState = "held"
	Submitted = "submitted"
	Returned  = "returned"
	Accepted  = "accepted"
	Cancelled = "cancelled"
)

// CountingStates are the states of an activity that took place (it counts for the rules).
var CountingStates = []string{HeldState, Submitted, Returned, Accepted}

// SourceCheckin marks the attendance rows members recorded themselves by signing in.
const SourceCheckin = "checkin"

// CountingWhere selects the records that count for the rules (SQL on activities a): held (in
// any review state), not superseded by an accepted correction, and not an amendment still
// under review.
const CountingWhere = `a.state IN ('held', 'submitted', 'returned', 'accepted') AND a.superseded_by IS NULL
	AND (a.amends_id IS NULL OR a.state = 'accepted')`

// Activity is one meeting or event, recorded once, counting as every kind it lists.
type Activity struct {
	ID            int64        `json:"id"`
	OrgID         int64        `json:"org_id"`
	OrgName       string       `json:"org_name"`
	OrgLabel      string       `json:"org_label,omitempty"` // parent › name, in lists
	Kinds         []string     `json:"kinds"`
	Topic         string       `json:"topic"`
	StartsAt      time.Time    `json:"starts_at"`
	EndsAt        *time.Time   `json:"ends_at" jsonschema:"nullable"`
	Place         string       `json:"place"`
	Host          string       `json:"host"`
	Recorder      string       `json:"recorder"`
	Speaker       string       `json:"speaker"`
	Minutes       string       `json:"minutes"`
	Resolutions   string       `json:"resolutions"`
	ForYear       int          `json:"for_year"` // the year a 组织生活会 or 民主评议 is held for (0: not such a kind)
	State         string       `json:"state"`
	ReviewComment string       `json:"review_comment"`
	AmendsID      int64        `json:"amends_id"`
	SupersededBy  int64        `json:"superseded_by"`
	CreatedAt     time.Time    `json:"created_at"`
	UpdatedAt     time.Time    `json:"updated_at"`
	Can           *ActivityCan `json:"can,omitempty"`
	orgPath       string
	// The accounts that recorded and last submitted the record (0: none, or the system).
	createdBy, submittedBy int64
}

// ActivityCan tells the caller what they may do with the record.
type ActivityCan struct {
	Edit   bool `json:"edit"`
	Submit bool `json:"submit"`
	Review bool `json:"review"` // return it (and accept it, see Accept)
	// Accept: review it, and not the caller's own record (recorded or submitted by them), or
	// the caller is an administrator, who then must give a reason (AcceptNeedsReason).
	Accept            bool `json:"accept"`
	AcceptNeedsReason bool `json:"accept_needs_reason"`
	Amend             bool `json:"amend"`
}

// ActivityFields is the body of POST /api/v1/activities (and, with pointers, of PATCH).
type ActivityFields struct {
	OrgID       int64      `json:"org_id"`
	Kinds       []string   `json:"kinds"`
	Topic       string     `json:"topic"`
	StartsAt    time.Time  `json:"starts_at"`
	EndsAt      *time.Time `json:"ends_at,omitempty"`
	Place       string     `json:"place"`
	Host        string     `json:"host"`
	Recorder    string     `json:"recorder"`
	Speaker     string     `json:"speaker"`
	Minutes     string     `json:"minutes"`
	Resolutions string     `json:"resolutions"`
	Held        bool       `json:"held"` // recorded after the fact rather than planned
	// ForYear is the year a 组织生活会 or 民主评议 is held for: its date's year or the one before;
	// left out, the year before when held in January–February (the pack's year_for), else its year.
	ForYear int `json:"for_year,omitempty"`
}

// ActivityPatch is the body of PATCH /api/v1/activities/{id}.
type ActivityPatch struct {
	Kinds       *[]string  `json:"kinds,omitempty"`
	Topic       *string    `json:"topic,omitempty"`
	StartsAt    *time.Time `json:"starts_at,omitempty"`
	EndsAt      *time.Time `json:"ends_at,omitempty"`
	Place       *string    `json:"place,omitempty"`
	Host        *string    `json:"host,omitempty"`
	Recorder    *string    `json:"recorder,omitempty"`
	Speaker     *string    `json:"speaker,omitempty"`
	Minutes     *string    `json:"minutes,omitempty"`
	Resolutions *string    `json:"resolutions,omitempty"`
	Held        *bool      `json:"held,omitempty"`
	ForYear     *int       `json:"for_year,omitempty"`
}

// Store keeps activities and evaluates them against the active rule pack.
type Store struct {
	DB    *db.DB
	Clock clock.Clock
	Pack  func() *rules.Pack // the rule pack in force
	Files files.Storage      // attachments
	// CheckinLimits bound wrong sign-in codes (zero: DefaultCheckinLimits).
	CheckinLimits CheckinLimits
	// Members changes a member's status when an appraisal's outcome ends membership.
	Members *member.Store
	// Hooks keep the figures over the records in step (compliance.Store; nil: none kept).
	Hooks Hooks
	// Followers derive their own records from attendance (points); nil: none.
	Followers []Follower

	background sync.WaitGroup // work requests start and do not wait for
}

// InBackground runs fn after the request that starts it has been answered.
func (s *Store) InBackground(fn func(ctx context.Context)) {
	s.background.Add(1)
	go func() {
		defer s.background.Done()
		fn(context.Background())
	}()
}

// Wait waits for the background work started so far (tests, shutdown).
func (s *Store) Wait() { s.background.Wait() }

func init() {
	msgs := map[string][2]string{
		"f.activity":               {"活动", "Activity"},
		"f.activity.org_id":        {"组织", "Organization"},
		"f.activity.kinds":         {"活动类型", "Kinds"},
		"f.activity.topic":         {"主题", "Topic"},
		"f.activity.starts_at":     {"开始时间", "Start"},
		"f.activity.ends_at":       {"结束时间", "End"},
		"f.activity.place":         {"地点", "Place"},
		"f.activity.host":          {"主持人", "Host"},
		"f.activity.recorder":      {"记录人", "Recorder"},
		"f.activity.speaker":       {"授课人", "Speaker"},
		"f.activity.minutes":       {"会议记录", "Minutes"},
		"f.activity.resolutions":   {"决议事项", "Resolutions"},
		"f.activity.comment":       {"审核意见", "Comment"},
		"f.activity.accept_reason": {"代为审核理由", "Reason for accepting one's own record"},
		"v.activity.own_accept":    {"本人记录或报送的活动不能由本人审核通过，请由上级其他人员审核", "You recorded or submitted this record: someone else at the level above must accept it"},
		"v.activity.own_reason":    {"%s：审核本人记录或报送的活动须填写理由", "%s: accepting a record you recorded or submitted needs a reason"},
		"v.activity.ends_before":   {"%s：不能早于开始时间", "%s: before the start"},
		"v.activity.state":         {"当前状态为“%s”，不能执行此操作", "Not possible while the record is %s"},
		"v.activity.planned_past":  {"%s：计划中的活动应在未来；已开展的活动请勾选“已开展”", "%s: a planned activity is in the future; mark a past one as held"},
		"v.activity.held_future":   {"%s：尚未开始的活动不能记为已开展", "%s: an activity that has not started cannot be held"},
		"v.activity.speaker":       {"%s：党课应填写授课人", "%s: a Party lecture needs its speaker"},
		"f.activity.for_year":      {"所属年度", "Held for the year"},
		"v.activity.for_year":      {"%s：应为%d年或%d年", "%s: must be %d or %d"},
		"state.planned":            {"计划中", "planned"},
		"state.held":               {"已开展", "held"},
		"state.submitted":          {"已报送", "submitted"},
		"state.returned":           {"已退回", "returned"},
		"state.accepted":           {"已审核", "accepted"},
		"state.cancelled":          {"已取消", "cancelled"},
	}
	for _, k := range rules.NationalKinds {
		msgs["activity_kind."+k.Code] = [2]string{k.Name, k.NameEN}
	}
	i18n.Register(msgs)
}

const activityCols = `a.id, a.org_id, o.name, o.path, a.topic, a.starts_at, a.ends_at, a.place, a.host, a.recorder, a.speaker,
	a.minutes, a.resolutions, COALESCE(a.for_year, 0), a.state, a.review_comment, COALESCE(a.amends_id, 0), COALESCE(a.superseded_by, 0), a.created_at, a.updated_at,
	COALESCE(a.created_by, 0), COALESCE(a.submitted_by, 0)`

func scanActivity(sc interface{ Scan(...any) error }) (*Activity, error) {
	var a Activity
	var ends sql.NullTime
	if err := sc.Scan(&a.ID, &a.OrgID, &a.OrgName, &a.orgPath, &a.Topic, &a.StartsAt, &ends, &a.Place, &a.Host, &a.Recorder, &a.Speaker,
		&a.Minutes, &a.Resolutions, &a.ForYear, &a.State, &a.ReviewComment, &a.AmendsID, &a.SupersededBy, &a.CreatedAt, &a.UpdatedAt,
		&a.createdBy, &a.submittedBy); err != nil {
		return nil, err
	}
	a.StartsAt, a.CreatedAt, a.UpdatedAt = a.StartsAt.UTC(), a.CreatedAt.UTC(), a.UpdatedAt.UTC()
	a.EndsAt = db.TimeOrNil(ends)
	return &a, nil
}

// parentPath is the path of the organization above path ("" at a root).
func parentPath(path string) string {
	t := strings.TrimSuffix(path, "/")
	i := strings.LastIndex(t, "/")
	if i <= 0 {
		return ""
	}
	return t[:i+1]
}

// canReview: the level above reviews a record (DESIGN: one level driving the next).
func canReview(sc *auth.Scope, orgPath string) bool {
	pp := parentPath(orgPath)
	return sc.IsAdmin() || (pp != "" && sc.Can(auth.EditOrg, pp))
}

func (s *Store) permissions(sc *auth.Scope, a *Activity) {
	write := sc.Can(auth.WriteMembers, a.orgPath)
	live := a.SupersededBy == 0 && a.State != Cancelled
	a.Can = &ActivityCan{
		Edit:   live && write && (a.State == Planned || a.State == HeldState || a.State == Returned),
		Submit: live && write && (a.State == HeldState || a.State == Returned),
		Review: live && a.State == Submitted && canReview(sc, a.orgPath),
		Amend:  live && write && a.State == Accepted,
	}
	a.Can.Accept = a.Can.Review && (!a.ownedBy(sc) || sc.IsAdmin())
	a.Can.AcceptNeedsReason = a.Can.Accept && a.ownedBy(sc)
}

// ownedBy tells whether the caller recorded or submitted the record: then they may not accept
// it too (the level above reviews), except an administrator, with a reason.
func (a *Activity) ownedBy(sc *auth.Scope) bool {
	return sc.UserID != 0 && (a.createdBy == sc.UserID || a.submittedBy == sc.UserID)
}

func (s *Store) kindsOf(ctx context.Context, q db.Querier, ids []int64) (map[int64][]string, error) {
	out := map[int64][]string{}
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	if err := db.Each(ctx, q, `SELECT activity_id, kind FROM activity_kinds WHERE activity_id IN (`+db.Placeholders(len(ids))+`) ORDER BY activity_id, kind`, args, func(rs db.Scanner) error {
		var id int64
		var k string
		if err := rs.Scan(&id, &k); err != nil {
			return err
		}
		out[id] = append(out[id], k)
		return nil
	}); err != nil {
		return nil, err
	}
	return out, nil
}

func (s *Store) get(ctx context.Context, q db.Querier, sc *auth.Scope, id int64) (*Activity, error) {
	cond, args := sc.Where("o.path", auth.Read)
	a, err := scanActivity(q.QueryRow(ctx, `SELECT `+activityCols+` FROM activities a JOIN orgs o ON o.id = a.org_id
		WHERE a.id = ? AND (`+cond+`)`, append([]any{id}, args...)...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, httpx.NotFound("f.activity")
	}
	if err != nil {
		return nil, err
	}
	kinds, err := s.kindsOf(ctx, q, []int64{a.ID})
	if err != nil {
		return nil, err
	}
	a.Kinds = nonNil(kinds[a.ID])
	s.permissions(sc, a)
	return a, nil
}

// Get returns one activity the caller may read.
func (s *Store) Get(ctx context.Context, sc *auth.Scope, id int64) (*Activity, error) {
	return s.get(ctx, s.DB, sc, id)
}

func nonNil(xs []string) []string {
	if xs == nil {
		return []string{}
	}
	return xs
}

// ForWrite loads an activity for a change: invisible or without the role (may) → 403
// (admins: 404 for a missing one); the right role but the wrong state (ok) → 409.
func (s *Store) ForWrite(ctx context.Context, q db.Querier, sc *auth.Scope, id int64, may, ok func(*Activity) bool) (*Activity, error) {
	a, err := s.get(ctx, q, sc, id)
	if err != nil {
		return nil, sc.Refuse(err)
	}
	if !may(a) {
		return nil, httpx.Forbidden()
	}
	if !ok(a) {
		return nil, httpx.Conflict("conflict", i18n.M("v.activity.state", i18n.M("state."+a.State)))
	}
	return a, nil
}

// MayWrite: the organization's own writers (its secretaries, the staff above, admins).
func MayWrite(sc *auth.Scope) func(*Activity) bool {
	return func(a *Activity) bool { return sc.Can(auth.WriteMembers, a.orgPath) }
}

// MayReview: the level above.
func MayReview(sc *auth.Scope) func(*Activity) bool {
	return func(a *Activity) bool { return canReview(sc, a.orgPath) }
}

func (s *Store) validate(f *ActivityFields, now time.Time) httpx.Issues {
	var is httpx.Issues
	f.Topic = strings.TrimSpace(f.Topic)
	if f.Topic == "" {
		is.Add("topic", "f.activity.topic", "v.required")
	} else if utf8.RuneCountInString(f.Topic) > 200 {
		is.Add("topic", "f.activity.topic", "v.too_long", 200)
	}
	known := map[string]bool{}
	for _, k := range s.Pack().KindNames() {
		known[k.Code] = true
	}
	if len(f.Kinds) == 0 {
		is.Add("kinds", "f.activity.kinds", "v.required")
	}
	seen := map[string]bool{}
	kinds := f.Kinds[:0:0]
	for _, k := range f.Kinds {
		if !known[k] {
			is.Add("kinds", "f.activity.kinds", "v.choice", k)
		}
		if !seen[k] {
			seen[k] = true
			kinds = append(kinds, k)
		}
	}
	sort.Strings(kinds)
	f.Kinds = kinds
	if f.StartsAt.IsZero() {
		is.Add("starts_at", "f.activity.starts_at", "v.required")
	} else {
		if f.EndsAt != nil && f.EndsAt.Before(f.StartsAt) {
			is.Add("ends_at", "f.activity.ends_at", "v.activity.ends_before")
		}
		if f.Held && f.StartsAt.After(now) {
			is.Add("starts_at", "f.activity.starts_at", "v.activity.held_future")
		}
	}
	if !f.StartsAt.IsZero() {
		f.ForYear = s.checkForYear(&is, f.Kinds, f.StartsAt, f.ForYear)
	}
	if seen["party_lecture"] && strings.TrimSpace(f.Speaker) == "" && f.Held {
		is.Add("speaker", "f.activity.speaker", "v.activity.speaker")
	}
	for _, t := range []struct {
		field, v string
		max      int
	}{{"place", f.Place, 200}, {"host", f.Host, 50}, {"recorder", f.Recorder, 50}, {"speaker", f.Speaker, 50},
		{"minutes", f.Minutes, 50000}, {"resolutions", f.Resolutions, 10000}} {
		if utf8.RuneCountInString(t.v) > t.max {
			is.Add(t.field, "f.activity."+t.field, "v.too_long", t.max)
		}
	}
	return is
}

// checkForYear is the year an activity is held for: none (0) unless one of its kinds is held
// for a year; the default when not given; else the year of its date or the one before.
func (s *Store) checkForYear(is *httpx.Issues, kinds []string, at time.Time, given int) int {
	pack := s.Pack()
	forYear := false
	for _, k := range kinds {
		forYear = forYear || pack.HeldForYear(k)
	}
	if !forYear {
		return 0
	}
	if given == 0 {
		return pack.ForYear(kinds, at)
	}
	if y := rules.YearOf(at); given != y && given != y-1 {
		is.Add("for_year", "f.activity.for_year", "v.activity.for_year", y-1, y)
	}
	return given
}

// nullYear stores 0 as NULL: the activity is not held for a year.
func nullYear(y int) any {
	if y == 0 {
		return nil
	}
	return y
}

// RecordYears are the years an activity's records count in: its date's and the one it is held for.
func RecordYears(at time.Time, forYear int) []int {
	if forYear != 0 {
		return []int{rules.YearOf(at), forYear}
	}
	return []int{rules.YearOf(at)}
}

func (s *Store) writeKinds(ctx context.Context, tx *db.Tx, id int64, kinds []string) error {
	if _, err := tx.Exec(ctx, `DELETE FROM activity_kinds WHERE activity_id = ?`, id); err != nil {
		return err
	}
	for _, k := range kinds {
		if _, err := tx.Exec(ctx, `INSERT INTO activity_kinds (activity_id, kind) VALUES (?, ?)`, id, k); err != nil {
			return err
		}
	}
	return nil
}

func nullTime(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UTC()
}

// Create plans (or records after the fact) an activity of an organization in the caller's scope.
func (s *Store) Create(ctx context.Context, sc *auth.Scope, f ActivityFields) (*Activity, error) {
	now := s.Clock.Now()
	var id int64
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		if f.OrgID == 0 {
			return httpx.Invalid(httpx.FieldIssue("org_id", "f.activity.org_id", "v.required"))
		}
		o, err := org.ResolveField(ctx, tx, sc, f.OrgID, auth.WriteMembers, "org_id", "f.activity.org_id")
		if err != nil {
			return err
		}
		if err := s.validate(&f, now).Err(); err != nil {
			return err
		}
		state := Planned
		if f.Held {
			state = HeldState
		}
		err = s.Track(ctx, tx, o.ID, RecordYears(f.StartsAt, f.ForYear), func() error {
			if err := tx.QueryRow(ctx, `INSERT INTO activities (org_id, topic, starts_at, ends_at, place, host, recorder, speaker, minutes, resolutions,
				for_year, state, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
				o.ID, f.Topic, f.StartsAt.UTC(), nullTime(f.EndsAt), f.Place, f.Host, f.Recorder, f.Speaker, f.Minutes, f.Resolutions,
				nullYear(f.ForYear), state, sc.UserID, now, now).Scan(&id); err != nil {
				return err
			}
			return s.writeKinds(ctx, tx, id, f.Kinds)
		})
		if err != nil {
			return err
		}
		if state == Planned {
			users, err := MembersOf(ctx, tx, o.ID)
			if err != nil {
				return err
			}
			when := f.StartsAt.In(clock.CST).Format("2006-01-02 15:04")
			if _, err := Notify(ctx, tx, users, o.ID, "activity", "新活动："+f.Topic, when+" "+f.Place,
				fmt.Sprintf("/activities/%d", id), fmt.Sprintf("activity:%d", id), now); err != nil {
				return err
			}
		}
		return audit.Write(ctx, tx, sc.Actor(), now, audit.Entry{Action: "create", Entity: "activity", EntityID: id, OrgID: o.ID,
			Summary: f.Topic, Changes: audit.Snapshot(f)})
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, sc, id)
}

func (a *Activity) fields() ActivityFields {
	return ActivityFields{OrgID: a.OrgID, Kinds: a.Kinds, Topic: a.Topic, StartsAt: a.StartsAt, EndsAt: a.EndsAt, Place: a.Place,
		Host: a.Host, Recorder: a.Recorder, Speaker: a.Speaker, Minutes: a.Minutes, Resolutions: a.Resolutions, Held: a.State != Planned, ForYear: a.ForYear}
}

// Update changes a record that is not yet submitted (or was returned).
func (s *Store) Update(ctx context.Context, sc *auth.Scope, id int64, p ActivityPatch) (*Activity, error) {
	now := s.Clock.Now()
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		a, err := s.ForWrite(ctx, tx, sc, id, MayWrite(sc), func(a *Activity) bool { return a.Can.Edit })
		if err != nil {
			return err
		}
		before := a.fields()
		after := patch.Apply(before, p)
		if p.Kinds == nil {
			after.Kinds = append([]string{}, before.Kinds...) // validate may normalize them in place
		}
		if p.Held != nil {
			after.Held = *p.Held || a.State == Returned
		}
		// A year left to its default follows a new date or kinds; one chosen stays.
		if p.ForYear != nil {
			after.ForYear = *p.ForYear
		} else if before.ForYear == s.Pack().ForYear(before.Kinds, before.StartsAt) {
			after.ForYear = 0
		}
		if err := s.validate(&after, now).Err(); err != nil {
			return err
		}
		changes := audit.Diff(before, after)
		if len(changes) == 0 {
			return nil
		}
		state := a.State
		if state == Planned && after.Held {
			state = HeldState
		} else if state == HeldState && !after.Held {
			state = Planned
		}
		years := append(RecordYears(before.StartsAt, before.ForYear), RecordYears(after.StartsAt, after.ForYear)...)
		err = s.Track(ctx, tx, a.OrgID, years, func() error {
			if _, err := tx.Exec(ctx, `UPDATE activities SET topic = ?, starts_at = ?, ends_at = ?, place = ?, host = ?, recorder = ?, speaker = ?,
				minutes = ?, resolutions = ?, for_year = ?, state = ?, updated_at = ? WHERE id = ?`, after.Topic, after.StartsAt.UTC(), nullTime(after.EndsAt),
				after.Place, after.Host, after.Recorder, after.Speaker, after.Minutes, after.Resolutions, nullYear(after.ForYear), state, now, id); err != nil {
				return err
			}
			return s.writeKinds(ctx, tx, id, after.Kinds)
		})
		if err != nil {
			return err
		}
		if attendees, err := attendeesOf(ctx, tx, id); err != nil {
			return err
		} else if err := s.AttendanceChanged(ctx, tx, attendees); err != nil {
			return err
		}
		if err := s.ActivitiesChanged(ctx, tx, id); err != nil {
			return err
		}
		return audit.Write(ctx, tx, sc.Actor(), now, audit.Entry{Action: "update", Entity: "activity", EntityID: id, OrgID: a.OrgID,
			Summary: after.Topic, Changes: changes})
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, sc, id)
}

// Review is the body of accept and return.
type Review struct {
	Comment string `json:"comment"`
	// Reason is required when an administrator accepts a record they recorded or submitted.
	Reason string `json:"reason,omitempty"`
	// Confirm submits despite the warnings a first submission answered with (409
	// confirm_required: no attendance recorded, a second record of a kind on the same day).
	Confirm bool `json:"confirm,omitempty"`
}

// Transition moves a record through its review: submit (the branch), accept or return (the
// level above). An accepted record is locked; a correction is an amendment (Amend).
//
// A record cannot be accepted by the account that recorded or submitted it; an administrator
// may, giving a reason, which is audited.
func (s *Store) Transition(ctx context.Context, sc *auth.Scope, id int64, action string, rv Review) (*Activity, error) {
	now, comment := s.Clock.Now(), rv.Comment
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		var may, allowed func(*Activity) bool
		var next string
		switch action {
		case "submit":
			may, allowed, next = MayWrite(sc), func(a *Activity) bool { return a.Can.Submit }, Submitted
		case "accept":
			may, allowed, next = MayReview(sc), func(a *Activity) bool { return a.Can.Review }, Accepted
		case "return":
			may, allowed, next = MayReview(sc), func(a *Activity) bool { return a.Can.Review }, Returned
			if strings.TrimSpace(comment) == "" {
				return httpx.Invalid(httpx.FieldIssue("comment", "f.activity.comment", "v.required"))
			}
		default:
			return httpx.NotFound("f.activity")
		}
		a, err := s.ForWrite(ctx, tx, sc, id, may, allowed)
		if err != nil {
			return err
		}
		changes := map[string]audit.Change{"state": {Before: a.State, After: next}}
		if action == "accept" && a.ownedBy(sc) {
			if !sc.IsAdmin() {
				return &httpx.Error{Status: http.StatusForbidden, Code: "forbidden", Detail: i18n.M("v.activity.own_accept")}
			}
			reason := strings.TrimSpace(rv.Reason)
			if reason == "" {
				return httpx.Invalid(httpx.FieldIssue("reason", "f.activity.accept_reason", "v.activity.own_reason"))
			}
			changes["override_reason"] = audit.Change{After: reason}
		}
		if action == "submit" && !rv.Confirm {
			if ws, err := submitWarnings(ctx, tx, a); err != nil {
				return err
			} else if len(ws) > 0 {
				return confirmRequired(ws)
			}
		}
		years := RecordYears(a.StartsAt, a.ForYear)
		if a.AmendsID != 0 {
			var orig time.Time
			var origFor int
			if err := tx.QueryRow(ctx, `SELECT starts_at, COALESCE(for_year, 0) FROM activities WHERE id = ?`, a.AmendsID).Scan(&orig, &origFor); err != nil {
				return err
			}
			years = append(years, RecordYears(orig, origFor)...)
		}
		err = s.Track(ctx, tx, a.OrgID, years, func() error {
			if _, err := tx.Exec(ctx, `UPDATE activities SET state = ?, review_comment = ?, updated_at = ? WHERE id = ?`,
				next, comment, now, id); err != nil {
				return err
			}
			if next == Submitted && sc.UserID != 0 {
				if _, err := tx.Exec(ctx, `UPDATE activities SET submitted_by = ? WHERE id = ?`, sc.UserID, id); err != nil {
					return err
				}
			}
			// Accepting an amendment supersedes the record it corrects.
			if next == Accepted && a.AmendsID != 0 {
				if _, err := tx.Exec(ctx, `UPDATE activities SET superseded_by = ? WHERE id = ?`, id, a.AmendsID); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		if next == Submitted {
			if err := notifySubmitted(ctx, tx, a, now); err != nil {
				return err
			}
		}
		if next == Accepted && a.AmendsID != 0 {
			attendees, err := attendeesOf(ctx, tx, id, a.AmendsID)
			if err != nil {
				return err
			}
			if err := s.AttendanceChanged(ctx, tx, attendees); err != nil {
				return err
			}
		}
		// Whether a record counts changes with its state (and an accepted correction
		// supersedes the record it corrects: that one first, then the correction).
		followed := []int64{id}
		if next == Accepted && a.AmendsID != 0 {
			followed = []int64{a.AmendsID, id}
		}
		if err := s.ActivitiesChanged(ctx, tx, followed...); err != nil {
			return err
		}
		return audit.Write(ctx, tx, sc.Actor(), now, audit.Entry{Action: action, Entity: "activity", EntityID: id, OrgID: a.OrgID,
			Summary: comment, Changes: changes})
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, sc, id)
}

// Amend opens a correction of an accepted record: a new record citing it, with the same
// content and attendance, to be submitted and accepted in its turn. The original stays.
func (s *Store) Amend(ctx context.Context, sc *auth.Scope, id int64) (*Activity, error) {
	now := s.Clock.Now()
	var newID int64
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		a, err := s.ForWrite(ctx, tx, sc, id, MayWrite(sc), func(a *Activity) bool { return a.Can.Amend })
		if err != nil {
			return err
		}
		var open int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM activities WHERE amends_id = ? AND state <> ?`, id, Accepted).Scan(&open); err != nil {
			return err
		}
		if open > 0 {
			return httpx.Conflict("conflict", i18n.M("v.activity.state", i18n.M("state.submitted")))
		}
		if err := tx.QueryRow(ctx, `INSERT INTO activities (org_id, topic, starts_at, ends_at, place, host, recorder, speaker, minutes, resolutions,
			for_year, state, amends_id, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			a.OrgID, a.Topic, a.StartsAt, nullTime(a.EndsAt), a.Place, a.Host, a.Recorder, a.Speaker, a.Minutes, a.Resolutions,
			nullYear(a.ForYear), HeldState, id, sc.UserID, now, now).Scan(&newID); err != nil {
			return err
		}
		if err := s.writeKinds(ctx, tx, newID, a.Kinds); err != nil {
			return err
		}
		// Attendance and appraisals are copied as of now; later changes append to the amendment
		// only. (A 组织生活会's problem list belongs to the meeting: see meetingOf.)
		if _, err := tx.Exec(ctx, `INSERT INTO attendance (activity_id, member_id, state, reason, source, recorded_by, recorded_at)
			SELECT ?, t.member_id, t.state, t.reason, t.source, ?, ? FROM attendance t
			WHERE t.activity_id = ? AND t.id = (SELECT MAX(id) FROM attendance x WHERE x.activity_id = t.activity_id AND x.member_id = t.member_id)`,
			newID, sc.UserID, now, id); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO member_reviews (activity_id, member_id, self_summary, grade, correction_deadline, recorded_by, recorded_at)
			SELECT ?, r.member_id, r.self_summary, r.grade, r.correction_deadline, ?, ? FROM member_reviews r
			WHERE r.activity_id = ? AND r.id = (SELECT MAX(x.id) FROM member_reviews x WHERE x.activity_id = r.activity_id AND x.member_id = r.member_id)`,
			newID, sc.UserID, now, id); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO review_overrides (activity_id, reason, recorded_by, recorded_at)
			SELECT ?, o.reason, ?, ? FROM review_overrides o WHERE o.id = (SELECT MAX(x.id) FROM review_overrides x WHERE x.activity_id = ?)`,
			newID, sc.UserID, now, id); err != nil {
			return err
		}
		return audit.Write(ctx, tx, sc.Actor(), now, audit.Entry{Action: "amend", Entity: "activity", EntityID: newID, OrgID: a.OrgID,
			Summary: a.Topic, Changes: map[string]audit.Change{"amends_id": {After: id}}})
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, sc, newID)
}

// activityRoutes are the routes of the activity records: list, plan or record, change, the review transitions, the amendment, a member's own.
func (s *Store) activityRoutes() []httpx.Route {
	return []httpx.Route{
		{Method: "GET", Path: "/api/v1/activities", Tag: "life", Summary: "Activities of an organization or subtree, newest first", Perm: auth.NeedRead,
			Query: append([]httpx.Param{{Name: "org", Type: "integer"}, {Name: "subtree", Type: "boolean"}, {Name: "kind", Type: "string"},
				{Name: "state", Type: "string", Enum: []string{Planned, HeldState, Submitted, Returned, Accepted}},
				{Name: "from", Type: "string", Doc: "RFC 3339 instant or YYYY-MM-DD (China Standard Time)"}, {Name: "to", Type: "string"}}, PageParams...),
			Resp: httpx.List[Activity]{}, Handle: s.handleList},
		{Method: "POST", Path: "/api/v1/activities", Tag: "life", Summary: "Plan an activity, or record one held (it may count as several kinds)", Perm: auth.NeedWriteMembers,
			Body: ActivityFields{}, Resp: Activity{}, Status: http.StatusCreated, Handle: httpx.Body(http.StatusCreated, func(r *http.Request, f ActivityFields) (any, error) {
				return s.Create(r.Context(), auth.From(r.Context()), f)
			})},
		{Method: "GET", Path: "/api/v1/activities/{id}", Tag: "life", Summary: "One activity", Perm: auth.NeedRead, Resp: Activity{},
			Handle: OneActivity(func(r *http.Request, n int64) (any, error) { return s.Get(r.Context(), auth.From(r.Context()), n) })},
		{Method: "PATCH", Path: "/api/v1/activities/{id}", Tag: "life", Summary: "Change a record not yet submitted (or returned)", Perm: auth.NeedWriteMembers,
			Body: ActivityPatch{}, Resp: Activity{}, Handle: OneActivity(func(r *http.Request, n int64) (any, error) {
				var p ActivityPatch
				if err := httpx.Decode(r, &p); err != nil {
					return nil, err
				}
				return s.Update(r.Context(), auth.From(r.Context()), n, p)
			})},
		s.transitionRoute("submit"), s.transitionRoute("accept"), s.transitionRoute("return"),
		{Method: "POST", Path: "/api/v1/activities/{id}/amend", Tag: "life", Summary: "Open a correction of an accepted record (the original is kept)", Perm: auth.NeedWriteMembers,
			Resp: Activity{}, Status: http.StatusCreated, Handle: func(w http.ResponseWriter, r *http.Request) error {
				n, err := ActivityID(r)
				if err != nil {
					return err
				}
				a, err := s.Amend(r.Context(), auth.From(r.Context()), n)
				if err != nil {
					return err
				}
				return httpx.JSON(w, http.StatusCreated, a)
			}},
		{Method: "GET", Path: "/api/v1/members/{id}/activities", Tag: "life", Summary: "A member's organizational life as on their own page: their branch's, group's and second affiliations' activities and any they attended elsewhere, each naming its organization", Perm: auth.NeedReadOrOwn,
			Resp: Mine{}, Handle: OneActivity(func(r *http.Request, n int64) (any, error) {
				return s.MemberActivities(r.Context(), auth.From(r.Context()), n, 50)
			})},
		{Method: "GET", Path: "/api/v1/me/activities", Tag: "life", Summary: "The caller's own organizational life: their branch's and group's activities with their attendance", Perm: httpx.AnyUser, Access: "any user with a member record (own record)",
			Resp: Mine{}, Handle: func(w http.ResponseWriter, r *http.Request) error {
				m, err := s.MyActivities(r.Context(), auth.From(r.Context()), 50)
				if err != nil {
					return err
				}
				return httpx.JSON(w, 200, m)
			}},
	}
}

// OrgForRead resolves an organization the caller may read and gives its path.
func (s *Store) OrgForRead(ctx context.Context, sc *auth.Scope, orgID int64) (string, error) {
	o, err := org.Resolve(ctx, s.DB, sc, orgID, auth.Read)
	if err != nil {
		return "", err
	}
	return o.Path, nil
}

// CSTTime writes an instant as a China Standard Time minute (notices, the record book).
func CSTTime(t time.Time) string { return t.In(clock.CST).Format("2006-01-02 15:04") }

// LoadActivity reads an activity without a scope (the caller has been checked otherwise).
func (s *Store) LoadActivity(ctx context.Context, q db.Querier, id int64) (*Activity, error) {
	a, err := scanActivity(q.QueryRow(ctx, `SELECT `+activityCols+` FROM activities a JOIN orgs o ON o.id = a.org_id WHERE a.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, httpx.NotFound("f.activity")
	}
	if err != nil {
		return nil, err
	}
	kinds, err := s.kindsOf(ctx, q, []int64{id})
	a.Kinds = nonNil(kinds[id])
	return a, err
}

// OrgPath is the path of the activity's organization (scope checks).
func (a *Activity) OrgPath() string { return a.orgPath }
