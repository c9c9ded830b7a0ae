// Package quarterly is 季度讲评: for a level and a quarter, a review pack of its child
// organizations generated from the records — each measure with the figure the dashboards show,
// the ranking it makes (no weighting invented: every measure ranks on its own) and the reasons
// behind a shortfall — and the reviewer's comment per organization. It is read as a page that
// prints and as a workbook. The measures come from the domains through Section; a domain that
// starts keeping figures (tasks, stars, rectifications) adds its section in server.New.
package quarterly

import (
	"context"
	"database/sql"
	"errors"
	"sort"
	"strings"
	"time"

	"dangjian/internal/life/rules"
	"dangjian/internal/org"
	"dangjian/internal/platform/audit"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/clock"
	"dangjian/internal/platform/db"
	"dangjian/internal/platform/httpx"
	"dangjian/internal/platform/i18n"
)

func init() {
	i18n.Register(map[string][2]string{
		"f.quarterly":         {"季度讲评", "quarterly review"},
		"f.quarterly.quarter": {"季度", "quarter"},
		"f.quarterly.org":     {"被讲评组织", "organization reviewed"},
		"f.quarterly.text":    {"讲评意见", "comment"},
		"qr.quarter":          {"%s应为 YYYY-Qn，如 2026-Q3", "%s must be YYYY-Qn, e.g. 2026-Q3"},
		"qr.not_child":        {"%s不是本级的下级组织", "%s is not a child of this organization"},
	})
}

// ReviewMeasure is one column of the pack: what is measured and which way is better.
type ReviewMeasure struct {
	Key    string `json:"key"`
	Title  string `json:"title"`         // in the caller's language
	Share  bool   `json:"share"`         // a share (num/den), else a number
	Higher bool   `json:"higher_better"` // rank descending
}

// ReviewFigure is one organization's value of a measure, with the reasons behind a shortfall.
type ReviewFigure struct {
	Value   float64  `json:"value"`
	Num     int      `json:"num"`
	Den     int      `json:"den"`               // 0 with Share: nothing was required (not ranked)
	Reasons []string `json:"reasons,omitempty"` // in the caller's language
}

// Unit is an organization a section measures.
type Unit struct {
	ID   int64
	Path string
}

// Section is a domain's part of the pack.
type Section interface {
	Measures(lang i18n.Lang) []ReviewMeasure
	// Figures measures each unit for the quarter (the subtree of each, as its dashboard does).
	Figures(ctx context.Context, sc *auth.Scope, quarter rules.Period, units []Unit, lang i18n.Lang) (map[string]map[int64]ReviewFigure, error)
}

// Store builds packs and keeps the comments.
type Store struct {
	DB       *db.DB
	Clock    clock.Clock
	Orgs     *org.Store
	Sections []Section
}

// ReviewRow is one child organization of the pack.
type ReviewRow struct {
	OrgID         int64                   `json:"org_id"`
	Name          string                  `json:"name"`
	Kind          string                  `json:"kind"`
	Figures       map[string]ReviewFigure `json:"figures"`
	Ranks         map[string]int          `json:"ranks"` // 1 = best; absent: not ranked on that measure
	ReviewComment string                  `json:"comment"`
	CommentBy     string                  `json:"comment_by,omitempty"`
	CommentAt     *time.Time              `json:"comment_at,omitempty"`
}

// ReviewPack is a level's quarterly review.
type ReviewPack struct {
	OrgID       int64                   `json:"org_id"`
	OrgName     string                  `json:"org_name"`
	Quarter     string                  `json:"quarter"`
	GeneratedAt time.Time               `json:"generated_at"`
	Measures    []ReviewMeasure         `json:"measures"`
	Level       map[string]ReviewFigure `json:"level"` // the level's own subtree: its dashboard's figures
	Rows        []ReviewRow             `json:"rows"`
	CanComment  bool                    `json:"can_comment"`
}

// ParseQuarter reads "YYYY-Qn"; "" is the last quarter that has ended.
func (s *Store) ParseQuarter(v string) (rules.Period, error) {
	if v == "" {
		q := rules.PeriodOf(rules.Quarter, s.Clock.Now())
		if q.Index == 1 {
			return rules.Period{Unit: rules.Quarter, Year: q.Year - 1, Index: 4}, nil
		}
		q.Index--
		return q, nil
	}
	p, err := rules.ParsePeriod(v)
	if err != nil || p.Unit != rules.Quarter {
		return rules.Period{}, httpx.Invalid(httpx.FieldIssue("quarter", "f.quarterly.quarter", "qr.quarter"))
	}
	return p, nil
}

// maxChildren bounds a pack: a level reviews its direct children (a district's streets, a
// street's communities), never thousands.
const maxChildren = 500

// Build generates the pack of an organization's children for a quarter (read scope).
func (s *Store) Build(ctx context.Context, sc *auth.Scope, orgID int64, quarter rules.Period) (*ReviewPack, error) {
	lang := httpx.Lang(ctx)
	level, err := s.Orgs.Get(ctx, sc, orgID)
	if err != nil {
		return nil, err
	}
	children, _, err := s.Orgs.Children(ctx, sc, orgID, httpx.Page{Page: 1, Size: maxChildren})
	if err != nil {
		return nil, err
	}
	units := []Unit{{ID: level.ID, Path: level.Path}}
	for _, c := range children {
		units = append(units, Unit{ID: c.ID, Path: c.Path})
	}
	p := &ReviewPack{OrgID: level.ID, OrgName: level.Name, Quarter: quarter.String(), GeneratedAt: s.Clock.Now().UTC(),
		Level: map[string]ReviewFigure{}, Rows: []ReviewRow{}, CanComment: sc.Can(auth.WriteMembers, level.Path)}
	rows := map[int64]*ReviewRow{}
	for _, c := range children {
		rows[c.ID] = &ReviewRow{OrgID: c.ID, Name: c.Name, Kind: string(c.Kind), Figures: map[string]ReviewFigure{}, Ranks: map[string]int{}}
	}
	for _, sec := range s.Sections {
		ms := sec.Measures(lang)
		figs, err := sec.Figures(ctx, sc, quarter, units, lang)
		if err != nil {
			return nil, err
		}
		for _, m := range ms {
			p.Measures = append(p.Measures, m)
			p.Level[m.Key] = figs[m.Key][level.ID]
			for id, r := range rows {
				if f, ok := figs[m.Key][id]; ok {
					r.Figures[m.Key] = f
				}
			}
			rank(m, children, rows)
		}
	}
	if err := s.comments(ctx, level.ID, quarter.String(), rows); err != nil {
		return nil, err
	}
	for _, c := range children {
		p.Rows = append(p.Rows, *rows[c.ID])
	}
	return p, nil
}

// rank gives competition ranks (1, 2, 2, 4) on one measure; a share with nothing required is
// not ranked.
func rank(m ReviewMeasure, children []*org.Org, rows map[int64]*ReviewRow) {
	var ids []int64
	for _, c := range children {
		f, ok := rows[c.ID].Figures[m.Key]
		if ok && !(m.Share && f.Den == 0) {
			ids = append(ids, c.ID)
		}
	}
	better := func(a, b float64) bool {
		if m.Higher {
			return a > b
		}
		return a < b
	}
	sort.SliceStable(ids, func(i, j int) bool {
		return better(rows[ids[i]].Figures[m.Key].Value, rows[ids[j]].Figures[m.Key].Value)
	})
	for i, id := range ids {
		r := i + 1
		if i > 0 && rows[ids[i-1]].Figures[m.Key].Value == rows[id].Figures[m.Key].Value {
			r = rows[ids[i-1]].Ranks[m.Key]
		}
		rows[id].Ranks[m.Key] = r
	}
}

func (s *Store) comments(ctx context.Context, levelID int64, quarter string, rows map[int64]*ReviewRow) error {
	return db.Each(ctx, s.DB, `SELECT c.subject_id, c.text, COALESCE(u.display_name, u.username, ''), c.updated_at FROM quarterly_comments c LEFT JOIN users u ON u.id = c.updated_by
		WHERE c.org_id = ? AND c.quarter = ?`, []any{levelID, quarter}, func(r db.Scanner) error {
		var id int64
		var text, by string
		var at time.Time
		if err := r.Scan(&id, &text, &by, &at); err != nil {
			return err
		}
		if row := rows[id]; row != nil {
			row.ReviewComment, row.CommentBy, row.CommentAt = text, by, &at
		}
		return nil
	})
}

// ReviewComment is the body of PUT /api/v1/orgs/{id}/quarterly/comments.
type ReviewComment struct {
	Quarter string `json:"quarter"`
	OrgID   int64  `json:"org_id"` // the child organization reviewed
	Text    string `json:"text"`   // empty removes the comment
}

// SetComment records the level's comment on one of its children for a quarter (write on the level).
func (s *Store) SetComment(ctx context.Context, sc *auth.Scope, levelID int64, c ReviewComment) error {
	level, err := org.Resolve(ctx, s.DB, sc, levelID, auth.WriteMembers)
	if err != nil {
		return err
	}
	q, err := s.ParseQuarter(c.Quarter)
	if err != nil || c.Quarter == "" {
		return httpx.Invalid(httpx.FieldIssue("quarter", "f.quarterly.quarter", "qr.quarter"))
	}
	c.Text = strings.TrimSpace(c.Text)
	if len([]rune(c.Text)) > 2000 {
		return httpx.Invalid(httpx.FieldIssue("text", "f.quarterly.text", "v.too_long", 2000))
	}
	var parent sql.NullInt64
	err = s.DB.QueryRow(ctx, `SELECT parent_id FROM orgs WHERE id = ?`, c.OrgID).Scan(&parent)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && parent.Int64 != level.ID) {
		return httpx.Invalid(httpx.FieldIssue("org_id", "f.quarterly.org", "qr.not_child"))
	}
	if err != nil {
		return err
	}
	now := s.Clock.Now().UTC()
	return s.DB.InTx(ctx, func(tx *db.Tx) error {
		var before string
		err := tx.QueryRow(ctx, `SELECT text FROM quarterly_comments WHERE org_id = ? AND subject_id = ? AND quarter = ?`, level.ID, c.OrgID, q.String()).Scan(&before)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			_, err = tx.Exec(ctx, `INSERT INTO quarterly_comments (org_id, subject_id, quarter, text, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?)`,
				level.ID, c.OrgID, q.String(), c.Text, sc.UserID, now)
		case err == nil:
			_, err = tx.Exec(ctx, `UPDATE quarterly_comments SET text = ?, updated_by = ?, updated_at = ? WHERE org_id = ? AND subject_id = ? AND quarter = ?`,
				c.Text, sc.UserID, now, level.ID, c.OrgID, q.String())
		}
		if err != nil {
			return err
		}
		return audit.Write(ctx, tx, sc.Actor(), now, audit.Entry{Action: "comment", Entity: "quarterly_review", EntityID: c.OrgID, OrgID: level.ID,
			Summary: q.String(), Changes: map[string]audit.Change{"text": {Before: before, After: c.Text}}})
	})
}
