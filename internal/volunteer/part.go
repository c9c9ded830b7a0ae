package volunteer

import (
	"context"
	"strconv"

	"dangjian/internal/org"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/db"
	"dangjian/internal/tree"
)

// The rollup dimensions of the volunteer part (org_stats).
const (
	DimRegIn   = "vol:reg_in"  // live registrations with the subtree's communities (key "all"), at the community
	DimRegOut  = "vol:reg_out" // the subtree's members registered with a community (key "all"), at their branch
	DimPending = "vol:pending" // records waiting for the organizer (key "all"), at the organizer
	DimRecords = "vol:records" // confirmed records (key: year), at the member's branch
	DimTenths  = "vol:tenths"  // confirmed hours in tenths (key: year), at the member's branch
)

func countRegistration(r tree.Rollup, memberPath, communityPath string, n int) {
	r.Add(communityPath, DimRegIn, "all", n)
	r.Add(memberPath, DimRegOut, "all", n)
}

// countRecord adds n times a record in state to the figures it counts under (nothing for ""
// or a state that counts nowhere).
func countRecord(r tree.Rollup, memberPath, organizerPath, state string, year, tenths, n int) {
	switch state {
	case Pending:
		r.Add(organizerPath, DimPending, "all", n)
	case Confirmed:
		y := strconv.Itoa(year)
		r.Add(memberPath, DimRecords, y, n)
		r.Add(memberPath, DimTenths, y, n*tenths)
	}
}

// Part is the volunteer domain's share of the subtree rollups.
func Part() tree.Part {
	return tree.Part{Name: "volunteer", Dims: []string{DimRegIn, DimRegOut, DimPending, DimRecords, DimTenths}, Recount: recount,
		Paths: []tree.PathColumn{{Table: "volunteer_registrations", Column: "member_path"}, {Table: "volunteer_registrations", Column: "community_path"},
			{Table: "volunteer_records", Column: "member_path"}, {Table: "volunteer_records", Column: "organizer_path"}}}
}

func recount(ctx context.Context, tx *db.Tx, r tree.Rollup) error {
	if err := db.Each(ctx, tx, `SELECT member_path, community_path, COUNT(*) FROM volunteer_registrations WHERE to_date IS NULL GROUP BY member_path, community_path`, nil,
		func(row db.Scanner) error {
			var mp, cp string
			var n int
			err := row.Scan(&mp, &cp, &n)
			countRegistration(r, mp, cp, n)
			return err
		}); err != nil {
		return err
	}
	return db.Each(ctx, tx, `SELECT member_path, organizer_path, state, year, COUNT(*), SUM(tenths) FROM volunteer_records GROUP BY member_path, organizer_path, state, year`, nil,
		func(row db.Scanner) error {
			var mp, op, state string
			var year, n, tenths int
			if err := row.Scan(&mp, &op, &state, &year, &n, &tenths); err != nil {
				return err
			}
			switch state {
			case Pending:
				r.Add(op, DimPending, "all", n)
			case Confirmed:
				y := strconv.Itoa(year)
				r.Add(mp, DimRecords, y, n)
				r.Add(mp, DimTenths, y, tenths)
			}
			return nil
		})
}

// VolunteerSummary is a subtree's volunteer figures, one read of its rollup rows.
type VolunteerSummary struct {
	OrgID        int64   `json:"org_id"`
	Year         int     `json:"year"`
	RegisteredIn int     `json:"registered_in"`  // members registered with the subtree's communities now
	Registered   int     `json:"registered_out"` // the subtree's members registered with a community now
	Pending      int     `json:"pending"`        // records waiting for the subtree's organizers
	Records      int     `json:"records"`        // confirmed records of the year by the subtree's members
	Hours        float64 `json:"hours"`          // their confirmed hours
}

// Summary reads an organization's subtree figures (read scope).
func (s *Store) Summary(ctx context.Context, sc *auth.Scope, orgID int64, year int) (*VolunteerSummary, error) {
	if _, err := org.Resolve(ctx, s.DB, sc, orgID, auth.Read); err != nil {
		return nil, err
	}
	out := &VolunteerSummary{OrgID: orgID, Year: year}
	var tenths int
	fields := map[string]*int{DimRegIn: &out.RegisteredIn, DimRegOut: &out.Registered, DimPending: &out.Pending, DimRecords: &out.Records, DimTenths: &tenths}
	err := db.Each(ctx, s.DB, `SELECT dim, n FROM org_stats WHERE org_id = ? AND ((dim IN (?, ?, ?) AND key = 'all') OR (dim IN (?, ?) AND key = ?))`,
		[]any{orgID, DimRegIn, DimRegOut, DimPending, DimRecords, DimTenths, strconv.Itoa(year)}, func(r db.Scanner) error {
			var dim string
			var n int
			err := r.Scan(&dim, &n)
			*fields[dim] = n
			return err
		})
	out.Hours = float64(tenths) / 10
	return out, err
}
