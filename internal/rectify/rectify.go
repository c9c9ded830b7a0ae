// Package rectify is the one home of rectification items (整改事项): the problems a 述职评议,
// a conversion plan, an inspection or an assessment names, each with an owner and a due date,
// progress notes, and closure (销号) verified by the level above the organization. Other
// domains create items in their own transaction with their own source (kind + id) and read
// them back by source; the subtree's open and overdue counts are a maintained rollup.
package rectify

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"dangjian/internal/org"
	"dangjian/internal/platform/audit"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/clock"
	"dangjian/internal/platform/db"
	"dangjian/internal/platform/httpx"
	"dangjian/internal/platform/i18n"
	"dangjian/internal/tree"
)

// States of an item.
const (
	Open      = "open"      // being worked on
	Submitted = "submitted" // the owner asks for closure
	Closed    = "closed"    // 销号: verified by the level above
	Returned  = "returned"  // the level above sent it back
)

// Rollup dimensions (key "all"): items not closed, and those of them overdue.
const (
	DimOpen    = "rectify_open"
	DimOverdue = "rectify_overdue"
)

// Store is the rectification items over the database.
type Store struct {
	DB    *db.DB
	Clock clock.Clock
	Rules *Rules // nil: the shipped rules
}

// Item is one rectification item.
type Item struct {
	ID            int64      `json:"id"`
	OrgID         int64      `json:"org_id"`
	OrgName       string     `json:"org_name"`
	SourceKind    string     `json:"source_kind"`
	SourceID      int64      `json:"source_id"`
	Problem       string     `json:"problem"`
	OwnerMemberID *int64     `json:"owner_member_id" jsonschema:"nullable"`
	OwnerName     string     `json:"owner_name"`
	DueDate       string     `json:"due_date"`
	State         string     `json:"state"`
	Overdue       bool       `json:"overdue"` // past due and not closed (as of today, CST)
	CreatedAt     time.Time  `json:"created_at"`
	ClosedAt      *time.Time `json:"closed_at" jsonschema:"nullable"`
	Notes         []Note     `json:"notes,omitempty"`
	// MayClose: the caller is the level above (closes or returns); MayWork: the caller
	// writes for the organization (notes, submit).
	MayClose bool `json:"may_close"`
	MayWork  bool `json:"may_work"`
	path     string
	verifier string // the verifying level's path; "" for the level above
}

// Note is one progress note or move of an item (append-only).
type Note struct {
	Kind     string    `json:"kind"` // progress, submit, close, return
	Text     string    `json:"text"`
	Username string    `json:"username"`
	At       time.Time `json:"at"`
}

// NewItem is what a source domain gives to create an item.
type NewItem struct {
	Problem       string `json:"problem"`
	OwnerMemberID *int64 `json:"owner_member_id,omitempty"`
	OwnerName     string `json:"owner_name"`
	DueDate       string `json:"due_date"`
	// VerifierOrgID, set by the source (never from a request body): the level that verifies
	// closure (an inspection's inspecting level, which may be above the parent); 0: the parent.
	VerifierOrgID int64 `json:"-"`
}

func init() {
	i18n.Register(map[string][2]string{
		"f.rectify":               {"整改事项", "Rectification item"},
		"f.rectify.problem":       {"问题", "Problem"},
		"f.rectify.owner_name":    {"责任人", "Owner"},
		"f.rectify.due_date":      {"整改时限", "Due date"},
		"f.rectify.text":          {"说明", "Note"},
		"f.rectify.state":         {"状态", "State"},
		"rectify.state.open":      {"整改中", "Open"},
		"rectify.state.submitted": {"待销号", "Submitted for closure"},
		"rectify.state.closed":    {"已销号", "Closed"},
		"rectify.state.returned":  {"被退回", "Returned"},
		// A number out of its range (year, votes), for the issue-15 domains that use rectify.
		"rx.between":           {"%s：应在%d到%d之间，实际为%d", "%s: must be between %d and %d (got %d)"},
		"detail.rectify_state": {"整改事项当前为“%s”，不能这样操作", "the item is %s: not possible now"},
	})
}

// Validate checks a new item's fields (Chinese-first messages naming each field); prefix is
// the field path in the caller's body ("problems[0].").
func (n NewItem) Validate(prefix string) error {
	var is httpx.Issues
	if strings.TrimSpace(n.Problem) == "" {
		is.Add(prefix+"problem", "f.rectify.problem", "v.required")
	} else if utf8.RuneCountInString(n.Problem) > 500 {
		is.Add(prefix+"problem", "f.rectify.problem", "v.too_long", 500)
	}
	if utf8.RuneCountInString(n.OwnerName) > 50 {
		is.Add(prefix+"owner_name", "f.rectify.owner_name", "v.too_long", 50)
	}
	if _, err := time.Parse("2006-01-02", n.DueDate); err != nil {
		is.Add(prefix+"due_date", "f.rectify.due_date", "v.date")
	}
	return is.Err()
}

// Create adds an item for organization o from a source, in the source's transaction; the
// caller has checked its own right to name problems of o. The rollup follows.
func (s *Store) Create(ctx context.Context, tx *db.Tx, sc *auth.Scope, o *org.Ref, kind string, sourceID int64, n NewItem) (int64, error) {
	if err := n.Validate(""); err != nil {
		return 0, err
	}
	now := s.Clock.Now().UTC()
	overdue := n.DueDate < clock.Today(now)
	var id int64
	if err := tx.QueryRow(ctx, `INSERT INTO rectify_items (org_id, org_path, source_kind, source_id, problem, owner_member_id, owner_name, due_date, state, overdue, created_by, created_at, verifier_org_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, o.ID, o.Path, kind, sourceID, strings.TrimSpace(n.Problem), n.OwnerMemberID,
		strings.TrimSpace(n.OwnerName), n.DueDate, Open, b2i(overdue), nullID(sc.UserID), now, nullID(n.VerifierOrgID)).Scan(&id); err != nil {
		return 0, err
	}
	r := tree.Rollup{}
	r.Add(o.Path, DimOpen, "all", 1)
	if overdue {
		r.Add(o.Path, DimOverdue, "all", 1)
	}
	if err := r.Flush(ctx, tx); err != nil {
		return 0, err
	}
	return id, audit.Write(ctx, tx, sc.Actor(), now, audit.Entry{Action: "create", Entity: "rectify", EntityID: id, OrgID: o.ID,
		Summary: kind + " " + strconv.FormatInt(sourceID, 10) + ": " + n.Problem})
}

// BySource lists the items of a source, oldest first, without scope checks: the source
// domain has checked the caller's right to read the source.
func (s *Store) BySource(ctx context.Context, q db.Querier, kind string, ids ...int64) ([]Item, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	args := []any{kind}
	for _, id := range ids {
		args = append(args, id)
	}
	return s.list(ctx, q, `i.source_kind = ? AND i.source_id IN (`+db.Placeholders(len(ids))+`)`, args, "i.id", 0, 0)
}

const itemCols = `i.id, i.org_id, o.name, i.source_kind, i.source_id, i.problem, i.owner_member_id, i.owner_name, i.due_date, i.state, i.created_at, i.closed_at, i.org_path, COALESCE(v.path, '')`

func (s *Store) list(ctx context.Context, q db.Querier, where string, args []any, order string, limit, offset int) ([]Item, error) {
	sqlText := `SELECT ` + itemCols + ` FROM rectify_items i JOIN orgs o ON o.id = i.org_id LEFT JOIN orgs v ON v.id = i.verifier_org_id WHERE ` + where + ` ORDER BY ` + order
	if limit > 0 {
		sqlText += ` LIMIT ? OFFSET ?`
		args = append(args, limit, offset)
	}
	today := clock.Today(s.Clock.Now())
	return db.All(ctx, q, sqlText, args, func(r db.Scanner) (Item, error) {
		var it Item
		var owner sql.NullInt64
		var closed sql.NullTime
		err := r.Scan(&it.ID, &it.OrgID, &it.OrgName, &it.SourceKind, &it.SourceID, &it.Problem, &owner, &it.OwnerName, &it.DueDate, &it.State, &it.CreatedAt, &closed, &it.path, &it.verifier)
		if owner.Valid {
			it.OwnerMemberID = &owner.Int64
		}
		if closed.Valid {
			t := closed.Time.UTC()
			it.ClosedAt = &t
		}
		it.CreatedAt = it.CreatedAt.UTC()
		it.Overdue = it.State != Closed && it.DueDate < today
		return it, err
	})
}

// load reads one item with its organization's path; nil when missing.
func (s *Store) load(ctx context.Context, q db.Querier, id int64) (*Item, string, error) {
	items, err := s.list(ctx, q, `i.id = ?`, []any{id}, "i.id", 0, 0)
	if err != nil || len(items) == 0 {
		return nil, "", err
	}
	return &items[0], items[0].path, nil
}

// closable: the caller verifies the item's closure — the level its source named, else the
// level above the item's organization.
func (it *Item) closable(sc *auth.Scope) bool {
	if it.verifier != "" {
		return sc.Can(auth.WriteMembers, it.verifier)
	}
	return mayClose(sc, it.path)
}

// Get reads an item with its notes (read scope on its organization: else 404).
func (s *Store) Get(ctx context.Context, sc *auth.Scope, id int64) (*Item, error) {
	it, path, err := s.load(ctx, s.DB, id)
	if err != nil {
		return nil, err
	}
	if it == nil || !sc.Can(auth.Read, path) {
		return nil, httpx.NotFound("f.rectify")
	}
	it.mayDo(sc)
	it.Notes, err = db.All(ctx, s.DB, `SELECT kind, text, username, at FROM rectify_notes WHERE item_id = ? ORDER BY id`, []any{id}, func(r db.Scanner) (Note, error) {
		var n Note
		err := r.Scan(&n.Kind, &n.Text, &n.Username, &n.At)
		n.At = n.At.UTC()
		return n, err
	})
	return it, err
}

// mayClose: closure is verified by the level above the item's organization (for the root,
// only an administrator).
func mayClose(sc *auth.Scope, path string) bool {
	parent := parentPath(path)
	if parent == "" {
		return sc.IsAdmin()
	}
	return sc.Can(auth.WriteMembers, parent)
}

func parentPath(path string) string {
	t := strings.TrimSuffix(path, "/")
	i := strings.LastIndex(t, "/")
	if i <= 0 {
		return ""
	}
	return t[:i+1]
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// mayDo fills what the caller may do with the item.
func (it *Item) mayDo(sc *auth.Scope) {
	it.MayWork, it.MayClose = it.State != Closed && sc.Can(auth.WriteMembers, it.path), it.State == Submitted && it.closable(sc)
}
