package assess

// Scoring is pure: a set and a value per indicator give each indicator's score, the
// dimensions' sums, the total, whether a veto applies, and the band. Every stage (our data,
// the self-assessment, the review) is scored the same way from its own values.

// Result is a scored sheet.
type Result struct {
	Scores map[string]float64 `json:"scores"` // by indicator code
	Dims   map[string]float64 `json:"dims"`   // by dimension code
	Total  float64            `json:"total"`
	// Raw is the total before a veto (shown beside the 0 a veto gives).
	Raw    float64  `json:"raw"`
	Vetoed []string `json:"vetoed"` // the codes of the vetoes that apply
	Stars  int      `json:"stars"`
	Band   string   `json:"band"`
}

// Score scores values (by indicator code; a missing value is 0: not met, not scored) under s.
func (s *Set) Score(values map[string]float64) Result {
	r := Result{Scores: map[string]float64{}, Dims: map[string]float64{}, Vetoed: []string{}}
	for _, d := range s.Dimensions {
		for _, in := range d.Indicators {
			v := values[in.Code]
			var sc float64
			switch in.Method {
			case YesNo:
				if v > 0 {
					sc = in.Max
				}
			case Count:
				sc = in.Max * min(max(v, 0)/in.Target, 1)
			case Manual:
				sc = v
			case Formula:
				e, err := parseExpr(in.Formula) // checked at publication
				if err == nil {
					sc = e.eval(r.Scores)
				}
			case Veto:
				if v > 0 {
					r.Vetoed = append(r.Vetoed, in.Code)
				}
			}
			sc = round2(min(max(sc, 0), in.Max))
			r.Scores[in.Code] = sc
			r.Dims[d.Code] = round2(r.Dims[d.Code] + sc)
			r.Raw = round2(r.Raw + sc)
		}
	}
	r.Total = r.Raw
	if len(r.Vetoed) > 0 {
		r.Total = 0
		return r
	}
	if b := s.Band(r.Total); b != nil {
		r.Stars, r.Band = b.Stars, b.Name
	}
	return r
}

// MaxTotal is the most a set can score.
func (s *Set) MaxTotal() float64 {
	t := 0.0
	for _, in := range s.Indicators() {
		t += in.Max
	}
	return round2(t)
}
