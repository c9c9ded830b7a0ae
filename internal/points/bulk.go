package points

// Scored is an event run through the caps: what a bulk load (the demo, an import) writes as
// an entry without a transaction per event.
type Scored struct {
	Item      *Item
	Requested int
	Applied   int
	Reason    string
	ReasonEN  string
}

// Score runs a member-year's events (item codes of layer l, in date order) through the
// scheme's caps as record does one at a time — most times, the item's cap, the category's
// cap — and returns each with its requested and applied points and the reason when they
// differ. An unknown code is skipped.
func Score(sch *Scheme, l *Layer, codes []string) []Scored {
	tot := map[string]bucket{}
	out := make([]Scored, 0, len(codes))
	for _, code := range codes {
		it := l.Item(code)
		if it == nil {
			continue
		}
		itemKey, catKey := "item:"+it.Code, "cat:"+it.Category
		n, zh, en := fit(sch, it, tot[itemKey], tot[catKey])
		applied := sign(it.Category, n)
		requested := sign(it.Category, it.Points)
		if it.Category == Veto {
			requested = 0
		}
		for _, k := range []string{itemKey, catKey} {
			b := tot[k]
			tot[k] = bucket{points: b.points + applied, times: b.times + 1}
		}
		out = append(out, Scored{Item: it, Requested: requested, Applied: applied, Reason: zh, ReasonEN: en})
	}
	return out
}
