package rules

import (
	"context"
	"database/sql"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"dangjian/internal/platform/audit"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/clock"
	"dangjian/internal/platform/db"
	"dangjian/internal/platform/httpx"
	"dangjian/internal/platform/i18n"
	"dangjian/internal/platform/jobs"
)

// Packs keeps the rule pack in force: the newest loaded one, else the embedded national
// pack. Instances re-read it at most every few seconds, so a pack loaded on one instance is
// in force on all of them shortly after.
type Packs struct {
	DB    *db.DB
	Clock clock.Clock
	TTL   time.Duration

	mu      sync.Mutex
	current *Pack
	rowID   int64
	checked time.Time
}

var national = DefaultPack()

// Current returns the pack in force.
func (ps *Packs) Current() *Pack {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	if ps.current != nil && time.Since(ps.checked) < ps.TTL {
		return ps.current
	}
	ps.checked = time.Now()
	var id int64
	var body string
	err := ps.DB.QueryRow(context.Background(), `SELECT id, body FROM rule_packs ORDER BY id DESC LIMIT 1`).Scan(&id, &body)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		ps.current, ps.rowID = national, 0
	case err != nil:
		if ps.current == nil {
			ps.current = national
		}
	case id != ps.rowID:
		if p, err := ParsePack([]byte(body)); err == nil {
			ps.current, ps.rowID = p, id
		}
	}
	return ps.current
}

// Source is the text of the pack in force, as it was loaded (the national pack's own when
// none was), so a district can start its pack from it.
func (ps *Packs) Source(ctx context.Context) ([]byte, error) {
	var body string
	err := ps.DB.QueryRow(ctx, `SELECT body FROM rule_packs ORDER BY id DESC LIMIT 1`).Scan(&body)
	if errors.Is(err, sql.ErrNoRows) {
		return nationalText(), nil
	}
	return []byte(body), err
}

// PackVersion is one loaded pack in the history.
type PackVersion struct {
	ID       int64     `json:"id"`
	Code     string    `json:"code"`
	Version  string    `json:"version"`
	LoadedBy string    `json:"loaded_by"`
	LoadedAt time.Time `json:"loaded_at"`
}

// History lists the loaded packs, newest first.
func (ps *Packs) History(ctx context.Context) ([]PackVersion, error) {
	out := []PackVersion{}
	if err := db.Each(ctx, ps.DB, `SELECT p.id, p.code, p.version, COALESCE(u.username, ''), p.loaded_at FROM rule_packs p
		LEFT JOIN users u ON u.id = p.loaded_by ORDER BY p.id DESC LIMIT 100`, nil, func(rs db.Scanner) error {
		var v PackVersion
		if err := rs.Scan(&v.ID, &v.Code, &v.Version, &v.LoadedBy, &v.LoadedAt); err != nil {
			return err
		}
		v.LoadedAt = v.LoadedAt.UTC()
		out = append(out, v)
		return nil
	}); err != nil {
		return nil, err
	}
	return out, nil
}

// Load validates a pack's text and, if it is valid, puts it in force; a broken pack is
// refused with every problem and its line, and the pack in force stays. Only system
// administrators load packs. The compliance rollup is then rebuilt under the new rules as a
// job (compliance.Store.RebuildForPack).
func (ps *Packs) Load(ctx context.Context, sc *auth.Scope, text []byte) (*Pack, error) {
	if !sc.IsAdmin() {
		return nil, httpx.Forbidden()
	}
	p, err := ParsePack(text)
	if err != nil {
		var pe PackErrors
		if errors.As(err, &pe) {
			issues := make([]httpx.Issue, 0, len(pe))
			for _, e := range pe {
				issues = append(issues, httpx.Issue{Field: "line " + strconv.Itoa(e.Line), Row: e.Line, Column: e.Path,
					Msg: i18n.M("v.pack", e.Line, e.Path, e.Msg)})
			}
			return nil, httpx.Invalid(issues...)
		}
		return nil, err
	}
	now := ps.Clock.Now()
	err = ps.DB.InTx(ctx, func(tx *db.Tx) error {
		var id int64
		if err := tx.QueryRow(ctx, `INSERT INTO rule_packs (code, version, body, loaded_by, loaded_at) VALUES (?, ?, ?, ?, ?) RETURNING id`,
			p.ID, p.Version, string(text), sc.UserID, now).Scan(&id); err != nil {
			return err
		}
		return audit.Write(ctx, tx, sc.Actor(), now, audit.Entry{Action: "load", Entity: "rule_pack", EntityID: id, Summary: p.ID + " " + p.Version})
	})
	if err != nil {
		return nil, err
	}
	ps.mu.Lock()
	ps.current, ps.checked = nil, time.Time{}
	ps.mu.Unlock()
	return p, nil
}

// RecountJob is the job that rebuilds the compliance rollup: nightly, and after a pack is
// loaded. Both share its cluster-wide lock, so they never run at once.
const RecountJob = "life-recount"

// Rebuild is the state of the rebuild of the compliance figures under the newest loaded pack.
type Rebuild struct {
	State      string     `json:"state"` // "" (no pack loaded), running, done or failed
	StartedAt  *time.Time `json:"started_at" jsonschema:"nullable"`
	FinishedAt *time.Time `json:"finished_at" jsonschema:"nullable"`
	Result     string     `json:"result"`
}

// NewestRow is the id of the newest loaded pack (0: none, the national pack is in force).
func (ps *Packs) NewestRow(ctx context.Context) (int64, error) {
	var id int64
	err := ps.DB.QueryRow(ctx, `SELECT COALESCE(MAX(id), 0) FROM rule_packs`).Scan(&id)
	return id, err
}

// RebuildKey is the run key of the rebuild under the pack of row packRow.
func RebuildKey(packRow int64) string { return "pack:" + strconv.FormatInt(packRow, 10) }

// Rebuild tells how far the rebuild under the newest loaded pack is.
func (ps *Packs) Rebuild(ctx context.Context) (Rebuild, error) {
	id, err := ps.NewestRow(ctx)
	if err != nil || id == 0 {
		return Rebuild{}, err
	}
	var started, finished sql.NullTime
	var result string
	err = ps.DB.QueryRow(ctx, `SELECT started_at, finished_at, result FROM job_runs WHERE name = ? AND run_key = ?`, RecountJob, RebuildKey(id)).
		Scan(&started, &finished, &result)
	if errors.Is(err, sql.ErrNoRows) {
		return Rebuild{State: "running"}, nil // loaded, the job not yet started
	}
	if err != nil {
		return Rebuild{}, err
	}
	r := Rebuild{State: "running", StartedAt: db.TimeOrNil(started), FinishedAt: db.TimeOrNil(finished), Result: result}
	switch {
	case finished.Valid:
		r.State = "done"
	case strings.HasPrefix(result, jobs.Failed):
		r.State = "failed"
	}
	return r, nil
}

func init() {
	i18n.Register(map[string][2]string{
		"v.pack":     {"第%d行（%s）：%s", "line %d (%s): %s"},
		"f.rule":     {"规则", "Rule"},
		"f.rulepack": {"规则包", "Rule pack"},
	})
}

// Routes are the rule-pack endpoints. loaded runs after a pack is put in force: the server
// has the compliance figures rebuilt under it in the background (compliance.Store.RebuildLater).
func (ps *Packs) Routes(loaded func()) []httpx.Route {
	return []httpx.Route{
		{Method: "GET", Path: "/api/v1/rulepacks", Tag: "life", Summary: "The rule pack in force, its activity kinds, its appraisal and year-attribution figures (the national ones when it leaves them out), and the packs loaded before", Perm: httpx.AnyUser,
			Resp: PackInForce{}, Handle: func(w http.ResponseWriter, r *http.Request) error {
				p := *ps.Current()
				p.Kinds = p.KindNames()
				a, y := p.Appraising(), p.Years() // the figures in force, the national ones when the pack leaves them out
				p.Appraisal, p.YearFor = &a, &y
				h, err := ps.History(r.Context())
				if err != nil {
					return err
				}
				rb, err := ps.Rebuild(r.Context())
				if err != nil {
					return err
				}
				return httpx.JSON(w, 200, PackInForce{Pack: p, History: h, Rebuild: rb})
			}},
		{Method: "POST", Path: "/api/v1/rulepacks", Tag: "life", Summary: "Load a rule pack (YAML or JSON body); a broken pack is refused with each line and reason and the pack in force stays; the compliance figures are then rebuilt in the background (GET /rulepacks: rebuild)",
			Perm: auth.NeedAdmin, Resp: Pack{}, Status: http.StatusCreated, MaxBody: 1 << 20, Handle: func(w http.ResponseWriter, r *http.Request) error {
				text, err := io.ReadAll(r.Body)
				if err != nil {
					return err
				}
				p, err := ps.Load(r.Context(), auth.From(r.Context()), text)
				if err != nil {
					return err
				}
				if loaded != nil {
					loaded()
				}
				return httpx.JSON(w, http.StatusCreated, p)
			}},
		{Method: "GET", Path: "/api/v1/rulepacks/rules/{rule_id}", Tag: "life", Summary: "One rule of the pack in force, with its source", Perm: httpx.AnyUser,
			Resp: Rule{}, Handle: func(w http.ResponseWriter, r *http.Request) error {
				id := r.PathValue("rule_id")
				for _, rule := range ps.Current().Rules {
					if rule.ID == id {
						return httpx.JSON(w, 200, rule)
					}
				}
				return httpx.NotFound("f.rule")
			}},
		{Method: "GET", Path: "/api/v1/rulepacks/source", Tag: "life", Summary: "The text (YAML) of the rule pack in force, to start a district's own pack from", Perm: httpx.AnyUser,
			RespType: "application/yaml", Handle: func(w http.ResponseWriter, r *http.Request) error {
				text, err := ps.Source(r.Context())
				if err != nil {
					return err
				}
				w.Header().Set("Content-Type", "application/yaml; charset=utf-8")
				_, err = w.Write(text)
				return err
			}},
		{Method: "GET", Path: "/api/v1/rulepacks/schema", Tag: "life", Summary: "The JSON Schema of the rule-pack format", Perm: httpx.AnyUser,
			RespType: "application/schema+json", Handle: func(w http.ResponseWriter, r *http.Request) error {
				w.Header().Set("Content-Type", "application/schema+json")
				_, err := w.Write(SchemaJSON())
				return err
			}},
	}
}

// PackInForce is the answer of GET /api/v1/rulepacks.
type PackInForce struct {
	Pack
	History []PackVersion `json:"history"`
	Rebuild Rebuild       `json:"rebuild"`
}
