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

// The checks at the edges of the thresholds they are given (the national pack's figures
// here; TestOrgThresholdsFromPack loads others).
func TestFlags(t *testing.T) {
	th := Thresholds{MinFull: 3, MaxMembers: 50, CommitteeFrom: 7, CommitteeMin: 3}
	cases := []struct {
		kind      Kind
		secretary string
		n         Counts
		want      []string
	}{
		{Branch, "张三", Counts{Members: 3, Full: 3, Good: 3}, nil},
		{Branch, "张三", Counts{Members: 3, Full: 2, Good: 2}, []string{CheckTooSmall}},
		{Branch, "", Counts{Members: 50, Full: 40, Good: 6}, []string{CheckNoSecretary}},
		{JointBranch, "李四", Counts{Members: 51, Full: 45, Good: 6}, []string{CheckTooLarge}},
		{TempBranch, "王五", Counts{Members: 1, Full: 1, Good: 1}, nil}, // temporary branches are not held to the minimum
		{Group, "", Counts{Members: 2, Full: 2}, nil},
		{Committee, "", Counts{}, []string{CheckNoSecretary}},
		{Branch, "张三", Counts{Members: 7, Full: 7, Good: 7, Committee: 2}, []string{CheckNoCommittee}},
		{Branch, "张三", Counts{Members: 7, Full: 7, Good: 7, Committee: 3}, nil},
		{Branch, "张三", Counts{Members: 8, Full: 8, Good: 6}, nil}, // two lost: not in good standing
		{TempBranch, "张三", Counts{Members: 9, Full: 9, Good: 9}, nil},
	}
	for _, c := range cases {
		if got := Flags(c.kind, c.secretary, c.n, th); !reflect.DeepEqual(got, c.want) {
			t.Errorf("Flags(%s, %q, %+v) = %v, want %v", c.kind, c.secretary, c.n, got, c.want)
		}
	}
	if got := Flags(Branch, "张三", Counts{Members: 60, Full: 2, Good: 2}, Thresholds{}); got != nil {
		t.Errorf("no figures, no size checks: %v", got)
	}
}
