package db

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
)

// Channels are scoped to the schema the DSN selects (search_path), so deployments or test
// databases sharing one PostgreSQL database never hear each other: the channel of name is
// "name:<schema>" (at most 63 bytes, PostgreSQL's identifier limit).
const notifySQL = `SELECT pg_notify(? || ':' || current_schema(), ?)`

// Notify sends payload on the channel name to every instance listening (Listen), itself
// included. Inside a transaction (Tx.Notify) it is delivered at commit and never for a
// rollback; SQLite has one instance and no channels, so there it does nothing.
func (db *DB) Notify(ctx context.Context, name, payload string) error {
	if db.dialect != Postgres {
		return nil
	}
	_, err := db.Exec(ctx, notifySQL, name, payload)
	return err
}

// Notify is DB.Notify inside the transaction: sent when (and only if) it commits.
func (t *Tx) Notify(ctx context.Context, name, payload string) error {
	if t.dialect != Postgres {
		return nil
	}
	_, err := t.Exec(ctx, notifySQL, name, payload)
	return err
}

// Listen receives the payloads sent on the channel name (PostgreSQL LISTEN on a connection of
// its own, outside the pool) and calls on with each, in commit order, until ctx ends. Each
// time it starts listening — first, and after a lost connection, when notifications may have
// been missed — it calls ready before any payload, so the caller can drop what it may have
// missed. It reconnects after a second when the connection fails. On SQLite it returns at
// once (ready is never called).
func (db *DB) Listen(ctx context.Context, name string, ready func(), on func(payload string)) {
	if db.dialect != Postgres {
		return
	}
	for ctx.Err() == nil {
		err := db.listenOnce(ctx, name, ready, on)
		if ctx.Err() != nil {
			return
		}
		slog.WarnContext(ctx, "LISTEN connection lost; reconnecting", "channel", name, "err", err)
		select {
		case <-ctx.Done():
		case <-time.After(time.Second):
		}
	}
}

func (db *DB) listenOnce(ctx context.Context, name string, ready func(), on func(payload string)) error {
	conn, err := pgx.Connect(ctx, db.dsn)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	var schema string
	if err := conn.QueryRow(ctx, `SELECT current_schema()`).Scan(&schema); err != nil {
		return err
	}
	channel := name + ":" + schema
	if len(channel) > 63 {
		return fmt.Errorf("channel name %q longer than 63 bytes", channel)
	}
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{channel}.Sanitize()); err != nil {
		return err
	}
	ready()
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		on(n.Payload)
	}
}
