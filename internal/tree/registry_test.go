package tree

import (
	"reflect"
	"testing"
)

func TestPathIDs(t *testing.T) {
	if got := PathIDs("/1/25/300/"); !reflect.DeepEqual(got, []int64{1, 25, 300}) {
		t.Errorf("PathIDs %v", got)
	}
}

func TestRegistryClaims(t *testing.T) {
	r := New(Part{Name: "a", Dims: []string{"x"}, DimPrefixes: []string{"p:"}}, Part{Name: "b", Dims: []string{"y"}})
	for dim, owned := range map[string]bool{"x": true, "y": true, "p:rule": true, "z": false, "px": false} {
		if r.Owns(dim) != owned {
			t.Errorf("Owns(%q) = %v", dim, !owned)
		}
	}
	for name, parts := range map[string][]Part{
		"a dimension twice":          {{Name: "a", Dims: []string{"x"}}, {Name: "b", Dims: []string{"x"}}},
		"a dimension under a prefix": {{Name: "a", Dims: []string{"life:x"}}, {Name: "b", DimPrefixes: []string{"life:"}}},
		"a path column twice":        {{Name: "a", Paths: []PathColumn{{"m", "p"}}}, {Name: "b", Paths: []PathColumn{{"m", "p"}}}},
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			New(parts...)
		}()
	}
}
