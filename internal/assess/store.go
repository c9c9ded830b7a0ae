package assess

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"time"

	"dangjian/internal/life/rules"
	"dangjian/internal/org"
	"dangjian/internal/platform/audit"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/clock"
	"dangjian/internal/platform/db"
	"dangjian/internal/platform/httpx"
	"dangjian/internal/platform/i18n"
	"dangjian/internal/publicity"
	"dangjian/internal/tree"
)

// Store is the assessment domain over the database.
type Store struct {
	DB    *db.DB
	Clock clock.Clock
	Pack  func() *rules.Pack // the rule pack in force (the life bindings judge with it)
	Pub   *publicity.Store   // 公示 with objections

	parsed sync.Map // set row id → *Set (a published version never changes)
}

// SetVersion is one published version of an indicator set.
type SetVersion struct {
	RowID    int64     `json:"id"`
	OrgID    int64     `json:"org_id"`
	Year     int       `json:"year"`
	Code     string    `json:"code"`
	Version  string    `json:"version"`
	Name     string    `json:"name"`
	LoadedBy int64     `json:"loaded_by"`
	LoadedAt time.Time `json:"loaded_at"`
	Set      *Set      `json:"set,omitempty"`
}

func init() {
	i18n.Register(map[string][2]string{
		"f.assess.set":    {"指标体系", "Indicator set"},
		"f.assess.round":  {"考核轮次", "Assessment round"},
		"v.assess.set":    {"第%d行（%s）：%s", "line %d (%s): %s"},
		"as.x_other":      {"上级组织已发布适用于同类组织的指标体系“%s”：请以相同的 id 扩展它", "a higher level published %q for the same organizations: extend it under the same id"},
		"as.x_parent_bad": {"上级指标体系无法读取", "the higher level's set cannot be read"},
	})
}

// PublishSet validates a set's text and publishes it as a new version for an organization's
// subtree. A set with the id of one in force above must extend it (extend.go); a set with
// another id for the same organizations as one above is refused. A refused set changes nothing.
func (s *Store) PublishSet(ctx context.Context, sc *auth.Scope, orgID int64, text []byte) (*SetVersion, error) {
	o, err := org.Resolve(ctx, s.DB, sc, orgID, auth.ManageOrgs)
	if err != nil {
		return nil, err
	}
	set, doc, err := parseSet(text)
	if err == nil {
		var parents []SetVersion
		parents, err = s.above(ctx, s.DB, o.Path, set.Year)
		for _, p := range parents {
			if err != nil {
				break
			}
			switch {
			case p.Code == set.ID:
				if errs := checkExtends(p.Set, set, doc); len(errs) > 0 {
					err = errs
				}
			case p.Set.AppliesTo.overlaps(set.AppliesTo):
				err = SetErrors{setErr(doc.Line, "/id", "as.x_other", p.Code)}
			}
		}
	}
	if err != nil {
		return nil, asInvalid(err)
	}
	v := &SetVersion{OrgID: o.ID, Year: set.Year, Code: set.ID, Version: set.Version, Name: set.Name, LoadedBy: sc.UserID, LoadedAt: s.Clock.Now().UTC(), Set: set}
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		if err := tx.QueryRow(ctx, `INSERT INTO assess_sets (org_id, year, code, version, name, body, loaded_by, loaded_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, v.OrgID, v.Year, v.Code, v.Version, v.Name, string(text), sc.UserID, v.LoadedAt).Scan(&v.RowID); err != nil {
			return err
		}
		return audit.Write(ctx, tx, sc.Actor(), v.LoadedAt, audit.Entry{Action: "publish", Entity: "assess_set", EntityID: v.RowID, OrgID: o.ID, Summary: v.Code + " " + v.Version})
	})
	if err != nil {
		return nil, err
	}
	return v, nil
}

// asInvalid turns a set's errors into the 422 naming each line.
func asInvalid(err error) error {
	var se SetErrors
	if !errors.As(err, &se) {
		return err
	}
	issues := make([]httpx.Issue, 0, len(se))
	for _, e := range se {
		issues = append(issues, httpx.Issue{Field: "line " + strconv.Itoa(e.Line), Row: e.Line, Column: e.Path, Msg: i18n.M("v.assess.set", e.Line, e.Path, e.Msg)})
	}
	return httpx.Invalid(issues...)
}

const setCols = `id, org_id, year, code, version, name, COALESCE(loaded_by, 0), loaded_at`

func scanSet(r db.Scanner) (SetVersion, error) {
	var v SetVersion
	err := r.Scan(&v.RowID, &v.OrgID, &v.Year, &v.Code, &v.Version, &v.Name, &v.LoadedBy, &v.LoadedAt)
	v.LoadedAt = v.LoadedAt.UTC()
	return v, err
}

// above is, per set code, the version in force for a year at the nearest organization
// strictly above path that published that code.
func (s *Store) above(ctx context.Context, q db.Querier, path string, year int) ([]SetVersion, error) {
	ids := tree.PathIDs(path)
	if len(ids) < 2 {
		return nil, nil
	}
	return s.inForce(ctx, q, ids[:len(ids)-1], year)
}

// inForce is, per code, the newest version of the nearest of ids (root first) that published
// it for year, with its parsed set.
func (s *Store) inForce(ctx context.Context, q db.Querier, ids []int64, year int) ([]SetVersion, error) {
	args := []any{year}
	for _, id := range ids {
		args = append(args, id)
	}
	all, err := db.All(ctx, q, `SELECT `+setCols+` FROM assess_sets WHERE year = ? AND org_id IN (`+db.Placeholders(len(ids))+`) ORDER BY id DESC`, args, scanSet)
	if err != nil {
		return nil, err
	}
	depth := map[int64]int{}
	for i, id := range ids {
		depth[id] = i
	}
	best := map[string]SetVersion{}
	var order []string
	for _, v := range all { // newest first: the first of the deepest publisher wins
		b, ok := best[v.Code]
		if !ok {
			order = append(order, v.Code)
		}
		if !ok || depth[v.OrgID] > depth[b.OrgID] {
			best[v.Code] = v
		}
	}
	out := make([]SetVersion, 0, len(order))
	for _, c := range order {
		v := best[c]
		if v.Set, err = s.setByRow(ctx, q, v.RowID); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// setByRow loads and parses a version once.
func (s *Store) setByRow(ctx context.Context, q db.Querier, rowID int64) (*Set, error) {
	if p, ok := s.parsed.Load(rowID); ok {
		return p.(*Set), nil
	}
	var body string
	if err := q.QueryRow(ctx, `SELECT body FROM assess_sets WHERE id = ?`, rowID).Scan(&body); err != nil {
		return nil, err
	}
	set, err := ParseSet([]byte(body))
	if err != nil {
		return nil, err
	}
	s.parsed.Store(rowID, set)
	return set, nil
}

// Sets is what applies at an organization for a year: per set code, the version in force
// (its own or the nearest publisher's above), and the versions it published itself.
type Sets struct {
	InForce   []SetVersion `json:"in_force"`
	Published []SetVersion `json:"published"`
}

// SetsAt reads the sets of an organization (read scope).
func (s *Store) SetsAt(ctx context.Context, sc *auth.Scope, orgID int64, year int) (*Sets, error) {
	o, err := org.Resolve(ctx, s.DB, sc, orgID, auth.Read)
	if err != nil {
		return nil, err
	}
	in, err := s.inForce(ctx, s.DB, tree.PathIDs(o.Path), year)
	if err != nil {
		return nil, err
	}
	own, err := db.All(ctx, s.DB, `SELECT `+setCols+` FROM assess_sets WHERE org_id = ? ORDER BY id DESC LIMIT 200`, []any{orgID}, scanSet)
	if err != nil {
		return nil, err
	}
	if own == nil {
		own = []SetVersion{}
	}
	return &Sets{InForce: in, Published: own}, nil
}
