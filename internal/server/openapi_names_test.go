package server

import (
	"reflect"
	"strings"
	"testing"

	"dangjian/internal/life/rules"
	"dangjian/internal/org"
	"dangjian/internal/points"
	"dangjian/internal/quarterly"
)

// TestSchemaNamesClash: two structs given one schema name are reported (the second would
// replace the first in the description and the web's types); named strings are inlined and
// may share a name.
func TestSchemaNamesClash(t *testing.T) {
	var clash []string
	name := uniqueNames(func(t reflect.Type) string { return t.Name() }, &clash)
	name(reflect.TypeOf(points.Figure{}))
	name(reflect.TypeOf(points.Figure{}))
	name(reflect.TypeOf(org.Kind("")))
	name(reflect.TypeOf(rules.Kind{}))
	if len(clash) != 0 {
		t.Fatalf("false clash: %v", clash)
	}
	type Figure struct{ quarterly.ReviewFigure }
	name(reflect.TypeOf(Figure{}))
	if len(clash) != 1 || !strings.Contains(clash[0], "internal/points.Figure") {
		t.Fatalf("clash not reported: %v", clash)
	}
}
