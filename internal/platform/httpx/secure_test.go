package httpx

import (
	"testing"
	"time"
)

// TestBodyDeadline: ordinary routes get the base deadline; routes taking larger bodies get
// time in proportion, so an upload needs 1 MiB per base duration at least.
func TestBodyDeadline(t *testing.T) {
	for _, c := range []struct {
		limit int64
		want  time.Duration
	}{
		{0, 30 * time.Second},
		{64 << 10, 30 * time.Second},
		{1 << 20, 30 * time.Second},
		{20 << 20, 10 * time.Minute},
		{3 << 19, 45 * time.Second},
	} {
		if got := bodyDeadline(30*time.Second, c.limit); got != c.want {
			t.Errorf("limit %d: %v, want %v", c.limit, got, c.want)
		}
	}
}
