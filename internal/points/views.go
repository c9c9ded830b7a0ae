package points

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strconv"

	"dangjian/internal/member"
	"dangjian/internal/org"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/clock"
	"dangjian/internal/platform/db"
	"dangjian/internal/platform/httpx"
)

// MemberYear is a member's points for a year: every figure opens down to its entries
// (DESIGN principle 10).
type MemberYear struct {
	MemberID   int64          `json:"member_id"`
	MemberName string         `json:"member_name"`
	Year       int            `json:"year"`
	Scheme     *SchemeVersion `json:"scheme" jsonschema:"nullable"` // in force today (or at the year's end), without its text
	Layer      string         `json:"layer"`
	LayerName  string         `json:"layer_name"`
	Base       int            `json:"base"`
	Earned     int            `json:"earned"` // the sum of applied points
	Total      int            `json:"total"`  // base + earned, or 0 after a 一票否决
	Vetoed     bool           `json:"vetoed"`
	Stars      int            `json:"stars"`
	StarName   string         `json:"star_name"`
	Categories []Figure       `json:"categories"`
	Items      []Figure       `json:"items"`
	Entries    []Entry        `json:"entries"`
	Claims     []Claim        `json:"claims"`
	Claimable  []ItemView     `json:"claimable"` // the items of the member's layer they may claim
}

// Figure is a bucket of a member's year: points, live entries and the cap that bounds it.
type Figure struct {
	Code     string `json:"code"`
	Name     string `json:"name"`
	Category string `json:"category,omitempty"`
	Points   int    `json:"points"`
	Times    int    `json:"times"`
	Cap      int    `json:"cap"`
	MaxTimes int    `json:"max_times,omitempty"`
}

// ItemView is an item as a member picks it.
type ItemView struct {
	Code     string `json:"code"`
	Name     string `json:"name"`
	NameEN   string `json:"name_en"`
	Category string `json:"category"`
	Points   int    `json:"points"`
	Cap      int    `json:"cap"`
	Evidence string `json:"evidence"`
	Note     string `json:"note,omitempty"`
}

// Year reads a member's year: the caller's own record, or a member in read scope (else 404).
func (s *Store) Year(ctx context.Context, sc *auth.Scope, memberID int64, year int) (*MemberYear, error) {
	st, found, err := member.StandingOf(ctx, s.DB, memberID)
	if err != nil {
		return nil, err
	}
	if !found || !sc.CanMember(auth.Read, st.OrgPath, memberID) {
		return nil, httpx.NotFound("f.member")
	}
	out := &MemberYear{MemberID: memberID, MemberName: st.Name, Year: year, Categories: []Figure{}, Items: []Figure{},
		Claimable: []ItemView{}}
	day := min(clock.Today(s.Clock.Now()), fmt.Sprintf("%d-12-31", year))
	v, err := s.InForce(ctx, s.DB, st.OrgPath, day)
	if err != nil {
		return nil, err
	}
	tot := map[string]bucket{}
	if err := db.Each(ctx, s.DB, `SELECT bucket, points, times FROM points_totals WHERE member_id = ? AND year = ?`, []any{memberID, year}, func(r db.Scanner) error {
		var k string
		var b bucket
		err := r.Scan(&k, &b.points, &b.times)
		tot[k] = b
		return err
	}); err != nil {
		return nil, err
	}
	out.Earned, out.Vetoed = tot[""].points, tot["cat:"+Veto].times > 0
	if v != nil {
		out.fill(v, st, tot)
	}
	if out.Entries, err = s.entriesOf(ctx, memberID, year); err != nil {
		return nil, err
	}
	if out.Claims, err = s.claimsWhere(ctx, `c.member_id = ? AND c.year = ?`, []any{memberID, year}, 200, 0); err != nil {
		return nil, err
	}
	if out.Entries == nil { // a list, never null, in the answer
		out.Entries = []Entry{}
	}
	return out, nil
}

// fill sets what the scheme in force says: layer, base, total, band, the figures with caps.
func (out *MemberYear) fill(v *SchemeVersion, st member.Standing, tot map[string]bucket) {
	sch := v.Scheme
	vv := *v
	vv.Scheme = nil
	out.Scheme, out.Base = &vv, sch.Base
	out.Total = sch.Base + out.Earned
	if out.Vetoed {
		out.Total = 0
	}
	if b := sch.Band(out.Total); b != nil {
		out.Stars, out.StarName = b.Stars, b.Name
	}
	for _, c := range []string{Basic, Reward, Deduct, Veto} {
		b := tot["cat:"+c]
		if b.times != 0 || sch.CatCap(c) > 0 {
			out.Categories = append(out.Categories, Figure{Code: c, Name: catNames[c][0], Points: b.points, Times: b.times, Cap: sch.CatCap(c)})
		}
	}
	if l := sch.LayerFor(st.Category, st.Status); l != nil {
		out.Layer, out.LayerName = l.Code, l.Name
		for _, it := range l.Items {
			b := tot["item:"+it.Code]
			out.Items = append(out.Items, Figure{Code: it.Code, Name: it.Name, Category: it.Category, Points: b.points, Times: b.times, Cap: it.Cap, MaxTimes: it.MaxTimes})
			if it.Arises == ByClaim {
				out.Claimable = append(out.Claimable, ItemView{Code: it.Code, Name: it.Name, NameEN: it.NameEN, Category: it.Category,
					Points: sign(it.Category, it.Points), Cap: it.Cap, Evidence: it.Evidence, Note: it.Note})
			}
		}
	}
	sort.SliceStable(out.Items, func(i, j int) bool { return abs(out.Items[i].Points) > abs(out.Items[j].Points) })
}

// entriesOf lists a member's entries of a year, newest first, each with its reversal.
func (s *Store) entriesOf(ctx context.Context, memberID int64, year int) ([]Entry, error) {
	out, err := db.All(ctx, s.DB, `SELECT e.id, e.member_id, e.org_id, e.year, e.scheme_id, e.layer, e.item_code, e.category, e.requested, e.applied,
		e.reason, e.reason_en, e.source_kind, e.source_id, COALESCE(e.reverses_id, 0), COALESCE(r.id, 0), e.event_date, e.note,
		COALESCE(e.entered_by, 0), COALESCE(e.claimed_by, 0), e.created_at
		FROM points_entries e LEFT JOIN points_entries r ON r.reverses_id = e.id
		WHERE e.member_id = ? AND e.year = ? ORDER BY e.id DESC LIMIT 1000`, []any{memberID, year}, func(r db.Scanner) (Entry, error) {
		var e Entry
		err := r.Scan(&e.ID, &e.MemberID, &e.OrgID, &e.Year, &e.SchemeID, &e.Layer, &e.Item, &e.Category, &e.Requested, &e.Applied,
			&e.Reason, &e.ReasonEN, &e.SourceKind, &e.SourceID, &e.ReversesID, &e.ReversedBy, &e.EventDate, &e.Note, &e.EnteredBy, &e.ClaimedBy, &e.CreatedAt)
		e.CreatedAt = e.CreatedAt.UTC()
		return e, err
	})
	if err != nil {
		return nil, err
	}
	for i := range out {
		if sch, err := s.schemeByRow(ctx, s.DB, out[i].SchemeID); err == nil {
			out[i].ItemName = itemName(sch, out[i].Layer, out[i].Item)
		}
	}
	return out, nil
}

func itemName(sch *Scheme, layer, code string) string {
	for i := range sch.Layers {
		if sch.Layers[i].Code == layer {
			if it := sch.Layers[i].Item(code); it != nil {
				return it.Name
			}
		}
	}
	return code
}

// Claims lists the claims of an organization's subtree in a state (the branch's inbox:
// pending), newest first; read scope on the organization.
func (s *Store) Claims(ctx context.Context, sc *auth.Scope, orgID int64, state string, p httpx.Page) (*httpx.List[Claim], error) {
	o, err := org.Resolve(ctx, s.DB, sc, orgID, auth.Read)
	if err != nil {
		return nil, err
	}
	lo, hi := db.SubtreeRange(o.Path)
	cond, args := sc.Where("c.org_path", auth.Read)
	where := `c.org_path >= ? AND c.org_path < ? AND c.state = ? AND (` + cond + `)`
	args = append([]any{lo, hi, state}, args...)
	var total int
	if err := s.DB.QueryRow(ctx, `SELECT COUNT(*) FROM points_claims c WHERE `+where, args...).Scan(&total); err != nil {
		return nil, err
	}
	items, err := s.claimsWhere(ctx, where, args, p.Size, p.Offset())
	if err != nil {
		return nil, err
	}
	return &httpx.List[Claim]{Items: items, Total: total}, nil
}

// claimsWhere reads claims with their member's name and item name.
func (s *Store) claimsWhere(ctx context.Context, where string, args []any, limit, offset int) ([]Claim, error) {
	out, err := db.All(ctx, s.DB, `SELECT c.id, c.member_id, m.name, c.org_id, o.path, c.year, c.item_code, c.event_date, c.note, COALESCE(c.activity_id, 0),
		c.state, c.reason, COALESCE(c.claimed_by, 0), c.created_at, COALESCE(c.decided_by, 0), c.decided_at, COALESCE(c.entry_id, 0), m.org_path, m.category, m.status, COALESCE(u.member_id, 0)
		FROM points_claims c JOIN members m ON m.id = c.member_id JOIN orgs o ON o.id = c.org_id LEFT JOIN users u ON u.id = c.claimed_by
		WHERE `+where+` ORDER BY c.id DESC LIMIT `+strconv.Itoa(limit)+` OFFSET `+strconv.Itoa(offset), args, func(r db.Scanner) (claimRow, error) {
		var c claimRow
		var decided sql.NullTime
		err := r.Scan(&c.ID, &c.MemberID, &c.MemberName, &c.OrgID, &c.path, &c.Year, &c.Item, &c.EventDate, &c.Note, &c.ActivityID,
			&c.State, &c.Reason, &c.ClaimedBy, &c.CreatedAt, &c.DecidedBy, &decided, &c.EntryID, &c.st.OrgPath, &c.st.Category, &c.st.Status, &c.filerMember)
		c.OnBehalf = c.ClaimedBy != 0 && c.filerMember != c.MemberID
		c.CreatedAt, c.DecidedAt = c.CreatedAt.UTC(), db.TimeOrNil(decided)
		return c, err
	})
	if err != nil {
		return nil, err
	}
	claims := make([]Claim, len(out)) // never nil: an empty list answers []
	ups := map[string]*publishedUp{}  // a page's claims share a few (branch, year) pairs: one query each
	for i, c := range out {
		key := c.st.OrgPath + strconv.Itoa(c.Year)
		up, seen := ups[key]
		if !seen {
			if up, err = s.published(ctx, s.DB, c.st.OrgPath, c.Year); err != nil {
				return nil, err
			}
			ups[key] = up
		}
		v, err := s.pick(ctx, s.DB, up, c.EventDate)
		if err != nil {
			return nil, err
		}
		if v != nil {
			if l := v.Scheme.LayerFor(c.st.Category, c.st.Status); l != nil {
				if it := l.Item(c.Item); it != nil {
					c.ItemName, c.Points = it.Name, sign(it.Category, it.Points)
				}
			}
		}
		claims[i] = c.Claim
	}
	return claims, nil
}

type claimRow struct {
	Claim
	path        string
	st          member.Standing
	filerMember int64 // the member record of the account that filed it
}
