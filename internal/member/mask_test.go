package member_test

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"dangjian/internal/demo"
	"dangjian/internal/member"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/clock"
	"dangjian/internal/platform/db"
	"dangjian/internal/platform/httpx"
	"dangjian/internal/server"
)

// maskNow is the time on the fake clock of the demo district.
var maskNow = time.Date(2026, 11, 22, 2, 0, 0, 0, time.UTC)

// What a masked answer shows, as an attacker would use it to rebuild an ID number.
type shown struct {
	region   string // the full region code: assumed known (the native place may tell it)
	year     int    // the year of birth
	male     bool
	mask     string // the masked ID number
	joinDate string // the date of joining, in full or as its year
}

// candidates counts the valid ID numbers consistent with s: born in s.year, of the
// region, with the sequence's parity of the sex, matching every character the mask shows,
// and born at least 18 years before the date of joining (the rule of joining). Region and
// date are valid by construction; the mask shows the province and the check character.
func candidates(s shown) int {
	latest := "9999-99-99"
	if len(s.joinDate) == 10 {
		y, _ := strconv.Atoi(s.joinDate[:4])
		latest = fmt.Sprintf("%04d%s", y-18, s.joinDate[4:])
	}
	// The check character is "10X98765432"[sum mod 11], the sum weighting the sequence's
	// digits 8, 4, 2 (GB 11643): from a date's sum with sequence 000, each sequence's
	// character follows without recomputing the rest.
	const checkChars = "10X98765432"
	n := 0
	for d := time.Date(s.year, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() == s.year; d = d.AddDate(0, 0, 1) {
		if d.Format("2006-01-02") > latest {
			break
		}
		first := s.region + d.Format("20060102")
		if first[:2] != s.mask[:2] {
			continue
		}
		r0 := strings.IndexByte(checkChars, member.IDCheckChar(first+"000"))
		for seq := 0; seq < 1000; seq++ {
			if (seq%2 == 1) != s.male {
				continue
			}
			if checkChars[(r0+8*(seq/100)+4*(seq/10%10)+2*(seq%10))%11] == s.mask[17] {
				n++
			}
		}
	}
	return n
}

// TestMaskLeavesCandidates: for the demo district as a viewer sees it, the masked ID
// number with every other field shown (sex, year of birth, native place taken as the
// exact region, date of joining) leaves at least 10⁴ possible ID numbers, counted by
// enumeration.
func TestMaskLeavesCandidates(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		app := server.New(d, clock.NewFake(maskNow), t.TempDir())
		if _, err := demo.Generate(ctx, d, app.Auth, demo.Options{Members: 300, Seed: 11, Password: "demo-pass-123", Now: maskNow}); err != nil {
			t.Fatal(err)
		}
		var rootID int64
		var rootPath string
		if err := d.QueryRow(ctx, `SELECT id, path FROM orgs WHERE parent_id IS NULL`).Scan(&rootID, &rootPath); err != nil {
			t.Fatal(err)
		}
		viewer := &auth.Scope{UserID: 1, Username: "viewer", Grants: []auth.Grant{{Role: auth.RoleViewer, OrgID: rootID, OrgPath: rootPath}}}
		f, _ := member.ParseFilter(url.Values{"org": {fmt.Sprint(rootID)}, "status": {"all"}})
		list, total, err := app.Members.List(ctx, viewer, f, httpx.Page{Page: 1, Size: 500})
		if err != nil || total < 250 || len(list) != total {
			t.Fatalf("list: %d of %d, %v", len(list), total, err)
		}
		full := map[int64]string{}
		_ = app.Members.Each(ctx, auth.System(), f, true, func(m *member.Member) error { full[m.ID] = m.IDNumber; return nil })
		maskRe := regexp.MustCompile(`^[0-9]{2}\*{15}[0-9X]$`)
		counted := map[shown]int{}
		least, sum := 1<<30, 0
		for _, m := range list {
			if !m.Masked || !maskRe.MatchString(m.IDNumber) || len(m.BirthDate) != 4 || m.Age != nil || len(m.Phone) > 0 && m.Phone[3:7] != "****" {
				t.Fatalf("not masked for a viewer: %+v", m.Fields)
			}
			year, _ := strconv.Atoi(m.BirthDate)
			s := shown{region: full[m.ID][:6], year: year, male: m.Sex == "male", mask: m.IDNumber, joinDate: m.JoinDate}
			if jy, _ := strconv.Atoi(m.JoinDate[:4]); jy-18 > year {
				s.joinDate = "" // cannot bound the birth date: count once for all such members
			}
			n, ok := counted[s]
			if !ok {
				n = candidates(s)
				counted[s] = n
			}
			if n < 10000 {
				t.Errorf("member %d (%s, joined %s): only %d candidate ID numbers", m.ID, m.IDNumber, m.JoinDate, n)
			}
			least, sum = min(least, n), sum+n
		}
		t.Logf("%d members: at least %d candidate ID numbers each, %d on average", len(list), least, sum/len(list))
	})
}

// TestMaskJoinYear: the date of joining is shown as its year when it falls in the year of
// the 18th birthday, where it would bound the birth date.
func TestMaskJoinYear(t *testing.T) {
	for _, c := range []struct{ birth, join, want string }{
		{"2007-03-01", "2025-04-01", "2025"},
		{"2006-12-31", "2025-01-02", "2025-01-02"},
		{"1980-05-01", "2005-07-01", "2005-07-01"},
	} {
		f := member.Fields{BirthDate: c.birth, JoinDate: c.join, IDNumber: "330602198001011234"}
		if got := member.Masked(f); got.JoinDate != c.want || got.BirthDate != c.birth[:4] {
			t.Errorf("%s joined %s: shown %s, born %s", c.birth, c.join, got.JoinDate, got.BirthDate)
		}
	}
}
