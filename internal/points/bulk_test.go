package points

import (
	"strings"
	"testing"
)

// TestScore: a bulk load scores events through the caps as record does — the item's cap,
// the category's cap across items, the most times — and says why a point was cut.
func TestScore(t *testing.T) {
	sch, err := ParseScheme(ExampleText())
	if err != nil {
		t.Fatal(err)
	}
	l := sch.LayerFor("full", "active") // the default layer: volunteer 2 (cap 8), honour 5 (cap 10); reward cap 16
	got := Score(sch, l, []string{"volunteer", "volunteer", "volunteer", "volunteer", "volunteer", "honour", "honour", "absence", "nosuch"})
	var applied []int
	for _, s := range got {
		applied = append(applied, s.Applied)
	}
	want := []int{2, 2, 2, 2, 0, 5, 3, -5}
	if len(applied) != len(want) {
		t.Fatalf("applied %v, want %v", applied, want)
	}
	for i := range want {
		if applied[i] != want[i] {
			t.Fatalf("applied %v, want %v", applied, want)
		}
	}
	if !strings.Contains(got[4].Reason, "本项年度上限 8 分") || !strings.Contains(got[6].Reason, "奖励分年度上限 16 分") || got[7].Requested != -5 {
		t.Errorf("reasons: %q / %q; deduction requested %d", got[4].Reason, got[6].Reason, got[7].Requested)
	}
}
