package member

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"dangjian/internal/platform/audit"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/db"
	"dangjian/internal/platform/i18n"
)

// The duplicate check of ID numbers must not become an oracle telling anyone who may add
// members whether a person is a Party member anywhere. A number held by a member the
// caller may read gets the precise answer (who and where). A number held outside the
// caller's scope gets the neutral "v.id.unusable", the hit is audited under the lowest
// organization covering both places (whose staff resolve it), and it counts against the
// caller's limit. Once the limit is reached, every valid number that is not a precise
// duplicate gets the same neutral answer, whether or not anyone holds it, so the answer
// stops telling anything; the limit bounds what the oracle can give before that.

// Default limits of out-of-scope duplicate hits, per user.
const (
	DefaultDuplicateLimit  = 5
	DefaultDuplicateWindow = 24 * time.Hour
)

// holder is the member holding an ID number.
type holder struct {
	id      int64
	path    string
	name    string
	orgName string
}

// idHolders returns the members other than except holding any of ids, by number.
func idHolders(ctx context.Context, q db.Querier, ids []string, except int64) (map[string]holder, error) {
	out := map[string]holder{}
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, 0, len(ids)+1)
	for _, id := range ids {
		args = append(args, id)
	}
	err := db.Each(ctx, q, `SELECT m.id_number, m.id, m.org_path, m.name, o.name FROM members m JOIN orgs o ON o.id = m.org_id
		WHERE m.id_number IN (`+db.Placeholders(len(ids))+`) AND m.id <> ?`, append(args, except), func(r db.Scanner) error {
		var n string
		var h holder
		if err := r.Scan(&n, &h.id, &h.path, &h.name, &h.orgName); err != nil {
			return err
		}
		out[n] = h
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// duplicates checks valid ID numbers about to be written under the organization at
// target and returns the message for each one that may not be used (see above), and the
// audit entries of the hits outside the caller's scope: the caller writes them with
// writeHits after its transaction, which the refusal rolls back.
func (s *Store) duplicates(ctx context.Context, q db.Querier, sc *auth.Scope, ids []string, except int64, target string) (map[string]i18n.Msg, []audit.Entry, error) {
	out := map[string]i18n.Msg{}
	if len(ids) == 0 {
		return out, nil, nil
	}
	holders, err := idHolders(ctx, q, ids, except)
	if err != nil {
		return nil, nil, err
	}
	limit, window := s.DuplicateLimit, s.DuplicateWindow
	if limit == 0 {
		limit = DefaultDuplicateLimit
	}
	if window == 0 {
		window = DefaultDuplicateWindow
	}
	now := s.Clock.Now()
	var used int
	if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM audit WHERE action = 'duplicate_id' AND user_id = ? AND at > ?`,
		sc.UserID, now.Add(-window).UTC()).Scan(&used); err != nil {
		return nil, nil, err
	}
	var hits []audit.Entry
	label := i18n.M("f.member.id_number")
	for _, n := range ids {
		h, held := holders[n]
		switch {
		case held && sc.CanMember(auth.Read, h.path, h.id):
			out[n] = i18n.M("v.id.duplicate", label, h.name, h.orgName)
		case held:
			used++
			out[n] = i18n.M("v.id.unusable", label)
			hits = append(hits, audit.Entry{Action: "duplicate_id", Entity: "member", EntityID: h.id, OrgID: commonOrg(target, h.path),
				Summary: fmt.Sprintf("公民身份号码%s已登记在其他组织，%s在其权限外重复登记（%s内第%d次）；请由共同的上级组织核实",
					MaskID(n), sc.Username, window, used)})
		case used >= limit:
			out[n] = i18n.M("v.id.unusable", label)
		}
	}
	return out, hits, nil
}

// DuplicateIDs is the duplicate check of a bulk load's valid ID numbers, outside any
// transaction, before anything is written under the organization at target: the message
// for each number that may not be used (see duplicates), the hits outside the caller's
// scope audited at once.
func (s *Store) DuplicateIDs(ctx context.Context, sc *auth.Scope, ids []string, target string) (map[string]i18n.Msg, error) {
	dup, hits, err := s.duplicates(ctx, s.DB, sc, ids, 0, target)
	if err != nil {
		return nil, err
	}
	return dup, s.writeHits(ctx, sc, hits)
}

// writeHits audits the out-of-scope duplicate hits found by duplicates.
func (s *Store) writeHits(ctx context.Context, sc *auth.Scope, hits []audit.Entry) error {
	now := s.Clock.Now()
	for _, e := range hits {
		if err := audit.Write(ctx, s.DB, sc.Actor(), now, e); err != nil {
			return err
		}
	}
	return nil
}

// commonOrg is the id of the lowest organization whose subtree holds both paths.
func commonOrg(a, b string) int64 {
	as, bs := strings.Split(strings.Trim(a, "/"), "/"), strings.Split(strings.Trim(b, "/"), "/")
	var id int64
	for i := 0; i < len(as) && i < len(bs) && as[i] == bs[i]; i++ {
		id, _ = strconv.ParseInt(as[i], 10, 64)
	}
	return id
}
