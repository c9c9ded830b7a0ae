// Package audit is the append-only trail of every write and every full read of personal
// data (DESIGN principles 3 and 9). Entries are only ever inserted.
package audit

import (
	"context"
	"encoding/json"
	"reflect"
	"time"

	"dangjian/internal/platform/db"
)

// Actor is who did something, from where.
type Actor struct {
	UserID   int64
	Username string
	IP       string
}

// Change is one field's value before and after.
type Change struct {
	Before any `json:"before"`
	After  any `json:"after"`
}

// Entry is one line of the trail.
type Entry struct {
	ID       int64             `json:"id"`
	At       time.Time         `json:"at"`
	UserID   int64             `json:"user_id"`
	Username string            `json:"username"`
	IP       string            `json:"ip"`
	Action   string            `json:"action"` // create, update, move, dissolve, reveal, login, import, grant, revoke …
	Entity   string            `json:"entity"` // org, member, user, grant, token, session
	EntityID int64             `json:"entity_id"`
	OrgID    int64             `json:"org_id,omitempty"` // the organization the entity belongs to, for scoped queries
	Summary  string            `json:"summary"`
	Changes  map[string]Change `json:"changes,omitempty"`
}

// Write appends e, done by a at instant at.
func Write(ctx context.Context, q db.Querier, a Actor, at time.Time, e Entry) error {
	changes := ""
	if len(e.Changes) > 0 {
		b, err := json.Marshal(e.Changes)
		if err != nil {
			return err
		}
		changes = string(b)
	}
	_, err := q.Exec(ctx, `INSERT INTO audit (at, user_id, username, ip, action, entity, entity_id, org_id, summary, changes)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		at.UTC(), nullID(a.UserID), a.Username, a.IP, e.Action, e.Entity, e.EntityID, nullID(e.OrgID), e.Summary, changes)
	return err
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// Diff lists the fields (by JSON name) whose values differ between before and after, two
// values of the same struct type. Fields tagged `audit:"-"` are left out.
func Diff(before, after any) map[string]Change {
	out := map[string]Change{}
	bv, av := reflect.Indirect(reflect.ValueOf(before)), reflect.Indirect(reflect.ValueOf(after))
	t := bv.Type()
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if f.Tag.Get("audit") == "-" || !f.IsExported() {
			continue
		}
		name := jsonName(f)
		if name == "" {
			continue
		}
		b, a := bv.Field(i).Interface(), av.Field(i).Interface()
		if !reflect.DeepEqual(b, a) {
			out[name] = Change{Before: b, After: a}
		}
	}
	return out
}

// Snapshot lists every field of v as a change from nothing, for creations.
func Snapshot(v any) map[string]Change {
	out := map[string]Change{}
	rv := reflect.Indirect(reflect.ValueOf(v))
	t := rv.Type()
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if f.Tag.Get("audit") == "-" || !f.IsExported() {
			continue
		}
		name := jsonName(f)
		if name == "" || rv.Field(i).IsZero() {
			continue
		}
		out[name] = Change{After: rv.Field(i).Interface()}
	}
	return out
}

func jsonName(f reflect.StructField) string {
	tag := f.Tag.Get("json")
	if tag == "-" {
		return ""
	}
	for i := 0; i < len(tag); i++ {
		if tag[i] == ',' {
			tag = tag[:i]
			break
		}
	}
	if tag == "" {
		return f.Name
	}
	return tag
}

// Filter selects entries.
type Filter struct {
	Scope    string // SQL condition on o.path (the entity's organization) limiting to the caller's scope; "" = all
	ScopeArg []any
	OrgRange *[2]string // further narrow to one subtree
	Entity   string
	EntityID int64
	UserID   int64
	Action   string
	From, To time.Time
	Limit    int
	Offset   int
}

// Query lists entries, newest first, with the total count.
func Query(ctx context.Context, q db.Querier, f Filter) ([]Entry, int, error) {
	where := "1=1"
	var args []any
	if f.Scope != "" {
		where += " AND (" + f.Scope + ")"
		args = append(args, f.ScopeArg...)
	}
	if f.OrgRange != nil {
		where += " AND o.path >= ? AND o.path < ?"
		args = append(args, f.OrgRange[0], f.OrgRange[1])
	}
	if f.Entity != "" {
		where += " AND a.entity = ?"
		args = append(args, f.Entity)
	}
	if f.EntityID != 0 {
		where += " AND a.entity_id = ?"
		args = append(args, f.EntityID)
	}
	if f.UserID != 0 {
		where += " AND a.user_id = ?"
		args = append(args, f.UserID)
	}
	if f.Action != "" {
		where += " AND a.action = ?"
		args = append(args, f.Action)
	}
	if !f.From.IsZero() {
		where += " AND a.at >= ?"
		args = append(args, f.From.UTC())
	}
	if !f.To.IsZero() {
		where += " AND a.at < ?"
		args = append(args, f.To.UTC())
	}
	var total int
	if err := q.QueryRow(ctx, "SELECT COUNT(*) FROM audit a LEFT JOIN orgs o ON o.id = a.org_id WHERE "+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	limit := f.Limit
	if limit == 0 {
		limit = 50
	}
	out, err := db.All(ctx, q, `SELECT a.id, a.at, COALESCE(a.user_id, 0), a.username, a.ip, a.action, a.entity, a.entity_id, COALESCE(a.org_id, 0), a.summary, a.changes
		FROM audit a LEFT JOIN orgs o ON o.id = a.org_id WHERE `+where+` ORDER BY a.id DESC LIMIT ? OFFSET ?`, append(args, limit, f.Offset), scanEntry)
	if err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

func scanEntry(r db.Scanner) (Entry, error) {
	var e Entry
	var changes string
	if err := r.Scan(&e.ID, &e.At, &e.UserID, &e.Username, &e.IP, &e.Action, &e.Entity, &e.EntityID, &e.OrgID, &e.Summary, &changes); err != nil {
		return e, err
	}
	e.At = e.At.UTC()
	if changes != "" {
		if err := json.Unmarshal([]byte(changes), &e.Changes); err != nil {
			return e, err
		}
	}
	return e, nil
}
