package assess

import (
	"context"
	"fmt"
	"strings"
	"time"

	"dangjian/internal/org"
	"dangjian/internal/platform/audit"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/clock"
	"dangjian/internal/platform/db"
	"dangjian/internal/platform/httpx"
	"dangjian/internal/platform/i18n"
	"dangjian/internal/tree"
)

// States of an assessed organization in a round.
const (
	Pending   = "pending"   // not yet self-assessed
	Returned  = "returned"  // sent back for correction
	Submitted = "submitted" // self-assessed, waiting for the review
	Reviewed  = "reviewed"
	Awarded   = "awarded"
)

// States of a round.
const (
	RoundOpen      = "open"
	RoundPublicity = "publicity"
	RoundAwarded   = "awarded"
)

// Stages of a value.
const (
	StageData   = "data"
	StageSelf   = "self"
	StageReview = "review"
)

// NewRound is the body of POST /api/v1/orgs/{id}/assess/rounds.
type NewRound struct {
	SetID    int64    `json:"set_id"` // a version in force at the organization
	Name     string   `json:"name"`
	Kinds    []string `json:"kinds,omitempty"`  // within the set's; empty: the set's
	Fields   []string `json:"fields,omitempty"` // within the set's; empty: the set's
	SelfTo   string   `json:"self_to"`          // last day of self-assessment (YYYY-MM-DD)
	ReviewTo string   `json:"review_to"`        // last day of the review
	AwardOn  string   `json:"award_on"`         // the day stars are awarded (valid from)
}

// Round is a round as the API shows it, with its progress (maintained counts).
type Round struct {
	ID        int64          `json:"id"`
	OrgID     int64          `json:"org_id"`
	OrgName   string         `json:"org_name"`
	SetID     int64          `json:"set_id"`
	SetCode   string         `json:"set_code"`
	SetName   string         `json:"set_name"`
	Year      int            `json:"year"`
	Name      string         `json:"name"`
	Kinds     []string       `json:"kinds"`
	Fields    []string       `json:"fields"`
	SelfTo    string         `json:"self_to"`
	ReviewTo  string         `json:"review_to"`
	AwardOn   string         `json:"award_on"`
	AsOf      string         `json:"as_of"`
	State     string         `json:"state" enum:"open,publicity,awarded"`
	OpenedAt  time.Time      `json:"opened_at"`
	Progress  map[string]int `json:"progress"` // by state: pending, returned, submitted, reviewed, awarded
	Total     int            `json:"total"`
	MaxTotal  float64        `json:"max_total"`
	CanReview bool           `json:"can_review"`
	path      string
}

func init() {
	i18n.Register(map[string][2]string{
		"f.assess.set_id":    {"指标体系", "Indicator set"},
		"f.assess.name":      {"轮次名称", "Name"},
		"f.assess.kinds":     {"参评组织类别", "Kinds"},
		"f.assess.fields":    {"参评组织领域", "Fields"},
		"f.assess.self_to":   {"自评截止日", "Self-assessment until"},
		"f.assess.review_to": {"审核截止日", "Review until"},
		"f.assess.award_on":  {"授星日期", "Award on"},
		"v.assess.not_above": {"%s：该版本不是本组织适用的指标体系（应为本组织或上级发布的、当前有效的版本）", "%s: not a version in force at this organization"},
		"v.assess.outside":   {"%s：超出指标体系的适用范围（%s）", "%s: outside the set's organizations (%s)"},
		"v.assess.date":      {"%s：应为 YYYY-MM-DD 日期", "%s: must be a date YYYY-MM-DD"},
		"v.assess.order":     {"%s：日期应依次为自评截止、审核截止、授星", "%s: dates must run self-assessment, review, award"},
		"v.assess.none":      {"下级中没有符合条件的参评组织", "no organization below matches"},
	})
}

// Open opens a round over the organization's subtree: the organizations below it that the set
// (and the round's narrower kinds/fields) applies to, with every bound indicator computed from
// our records set-based, each organization's data-stage totals, and the progress counts.
func (s *Store) Open(ctx context.Context, sc *auth.Scope, orgID int64, in NewRound) (*Round, error) {
	o, err := org.Resolve(ctx, s.DB, sc, orgID, auth.ManageOrgs)
	if err != nil {
		return nil, err
	}
	var is httpx.Issues
	in.Name = strings.TrimSpace(in.Name)
	if in.Name == "" {
		is.Add("name", "f.assess.name", "v.required")
	}
	for _, d := range []struct{ field, v string }{{"self_to", in.SelfTo}, {"review_to", in.ReviewTo}, {"award_on", in.AwardOn}} {
		if _, err := time.Parse("2006-01-02", d.v); err != nil {
			is.Add(d.field, "f.assess."+d.field, "v.assess.date")
		}
	}
	if len(is) == 0 && !(in.SelfTo <= in.ReviewTo && in.ReviewTo <= in.AwardOn) {
		is.Add("review_to", "f.assess.review_to", "v.assess.order")
	}
	var sv *SetVersion
	if in.SetID > 0 {
		var v SetVersion
		err := s.DB.QueryRow(ctx, `SELECT `+setCols+` FROM assess_sets WHERE id = ?`, in.SetID).Scan(&v.RowID, &v.OrgID, &v.Year, &v.Code, &v.Version, &v.Name, &v.LoadedBy, &v.LoadedAt)
		if err == nil {
			inForce, err2 := s.inForce(ctx, s.DB, tree.PathIDs(o.Path), v.Year)
			if err2 != nil {
				return nil, err2
			}
			for i := range inForce {
				if inForce[i].RowID == v.RowID {
					sv = &inForce[i]
				}
			}
		}
	}
	if sv == nil {
		is.Add("set_id", "f.assess.set_id", "v.assess.not_above")
	} else {
		for _, k := range in.Kinds {
			if len(sv.Set.AppliesTo.Kinds) > 0 && !has(sv.Set.AppliesTo.Kinds, k) {
				is.Add("kinds", "f.assess.kinds", "v.assess.outside", k)
			}
		}
		for _, f := range in.Fields {
			if len(sv.Set.AppliesTo.Fields) > 0 && !has(sv.Set.AppliesTo.Fields, f) {
				is.Add("fields", "f.assess.fields", "v.assess.outside", f)
			}
		}
	}
	if err := is.Err(); err != nil {
		return nil, err
	}
	kinds, fields := orDefault(in.Kinds, sv.Set.AppliesTo.Kinds), orDefault(in.Fields, sv.Set.AppliesTo.Fields)
	now := s.Clock.Now().UTC()
	asOf := clock.Today(now)
	if y := fmt.Sprintf("%d-12-31", sv.Year); asOf > y {
		asOf = y
	}
	var id int64
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		if err := tx.QueryRow(ctx, `INSERT INTO assess_rounds (org_id, set_id, year, name, kinds, fields, self_to, review_to, award_on, as_of, state, opened_by, opened_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, o.ID, sv.RowID, sv.Year, in.Name, strings.Join(kinds, ","), strings.Join(fields, ","),
			in.SelfTo, in.ReviewTo, in.AwardOn, asOf, RoundOpen, sc.UserID, now).Scan(&id); err != nil {
			return err
		}
		n, err := s.compute(ctx, tx, id, o.Path, sv, kinds, fields, asOf, now)
		if err != nil {
			return err
		}
		if n == 0 {
			return httpx.Invalid(httpx.FieldIssue("kinds", "f.assess.kinds", "v.assess.none"))
		}
		return audit.Write(ctx, tx, sc.Actor(), now, audit.Entry{Action: "open", Entity: "assess_round", EntityID: id, OrgID: o.ID,
			Summary: fmt.Sprintf("%s（%s %s，%d 个组织）", in.Name, sv.Code, sv.Version, n)})
	})
	if err != nil {
		return nil, err
	}
	return s.Round(ctx, sc, id)
}

func orDefault(xs, def []string) []string {
	if len(xs) > 0 {
		return xs
	}
	return def
}

// compute enrols the round's organizations and fills their data stage: one INSERT … SELECT of
// the organizations, each binding once for all of them, the values copied in bulk, then the
// organizations' rows rewritten with their totals (delete and copy: cheaper than one UPDATE
// per organization at 35,000).
func (s *Store) compute(ctx context.Context, tx *db.Tx, roundID int64, path string, sv *SetVersion, kinds, fields []string, asOf string, now time.Time) (int, error) {
	lo, hi := db.SubtreeRange(path)
	cond, args := `o.path > ? AND o.path < ? AND o.dissolved_at IS NULL`, []any{roundID, lo, hi}
	if len(kinds) > 0 {
		cond += ` AND o.kind IN (` + db.Placeholders(len(kinds)) + `)`
		for _, k := range kinds {
			args = append(args, k)
		}
	}
	if len(fields) > 0 {
		cond += ` AND o.field IN (` + db.Placeholders(len(fields)) + `)`
		for _, f := range fields {
			args = append(args, f)
		}
	}
	args = append([]any{now}, args...)
	res, err := tx.Exec(ctx, `INSERT INTO assess_orgs (updated_at, round_id, org_id, state)
		SELECT ?, ?, o.id, 'pending' FROM orgs o WHERE `+cond, args...)
	if err != nil {
		return 0, err
	}
	n64, _ := res.RowsAffected()
	if n64 == 0 {
		return 0, nil
	}
	// Every binding the set uses, once for the whole round.
	values := map[int64]map[string]float64{}
	var rows [][]any
	in := BindIn{RoundID: roundID, Year: sv.Year, AsOf: asOf, Pack: s.Pack()}
	computed := map[string]map[int64]Bound{}
	for _, ind := range sv.Set.Indicators() {
		if ind.Binding == "" {
			continue
		}
		got, ok := computed[ind.Binding]
		if !ok {
			b, _ := bindingOf(ind.Binding)
			if got, err = b.Compute(ctx, tx, in); err != nil {
				return 0, fmt.Errorf("binding %s: %w", ind.Binding, err)
			}
			computed[ind.Binding] = got
		}
		for orgID, v := range got {
			if values[orgID] == nil {
				values[orgID] = map[string]float64{}
			}
			values[orgID][ind.Code] = v.Value
			rows = append(rows, []any{roundID, orgID, ind.Code, StageData, v.Value, v.Detail, v.Link, "", "", nil, now})
		}
	}
	if len(rows) > 0 {
		if _, err := tx.CopyRows(ctx, "assess_values", []string{"round_id", "org_id", "code", "stage", "value", "detail", "link", "note", "evidence", "by_user", "at"}, rows); err != nil {
			return 0, err
		}
	}
	orgs, err := db.All(ctx, tx, `SELECT org_id FROM assess_orgs WHERE round_id = ?`, []any{roundID}, scanID)
	if err != nil {
		return 0, err
	}
	if _, err := tx.Exec(ctx, `DELETE FROM assess_orgs WHERE round_id = ?`, roundID); err != nil {
		return 0, err
	}
	out := make([][]any, 0, len(orgs))
	for _, id := range orgs {
		r := sv.Set.Score(values[id])
		out = append(out, []any{roundID, id, Pending, r.Total, r.Total, r.Stars, r.Band, strings.Join(r.Vetoed, ","), now})
	}
	if _, err := tx.CopyRows(ctx, "assess_orgs", []string{"round_id", "org_id", "state", "self_total", "total", "stars", "band", "vetoed", "updated_at"}, out); err != nil {
		return 0, err
	}
	if _, err := tx.Exec(ctx, `INSERT INTO assess_round_counts (round_id, state, n) VALUES (?, ?, ?)`, roundID, Pending, len(orgs)); err != nil {
		return 0, err
	}
	return len(orgs), tx.Analyze(ctx, "assess_orgs", "assess_values")
}

// moveState changes an organization's state in a round and the round's counts, in tx.
func moveState(ctx context.Context, tx *db.Tx, roundID, orgID int64, from, to string, now time.Time) error {
	if _, err := tx.Exec(ctx, `UPDATE assess_orgs SET state = ?, updated_at = ? WHERE round_id = ? AND org_id = ?`, to, now, roundID, orgID); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `UPDATE assess_round_counts SET n = n - 1 WHERE round_id = ? AND state = ?`, roundID, from); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `INSERT INTO assess_round_counts (round_id, state, n) VALUES (?, ?, 1)
		ON CONFLICT (round_id, state) DO UPDATE SET n = assess_round_counts.n + 1`, roundID, to)
	return err
}

const roundCols = `r.id, r.org_id, o.name, r.set_id, r.year, r.name, r.kinds, r.fields, r.self_to, r.review_to, r.award_on, r.as_of, r.state, r.opened_at, o.path`

func scanRound(row db.Scanner) (*Round, error) {
	var r Round
	var kinds, fields string
	if err := row.Scan(&r.ID, &r.OrgID, &r.OrgName, &r.SetID, &r.Year, &r.Name, &kinds, &fields, &r.SelfTo, &r.ReviewTo, &r.AwardOn, &r.AsOf, &r.State, &r.OpenedAt, &r.path); err != nil {
		return nil, err
	}
	r.Kinds, r.Fields = splitList(kinds), splitList(fields)
	r.OpenedAt = r.OpenedAt.UTC()
	return &r, nil
}

func splitList(s string) []string {
	if s == "" {
		return []string{}
	}
	return strings.Split(s, ",")
}

// round loads a round without a scope check (nil: none).
func (s *Store) round(ctx context.Context, q db.Querier, id int64) (*Round, error) {
	rs, err := db.All(ctx, q, `SELECT `+roundCols+` FROM assess_rounds r JOIN orgs o ON o.id = r.org_id WHERE r.id = ?`, []any{id}, scanRound)
	if err != nil || len(rs) == 0 {
		return nil, err
	}
	return rs[0], nil
}

// roundFor loads a round the caller may read (the opening organization's subtree is theirs to
// read: a round is the level's own business); 404 otherwise.
func (s *Store) roundFor(ctx context.Context, q db.Querier, sc *auth.Scope, id int64) (*Round, *Set, error) {
	r, err := s.round(ctx, q, id)
	if err != nil {
		return nil, nil, err
	}
	if r == nil || !sc.Can(auth.Read, r.path) {
		return nil, nil, httpx.NotFound("f.assess.round")
	}
	set, err := s.setByRow(ctx, q, r.SetID)
	return r, set, err
}

// Round reads a round with its progress (read on the opening organization).
func (s *Store) Round(ctx context.Context, sc *auth.Scope, id int64) (*Round, error) {
	r, set, err := s.roundFor(ctx, s.DB, sc, id)
	if err != nil {
		return nil, err
	}
	r.SetCode, r.SetName, r.MaxTotal = set.ID, set.Name, set.MaxTotal()
	r.CanReview = sc.Can(auth.ManageOrgs, r.path)
	r.Progress = map[string]int{Pending: 0, Returned: 0, Submitted: 0, Reviewed: 0, Awarded: 0}
	err = db.Each(ctx, s.DB, `SELECT state, n FROM assess_round_counts WHERE round_id = ?`, []any{id}, func(row db.Scanner) error {
		var st string
		var n int
		err := row.Scan(&st, &n)
		r.Progress[st] = n
		r.Total += n
		return err
	})
	return r, err
}

// RoundsAt lists the rounds an organization opened and those it is assessed in, newest first
// (read scope on the organization; a round opened above shows to the assessed organization).
func (s *Store) RoundsAt(ctx context.Context, sc *auth.Scope, orgID int64) ([]*Round, error) {
	if _, err := org.Resolve(ctx, s.DB, sc, orgID, auth.Read); err != nil {
		return nil, err
	}
	rs, err := db.All(ctx, s.DB, `SELECT `+roundCols+` FROM assess_rounds r JOIN orgs o ON o.id = r.org_id
		WHERE r.org_id = ? OR r.id IN (SELECT round_id FROM assess_orgs WHERE org_id = ?) ORDER BY r.id DESC LIMIT 100`, []any{orgID, orgID}, scanRound)
	if err != nil {
		return nil, err
	}
	if rs == nil {
		rs = []*Round{}
	}
	for _, r := range rs {
		r.CanReview = sc.Can(auth.ManageOrgs, r.path)
		r.Progress = map[string]int{}
	}
	return rs, nil
}
