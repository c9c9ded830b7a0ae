package points

import (
	"context"

	"dangjian/internal/commitment"
	"dangjian/internal/member"
	"dangjian/internal/platform/db"
	"dangjian/internal/volunteer"
)

// Items that are derived from the commitments and the volunteer records (arises values).
const (
	ByCommitment = "commitment" // a commitment recorded kept (公开承诺践诺)
	ByVolunteer  = "volunteer"  // a volunteer record confirmed by its organizer
)

// Sources of derived entries besides attendance.
const (
	SourceCommitment = "commitment"
	SourceVolunteer  = "volunteer"
)

// CommitmentChanged makes the ledger follow a commitment (commitment.Follower): a kept
// commitment has one live entry under the first item of the member's layer that arises from
// commitments, scored under the scheme in force on the day it counts; a commitment no longer
// kept (reopened) has its entry reversed. Idempotent.
func (s *Store) CommitmentChanged(ctx context.Context, tx *db.Tx, id int64) error {
	k, err := commitment.KeptAt(ctx, tx, id)
	if err != nil || k == nil {
		return err
	}
	return s.follow(ctx, tx, followed{source: SourceCommitment, arises: ByCommitment, id: id, member: k.MemberID, day: k.Day, want: k.Kept,
		zh: "承诺践诺记录已撤销，自动冲正", en: "the commitment's outcome was taken back: reversed automatically"})
}

// VolunteerChanged makes the ledger follow a volunteer record (volunteer.Follower): a
// confirmed record has one live entry under the first item of the member's layer that
// arises from volunteer records; a revoked confirmation reverses it. Idempotent.
func (s *Store) VolunteerChanged(ctx context.Context, tx *db.Tx, id int64) error {
	r, err := volunteer.ConfirmedAt(ctx, tx, id)
	if err != nil || r == nil {
		return err
	}
	return s.follow(ctx, tx, followed{source: SourceVolunteer, arises: ByVolunteer, id: id, member: r.MemberID, day: r.Day, want: r.Confirmed,
		zh: "志愿服务记录已撤销确认，自动冲正", en: "the volunteer record's confirmation was revoked: reversed automatically"})
}

// followed is one source record as the ledger sees it: whether it should have an entry, for
// whom and on which day, and what a reversal says.
type followed struct {
	source, arises string
	id, member     int64
	day            string
	want           bool
	zh, en         string
}

// follow brings the source's derived entry in line with it: one live entry while want,
// none (a reversal) otherwise.
func (s *Store) follow(ctx context.Context, tx *db.Tx, f followed) error {
	var live int64
	if err := db.Each(ctx, tx, `SELECT e.id FROM points_entries e WHERE e.source_kind = ? AND e.source_id = ? AND e.reverses_id IS NULL
		AND NOT EXISTS (SELECT 1 FROM points_entries r WHERE r.reverses_id = e.id)`, []any{f.source, f.id}, func(r db.Scanner) error {
		return r.Scan(&live)
	}); err != nil {
		return err
	}
	switch {
	case live != 0 && !f.want:
		_, err := s.reverse(ctx, tx, live, 0, f.zh, f.en)
		return err
	case live == 0 && f.want:
		return s.deriveFrom(ctx, tx, f)
	}
	return nil
}

// deriveFrom writes the entry of a source under the scheme in force for the member on its
// day; nothing when no scheme, or no item of their layer arises from the source.
func (s *Store) deriveFrom(ctx context.Context, tx *db.Tx, f followed) error {
	st, found, err := member.StandingOf(ctx, tx, f.member)
	if err != nil || !found {
		return err
	}
	v, err := s.InForce(ctx, tx, st.OrgPath, f.day)
	if err != nil || v == nil {
		return err
	}
	layer := v.Scheme.LayerFor(st.Category, st.Status)
	if layer == nil {
		return nil
	}
	for i := range layer.Items {
		if it := &layer.Items[i]; it.Arises == f.arises {
			_, err := s.record(ctx, tx, write{member: st, day: f.day, version: v, layer: layer, item: it, sourceKind: f.source, sourceID: f.id})
			return err
		}
	}
	return nil
}
