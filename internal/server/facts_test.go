package server

import (
	"slices"
	"testing"

	"dangjian/internal/platform/db"
)

// The web reads the attachment rules and the branch-level kinds from GET /api/v1/meta/facts
// instead of copying them; web/src/life/life.test.ts uses these same figures.
func TestMetaFacts(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		res := f.do("", "GET", "/api/v1/meta/facts", nil)
		if res.status != 200 {
			t.Fatalf("status %d: %s", res.status, res.body)
		}
		var got Facts
		res.decode(t, &got)
		if want := []string{"branch", "joint_branch", "temp_branch", "group"}; !slices.Equal(got.BranchKinds, want) {
			t.Errorf("branch kinds %v, want %v", got.BranchKinds, want)
		}
		if got.AttachmentMaxBytes != 20<<20 {
			t.Errorf("attachment max %d", got.AttachmentMaxBytes)
		}
		want := []string{".doc", ".docx", ".gif", ".jpeg", ".jpg", ".pdf", ".png", ".ppt", ".pptx", ".txt", ".webp", ".xls", ".xlsx"}
		if !slices.Equal(got.AttachmentExts, want) {
			t.Errorf("attachment exts %v, want %v", got.AttachmentExts, want)
		}
	})
}
