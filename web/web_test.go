package web

import (
	"bytes"
	"testing"
	"testing/fstest"
)

// TestIndex: the built index.html when there is one, the placeholder (which says how to build)
// before a build — a fresh clone serves a page, not a 404.
func TestIndex(t *testing.T) {
	if got := Index(fstest.MapFS{".gitkeep": {}}); !bytes.Equal(got, Placeholder) || !bytes.Contains(got, []byte("make build")) {
		t.Errorf("unbuilt: got %q", got)
	}
	built := []byte(`<!doctype html><script type="module" src="/assets/index-abc.js"></script>`)
	if got := Index(fstest.MapFS{"index.html": {Data: built}}); !bytes.Equal(got, built) {
		t.Errorf("built: got %q", got)
	}
}
