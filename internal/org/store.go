package org

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"dangjian/internal/platform/audit"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/clock"
	"dangjian/internal/platform/db"
	"dangjian/internal/platform/httpx"
	"dangjian/internal/platform/i18n"
	"dangjian/internal/platform/patch"
	"dangjian/internal/tree"
)

// Org is an organization as the API shows it.
type Org struct {
	ID            int64      `json:"id"`
	ParentID      int64      `json:"parent_id"`
	Path          string     `json:"path" audit:"-"`
	Depth         int        `json:"depth" audit:"-"`
	Name          string     `json:"name"`
	ShortName     string     `json:"short_name"`
	Kind          Kind       `json:"kind"`
	Field         string     `json:"field"`
	UnitName      string     `json:"unit_name"`
	UnitKind      string     `json:"unit_kind"`
	SetupDate     string     `json:"setup_date"`
	Secretary     string     `json:"secretary"`
	Contact       string     `json:"contact"`
	Phone         string     `json:"phone"`
	Address       string     `json:"address"`
	SortOrder     int        `json:"sort_order"`
	Code          string     `json:"code"`
	MembersTotal  int        `json:"members_total" audit:"-"`
	DirectMembers int        `json:"direct_members" audit:"-"`
	DirectFull    int        `json:"direct_full" audit:"-"`
	ChildrenCount int        `json:"children_count" audit:"-"`
	Flags         []string   `json:"flags" audit:"-"`
	DissolvedAt   *time.Time `json:"dissolved_at" jsonschema:"nullable" audit:"-"`
	CreatedAt     time.Time  `json:"created_at" audit:"-"`
	UpdatedAt     time.Time  `json:"updated_at" audit:"-"`
	Can           *Can       `json:"can,omitempty" audit:"-"`
	// OrgLabel (parent › name) and OrgPathNames (root … itself) tell apart organizations of the
	// same name; given in search results (for pickers).
	OrgLabel     string   `json:"org_label,omitempty" audit:"-"`
	OrgPathNames []string `json:"org_path_names,omitempty" audit:"-"`
}

// Can tells the caller which actions on this organization they may take (the UI hides the rest).
type Can struct {
	Edit          bool `json:"edit"`
	CreateChild   bool `json:"create_child"`
	Move          bool `json:"move"`
	Dissolve      bool `json:"dissolve"`
	ManageMembers bool `json:"manage_members"`
}

// Fields is the editable part of an organization: the body of POST /api/v1/orgs.
type Fields struct {
	ParentID  int64  `json:"parent_id"`
	Name      string `json:"name"`
	ShortName string `json:"short_name"`
	Kind      Kind   `json:"kind"`
	Field     string `json:"field"`
	UnitName  string `json:"unit_name"`
	UnitKind  string `json:"unit_kind"`
	SetupDate string `json:"setup_date"`
	Secretary string `json:"secretary"`
	Contact   string `json:"contact"`
	Phone     string `json:"phone"`
	Address   string `json:"address"`
	SortOrder int    `json:"sort_order"`
	Code      string `json:"code"`
}

// Patch is the body of PATCH /api/v1/orgs/{id}; absent fields stay as they are.
type Patch struct {
	Name      *string `json:"name,omitempty"`
	ShortName *string `json:"short_name,omitempty"`
	Kind      *Kind   `json:"kind,omitempty"`
	Field     *string `json:"field,omitempty"`
	UnitName  *string `json:"unit_name,omitempty"`
	UnitKind  *string `json:"unit_kind,omitempty"`
	SetupDate *string `json:"setup_date,omitempty"`
	Secretary *string `json:"secretary,omitempty"`
	Contact   *string `json:"contact,omitempty"`
	Phone     *string `json:"phone,omitempty"`
	Address   *string `json:"address,omitempty"`
	SortOrder *int    `json:"sort_order,omitempty"`
	Code      *string `json:"code,omitempty"`
}

// Store reads and writes organizations.
type Store struct {
	DB    *db.DB
	Clock clock.Clock
	// Tree is the registry of rollup parts: a move rewrites every domain's path columns
	// through it.
	Tree *tree.Registry
	// StatsFill fills the roster's half of the statistics (member.FillStats).
	StatsFill StatsFiller
}

const orgCols = `o.id, COALESCE(o.parent_id, 0), o.path, o.depth, o.name, o.short_name, o.kind, o.field, o.unit_name, o.unit_kind,
	o.setup_date, o.secretary, o.contact, o.phone, o.address, o.sort_order, o.code, o.direct_members, o.direct_full, o.flags,
	o.dissolved_at, o.created_at, o.updated_at,
	COALESCE((SELECT s.n FROM org_stats s WHERE s.org_id = o.id AND s.dim = 'total' AND s.key = ''), 0),
	(SELECT COUNT(*) FROM orgs c WHERE c.parent_id = o.id AND c.dissolved_at IS NULL)`

func scanOrg(sc interface{ Scan(...any) error }) (*Org, error) {
	var o Org
	var flags string
	var dissolved sql.NullTime
	if err := sc.Scan(&o.ID, &o.ParentID, &o.Path, &o.Depth, &o.Name, &o.ShortName, &o.Kind, &o.Field, &o.UnitName, &o.UnitKind,
		&o.SetupDate, &o.Secretary, &o.Contact, &o.Phone, &o.Address, &o.SortOrder, &o.Code, &o.DirectMembers, &o.DirectFull, &flags,
		&dissolved, &o.CreatedAt, &o.UpdatedAt, &o.MembersTotal, &o.ChildrenCount); err != nil {
		return nil, err
	}
	o.Flags = []string{}
	if flags != "" {
		o.Flags = strings.Split(flags, ",")
	}
	o.DissolvedAt = db.TimeOrNil(dissolved)
	o.CreatedAt, o.UpdatedAt = o.CreatedAt.UTC(), o.UpdatedAt.UTC()
	return &o, nil
}

// parentPath is the path of the parent of an organization at path ("" for a root).
func parentPath(path string) string {
	t := strings.TrimSuffix(path, "/")
	i := strings.LastIndex(t, "/")
	if i <= 0 {
		return ""
	}
	return t[:i+1]
}

// permissions fills o.Can for the caller.
func permissions(sc *auth.Scope, o *Org) {
	live := o.DissolvedAt == nil
	pp := parentPath(o.Path)
	o.Can = &Can{
		Edit:          live && sc.Can(auth.EditOrg, o.Path),
		CreateChild:   live && o.Kind != Group && sc.Can(auth.ManageOrgs, o.Path),
		Move:          live && pp != "" && sc.Can(auth.ManageOrgs, pp),
		Dissolve:      live && (sc.IsAdmin() || (pp != "" && sc.Can(auth.ManageOrgs, pp))),
		ManageMembers: live && o.Kind.HoldsMembers() && sc.Can(auth.WriteMembers, o.Path),
	}
}

// Get returns one organization the caller may read; anything else is not found.
func (s *Store) Get(ctx context.Context, sc *auth.Scope, id int64) (*Org, error) {
	return s.get(ctx, s.DB, sc, id)
}

func (s *Store) get(ctx context.Context, q db.Querier, sc *auth.Scope, id int64) (*Org, error) {
	cond, args := sc.Where("o.path", auth.Read)
	o, err := scanOrg(q.QueryRow(ctx, `SELECT `+orgCols+` FROM orgs o WHERE o.id = ? AND (`+cond+`)`, append([]any{id}, args...)...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, httpx.NotFound("f.org")
	}
	if err != nil {
		return nil, err
	}
	permissions(sc, o)
	return o, nil
}

// forWrite is Resolve for the organization's own writes, which need the whole Org and may
// check their permission on another path (a move: the parent's): invisible → 403 (404 for
// an admin), not allowed → 403, dissolved → 409 org_dissolved.
func (s *Store) forWrite(ctx context.Context, q db.Querier, sc *auth.Scope, id int64, allowed func(*Org) bool) (*Org, error) {
	o, err := s.get(ctx, q, sc, id)
	if err != nil {
		return nil, sc.Refuse(err)
	}
	if !allowed(o) {
		return nil, httpx.Forbidden()
	}
	if o.DissolvedAt != nil {
		return nil, Dissolved()
	}
	return o, nil
}

// Filter selects organizations for List.
type Filter struct {
	Q        string
	Kind     string
	ParentID int64
	Page     httpx.Page
}

// List lists live organizations in scope matching f, in tree order.
func (s *Store) List(ctx context.Context, sc *auth.Scope, f Filter) ([]*Org, int, error) {
	cond, args := sc.Where("o.path", auth.Read)
	where := "o.dissolved_at IS NULL AND (" + cond + ")"
	if f.Q != "" {
		where += " AND (o.name LIKE ? OR o.short_name LIKE ? OR o.code = ?)"
		args = append(args, "%"+f.Q+"%", "%"+f.Q+"%", f.Q)
	}
	if f.Kind != "" {
		where += " AND o.kind = ?"
		args = append(args, f.Kind)
	}
	if f.ParentID != 0 {
		where += " AND o.parent_id = ?"
		args = append(args, f.ParentID)
	}
	list, total, err := s.list(ctx, sc, where, args, "o.path", f.Page)
	if err != nil {
		return nil, 0, err
	}
	ids := make([]int64, len(list))
	for i, o := range list {
		ids[i] = o.ID
	}
	ns, err := Namings(ctx, s.DB, ids)
	for _, o := range list {
		o.OrgLabel, o.OrgPathNames = ns[o.ID].Label, ns[o.ID].PathNames
	}
	return list, total, err
}

func (s *Store) list(ctx context.Context, sc *auth.Scope, where string, args []any, order string, p httpx.Page) ([]*Org, int, error) {
	total, _, err := s.count(ctx, where, args, 0)
	if err != nil {
		return nil, 0, err
	}
	out, err := s.page(ctx, sc, where, args, order, p)
	return out, total, err
}

// count counts the organizations of where; with limit > 0 it stops past limit and tells so
// (a list whose every row costs a check to count — a report's filter — stays cheap at the
// root of a province: the pager needs "more than 1,000", not the exact figure).
func (s *Store) count(ctx context.Context, where string, args []any, limit int) (int, bool, error) {
	var n int
	if limit <= 0 {
		err := s.DB.QueryRow(ctx, `SELECT COUNT(*) FROM orgs o WHERE `+where, args...).Scan(&n)
		return n, false, err
	}
	err := s.DB.QueryRow(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM orgs o WHERE `+where+` LIMIT ?) t`, append(args[:len(args):len(args)], limit+1)...).Scan(&n)
	if n > limit {
		return limit, true, err
	}
	return n, false, err
}

// page reads one page of the organizations of where, in order.
func (s *Store) page(ctx context.Context, sc *auth.Scope, where string, args []any, order string, p httpx.Page) ([]*Org, error) {
	out := []*Org{}
	err := db.Each(ctx, s.DB, `SELECT `+orgCols+` FROM orgs o WHERE `+where+` ORDER BY `+order+` LIMIT ? OFFSET ?`,
		append(args[:len(args):len(args)], p.Size, p.Offset()), func(r db.Scanner) error {
			o, err := scanOrg(r)
			if err != nil {
				return err
			}
			permissions(sc, o)
			out = append(out, o)
			return nil
		})
	return out, err
}

// Children lists the live children of a readable organization, in their sort order.
func (s *Store) Children(ctx context.Context, sc *auth.Scope, id int64, p httpx.Page) ([]*Org, int, error) {
	if _, err := s.Get(ctx, sc, id); err != nil {
		return nil, 0, err
	}
	return s.list(ctx, sc, "o.parent_id = ? AND o.dissolved_at IS NULL", []any{id}, "o.sort_order, o.id", p)
}

// ScopeRoots returns the organizations the caller's grants are on (the tops of their tree).
func (s *Store) ScopeRoots(ctx context.Context, sc *auth.Scope) ([]*Org, error) {
	out := []*Org{}
	seen := map[int64]bool{}
	for _, g := range sc.Grants {
		switch {
		case g.Role == auth.RoleAdmin:
			roots, _, err := s.list(ctx, sc, "o.parent_id IS NULL AND o.dissolved_at IS NULL", nil, "o.sort_order, o.id", httpx.Page{Page: 1, Size: 100})
			if err != nil {
				return nil, err
			}
			for _, o := range roots {
				if !seen[o.ID] {
					seen[o.ID] = true
					out = append(out, o)
				}
			}
		case g.Role.Has(auth.Read) && !seen[g.OrgID]:
			o, err := s.Get(ctx, sc, g.OrgID)
			if err != nil {
				continue
			}
			seen[g.OrgID] = true
			out = append(out, o)
		}
	}
	return out, nil
}

var dateRe = func(s string) bool {
	_, err := time.Parse("2006-01-02", s)
	return err == nil
}

func oneOf(v string, xs []string) bool {
	for _, x := range xs {
		if x == v {
			return true
		}
	}
	return false
}

// validate checks the fields of an organization (after a patch is applied).
func (s *Store) validate(f *Fields, today string) httpx.Issues {
	var is httpx.Issues
	f.Name = strings.TrimSpace(f.Name)
	if f.Name == "" {
		is.Add("name", "f.org.name", "v.required")
	}
	if !oneOf(string(f.Kind), Kinds) {
		is.Add("kind", "f.org.kind", "v.choice", string(f.Kind))
	}
	if !oneOf(f.Field, FieldCodes) {
		is.Add("field", "f.org.field", "v.choice", f.Field)
	}
	if f.SetupDate != "" {
		if !dateRe(f.SetupDate) {
			is.Add("setup_date", "f.org.setup_date", "v.date")
		} else if f.SetupDate > today {
			is.Add("setup_date", "f.org.setup_date", "v.future")
		}
	}
	for _, t := range []struct {
		field, label, v string
		max             int
	}{
		{"name", "f.org.name", f.Name, 100}, {"short_name", "f.org.short_name", f.ShortName, 50},
		{"unit_name", "f.org.unit_name", f.UnitName, 100}, {"unit_kind", "f.org.unit_kind", f.UnitKind, 50},
		{"secretary", "f.org.secretary", f.Secretary, 50}, {"contact", "f.org.contact", f.Contact, 50},
		{"phone", "f.org.phone", f.Phone, 30}, {"address", "f.org.address", f.Address, 200}, {"code", "f.org.code", f.Code, 50},
	} {
		if utf8.RuneCountInString(t.v) > t.max {
			is.Add(t.field, t.label, "v.too_long", t.max)
		}
	}
	return is
}

func (s *Store) codeTaken(ctx context.Context, q db.Querier, code string, except int64) (bool, error) {
	if code == "" {
		return false, nil
	}
	var n int
	err := q.QueryRow(ctx, `SELECT COUNT(*) FROM orgs WHERE code = ? AND id <> ? AND dissolved_at IS NULL`, code, except).Scan(&n)
	return n > 0, err
}

// Create adds an organization under f.ParentID (0: a new root, admins only).
func (s *Store) Create(ctx context.Context, sc *auth.Scope, f Fields) (*Org, error) {
	now := s.Clock.Now()
	var id int64
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		var parent *Org
		if f.ParentID != 0 {
			ref, err := ResolveField(ctx, tx, sc, f.ParentID, auth.ManageOrgs, "parent_id", "f.org.parent_id")
			if err != nil {
				return err
			}
			if parent, err = s.get(ctx, tx, sc, ref.ID); err != nil {
				return err
			}
		} else if !sc.IsAdmin() {
			return httpx.Forbidden()
		}
		is := s.validate(&f, clock.Today(now))
		if parent != nil && len(is) == 0 && !CanParent(parent.Kind, f.Kind) {
			is.Add("kind", "f.org.kind", "v.org.parent_kind", i18n.M("kind."+string(parent.Kind)), i18n.M("kind."+string(f.Kind)))
		}
		if taken, err := s.codeTaken(ctx, tx, f.Code, 0); err != nil {
			return err
		} else if taken {
			is.Add("code", "f.org.code", "v.org.code_taken")
		}
		if err := is.Err(); err != nil {
			return err
		}
		var parentID any
		parentPath, depth := "/", 0
		if parent != nil {
			parentID, parentPath, depth = parent.ID, parent.Path, parent.Depth+1
		}
		t, err := CurrentThresholds(ctx, tx)
		if err != nil {
			return err
		}
		flags := Flags(f.Kind, f.Secretary, Counts{}, t)
		if err := tx.QueryRow(ctx, `INSERT INTO orgs (parent_id, path, depth, name, short_name, kind, field, unit_name, unit_kind, setup_date,
			secretary, contact, phone, address, sort_order, code, flags, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			parentID, "new:"+strconv.FormatInt(now.UnixNano(), 36), depth, f.Name, f.ShortName, f.Kind, f.Field, f.UnitName, f.UnitKind, f.SetupDate,
			f.Secretary, f.Contact, f.Phone, f.Address, f.SortOrder, f.Code, strings.Join(flags, ","), now, now).Scan(&id); err != nil {
			return err
		}
		path := parentPath + strconv.FormatInt(id, 10) + "/"
		if _, err := tx.Exec(ctx, `UPDATE orgs SET path = ? WHERE id = ?`, path, id); err != nil {
			return err
		}
		r := tree.Rollup{}
		r.Add(path, DimKind, string(f.Kind), 1)
		if err := applyFlagChange(ctx, tx, id, path, nil, flags, r); err != nil {
			return err
		}
		if err := r.Flush(ctx, tx); err != nil {
			return err
		}
		return audit.Write(ctx, tx, sc.Actor(), now, audit.Entry{Action: "create", Entity: "org", EntityID: id, OrgID: id,
			Summary: f.Name, Changes: audit.Snapshot(f)})
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, sc, id)
}

func (o *Org) fields() Fields {
	return Fields{ParentID: o.ParentID, Name: o.Name, ShortName: o.ShortName, Kind: o.Kind, Field: o.Field, UnitName: o.UnitName,
		UnitKind: o.UnitKind, SetupDate: o.SetupDate, Secretary: o.Secretary, Contact: o.Contact, Phone: o.Phone,
		Address: o.Address, SortOrder: o.SortOrder, Code: o.Code}
}

// Update changes an organization's fields (renaming included) and keeps the rollups in step.
func (s *Store) Update(ctx context.Context, sc *auth.Scope, id int64, p Patch) (*Org, error) {
	now := s.Clock.Now()
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		o, err := s.forWrite(ctx, tx, sc, id, func(o *Org) bool { return sc.Can(auth.EditOrg, o.Path) })
		if err != nil {
			return err
		}
		before := o.fields()
		after := patch.Apply(before, p)
		is := s.validate(&after, clock.Today(now))
		// Changing the kind is structural: it needs ManageOrgs and must fit parent, children and members.
		if after.Kind != before.Kind && len(is) == 0 {
			pp := parentPath(o.Path)
			if !sc.IsAdmin() && (pp == "" || !sc.Can(auth.ManageOrgs, pp)) {
				return httpx.Forbidden()
			}
			if o.ParentID != 0 {
				var pk Kind
				if err := tx.QueryRow(ctx, `SELECT kind FROM orgs WHERE id = ?`, o.ParentID).Scan(&pk); err != nil {
					return err
				}
				if !CanParent(pk, after.Kind) {
					is.Add("kind", "f.org.kind", "v.org.parent_kind", i18n.M("kind."+string(pk)), i18n.M("kind."+string(after.Kind)))
				}
			}
			if o.DirectMembers > 0 && !after.Kind.HoldsMembers() {
				is.Add("kind", "f.org.kind", "v.org.has_members")
			}
			if o.ChildrenCount > 0 && (after.Kind == Group || after.Kind.HoldsMembers() && !before.Kind.HoldsMembers()) {
				is.Add("kind", "f.org.kind", "v.org.has_children")
			}
		}
		if after.Code != before.Code {
			if taken, err := s.codeTaken(ctx, tx, after.Code, id); err != nil {
				return err
			} else if taken {
				is.Add("code", "f.org.code", "v.org.code_taken")
			}
		}
		if after.Secretary != before.Secretary {
			// The committee list is the one truth of who the secretary is, once it names one.
			if held, err := secretaryHeld(ctx, tx, id); err != nil {
				return err
			} else if held {
				is.Add("secretary", "f.org.secretary", "v.org.secretary_by_committee")
			}
		}
		if err := is.Err(); err != nil {
			return err
		}
		changes := audit.Diff(before, after)
		if len(changes) == 0 {
			return nil
		}
		if _, err := tx.Exec(ctx, `UPDATE orgs SET name = ?, short_name = ?, kind = ?, field = ?, unit_name = ?, unit_kind = ?, setup_date = ?,
			secretary = ?, contact = ?, phone = ?, address = ?, sort_order = ?, code = ?, updated_at = ? WHERE id = ?`,
			after.Name, after.ShortName, after.Kind, after.Field, after.UnitName, after.UnitKind, after.SetupDate,
			after.Secretary, after.Contact, after.Phone, after.Address, after.SortOrder, after.Code, now, id); err != nil {
			return err
		}
		r := tree.Rollup{}
		if after.Kind != before.Kind {
			r.Add(o.Path, DimKind, string(before.Kind), -1)
			r.Add(o.Path, DimKind, string(after.Kind), 1)
		}
		if after.Field != before.Field {
			r.Add(o.Path, DimField, before.Field, -o.DirectMembers)
			r.Add(o.Path, DimField, after.Field, o.DirectMembers)
		}
		if err := Recheck(ctx, tx, id, r); err != nil {
			return err
		}
		if err := r.Flush(ctx, tx); err != nil {
			return err
		}
		action := "update"
		if len(changes) == 1 && changes["name"] != (audit.Change{}) {
			action = "rename"
		}
		return audit.Write(ctx, tx, sc.Actor(), now, audit.Entry{Action: action, Entity: "org", EntityID: id, OrgID: id, Summary: after.Name, Changes: changes})
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, sc, id)
}

// MoveResult is the answer to a move.
type MoveResult struct {
	Org          *Org `json:"org"`
	MembersMoved int  `json:"members_moved"`
	OrgsMoved    int  `json:"orgs_moved"`
}

// Move puts organization id and its whole subtree under newParent in one transaction:
// paths of the subtree's organizations and every registered path column (tree.Registry:
// members, checks …) are rewritten, and the subtree's
// rollup is taken off the old ancestors and added to the new ones.
func (s *Store) Move(ctx context.Context, sc *auth.Scope, id, newParent int64) (*MoveResult, error) {
	now := s.Clock.Now()
	res := &MoveResult{}
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		o, err := s.forWrite(ctx, tx, sc, id, func(o *Org) bool {
			pp := parentPath(o.Path)
			return pp != "" && sc.Can(auth.ManageOrgs, pp)
		})
		if err != nil {
			return err
		}
		if newParent == 0 {
			return httpx.Invalid(httpx.FieldIssue("parent_id", "f.org.parent_id", "v.required"))
		}
		npRef, err := ResolveField(ctx, tx, sc, newParent, auth.ManageOrgs, "parent_id", "f.org.parent_id")
		if err != nil {
			return err
		}
		np, err := s.get(ctx, tx, sc, npRef.ID)
		if err != nil {
			return err
		}
		if strings.HasPrefix(np.Path, o.Path) {
			return httpx.Invalid(httpx.FieldIssue("parent_id", "f.org.parent_id", "v.org.into_self"))
		}
		if !CanParent(np.Kind, o.Kind) {
			return httpx.Invalid(httpx.FieldIssue("parent_id", "f.org.parent_id", "v.org.parent_kind",
				i18n.M("kind."+string(np.Kind)), i18n.M("kind."+string(o.Kind))))
		}
		if np.ID == o.ParentID {
			res.Org = o
			res.MembersMoved = o.MembersTotal
			return nil
		}
		oldPath := o.Path
		newPath := np.Path + strconv.FormatInt(o.ID, 10) + "/"
		lo, hi := db.SubtreeRange(oldPath)
		cut := len(oldPath) + 1
		depthDelta := np.Depth + 1 - o.Depth
		if err := tree.MoveCounts(ctx, tx, o.ID, parentPath(oldPath), np.Path); err != nil {
			return err
		}
		resOrgs, err := tx.Exec(ctx, `UPDATE orgs SET path = CAST(? AS TEXT) || substr(path, CAST(? AS INTEGER)), depth = depth + ? WHERE path >= ? AND path < ?`,
			newPath, cut, depthDelta, lo, hi)
		if err != nil {
			return err
		}
		n, _ := resOrgs.RowsAffected()
		res.OrgsMoved = int(n)
		if _, err := s.Tree.RewritePaths(ctx, tx, oldPath, newPath); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE orgs SET parent_id = ?, updated_at = ? WHERE id = ?`, np.ID, now, o.ID); err != nil {
			return err
		}
		res.MembersMoved = o.MembersTotal
		return audit.Write(ctx, tx, sc.Actor(), now, audit.Entry{Action: "move", Entity: "org", EntityID: o.ID, OrgID: o.ID, Summary: o.Name,
			Changes: map[string]audit.Change{"parent_id": {Before: o.ParentID, After: np.ID}, "path": {Before: oldPath, After: newPath}}})
	})
	if err != nil {
		return nil, err
	}
	if res.Org, err = s.Get(ctx, sc, id); err != nil {
		return nil, err
	}
	return res, nil
}

// Dissolve marks an empty organization as dissolved (撤销). It stays readable with its
// history; it leaves the tree, the counts and the checks.
func (s *Store) Dissolve(ctx context.Context, sc *auth.Scope, id int64) error {
	now := s.Clock.Now()
	return s.DB.InTx(ctx, func(tx *db.Tx) error {
		o, err := s.forWrite(ctx, tx, sc, id, func(o *Org) bool {
			pp := parentPath(o.Path)
			return sc.IsAdmin() || (pp != "" && sc.Can(auth.ManageOrgs, pp))
		})
		if err != nil {
			return err
		}
		if o.ChildrenCount > 0 || o.MembersTotal > 0 {
			return httpx.Conflict("org_not_empty", i18n.M("detail.org_not_empty", o.ChildrenCount, o.MembersTotal))
		}
		if _, err := tx.Exec(ctx, `UPDATE orgs SET dissolved_at = ?, updated_at = ?, flags = '' WHERE id = ?`, now, now, id); err != nil {
			return err
		}
		r := tree.Rollup{}
		r.Add(o.Path, DimKind, string(o.Kind), -1)
		if err := applyFlagChange(ctx, tx, id, o.Path, o.Flags, nil, r); err != nil {
			return err
		}
		if err := r.Flush(ctx, tx); err != nil {
			return err
		}
		return audit.Write(ctx, tx, sc.Actor(), now, audit.Entry{Action: "dissolve", Entity: "org", EntityID: id, OrgID: id, Summary: o.Name})
	})
}

// Ref is what other domains need to know of an organization to attach things to it.
type Ref struct {
	ID       int64
	ParentID int64
	Path     string
	Name     string
	Kind     Kind
	Field    string
	Live     bool
}

// Lookup reads an organization regardless of scope; callers check scope on Ref.Path.
func Lookup(ctx context.Context, q db.Querier, id int64) (*Ref, error) {
	var r Ref
	var dissolved sql.NullTime
	err := q.QueryRow(ctx, `SELECT id, COALESCE(parent_id, 0), path, name, kind, field, dissolved_at FROM orgs WHERE id = ?`, id).
		Scan(&r.ID, &r.ParentID, &r.Path, &r.Name, &r.Kind, &r.Field, &dissolved)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	r.Live = !dissolved.Valid
	return &r, nil
}

// ListSubtree lists the live organizations of the given kinds in the subtree of root (which
// the caller has read), in tree order; cond, when given, is a further SQL condition on orgs o.
func (s *Store) ListSubtree(ctx context.Context, sc *auth.Scope, root *Org, kinds []string, cond string, condArgs []any, p httpx.Page) ([]*Org, int, error) {
	lo, hi := db.SubtreeRange(root.Path)
	where := "o.dissolved_at IS NULL AND o.path >= ? AND o.path < ?"
	args := []any{lo, hi}
	if len(kinds) > 0 {
		where += " AND o.kind IN (" + db.Placeholders(len(kinds)) + ")"
		for _, k := range kinds {
			args = append(args, k)
		}
	}
	if cond != "" {
		where += " AND " + cond
		args = append(args, condArgs...)
	}
	return s.list(ctx, sc, where, args, "o.path", p)
}
