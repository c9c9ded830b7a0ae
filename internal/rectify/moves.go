package rectify

import (
	"context"
	"strings"
	"unicode/utf8"

	"dangjian/internal/platform/audit"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/db"
	"dangjian/internal/platform/httpx"
	"dangjian/internal/platform/i18n"
	"dangjian/internal/tree"
)

// Step is a note or a move of an item, with its text.
type Step struct {
	Text string `json:"text"`
}

// move is one thing that may be done to an item: from which states, to which state, and
// whether the level above (closer) or the organization's writers (worker) do it.
type move struct {
	from   []string
	to     string // "" keeps the state (a progress note)
	closer bool
	needs  bool // the text is required
}

var moves = map[string]move{
	"progress": {from: []string{Open, Returned, Submitted}, needs: true},
	"submit":   {from: []string{Open, Returned}, to: Submitted, needs: true},
	"close":    {from: []string{Submitted}, to: Closed, closer: true},
	"return":   {from: []string{Submitted}, to: Returned, closer: true, needs: true},
}

// Act applies a note or a move to an item: progress notes and submitting for closure by the
// organization's writers (its secretary, the levels above), closing (销号) and returning by
// the verifying level only (the one the source named, else the level above the organization). The note is appended, the rollup follows, audited.
func (s *Store) Act(ctx context.Context, sc *auth.Scope, id int64, kind string, st Step) (*Item, error) {
	m := moves[kind]
	it, path, err := s.load(ctx, s.DB, id)
	if err != nil {
		return nil, err
	}
	if it == nil || !sc.Can(auth.Read, path) {
		return nil, sc.Refuse(httpx.NotFound("f.rectify"))
	}
	if m.closer && !it.closable(sc) || !m.closer && !sc.Can(auth.WriteMembers, path) {
		return nil, httpx.Forbidden()
	}
	text := strings.TrimSpace(st.Text)
	if m.needs && text == "" {
		return nil, httpx.Invalid(httpx.FieldIssue("text", "f.rectify.text", "v.required"))
	}
	if utf8.RuneCountInString(text) > 2000 {
		return nil, httpx.Invalid(httpx.FieldIssue("text", "f.rectify.text", "v.too_long", 2000))
	}
	now := s.Clock.Now().UTC()
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		var state string
		var overdue int
		if err := tx.Lock(ctx, "rectify_items", id); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `SELECT state, overdue FROM rectify_items WHERE id = ?`, id).Scan(&state, &overdue); err != nil {
			return err
		}
		if !has(m.from, state) {
			return httpx.Conflict("rectify_state", i18n.M("detail.rectify_state", i18n.M("rectify.state."+state)))
		}
		if m.to == Closed {
			if _, err := tx.Exec(ctx, `UPDATE rectify_items SET state = ?, overdue = 0, closed_at = ?, closed_by = ? WHERE id = ?`, Closed, now, nullID(sc.UserID), id); err != nil {
				return err
			}
			r := tree.Rollup{}
			r.Add(path, DimOpen, "all", -1)
			r.Add(path, DimOverdue, "all", -overdue)
			if err := r.Flush(ctx, tx); err != nil {
				return err
			}
		} else if m.to != "" {
			if _, err := tx.Exec(ctx, `UPDATE rectify_items SET state = ? WHERE id = ?`, m.to, id); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(ctx, `INSERT INTO rectify_notes (item_id, kind, text, user_id, username, at) VALUES (?, ?, ?, ?, ?, ?)`,
			id, kind, text, nullID(sc.UserID), sc.Username, now); err != nil {
			return err
		}
		return audit.Write(ctx, tx, sc.Actor(), now, audit.Entry{Action: kind, Entity: "rectify", EntityID: id, OrgID: it.OrgID, Summary: text})
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, sc, id)
}

func has(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
