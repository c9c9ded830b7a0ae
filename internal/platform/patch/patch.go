// Package patch applies a PATCH body: a struct of pointer fields, nil when absent, onto the
// fields of a record. Organizations, members and activities are changed this way; the caller
// validates the result and audits audit.Diff(before, after).
package patch

import (
	"fmt"
	"reflect"
)

// Apply returns before with every field that p carries (a non-nil pointer field) set on the
// field of before of the same name: to the value pointed at, or to the pointer itself where
// that field is a pointer too (an optional value). A field of p without a counterpart is a
// programming error and panics.
func Apply[F, P any](before F, p P) F {
	after := before
	dst := reflect.ValueOf(&after).Elem()
	src := reflect.ValueOf(p)
	for i := range src.NumField() {
		v, name := src.Field(i), src.Type().Field(i).Name
		if v.Kind() != reflect.Pointer {
			panic(fmt.Sprintf("patch: %s.%s is not a pointer", src.Type(), name))
		}
		d := dst.FieldByName(name)
		if !d.IsValid() {
			panic(fmt.Sprintf("patch: %s has no field %s", dst.Type(), name))
		}
		switch {
		case v.IsNil():
		case v.Type().AssignableTo(d.Type()):
			d.Set(v)
		default:
			d.Set(v.Elem())
		}
	}
	return after
}
