package member

import (
	"context"
	"database/sql"
	"errors"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/mozillazg/go-pinyin"

	"dangjian/internal/org"
	"dangjian/internal/platform/audit"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/clock"
	"dangjian/internal/platform/db"
	"dangjian/internal/platform/httpx"
	"dangjian/internal/platform/i18n"
	"dangjian/internal/platform/patch"
	"dangjian/internal/tree"
)

// Member is a member as the API shows it.
type Member struct {
	ID        int64  `json:"id"`
	OrgName   string `json:"org_name"`
	OrgLabel  string `json:"org_label"` // parent › branch, in lists
	GroupName string `json:"group_name"`
	Fields
	Age       *int      `json:"age,omitempty"` // only with the birth date in full
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	Masked    bool      `json:"masked"`
	Can       *Can      `json:"can,omitempty"`
	orgPath   string
}

// Can tells the caller what they may do with this member.
type Can struct {
	Edit   bool `json:"edit"`
	Reveal bool `json:"reveal"`
}

// Patch is the body of PATCH /api/v1/members/{id}; absent fields stay as they are.
type Patch struct {
	OrgID       *int64  `json:"org_id,omitempty"`
	GroupID     *int64  `json:"group_id,omitempty"`
	Name        *string `json:"name,omitempty"`
	Sex         *string `json:"sex,omitempty"`
	Ethnicity   *string `json:"ethnicity,omitempty"`
	IDNumber    *string `json:"id_number,omitempty"`
	BirthDate   *string `json:"birth_date,omitempty"`
	Education   *string `json:"education,omitempty"`
	NativePlace *string `json:"native_place,omitempty"`
	Category    *string `json:"category,omitempty"`
	JoinDate    *string `json:"join_date,omitempty"`
	FullDate    *string `json:"full_date,omitempty"`
	Position    *string `json:"position,omitempty"`
	Phone       *string `json:"phone,omitempty"`
	Address     *string `json:"address,omitempty"`
	Status      *string `json:"status,omitempty"`
	StatusNote  *string `json:"status_note,omitempty"`
}

// Store reads and writes members.
type Store struct {
	DB    *db.DB
	Clock clock.Clock
	// Out-of-scope duplicate ID hits a user may make per window before every ID number
	// gets the neutral answer (0: DefaultDuplicateLimit, DefaultDuplicateWindow).
	DuplicateLimit  int
	DuplicateWindow time.Duration
}

var pinyinArgs = func() pinyin.Args {
	a := pinyin.NewArgs()
	a.Fallback = func(r rune, _ pinyin.Args) []string { return []string{strings.ToLower(string(r))} }
	return a
}()

// NameKey is the sort key of a name: its pinyin, then the name itself to keep homophones
// apart, so rosters sort as people expect (张 after 王).
func NameKey(name string) string {
	var b strings.Builder
	for _, syl := range pinyin.Pinyin(name, pinyinArgs) {
		if len(syl) > 0 {
			b.WriteString(syl[0])
		}
	}
	b.WriteByte('|')
	b.WriteString(name)
	return b.String()
}

const memberCols = `m.id, m.org_id, COALESCE(m.group_id, 0), m.name, m.sex, m.ethnicity, m.id_number, m.birth_date, m.education,
	m.native_place, m.category, m.join_date, m.full_date, m.position, m.phone, m.address, m.status, m.status_note,
	m.created_at, m.updated_at, m.org_path, o.name, COALESCE(g.name, '')`

const memberFrom = ` FROM members m JOIN orgs o ON o.id = m.org_id LEFT JOIN orgs g ON g.id = m.group_id`

func scanMember(sc interface{ Scan(...any) error }) (*Member, error) {
	var m Member
	if err := sc.Scan(&m.ID, &m.OrgID, &m.GroupID, &m.Name, &m.Sex, &m.Ethnicity, &m.IDNumber, &m.BirthDate, &m.Education,
		&m.NativePlace, &m.Category, &m.JoinDate, &m.FullDate, &m.Position, &m.Phone, &m.Address, &m.Status, &m.StatusNote,
		&m.CreatedAt, &m.UpdatedAt, &m.orgPath, &m.OrgName, &m.GroupName); err != nil {
		return nil, err
	}
	m.CreatedAt, m.UpdatedAt = m.CreatedAt.UTC(), m.UpdatedAt.UTC()
	return &m, nil
}

// present masks personal data unless reveal, and fills Age and Can for the caller.
func (s *Store) present(sc *auth.Scope, m *Member, reveal bool) {
	m.Can = &Can{Edit: sc.Can(auth.WriteMembers, m.orgPath), Reveal: sc.CanMember(auth.RevealPII, m.orgPath, m.ID)}
	if reveal {
		age := AgeAt(m.BirthDate, clock.Today(s.Clock.Now()))
		m.Age = &age
		return
	}
	m.Fields.mask()
	m.Masked = true
}

// mask is the one masked form of a member's personal data, for every answer, export and
// audit entry: ID and phone numbers masked, the birth date as its year (an age would tell
// the birthday the day it changes), and the date of joining as its year when it was in
// the year of the 18th birthday (joining at 18 or older would otherwise bound the birth
// date).
func (f *Fields) mask() {
	if len(f.JoinDate) >= 4 && len(f.BirthDate) >= 4 && ageOn(f.BirthDate[:4]+"-01-01", f.JoinDate[:4]+"-12-31") <= 18 {
		f.JoinDate = MaskDate(f.JoinDate)
	}
	f.IDNumber = MaskID(f.IDNumber)
	f.Phone = MaskPhone(f.Phone)
	f.BirthDate = MaskDate(f.BirthDate)
}

func (s *Store) get(ctx context.Context, q db.Querier, sc *auth.Scope, id int64) (*Member, error) {
	cond, args := sc.MemberWhere(auth.Read)
	m, err := scanMember(q.QueryRow(ctx, `SELECT `+memberCols+memberFrom+` WHERE m.id = ? AND (`+cond+`)`, append([]any{id}, args...)...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, httpx.NotFound("f.member")
	}
	return m, err
}

// Get returns a member the caller may read. With reveal, the ID and phone numbers are
// shown in full, if the caller's role allows, and the reading is audited.
func (s *Store) Get(ctx context.Context, sc *auth.Scope, id int64, reveal bool) (*Member, error) {
	if reveal {
		return s.Reveal(ctx, sc, id, "")
	}
	m, err := s.get(ctx, s.DB, sc, id)
	if err != nil {
		return nil, err
	}
	s.present(sc, m, false)
	return m, nil
}

// MaxRevealReason bounds the reason given for revealing a member's personal data.
const MaxRevealReason = 200

// Reveal returns a member with the ID and phone numbers in full, if the caller's role
// allows, and audits the reading with the reason given (optional here; the web app asks).
func (s *Store) Reveal(ctx context.Context, sc *auth.Scope, id int64, reason string) (*Member, error) {
	reason = strings.TrimSpace(reason)
	if utf8.RuneCountInString(reason) > MaxRevealReason {
		return nil, httpx.Invalid(httpx.FieldIssue("reason", "f.member.reveal_reason", "v.too_long", MaxRevealReason))
	}
	m, err := s.get(ctx, s.DB, sc, id)
	if err != nil {
		return nil, err
	}
	if !sc.CanMember(auth.RevealPII, m.orgPath, m.ID) {
		return nil, &httpx.Error{Status: 403, Code: "forbidden", Detail: i18n.M("v.reveal_forbidden")}
	}
	e := audit.Entry{Action: "reveal", Entity: "member", EntityID: m.ID, OrgID: m.OrgID, Summary: m.Name}
	if reason != "" {
		e.Summary = m.Name + "：" + reason
		e.Changes = map[string]audit.Change{"reason": {After: reason}}
	}
	if err := audit.Write(ctx, s.DB, sc.Actor(), s.Clock.Now(), e); err != nil {
		return nil, err
	}
	s.present(sc, m, true)
	return m, nil
}

// placement checks that the member's branch and group exist, hold members and are writable.
func (s *Store) placement(ctx context.Context, q db.Querier, sc *auth.Scope, f *Fields) (*org.Ref, error) {
	o, err := org.ResolveField(ctx, q, sc, f.OrgID, auth.WriteMembers, "org_id", "f.member.org_id")
	if err != nil {
		return nil, err
	}
	if !o.Kind.HoldsMembers() {
		return nil, httpx.Invalid(httpx.FieldIssue("org_id", "f.member.org_id", "v.not_branch"))
	}
	if f.GroupID != 0 {
		g, err := org.Lookup(ctx, q, f.GroupID)
		if err != nil {
			return nil, err
		}
		if g == nil || !g.Live || g.Kind != org.Group || g.ParentID != o.ID {
			return nil, httpx.Invalid(httpx.FieldIssue("group_id", "f.member.group_id", "v.group_not_in_org"))
		}
	}
	return o, nil
}

// idIssue adds the duplicate issue of f's ID number, if any, to is (see duplicates);
// target is the path of the organization written to. It returns the hits to audit.
func (s *Store) idIssue(ctx context.Context, q db.Querier, sc *auth.Scope, is *httpx.Issues, f *Fields, except int64, target string) ([]audit.Entry, error) {
	if CheckID(f.IDNumber) != IDOK {
		return nil, nil
	}
	dup, hits, err := s.duplicates(ctx, q, sc, []string{f.IDNumber}, except, target)
	if msg, ok := dup[f.IDNumber]; ok {
		*is = append(*is, httpx.Issue{Field: "id_number", Msg: msg})
	}
	return hits, err
}

// unusable is the answer when the database refuses a duplicate the check did not see
// (a concurrent write): neutral, as the holder may be out of scope.
func unusable() error {
	return httpx.Invalid(httpx.FieldIssue("id_number", "f.member.id_number", "v.id.unusable"))
}

func (f *Fields) rollup(field string) MemberRollup {
	return MemberRollup{Status: f.Status, Category: f.Category, Sex: f.Sex, BirthMonth: f.BirthDate[:7],
		Education: f.Education, Ethnicity: f.Ethnicity, Field: field}
}

// directCounts is what a member adds to its branch's direct counts.
func (f *Fields) directCounts() (members, full int) {
	if !IsCurrent(f.Status) {
		return 0, 0
	}
	if f.Category == "full" {
		return 1, 1
	}
	return 1, 0
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[len(s)-n:]
}

// Masked is a member's data masked (see mask): as a masked answer shows it and as the
// audit trail keeps it, so the trail does not become a second copy of personal data.
func Masked(f Fields) Fields {
	f.mask()
	return f
}

// auditChanges are the changes between two versions of a member, masked; a masked field
// whose masked form did not change still shows that it changed.
func auditChanges(before, after Fields) map[string]audit.Change {
	mb, ma := Masked(before), Masked(after)
	changes := audit.Diff(mb, ma)
	sb, sa := audit.Snapshot(mb), audit.Snapshot(ma)
	for k := range audit.Diff(before, after) {
		if _, ok := changes[k]; !ok {
			changes[k] = audit.Change{Before: sb[k].After, After: sa[k].After}
		}
	}
	return changes
}

// Direct collects changes to branches' direct member counts during a bulk load, so each
// branch row is updated once rather than once per member (PostgreSQL would otherwise pile
// up a row version per member in one transaction).
type Direct map[int64][2]int

// Apply writes the collected counts (recomputing each branch's checks into r), records the
// branches' full members at now (org.NoteFull) and empties d.
func (d Direct) Apply(ctx context.Context, tx *db.Tx, r tree.Rollup, now time.Time) error {
	ids := make([]int64, 0, len(d))
	for id := range d {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	for _, id := range ids {
		if err := org.AdjustDirect(ctx, tx, id, d[id][0], d[id][1], r); err != nil {
			return err
		}
		if err := org.NoteFull(ctx, tx, id, now, r); err != nil {
			return err
		}
	}
	clear(d)
	return nil
}

// Insert adds a validated member inside tx and records its rollup changes in r; the direct
// counts of its branch go to direct when given (bulk loads), else are written at once.
// Shared by Create and the import.
func Insert(ctx context.Context, tx *db.Tx, f *Fields, o *org.Ref, now time.Time, r tree.Rollup, direct Direct) (int64, error) {
	var id int64
	err := tx.QueryRow(ctx, `INSERT INTO members (org_id, org_path, group_id, name, name_key, sex, ethnicity, id_number, id_tail, birth_date,
		education, native_place, category, join_date, full_date, position, phone, phone_tail, address, status, status_note, status_since, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		o.ID, o.Path, nullable(f.GroupID), f.Name, NameKey(f.Name), f.Sex, f.Ethnicity, f.IDNumber, tail(f.IDNumber, 4), f.BirthDate,
		f.Education, f.NativePlace, f.Category, f.JoinDate, f.FullDate, f.Position, f.Phone, tail(f.Phone, 4), f.Address, f.Status, f.StatusNote,
		clock.Today(now), now, now).Scan(&id)
	if err != nil {
		return 0, err
	}
	if err := noteStatus(ctx, tx, id, f.Status, clock.Today(now), now); err != nil {
		return 0, err
	}
	// A new member has been at the branch since joining the Party (records are often entered late).
	if IsCurrent(f.Status) {
		if err := openHome(ctx, tx, id, o.ID, f.JoinDate); err != nil {
			return 0, err
		}
	}
	f.rollup(o.Field).Add(r, o.Path, 1)
	dm, df := f.directCounts()
	if direct != nil {
		c := direct[o.ID]
		direct[o.ID] = [2]int{c[0] + dm, c[1] + df}
		return id, nil
	}
	if err := org.AdjustDirect(ctx, tx, o.ID, dm, df, r); err != nil {
		return 0, err
	}
	return id, org.NoteFull(ctx, tx, o.ID, now, r)
}

// Unload takes members added by a bulk load out again inside tx (an import that could not
// finish): their rows, homes and status history, with their rollups and their branches'
// direct counts. It returns them as they were, for the caller's audit entries.
func Unload(ctx context.Context, tx *db.Tx, ids []int64, now time.Time) ([]*Member, error) {
	r := tree.Rollup{}
	direct := Direct{}
	orgs := map[int64]*org.Ref{}
	out := make([]*Member, 0, len(ids))
	for _, id := range ids {
		m, err := scanMember(tx.QueryRow(ctx, `SELECT `+memberCols+memberFrom+` WHERE m.id = ?`, id))
		if err != nil {
			return nil, err
		}
		o, ok := orgs[m.OrgID]
		if !ok {
			if o, err = org.Lookup(ctx, tx, m.OrgID); err != nil {
				return nil, err
			}
			orgs[m.OrgID] = o
		}
		for _, table := range []string{"memberships", "member_status_history"} {
			if _, err := tx.Exec(ctx, `DELETE FROM `+table+` WHERE member_id = ?`, id); err != nil {
				return nil, err
			}
		}
		if _, err := tx.Exec(ctx, `DELETE FROM members WHERE id = ?`, id); err != nil {
			return nil, err
		}
		m.Fields.rollup(o.Field).Add(r, o.Path, -1)
		dm, df := m.Fields.directCounts()
		c := direct[o.ID]
		direct[o.ID] = [2]int{c[0] - dm, c[1] - df}
		out = append(out, m)
	}
	if err := direct.Apply(ctx, tx, r, now); err != nil {
		return nil, err
	}
	return out, r.Flush(ctx, tx)
}

func nullable(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// Create adds a member to a branch in the caller's scope.
func (s *Store) Create(ctx context.Context, sc *auth.Scope, f Fields) (*Member, error) {
	now := s.Clock.Now()
	is := f.Validate(clock.Today(now))
	var id int64
	var hits []audit.Entry
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		var o *org.Ref
		if f.OrgID != 0 {
			var err error
			if o, err = s.placement(ctx, tx, sc, &f); err != nil {
				return err
			}
		}
		if o != nil {
			var err error
			if hits, err = s.idIssue(ctx, tx, sc, &is, &f, 0, o.Path); err != nil {
				return err
			}
		}
		if err := is.Err(); err != nil {
			return err
		}
		r := tree.Rollup{}
		var err error
		if id, err = Insert(ctx, tx, &f, o, now, r, nil); err != nil {
			if db.IsUniqueViolation(err) {
				return unusable()
			}
			return err
		}
		if err := r.Flush(ctx, tx); err != nil {
			return err
		}
		return audit.Write(ctx, tx, sc.Actor(), now, audit.Entry{Action: "create", Entity: "member", EntityID: id, OrgID: o.ID,
			Summary: f.Name, Changes: audit.Snapshot(Masked(f))})
	})
	if herr := s.writeHits(ctx, sc, hits); herr != nil && err == nil {
		err = herr
	}
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, sc, id, false)
}

// Update changes a member; a change of branch is a transfer within the caller's scope, and
// the rollups of both branches' ancestors follow.
func (s *Store) Update(ctx context.Context, sc *auth.Scope, id int64, p Patch) (*Member, error) {
	var hits []audit.Entry
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		var err error
		hits, err = s.UpdateTx(ctx, tx, sc, id, p)
		return err
	})
	// A duplicate-ID hit is audited even though the change was refused.
	if herr := s.writeHits(ctx, sc, hits); herr != nil && err == nil {
		err = herr
	}
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, sc, id, false)
}

// UpdateTx is Update inside the caller's transaction: another domain's decision that changes a
// member (民主评议's 除名 sets the status) goes through the same checks, rollups and audit.
// The audit entries of duplicate-ID hits are returned for the caller to write after its
// transaction, since a refused change rolls it back.
func (s *Store) UpdateTx(ctx context.Context, tx *db.Tx, sc *auth.Scope, id int64, p Patch) (hits []audit.Entry, err error) {
	now := s.Clock.Now()
	m, err := s.get(ctx, tx, sc, id)
	if err != nil {
		return hits, sc.Refuse(err)
	}
	if !sc.Can(auth.WriteMembers, m.orgPath) {
		return hits, httpx.Forbidden()
	}
	before := m.Fields
	after := patch.Apply(before, p)
	is := after.Validate(clock.Today(now))
	if after.OrgID != before.OrgID && p.GroupID == nil {
		after.GroupID = 0 // a group belongs to the old branch
	}
	oldOrg, err := org.Lookup(ctx, tx, before.OrgID)
	if err != nil {
		return hits, err
	}
	newOrg := oldOrg
	if after.OrgID != before.OrgID || after.GroupID != before.GroupID {
		if after.OrgID != 0 {
			if newOrg, err = s.placement(ctx, tx, sc, &after); err != nil {
				return hits, err
			}
		}
	}
	if after.IDNumber != before.IDNumber {
		if hits, err = s.idIssue(ctx, tx, sc, &is, &after, id, newOrg.Path); err != nil {
			return hits, err
		}
	}
	if err := is.Err(); err != nil {
		return hits, err
	}
	changes := auditChanges(before, after)
	if len(changes) == 0 {
		return hits, nil
	}
	// The lost-contact process (失联 → 停止党籍 → 除名) counts from the day the status changed.
	if before.Status != after.Status {
		if _, err := tx.Exec(ctx, `UPDATE members SET status_since = ? WHERE id = ?`, clock.Today(now), id); err != nil {
			return hits, err
		}
		if err := noteStatus(ctx, tx, id, after.Status, clock.Today(now), now); err != nil {
			return hits, err
		}
	}
	if _, err := tx.Exec(ctx, `UPDATE members SET org_id = ?, org_path = ?, group_id = ?, name = ?, name_key = ?, sex = ?, ethnicity = ?,
		id_number = ?, id_tail = ?, birth_date = ?, education = ?, native_place = ?, category = ?, join_date = ?, full_date = ?,
		position = ?, phone = ?, phone_tail = ?, address = ?, status = ?, status_note = ?, updated_at = ? WHERE id = ?`,
		newOrg.ID, newOrg.Path, nullable(after.GroupID), after.Name, NameKey(after.Name), after.Sex, after.Ethnicity,
		after.IDNumber, tail(after.IDNumber, 4), after.BirthDate, after.Education, after.NativePlace, after.Category, after.JoinDate, after.FullDate,
		after.Position, after.Phone, tail(after.Phone, 4), after.Address, after.Status, after.StatusNote, now, id); err != nil {
		if db.IsUniqueViolation(err) {
			return hits, unusable()
		}
		return hits, err
	}
	if err := followHome(ctx, tx, id, &before, &after, oldOrg.ID, newOrg.ID, clock.Today(now)); err != nil {
		return hits, err
	}
	r := tree.Rollup{}
	before.rollup(oldOrg.Field).Add(r, oldOrg.Path, -1)
	after.rollup(newOrg.Field).Add(r, newOrg.Path, 1)
	bm, bf := before.directCounts()
	am, af := after.directCounts()
	if oldOrg.ID == newOrg.ID {
		err = org.AdjustDirect(ctx, tx, oldOrg.ID, am-bm, af-bf, r)
	} else if err = org.AdjustDirect(ctx, tx, oldOrg.ID, -bm, -bf, r); err == nil {
		err = org.AdjustDirect(ctx, tx, newOrg.ID, am, af, r)
	}
	if err != nil {
		return hits, err
	}
	// The history of full members in good standing (a status or category change counts too).
	for _, id := range uniq(oldOrg.ID, newOrg.ID) {
		if err := org.NoteFull(ctx, tx, id, now, r); err != nil {
			return hits, err
		}
	}
	if err := r.Flush(ctx, tx); err != nil {
		return hits, err
	}
	action := "update"
	if oldOrg.ID != newOrg.ID {
		action = "transfer"
	}
	return hits, audit.Write(ctx, tx, sc.Actor(), now, audit.Entry{Action: action, Entity: "member", EntityID: id, OrgID: newOrg.ID,
		Summary: after.Name, Changes: changes})
}

func uniq(a, b int64) []int64 {
	if a == b {
		return []int64{a}
	}
	return []int64{a, b}
}
