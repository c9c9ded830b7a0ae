package server

import (
	"bytes"
	"net/http/httptest"
	"strings"
	"testing"

	"dangjian/web"
)

// TestSPAIndex: the application's page (built, or the placeholder before a build) answers the
// root and client routes, never cached; the build directory's dotfiles are not served as files.
func TestSPAIndex(t *testing.T) {
	want := web.Index(web.Dist())
	for _, p := range []string{"/", "/index.html", "/members/12", "/.gitkeep", "/.stamp"} {
		w := httptest.NewRecorder()
		spa().ServeHTTP(w, httptest.NewRequest("GET", p, nil))
		if w.Code != 200 || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/html") || !bytes.Equal(w.Body.Bytes(), want) {
			t.Errorf("%s: %d %q, %d bytes (want the index page, %d bytes)", p, w.Code, w.Header().Get("Content-Type"), w.Body.Len(), len(want))
		}
		if cc := w.Header().Get("Cache-Control"); !strings.Contains(cc, "no-store") {
			t.Errorf("%s: Cache-Control %q", p, cc)
		}
	}
}
