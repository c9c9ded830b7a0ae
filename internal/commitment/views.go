package commitment

import (
	"context"
	"database/sql"
	"strconv"

	"dangjian/internal/member"
	"dangjian/internal/org"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/clock"
	"dangjian/internal/platform/db"
	"dangjian/internal/platform/httpx"
)

const selectCols = `SELECT c.id, c.member_id, m.name, c.org_id, c.org_path, c.year, c.category, c.catalogue, c.content, c.due_date, c.state,
	COALESCE(c.drafted_by, 0), c.created_at, COALESCE(c.confirmed_by, 0), c.confirmed_at, c.outcome_note, c.outcome_link, COALESCE(c.outcome_by, 0), c.outcome_at
	FROM commitments c JOIN members m ON m.id = c.member_id`

func (s *Store) list(ctx context.Context, where string, args []any, order string, limit, offset int) ([]Commitment, error) {
	cat := Current()
	out, err := db.All(ctx, s.DB, selectCols+` WHERE `+where+` ORDER BY `+order+` LIMIT `+strconv.Itoa(limit)+` OFFSET `+strconv.Itoa(offset), args,
		func(r db.Scanner) (Commitment, error) {
			var c Commitment
			var confirmed, outcome sql.NullTime
			err := r.Scan(&c.ID, &c.MemberID, &c.MemberName, &c.OrgID, &c.path, &c.Year, &c.Category, &c.Catalogue, &c.Content, &c.DueDate, &c.State,
				&c.DraftedBy, &c.CreatedAt, &c.ConfirmedBy, &confirmed, &c.OutcomeNote, &c.OutcomeLink, &c.OutcomeBy, &outcome)
			c.CreatedAt, c.ConfirmedAt, c.OutcomeAt = c.CreatedAt.UTC(), db.TimeOrNil(confirmed), db.TimeOrNil(outcome)
			if k := cat.Category(c.Category); k != nil {
				c.CategoryName = k.Name
			}
			return c, err
		})
	if out == nil {
		out = []Commitment{}
	}
	return out, err
}

// MemberCommitments is a member's commitments of a year, with the catalogue to draft more.
type MemberCommitments struct {
	MemberID   int64                `json:"member_id"`
	Year       int                  `json:"year"`
	Items      []Commitment         `json:"items"`
	Catalogue  *CommitmentCatalogue `json:"catalogue"`
	CanConfirm bool                 `json:"can_confirm"` // the caller may confirm and record them (the branch)
}

// OfMember lists a member's commitments of a year (the member themselves or a reader of
// their branch; otherwise 404).
func (s *Store) OfMember(ctx context.Context, sc *auth.Scope, memberID int64, year int) (*MemberCommitments, error) {
	st, found, err := member.StandingOf(ctx, s.DB, memberID)
	if err != nil {
		return nil, err
	}
	if !found || !sc.CanMember(auth.Read, st.OrgPath, memberID) {
		return nil, httpx.NotFound("f.member")
	}
	items, err := s.list(ctx, `c.member_id = ? AND c.year = ?`, []any{memberID, year}, `c.due_date, c.id`, 100, 0)
	return &MemberCommitments{MemberID: memberID, Year: year, Items: items, Catalogue: Current(), CanConfirm: sc.Can(auth.WriteMembers, st.OrgPath)}, err
}

// CommitmentBoard is an organization's commitments of a year in the states asked for (the branch's
// work list, and with the confirmed states its printable 承诺公示栏).
type CommitmentBoard struct {
	OrgID    int64             `json:"org_id"`
	OrgName  string            `json:"org_name"`
	Year     int               `json:"year"`
	Today    string            `json:"today"`
	Items    []Commitment      `json:"items"`
	Total    int               `json:"total"`
	Category map[string]string `json:"categories"` // code → name, for the print page's headings
	Counts   map[string]int    `json:"counts"`     // per state, of the whole subtree and year
	Source   string            `json:"source"`     // the catalogue's version and source
	Due      []Commitment      `json:"due"`        // confirmed, due within the catalogue's reminder days or past, no outcome
	Remind   int               `json:"remind_days"`
}

// OfOrg lists the commitments of an organization's subtree for a year in the given states
// (all when none), ordered by member and due date, paged.
func (s *Store) OfOrg(ctx context.Context, sc *auth.Scope, orgID int64, year int, states []string, p httpx.Page) (*CommitmentBoard, error) {
	o, err := org.Resolve(ctx, s.DB, sc, orgID, auth.Read)
	if err != nil {
		return nil, err
	}
	cat := Current()
	lo, hi := db.SubtreeRange(o.Path)
	cond, cargs := sc.Where("c.org_path", auth.Read)
	base := `c.org_path >= ? AND c.org_path < ? AND c.year = ? AND (` + cond + `)`
	args := append([]any{lo, hi, year}, cargs...)
	b := &CommitmentBoard{OrgID: o.ID, Year: year, Today: clock.Today(s.Clock.Now()), Category: map[string]string{}, Counts: map[string]int{},
		Source: cat.Version + " · " + cat.Source, Remind: cat.RemindDays}
	_ = s.DB.QueryRow(ctx, `SELECT name FROM orgs WHERE id = ?`, o.ID).Scan(&b.OrgName)
	for _, k := range cat.Categories {
		b.Category[k.Code] = k.Name
	}
	if err := db.Each(ctx, s.DB, `SELECT c.state, COUNT(*) FROM commitments c WHERE `+base+` GROUP BY c.state`, args, func(r db.Scanner) error {
		var st string
		var n int
		err := r.Scan(&st, &n)
		b.Counts[st] = n
		return err
	}); err != nil {
		return nil, err
	}
	where, wargs := base, args
	if len(states) > 0 {
		where += ` AND c.state IN (` + db.Placeholders(len(states)) + `)`
		for _, st := range states {
			wargs = append(wargs, st)
			b.Total += b.Counts[st]
		}
	} else {
		for _, n := range b.Counts {
			b.Total += n
		}
	}
	if b.Items, err = s.list(ctx, where, wargs, `m.name, c.due_date, c.id`, p.Size, p.Offset()); err != nil {
		return nil, err
	}
	until := clock.Today(s.Clock.Now().AddDate(0, 0, cat.RemindDays))
	b.Due, err = s.list(ctx, base+` AND c.state = ? AND c.due_date <= ?`, append(append([]any{}, args...), Confirmed, until), `c.due_date, c.id`, 50, 0)
	return b, err
}
