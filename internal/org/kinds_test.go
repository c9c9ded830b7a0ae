package org

import (
	"reflect"
	"testing"
)

func TestCanParent(t *testing.T) {
	cases := []struct {
		parent, child Kind
		ok            bool
	}{
		{Committee, Committee, true}, {Committee, GeneralBranch, true}, {Committee, Branch, true}, {Committee, Group, false},
		{GeneralBranch, Branch, true}, {GeneralBranch, Committee, false}, {Branch, Group, true}, {JointBranch, Group, true},
		{Branch, Branch, false}, {Group, Group, false}, {Group, Branch, false}, {TempBranch, Group, true},
	}
	for _, c := range cases {
		if got := CanParent(c.parent, c.child); got != c.ok {
			t.Errorf("CanParent(%s, %s) = %v", c.parent, c.child, got)
		}
	}
}

// The thresholds of 支部条例: fewer than 3 full members is too small, more than 50 too large.
func TestFlags(t *testing.T) {
	cases := []struct {
		kind          Kind
		secretary     string
		members, full int
		want          []string
	}{
		{Branch, "张三", 3, 3, nil},
		{Branch, "张三", 3, 2, []string{CheckTooSmall}},
		{Branch, "", 50, 40, []string{CheckNoSecretary}},
		{JointBranch, "李四", 51, 45, []string{CheckTooLarge}},
		{TempBranch, "王五", 1, 1, nil}, // temporary branches are not held to the minimum
		{Group, "", 2, 2, nil},
		{Committee, "", 0, 0, []string{CheckNoSecretary}},
	}
	for _, c := range cases {
		if got := Flags(c.kind, c.secretary, c.members, c.full); !reflect.DeepEqual(got, c.want) {
			t.Errorf("Flags(%s, %q, %d, %d) = %v, want %v", c.kind, c.secretary, c.members, c.full, got, c.want)
		}
	}
}

func TestAgeAt(t *testing.T) {
	cases := []struct {
		birth, today string
		age          int
	}{
		{"1980-05-10", "2026-05-09", 45}, {"1980-05-10", "2026-05-10", 46}, {"1980-05", "2026-04-30", 45},
		{"1980-05", "2026-05-01", 46}, {"2000-02-29", "2026-02-28", 25}, {"2000-02-29", "2026-03-01", 26},
	}
	for _, c := range cases {
		if got := AgeAt(c.birth, c.today); got != c.age {
			t.Errorf("AgeAt(%s, %s) = %d, want %d", c.birth, c.today, got, c.age)
		}
	}
	if AgeBand(30) != "0-30" || AgeBand(31) != "31-40" || AgeBand(70) != "61-70" || AgeBand(99) != "71-" {
		t.Error("age bands")
	}
	if got := PathIDs("/1/25/300/"); !reflect.DeepEqual(got, []int64{1, 25, 300}) {
		t.Errorf("PathIDs %v", got)
	}
}
