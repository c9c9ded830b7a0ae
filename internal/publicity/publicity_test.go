package publicity

import (
	"context"
	"errors"
	"testing"
	"time"

	"dangjian/internal/calendar"
	"dangjian/internal/org"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/clock"
	"dangjian/internal/platform/db"
	"dangjian/internal/platform/httpx"
)

// cst is a moment of a CST day.
func cst(day string, hour int) time.Time {
	t, _ := time.ParseInLocation(time.DateOnly, day, clock.CST)
	return t.Add(time.Duration(hour) * time.Hour)
}

func conflict(t *testing.T, err error, code string) {
	t.Helper()
	var he *httpx.Error
	if !errors.As(err, &he) || he.Code != code {
		t.Fatalf("want %s, got %v", code, err)
	}
}

// TestNoticeAcrossNationalDay: a 5-working-day notice opened on 28 September runs to 9 October
// (国庆 is not counted); objections are taken within it, not before or after; it closes only
// once the window is over and every objection is answered.
func TestNoticeAcrossNationalDay(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		c := clock.NewFake(cst("2026-09-25", 9))
		o, err := (&org.Store{DB: d, Clock: c}).Create(ctx, auth.System(), org.Fields{Name: "某支部", Kind: org.Committee, Field: "community", Secretary: "书记"})
		if err != nil {
			t.Fatal(err)
		}
		s := &Store{DB: d, Clock: c, Cal: &calendar.Store{DB: d, Clock: c}}
		var n *Notice
		err = d.InTx(ctx, func(tx *db.Tx) error {
			n, err = s.Open(ctx, tx, OpenIn{OrgID: o.ID, Subject: "test", SubjectID: 7, Title: "2026年度党员星级评定结果公示", WorkingDays: 5, From: "2026-09-28", By: 1})
			return err
		})
		if err != nil || n.To != "2026-10-09" || n.State != Open || len(n.Missing) != 0 {
			t.Fatalf("open: %+v %v", n, err)
		}
		object := func(text string) (*Objection, error) {
			var ob *Objection
			err := d.InTx(ctx, func(tx *db.Tx) (err error) {
				ob, err = s.Object(ctx, tx, n.ID, ObjectIn{Target: "member", TargetID: 3, Text: text, By: 2})
				return err
			})
			return ob, err
		}
		// Before the window (25 September): refused.
		_, err = object("评分有误")
		conflict(t, err, "publicity_outside")
		c.Set(cst("2026-10-09", 23)) // the last day, late evening CST
		if _, err := object("  "); err == nil {
			t.Fatal("an empty objection was accepted")
		}
		ob, err := object("我的志愿服务记录没有计入")
		if err != nil || ob.State != ObjOpen {
			t.Fatalf("object: %+v %v", ob, err)
		}
		// Within the window: not closable.
		err = d.InTx(ctx, func(tx *db.Tx) error { _, err := s.Close(ctx, tx, n.ID, 1); return err })
		conflict(t, err, "publicity_running")
		c.Set(cst("2026-10-10", 0)) // the first minute after the window (CST)
		_, err = object("晚了")
		conflict(t, err, "publicity_outside")
		err = d.InTx(ctx, func(tx *db.Tx) error { _, err := s.Close(ctx, tx, n.ID, 1); return err })
		conflict(t, err, "publicity_objections")
		if err := d.InTx(ctx, func(tx *db.Tx) error { _, err := s.Answer(ctx, tx, ob.ID, true, "", 1); return err }); err == nil {
			t.Fatal("an answer without text was accepted")
		}
		if err := d.InTx(ctx, func(tx *db.Tx) error {
			a, err := s.Answer(ctx, tx, ob.ID, true, "已核实，补记积分", 1)
			if err == nil && (a.State != ObjUpheld || a.AnsweredAt == nil) {
				t.Errorf("answered: %+v", a)
			}
			return err
		}); err != nil {
			t.Fatal(err)
		}
		err = d.InTx(ctx, func(tx *db.Tx) error { _, err := s.Answer(ctx, tx, ob.ID, false, "再答", 1); return err })
		conflict(t, err, "objection_answered")
		if err := d.InTx(ctx, func(tx *db.Tx) error {
			closed, err := s.Close(ctx, tx, n.ID, 1)
			if err == nil && (closed.State != Closed || closed.Objections != 1 || closed.OpenObjections != 0) {
				t.Errorf("closed: %+v", closed)
			}
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if got, err := s.Of(ctx, d, "test", 7); err != nil || got == nil || got.ID != n.ID || got.State != Closed {
			t.Errorf("Of: %+v %v", got, err)
		}
		if got, err := s.Of(ctx, d, "test", 8); err != nil || got != nil {
			t.Errorf("Of a subject without a notice: %+v %v", got, err)
		}
	})
}

// TestLoadedYearCounts: a year loaded at run time replaces the built-in one and counts at once
// on this instance; a broken one changes nothing.
func TestLoadedYearCounts(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		c := clock.NewFake(cst("2026-12-20", 9))
		cs := &calendar.Store{DB: d, Clock: c}
		cal, err := cs.Calendar(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if w, _ := cal.Window("2026-12-31", 2); w.To != "2027-01-01" {
			t.Fatalf("before loading 2027: %+v", w)
		}
		admin := auth.System()
		if _, err := cs.Load(ctx, admin, 2027, []byte("year: 2027\nsource: x\nholidays:\n  - {name: 元旦, from: 2027-01-01, to: 2027-01-03}\nworkdays: [2027-01-01]\n")); err == nil {
			t.Fatal("a broken year was loaded")
		}
		v, err := cs.Load(ctx, admin, 2027, []byte("year: 2027\nsource: 假设的安排（测试）\nholidays:\n  - {name: 元旦, from: 2027-01-01, to: 2027-01-03}\nworkdays: []\n"))
		if err != nil || v.Origin != "loaded" || v.WorkingDays != 260 {
			t.Fatalf("load: %+v %v", v, err)
		}
		cal, _ = cs.Calendar(ctx)
		if w, _ := cal.Window("2026-12-31", 2); w.To != "2027-01-04" || len(w.Missing) != 0 {
			t.Errorf("after loading 2027: %+v", w)
		}
		if b, _ := cs.View(ctx, 2026); b.Origin != "builtin" || b.WorkingDays != 248 {
			t.Errorf("2026: origin %s, %d working days", b.Origin, b.WorkingDays)
		}
		if _, err := cs.Load(ctx, &auth.Scope{UserID: 5}, 2027, []byte("year: 2027\nsource: y\n")); err == nil {
			t.Error("a non-administrator loaded a calendar")
		}
	})
}
