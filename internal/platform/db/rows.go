package db

import "context"

// Scanner is one row being read: *sql.Rows and *sql.Row both are.
type Scanner interface {
	Scan(dest ...any) error
}

// Each runs query and calls fn on every row, closing the rows and returning the first error
// of the query, of fn or of the iteration. The SQL stays at the call site; only the loop
// (Next, Close, Err — easy to get wrong by hand) lives here.
func Each(ctx context.Context, q Querier, query string, args []any, fn func(Scanner) error) error {
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// All runs query and collects scan's value of every row. No rows is an empty, non-nil slice, so
// a list answered as JSON is [] and never null.
func All[T any](ctx context.Context, q Querier, query string, args []any, scan func(Scanner) (T, error)) ([]T, error) {
	out := []T{}
	err := Each(ctx, q, query, args, func(r Scanner) error {
		v, err := scan(r)
		if err != nil {
			return err
		}
		out = append(out, v)
		return nil
	})
	return out, err
}
