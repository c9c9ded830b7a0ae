package sheet

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/db"
)

// importJob names an applied import's row in job_runs while it runs in several transactions
// (SQLite's batches): started when pass 2 begins, the members of each committed batch noted
// in the same transaction as the batch, finished with the import's last audit entry or with
// its undoing. A row left unfinished is an import the process did not live to finish or
// undo (killed, power lost): RecoverImports undoes it at the next start, so that an import
// stays all or nothing across a crash too. An import in one transaction (PostgreSQL) needs
// no row: the database rolls back what did not commit.
const importJob = "member-import"

func (s *Store) markApplying(ctx context.Context, importID string, now time.Time) error {
	_, err := s.Members.DB.Exec(ctx, `INSERT INTO job_runs (name, run_key, started_at, result) VALUES (?, ?, ?, '')`, importJob, importID, now)
	return err
}

// noteBatch adds the members of a batch to the import's row, as ranges of consecutive ids
// (" 101-1100"; SQLite numbers a transaction's inserts consecutively, so usually one range).
func noteBatch(ctx context.Context, tx *db.Tx, importID string, ids []int64) error {
	var b strings.Builder
	for i := 0; i < len(ids); {
		j := i
		for j+1 < len(ids) && ids[j+1] == ids[j]+1 {
			j++
		}
		fmt.Fprintf(&b, " %d-%d", ids[i], ids[j])
		i = j + 1
	}
	_, err := tx.Exec(ctx, `UPDATE job_runs SET result = result || ? WHERE name = ? AND run_key = ?`, b.String(), importJob, importID)
	return err
}

func markFinished(ctx context.Context, q db.Querier, importID string, now time.Time, result string) error {
	_, err := q.Exec(ctx, `UPDATE job_runs SET finished_at = ?, result = ? WHERE name = ? AND run_key = ?`, now, result, importJob, importID)
	return err
}

// RecoverImports undoes every import a crash left half applied (see importJob): its members
// still present are taken out with their rollups, each with an import_undone audit entry by
// the system. It runs at `serve` start before any request, on SQLite only — one instance
// there; on PostgreSQL imports are one transaction and another instance's import may be
// running. It returns how many imports it undid.
func (s *Store) RecoverImports(ctx context.Context, now time.Time) (int, error) {
	if s.Members.DB.Dialect() != db.SQLite {
		return 0, nil
	}
	type pending struct{ id, ranges string }
	todo, err := db.All(ctx, s.Members.DB, `SELECT run_key, result FROM job_runs WHERE name = ? AND finished_at IS NULL`, []any{importJob},
		func(r db.Scanner) (p pending, err error) { return p, r.Scan(&p.id, &p.ranges) })
	if err != nil {
		return 0, err
	}
	for _, p := range todo {
		ids, err := s.stillPresent(ctx, p.ranges)
		if err != nil {
			return 0, err
		}
		if err := s.undoImport(ctx, auth.System(), ids, now, p.id); err != nil {
			return 0, err
		}
		if err := markFinished(ctx, s.Members.DB, p.id, now, fmt.Sprintf("undone at start after a crash: %d members", len(ids))); err != nil {
			return 0, err
		}
		slog.WarnContext(ctx, "an import left half applied by a crash was undone", "import", p.id, "members", len(ids))
	}
	return len(todo), nil
}

// stillPresent lists the members of the noted ranges that exist (an undoing the crash
// interrupted took some out already).
func (s *Store) stillPresent(ctx context.Context, ranges string) ([]int64, error) {
	var out []int64
	for _, r := range strings.Fields(ranges) {
		a, b, _ := strings.Cut(r, "-")
		lo, err1 := strconv.ParseInt(a, 10, 64)
		hi, err2 := strconv.ParseInt(b, 10, 64)
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("import marker: bad range %q", r)
		}
		ids, err := db.All(ctx, s.Members.DB, `SELECT id FROM members WHERE id >= ? AND id <= ? ORDER BY id`, []any{lo, hi},
			func(r db.Scanner) (id int64, err error) { return id, r.Scan(&id) })
		if err != nil {
			return nil, err
		}
		out = append(out, ids...)
	}
	return out, nil
}
