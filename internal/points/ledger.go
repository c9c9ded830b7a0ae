package points

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"dangjian/internal/member"
	"dangjian/internal/platform/db"
	"dangjian/internal/platform/httpx"
	"dangjian/internal/platform/i18n"
	"dangjian/internal/tree"
)

// The rollup dimensions of the points part (org_stats, keyed as noted).
const (
	DimPending = "pts:pending" // claims waiting for a decision (key "all")
	DimEntries = "pts:entries" // live ledger entries (key: year)
	DimPoints  = "pts:points"  // applied points (key: year)
)

// Sources of an entry.
const (
	SourceClaim      = "claim"
	SourceBranch     = "branch"
	SourceAttendance = "attendance"
	SourceImport     = "import" // a bulk load: an import of a running year, the demo's year
)

// Entry is one line of the append-only ledger.
type Entry struct {
	ID         int64     `json:"id"`
	MemberID   int64     `json:"member_id"`
	OrgID      int64     `json:"org_id"`
	Year       int       `json:"year"`
	SchemeID   int64     `json:"scheme_id"` // the version it was scored under
	Layer      string    `json:"layer"`
	Item       string    `json:"item"`
	ItemName   string    `json:"item_name"`
	Category   string    `json:"category"`
	Requested  int       `json:"requested"`
	Applied    int       `json:"applied"`
	Reason     string    `json:"reason"` // why applied differs from requested (Chinese; reason_en English)
	ReasonEN   string    `json:"reason_en"`
	SourceKind string    `json:"source_kind"` // claim, branch, attendance
	SourceID   int64     `json:"source_id"`
	ReversesID int64     `json:"reverses_id"` // a reversal names the entry it takes back
	ReversedBy int64     `json:"reversed_by"` // filled in reads: the reversal of this entry, 0 if none
	EventDate  string    `json:"event_date"`
	Note       string    `json:"note"`
	EnteredBy  int64     `json:"entered_by"` // the account that wrote it (0: the system, for derived entries)
	ClaimedBy  int64     `json:"claimed_by"` // the account that filed the claim (a secretary on behalf: theirs)
	CreatedAt  time.Time `json:"created_at"`
}

// write is what one entry needs: the member, the version and item it is scored under, its
// source and who caused it.
type write struct {
	member     member.Standing
	day        string
	version    *SchemeVersion
	layer      *Layer
	item       *Item
	sourceKind string
	sourceID   int64
	note       string
	enteredBy  int64
	claimedBy  int64
}

var catNames = map[string][2]string{Basic: {"基础分", "basic"}, Reward: {"奖励分", "reward"}, Deduct: {"扣减分", "deduction"}, Veto: {"一票否决", "veto"}}

func init() {
	i18n.Register(map[string][2]string{
		"pts.cat.basic":  {"基础分", "Basic"},
		"pts.cat.reward": {"奖励分", "Reward"},
		"pts.cat.deduct": {"扣减分", "Deduction"},
		"pts.cat.veto":   {"一票否决", "Veto"},
		"pts.reversed":   {"该条目已冲正", "this entry has already been reversed"},
		"pts.not_entry":  {"冲正条目不能再冲正", "a reversal cannot itself be reversed"},
		"f.entry":        {"积分条目", "Points entry"},
	})
}

// bucket is a member-year's running figure: applied points and live entries.
type bucket struct{ points, times int }

// totalsOf reads (and on PostgreSQL locks) the buckets an entry touches, so two writes for one
// member never both fit under the same cap.
func totalsOf(ctx context.Context, tx *db.Tx, memberID int64, year int, keys ...string) (map[string]bucket, error) {
	for _, k := range keys {
		if _, err := tx.Exec(ctx, `INSERT INTO points_totals (member_id, year, bucket, points, times) VALUES (?, ?, ?, 0, 0)
			ON CONFLICT (member_id, year, bucket) DO NOTHING`, memberID, year, k); err != nil {
			return nil, err
		}
	}
	lock := ""
	if tx.Dialect() == db.Postgres {
		lock = " FOR UPDATE"
	}
	args := []any{memberID, year}
	for _, k := range keys {
		args = append(args, k)
	}
	out := map[string]bucket{}
	err := db.Each(ctx, tx, `SELECT bucket, points, times FROM points_totals WHERE member_id = ? AND year = ? AND bucket IN (`+db.Placeholders(len(keys))+`)`+lock,
		args, func(r db.Scanner) error {
			var k string
			var b bucket
			err := r.Scan(&k, &b.points, &b.times)
			out[k] = b
			return err
		})
	return out, err
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// fit is how many of the requested points (absolute) an event gets under the item's and the
// category's caps and the item's most times a year, and the reason when it gets fewer.
func fit(sch *Scheme, it *Item, item, cat bucket) (n int, zh, en string) {
	if it.Category == Veto {
		return 0, "一票否决：本年度积分计为 0 分", "veto: the year's total counts as 0"
	}
	n = it.Points
	if it.MaxTimes > 0 && item.times >= it.MaxTimes {
		return 0, fmt.Sprintf("本项每年最多 %d 次，已 %d 次", it.MaxTimes, item.times),
			fmt.Sprintf("at most %d times a year for this item, %d already", it.MaxTimes, item.times)
	}
	verb, verbEN := "已得", "earned"
	if it.Category == Deduct {
		verb, verbEN = "已扣", "deducted"
	}
	if it.Cap > 0 && abs(item.points)+n > it.Cap {
		n = max(0, it.Cap-abs(item.points))
		zh, en = fmt.Sprintf("本项年度上限 %d 分，%s %d 分", it.Cap, verb, abs(item.points)),
			fmt.Sprintf("this item's yearly cap is %d, %d already %s", it.Cap, abs(item.points), verbEN)
	}
	if c := sch.CatCap(it.Category); c > 0 && abs(cat.points)+n > c {
		n = max(0, c-abs(cat.points))
		name := catNames[it.Category]
		zh, en = fmt.Sprintf("%s年度上限 %d 分，%s %d 分", name[0], c, verb, abs(cat.points)),
			fmt.Sprintf("the %s category's yearly cap is %d, %d already %s", name[1], c, abs(cat.points), verbEN)
	}
	return n, zh, en
}

// sign turns an absolute number of points into the entry's: a deduction subtracts.
func sign(category string, n int) int {
	if category == Deduct {
		return -n
	}
	return n
}

// record writes one entry under the caps, and its totals and rollups, in tx.
func (s *Store) record(ctx context.Context, tx *db.Tx, w write) (*Entry, error) {
	year, _ := strconv.Atoi(w.day[:4])
	itemKey, catKey := "item:"+w.item.Code, "cat:"+w.item.Category
	tot, err := totalsOf(ctx, tx, w.member.ID, year, "", catKey, itemKey)
	if err != nil {
		return nil, err
	}
	n, zh, en := fit(w.version.Scheme, w.item, tot[itemKey], tot[catKey])
	e := &Entry{MemberID: w.member.ID, OrgID: w.member.OrgID, Year: year, SchemeID: w.version.RowID, Layer: w.layer.Code,
		Item: w.item.Code, ItemName: w.item.Name, Category: w.item.Category, Requested: sign(w.item.Category, w.item.Points),
		Applied: sign(w.item.Category, n), Reason: zh, ReasonEN: en, SourceKind: w.sourceKind, SourceID: w.sourceID,
		EventDate: w.day, Note: w.note, EnteredBy: w.enteredBy, ClaimedBy: w.claimedBy, CreatedAt: s.Clock.Now().UTC()}
	if e.Category == Veto {
		e.Requested = 0
	}
	if err := insertEntry(ctx, tx, e); err != nil {
		return nil, err
	}
	return e, s.applyTotals(ctx, tx, e, w.member.OrgPath, 1)
}

func insertEntry(ctx context.Context, tx *db.Tx, e *Entry) error {
	return tx.QueryRow(ctx, `INSERT INTO points_entries (member_id, org_id, year, scheme_id, layer, item_code, category, requested, applied,
		reason, reason_en, source_kind, source_id, reverses_id, event_date, note, entered_by, claimed_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		e.MemberID, e.OrgID, e.Year, e.SchemeID, e.Layer, e.Item, e.Category, e.Requested, e.Applied, e.Reason, e.ReasonEN,
		e.SourceKind, e.SourceID, nullID(e.ReversesID), e.EventDate, e.Note, nullID(e.EnteredBy), nullID(e.ClaimedBy), e.CreatedAt).Scan(&e.ID)
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// applyTotals adds an entry (times +1) or a reversal (times −1) to the member's year and to
// the rollups of the branch at path, and moves the member-year to the band it now reaches.
func (s *Store) applyTotals(ctx context.Context, tx *db.Tx, e *Entry, path string, times int) error {
	before, err := standingBefore(ctx, tx, e.MemberID, e.Year, e.ID)
	if err != nil {
		return err
	}
	after := standing{counted: true, path: path, earned: before.earned + e.Applied, vetoes: before.vetoes}
	if e.Category == Veto {
		after.vetoes += times
	}
	for _, k := range []string{"", "cat:" + e.Category, "item:" + e.Item} {
		if _, err := tx.Exec(ctx, `INSERT INTO points_totals (member_id, year, bucket, points, times) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (member_id, year, bucket) DO UPDATE SET points = points_totals.points + excluded.points, times = points_totals.times + excluded.times`,
			e.MemberID, e.Year, k, e.Applied, times); err != nil {
			return err
		}
	}
	r := tree.Rollup{}
	y := strconv.Itoa(e.Year)
	r.Add(path, DimEntries, y, times)
	r.Add(path, DimPoints, y, e.Applied)
	if err := s.moveBand(ctx, tx, r, e.Year, before, after); err != nil {
		return err
	}
	return r.Flush(ctx, tx)
}

// reverse writes the reversal of entry id (a correction: the entry stays, its points are
// taken back, the totals follow); a second reversal of one entry is refused.
func (s *Store) reverse(ctx context.Context, tx *db.Tx, id int64, by int64, zh, en string) (*Entry, error) {
	var o Entry
	var rev sql.NullInt64
	var path string
	err := tx.QueryRow(ctx, `SELECT e.member_id, e.org_id, e.year, e.scheme_id, e.layer, e.item_code, e.category, e.requested, e.applied,
		e.source_kind, e.source_id, e.reverses_id, e.event_date, o.path
		FROM points_entries e JOIN orgs o ON o.id = e.org_id WHERE e.id = ?`, id).
		Scan(&o.MemberID, &o.OrgID, &o.Year, &o.SchemeID, &o.Layer, &o.Item, &o.Category, &o.Requested, &o.Applied,
			&o.SourceKind, &o.SourceID, &rev, &o.EventDate, &path)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, httpx.NotFound("f.entry")
	}
	if err != nil {
		return nil, err
	}
	if rev.Valid {
		return nil, httpx.Conflict("not_reversible", i18n.M("pts.not_entry"))
	}
	e := o
	e.Requested, e.Applied, e.ReversesID = -o.Requested, -o.Applied, id
	e.Reason, e.ReasonEN, e.EnteredBy, e.CreatedAt = zh, en, by, s.Clock.Now().UTC()
	if err := insertEntry(ctx, tx, &e); err != nil {
		if db.IsUniqueViolation(err) {
			return nil, httpx.Conflict("already_reversed", i18n.M("pts.reversed"))
		}
		return nil, err
	}
	return &e, s.applyTotals(ctx, tx, &e, path, -1)
}
