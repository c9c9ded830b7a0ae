package patch

import (
	"testing"
	"time"
)

type kind string

type fields struct {
	Name  string
	Kind  kind
	Order int
	Tags  []string
	Ends  *time.Time
	Other string
}

type body struct {
	Name  *string
	Kind  *kind
	Order *int
	Tags  *[]string
	Ends  *time.Time
}

func TestApply(t *testing.T) {
	name, k, order, tags, ends := "new", kind("b"), 0, []string{"x"}, time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	before := fields{Name: "old", Kind: "a", Order: 3, Tags: []string{"y"}, Other: "kept"}
	after := Apply(before, body{Name: &name, Kind: &k, Order: &order, Tags: &tags, Ends: &ends})
	if after.Name != "new" || after.Kind != "b" || after.Order != 0 || len(after.Tags) != 1 || after.Tags[0] != "x" ||
		after.Ends == nil || !after.Ends.Equal(ends) || after.Other != "kept" {
		t.Errorf("after = %+v", after)
	}
	if before.Name != "old" || before.Order != 3 {
		t.Errorf("before changed: %+v", before)
	}
	if same := Apply(before, body{}); same.Name != "old" || same.Kind != "a" || same.Order != 3 || same.Ends != nil {
		t.Errorf("an empty body changed %+v", same)
	}
}

func TestApplyUnknownField(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("a body field without a counterpart did not panic")
		}
	}()
	Apply(fields{}, struct{ Missing *string }{})
}
