package secreport

import (
	"errors"
	"strings"
	"testing"

	"dangjian/internal/platform/yamldoc"
)

func TestExampleRulesAndWeights(t *testing.T) {
	r, err := ParseRules(ExampleText())
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Groups) != 4 || len(r.Grades) != 4 || r.Source == "" {
		t.Fatalf("example: %+v", r)
	}
	res := r.Weigh([]Tally{{"superior", "good", 2}, {"superior", "poor", 2}, {"leadership", "fairly_good", 5}})
	// superior avg 50 ×40, leadership avg 80 ×20: (2000+1600)/60 = 60.0 → 一般; two groups absent.
	if res.Score != 60 || res.Grade != "average" || res.Votes != 9 || len(res.Explain) != 5 || !strings.Contains(res.Explain[2], "未投票") {
		t.Fatalf("weighed: %+v", res)
	}
	if none := r.Weigh(nil); none.Grade != "" || none.Votes != 0 {
		t.Fatalf("no votes: %+v", none)
	}
}

func TestBrokenRulesNameTheirLines(t *testing.T) {
	text := strings.NewReplacer("code: leadership", "code: superior", "    min: 0\n", "    min: 5\n").Replace(string(ExampleText()))
	_, err := ParseRules([]byte(text))
	var ps yamldoc.Problems
	if !errors.As(err, &ps) || len(ps) != 2 {
		t.Fatalf("want 2 problems, got %v", err)
	}
	if ps[0].Path != "/groups/1/code" || ps[0].Line != 14 || ps[1].Path != "/grades" {
		t.Fatalf("problems: %+v", ps)
	}
}
