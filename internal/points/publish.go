package points

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"time"

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

// Store is the points domain over the database.
type Store struct {
	DB    *db.DB
	Clock clock.Clock
	// Publicity runs the year end's 公示 (windows in working days, objections).
	Publicity *publicity.Store

	parsed sync.Map // scheme row id → *Scheme (a published version never changes)
}

// Version is one published version of a scheme.
type SchemeVersion struct {
	RowID         int64     `json:"id"`
	OrgID         int64     `json:"org_id"`
	Year          int       `json:"year"`
	Code          string    `json:"code"`
	Version       string    `json:"version"`
	Name          string    `json:"name"`
	EffectiveFrom string    `json:"effective_from"`
	LoadedBy      int64     `json:"loaded_by"`
	LoadedAt      time.Time `json:"loaded_at"`
	Scheme        *Scheme   `json:"scheme,omitempty"`
}

func init() {
	i18n.Register(map[string][2]string{
		"v.scheme":      {"第%d行（%s）：%s", "line %d (%s): %s"},
		"f.scheme":      {"积分方案", "Points scheme"},
		"pts.no_scheme": {"%d 年没有适用于该党员的积分方案", "no points scheme applies to this member in %d"},
	})
}

// Publish validates a scheme's text and publishes it as a new version for an organization's
// subtree; a broken scheme is refused with every problem and its line, and nothing changes.
// Publishing needs ManageOrgs on the organization (a district's or street's staff).
func (s *Store) Publish(ctx context.Context, sc *auth.Scope, orgID int64, text []byte) (*SchemeVersion, error) {
	o, err := org.Resolve(ctx, s.DB, sc, orgID, auth.ManageOrgs)
	if err != nil {
		return nil, err
	}
	sch, err := ParseScheme(text)
	if err != nil {
		var se SchemeErrors
		if errors.As(err, &se) {
			issues := make([]httpx.Issue, 0, len(se))
			for _, e := range se {
				issues = append(issues, httpx.Issue{Field: "line " + strconv.Itoa(e.Line), Row: e.Line, Column: e.Path,
					Msg: i18n.M("v.scheme", e.Line, e.Path, e.Msg)})
			}
			return nil, httpx.Invalid(issues...)
		}
		return nil, err
	}
	v := &SchemeVersion{OrgID: o.ID, Year: sch.Year, Code: sch.ID, Version: sch.Version, Name: sch.Name,
		EffectiveFrom: sch.EffectiveFrom, LoadedBy: sc.UserID, LoadedAt: s.Clock.Now().UTC(), Scheme: sch}
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		bands, err := s.subtreeBands(ctx, tx, o.Path, v.Year) // as the versions so far judge them
		if err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `INSERT INTO points_schemes (org_id, year, code, version, name, effective_from, body, loaded_by, loaded_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, v.OrgID, v.Year, v.Code, v.Version, v.Name, v.EffectiveFrom, string(text), sc.UserID, v.LoadedAt).
			Scan(&v.RowID); err != nil {
			return err
		}
		if err := s.rebandPublished(ctx, tx, o.Path, v.Year, bands); err != nil {
			return err
		}
		return audit.Write(ctx, tx, sc.Actor(), v.LoadedAt, audit.Entry{Action: "publish", Entity: "points_scheme", EntityID: v.RowID,
			OrgID: o.ID, Summary: v.Code + " " + v.Version})
	})
	if err != nil {
		return nil, err
	}
	return v, nil
}

// Versions lists the versions an organization published, newest first (read scope).
func (s *Store) Versions(ctx context.Context, sc *auth.Scope, orgID int64) ([]SchemeVersion, error) {
	if _, err := org.Resolve(ctx, s.DB, sc, orgID, auth.Read); err != nil {
		return nil, err
	}
	return db.All(ctx, s.DB, `SELECT id, org_id, year, code, version, name, effective_from, COALESCE(loaded_by, 0), loaded_at
		FROM points_schemes WHERE org_id = ? ORDER BY id DESC LIMIT 200`, []any{orgID}, func(r db.Scanner) (SchemeVersion, error) {
		var v SchemeVersion
		err := r.Scan(&v.RowID, &v.OrgID, &v.Year, &v.Code, &v.Version, &v.Name, &v.EffectiveFrom, &v.LoadedBy, &v.LoadedAt)
		v.LoadedAt = v.LoadedAt.UTC()
		return v, err
	})
}

// InForce is the scheme version that applies on day (YYYY-MM-DD, CST) to a member of the
// branch at path: of the nearest organization up the tree that published one for day's year,
// the version with the latest effective date on or before day (the newest of those).
// nil when none applies.
func (s *Store) InForce(ctx context.Context, q db.Querier, path, day string) (*SchemeVersion, error) {
	if len(day) < 4 {
		return nil, nil
	}
	year, _ := strconv.Atoi(day[:4])
	p, err := s.published(ctx, q, path, year)
	if err != nil {
		return nil, err
	}
	return s.pick(ctx, q, p, day)
}

// publishedUp is every version published for a year by the organizations on a branch's path,
// newest effective date first: what InForce picks from (one query serves many days).
type publishedUp struct {
	ids      []int64 // the path, root first
	versions []SchemeVersion
}

func (s *Store) published(ctx context.Context, q db.Querier, path string, year int) (*publishedUp, error) {
	p := &publishedUp{ids: tree.PathIDs(path)}
	if len(p.ids) == 0 {
		return p, nil
	}
	args := []any{year}
	for _, id := range p.ids {
		args = append(args, id)
	}
	var err error
	p.versions, err = db.All(ctx, q, `SELECT id, org_id, year, code, version, name, effective_from, COALESCE(loaded_by, 0), loaded_at
		FROM points_schemes WHERE year = ? AND org_id IN (`+db.Placeholders(len(p.ids))+`)
		ORDER BY effective_from DESC, id DESC`, args, func(r db.Scanner) (SchemeVersion, error) {
		var v SchemeVersion
		err := r.Scan(&v.RowID, &v.OrgID, &v.Year, &v.Code, &v.Version, &v.Name, &v.EffectiveFrom, &v.LoadedBy, &v.LoadedAt)
		v.LoadedAt = v.LoadedAt.UTC()
		return v, err
	})
	return p, err
}

// pick is the version in force on day among p's (nil: none), with its parsed scheme.
func (s *Store) pick(ctx context.Context, q db.Querier, p *publishedUp, day string) (*SchemeVersion, error) {
	for i := len(p.ids) - 1; i >= 0; i-- { // nearest first
		for _, c := range p.versions {
			if c.OrgID == p.ids[i] && c.EffectiveFrom <= day {
				v := c
				var err error
				v.Scheme, err = s.schemeByRow(ctx, q, v.RowID)
				return &v, err
			}
		}
	}
	return nil, nil
}

// scheme parses a published version once.
func (s *Store) scheme(rowID int64, body string) (*Scheme, error) {
	if p, ok := s.parsed.Load(rowID); ok {
		return p.(*Scheme), nil
	}
	p, err := ParseScheme([]byte(body))
	if err != nil {
		return nil, err
	}
	s.parsed.Store(rowID, p)
	return p, nil
}

// schemeByRow loads a version by its row id (the ledger names it).
func (s *Store) schemeByRow(ctx context.Context, q db.Querier, rowID int64) (*Scheme, error) {
	if p, ok := s.parsed.Load(rowID); ok {
		return p.(*Scheme), nil
	}
	var body string
	if err := q.QueryRow(ctx, `SELECT body FROM points_schemes WHERE id = ?`, rowID).Scan(&body); err != nil {
		return nil, err
	}
	return s.scheme(rowID, body)
}
