package rectify

import (
	"embed"

	"dangjian/internal/platform/yamldoc"
)

//go:embed rules
var ruleFiles embed.FS

// Rules are the reminder figures of rectification items (rules/rectify.yaml: data with its
// source, checked against rules/schema.json when the binary starts).
type Rules struct {
	Version          string `yaml:"version" json:"version"`
	Source           string `yaml:"source" json:"source"`
	RemindDaysBefore []int  `yaml:"remind_days_before" json:"remind_days_before"`
	NotifyParent     bool   `yaml:"notify_parent_when_overdue" json:"notify_parent_when_overdue"`
}

// ParseRules checks a rules document against the schema, with line-numbered problems.
func ParseRules(text []byte) (*Rules, error) {
	raw, _ := ruleFiles.ReadFile("rules/schema.json")
	doc, ps := yamldoc.Check(text, yamldoc.Compile("rectify.schema.json", raw))
	if ps != nil {
		return nil, ps
	}
	var r Rules
	if err := doc.Decode(&r); err != nil {
		return nil, err
	}
	return &r, nil
}

// Shipped is the rules document the binary carries.
func Shipped() *Rules {
	text, _ := ruleFiles.ReadFile("rules/rectify.yaml")
	r, err := ParseRules(text)
	if err != nil {
		panic("rectify: shipped rules: " + err.Error())
	}
	return r
}
