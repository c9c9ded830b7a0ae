// Package leveldoc keeps the documents a level publishes for its subtree (述职评议 rules,
// classification classes): the YAML as published, never changed — a correction is a new
// version — and the one in force for an organization: the newest version of the nearest
// organization up the tree that published one. What a document means is its domain's.
package leveldoc

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"time"

	"dangjian/internal/org"
	"dangjian/internal/platform/audit"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/db"
	"dangjian/internal/platform/httpx"
	"dangjian/internal/platform/i18n"
	"dangjian/internal/platform/yamldoc"
	"dangjian/internal/tree"
)

// Doc is one published version.
type Doc struct {
	ID       int64     `json:"id"`
	OrgID    int64     `json:"org_id"`
	Kind     string    `json:"kind"`
	Version  string    `json:"version"`
	Body     string    `json:"-"`
	LoadedAt time.Time `json:"loaded_at"`
}

func init() {
	i18n.Register(map[string][2]string{"f.leveldoc": {"文档", "Document"}})
}

// Invalid turns a document's problems into the 422 answer: one issue per line.
func Invalid(ps yamldoc.Problems) error {
	issues := make([]httpx.Issue, 0, len(ps))
	for _, p := range ps {
		issues = append(issues, httpx.Issue{Field: "line " + strconv.Itoa(p.Line), Row: p.Line, Column: p.Path, Msg: i18n.M("yd.line", p.Line, p.Path, p.Msg)})
	}
	return httpx.Invalid(issues...)
}

// Insert stores a checked document for organization orgID in tx and audits it.
func Insert(ctx context.Context, tx *db.Tx, sc *auth.Scope, at time.Time, orgID int64, kind, version string, text []byte) (*Doc, error) {
	d := &Doc{OrgID: orgID, Kind: kind, Version: version, Body: string(text), LoadedAt: at.UTC()}
	if err := tx.QueryRow(ctx, `INSERT INTO level_rules (org_id, kind, version, body, loaded_by, loaded_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
		orgID, kind, version, d.Body, nullID(sc.UserID), d.LoadedAt).Scan(&d.ID); err != nil {
		return nil, err
	}
	return d, audit.Write(ctx, tx, sc.Actor(), d.LoadedAt, audit.Entry{Action: "publish", Entity: "level_rules", EntityID: d.ID, OrgID: orgID, Summary: kind + " " + version})
}

// Publish stores a checked document for an organization the caller manages (ManageOrgs).
func Publish(ctx context.Context, d *db.DB, sc *auth.Scope, at time.Time, orgID int64, kind, version string, text []byte) (*Doc, error) {
	if _, err := org.Resolve(ctx, d, sc, orgID, auth.ManageOrgs); err != nil {
		return nil, err
	}
	var out *Doc
	err := d.InTx(ctx, func(tx *db.Tx) (err error) {
		out, err = Insert(ctx, tx, sc, at, orgID, kind, version, text)
		return err
	})
	return out, err
}

// InForce is the newest version of kind published by the nearest organization on path (the
// last one included); nil when none.
func InForce(ctx context.Context, q db.Querier, path, kind string) (*Doc, error) {
	ids := tree.PathIDs(path)
	if len(ids) == 0 {
		return nil, nil
	}
	args := []any{kind}
	for _, id := range ids {
		args = append(args, id)
	}
	byOrg := map[int64]*Doc{}
	if err := db.Each(ctx, q, `SELECT id, org_id, kind, version, body, loaded_at FROM level_rules WHERE kind = ? AND org_id IN (`+db.Placeholders(len(ids))+`) ORDER BY id`,
		args, func(r db.Scanner) error {
			var d Doc
			err := r.Scan(&d.ID, &d.OrgID, &d.Kind, &d.Version, &d.Body, &d.LoadedAt)
			byOrg[d.OrgID] = &d // ordered by id: the newest stays
			return err
		}); err != nil {
		return nil, err
	}
	for i := len(ids) - 1; i >= 0; i-- {
		if d := byOrg[ids[i]]; d != nil {
			return d, nil
		}
	}
	return nil, nil
}

// Load reads one version by id; nil when missing.
func Load(ctx context.Context, q db.Querier, id int64) (*Doc, error) {
	var d Doc
	err := q.QueryRow(ctx, `SELECT id, org_id, kind, version, body, loaded_at FROM level_rules WHERE id = ?`, id).
		Scan(&d.ID, &d.OrgID, &d.Kind, &d.Version, &d.Body, &d.LoadedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return &d, err
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}
