package assess

// A lower level may extend a higher level's set, never loosen it. The child is the set a
// lower organization publishes with the same id as a set in force above it; it must:
//   - keep every indicator of the parent (same code, same method — so every veto stays a veto),
//     with the same max (no re-weighting), the same binding and formula, and evidence no weaker;
//   - keep a count's target or raise it;
//   - keep every band (the same stars) with a minimum no lower than the parent's plus the most
//     the added indicators can score, so the parent's indicators alone never earn under the
//     child a star they would not have earned under the parent;
//   - keep the applicable organizations within the parent's, the 公示 no shorter, a star's
//     validity no longer, and each band's share warning no looser.
// Adding indicators (any method, vetoes included) and dimensions is extending.

import (
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"dangjian/internal/platform/yamldoc"
)

// evidenceRank orders evidence from weakest to strongest.
var evidenceRank = map[string]int{EvNone: 0, EvRecord: 1, EvAttachment: 1}

// checkExtends lists how child loosens parent (none: it extends it). doc is child's YAML.
func checkExtends(parent, child *Set, doc *yaml.Node) SetErrors {
	var out SetErrors
	add := func(loc []string, key string, args ...any) {
		out = append(out, setErr(yamldoc.NodeAt(doc, loc).Line, "/"+strings.Join(loc, "/"), key, args...))
	}
	where := map[string][]string{}
	for _, in := range child.Indicators() {
		where[in.Code] = []string{"dimensions", strconv.Itoa(in.DimIndex), "indicators", strconv.Itoa(in.Index)}
	}
	at := func(code, f string) []string { return append(append([]string{}, where[code]...), f) }
	for _, p := range parent.Indicators() {
		c := child.Indicator(p.Code)
		switch {
		case c == nil:
			add([]string{"dimensions"}, "as.x_removed", p.Code, p.Name)
			continue
		case c.Method != p.Method:
			add(at(p.Code, "method"), "as.x_method", p.Code, p.Method)
		case c.Max != p.Max:
			add(at(p.Code, "max"), "as.x_max", p.Code, fmtNum(p.Max))
		case c.Method == Count && c.Target < p.Target:
			add(at(p.Code, "target"), "as.x_target", p.Code, fmtNum(p.Target))
		case c.Binding != p.Binding:
			add(at(p.Code, "binding"), "as.x_binding", p.Code, p.Binding)
		case c.Formula != p.Formula:
			add(at(p.Code, "formula"), "as.x_formula", p.Code, p.Formula)
		case evidenceRank[c.Evidence] < evidenceRank[p.Evidence]:
			add(at(p.Code, "evidence"), "as.x_evidence", p.Code, p.Evidence)
		}
	}
	added := 0.0
	for _, in := range child.Indicators() {
		if parent.Indicator(in.Code) == nil {
			added += in.Max
		}
	}
	for _, pb := range parent.Bands {
		i := bandIndex(child, pb.Stars)
		if i < 0 {
			add([]string{"bands"}, "as.x_band_removed", pb.Name)
			continue
		}
		cb := child.Bands[i]
		if need := round2(pb.Min + added); cb.Min < need {
			add([]string{"bands", strconv.Itoa(i), "min"}, "as.x_band_min", cb.Name, fmtNum(need), fmtNum(pb.Min), fmtNum(added))
		}
		if pb.Share != "" {
			ps, _ := shareOf(pb.Share)
			cs, ok := shareOf(cb.Share)
			if !ok || cs > ps {
				add([]string{"bands", strconv.Itoa(i), "share"}, "as.x_share", cb.Name, pb.Share)
			}
		}
	}
	if !within(child.AppliesTo.Kinds, parent.AppliesTo.Kinds) || !within(child.AppliesTo.Fields, parent.AppliesTo.Fields) {
		add([]string{"applies_to"}, "as.x_applies")
	}
	if child.PublicityDays < parent.PublicityDays {
		add([]string{"publicity_days"}, "as.x_publicity", parent.PublicityDays)
	}
	if child.ValidMonths > parent.ValidMonths {
		add([]string{"valid_months"}, "as.x_valid", parent.ValidMonths)
	}
	sortErrors(out)
	return out
}

func bandIndex(s *Set, stars int) int {
	for i, b := range s.Bands {
		if b.Stars == stars {
			return i
		}
	}
	return -1
}

// within: every value of the child's list is allowed by the parent's (an empty list allows all;
// an empty child list under a non-empty parent widens it).
func within(child, parent []string) bool {
	if len(parent) == 0 {
		return true
	}
	if len(child) == 0 {
		return false
	}
	for _, c := range child {
		if !has(parent, c) {
			return false
		}
	}
	return true
}

func fmtNum(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
