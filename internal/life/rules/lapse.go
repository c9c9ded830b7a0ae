package rules

// Lapse is the pack's part for the 6-month rule (党章第九条) and the lost-contact process
// (党员教育管理工作条例第二十四条), REGULATIONS §4. Months are calendar months.
type Lapse struct {
	Months          int    `json:"months" yaml:"months"`                     // missed months: treated as having left
	WarnMonths      int    `json:"warn_months" yaml:"warn_months"`           // flagged from here
	LostMonths      int    `json:"lost_months" yaml:"lost_months"`           // 失联 this long → 停止党籍
	SuspendedMonths int    `json:"suspended_months" yaml:"suspended_months"` // 停止党籍 this long, still lost → 除名
	Text            string `json:"text" yaml:"text"`
	Source          string `json:"source" yaml:"source"`
	LostText        string `json:"lost_text" yaml:"lost_text"`
	LostSource      string `json:"lost_source" yaml:"lost_source"`
}

// LapseRule is the pack's 6-month rule, or the national one for a pack that has none.
func (p *Pack) LapseRule() Lapse {
	if p != nil && p.Lapse != nil {
		return *p.Lapse
	}
	return *national.Lapse
}
