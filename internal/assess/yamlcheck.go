package assess

// A set's errors with their lines. The YAML-against-JSON-Schema check itself is
// platform/yamldoc's, the one check of every document users load; the messages here are the
// set's own checks after the schema's.

import (
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v3"

	"dangjian/internal/platform/i18n"
	"dangjian/internal/platform/yamldoc"
)

// SetError is one problem in a set, at a line of its text.
type SetError struct {
	Line   int      `json:"line"`
	Path   string   `json:"path"` // e.g. /layers/0/items/2/cap
	Reason string   `json:"reason"`
	Msg    i18n.Msg `json:"-"`
}

// SetErrors is everything wrong with a set; a set with any is never published.
type SetErrors []SetError

func (es SetErrors) Error() string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = fmt.Sprintf("line %d (%s): %s", e.Line, e.Path, e.Reason)
	}
	return strings.Join(parts, "; ")
}

func setErr(line int, path, key string, args ...any) SetError {
	return SetError{Line: line, Path: path, Reason: i18n.T(i18n.EN, key, args...), Msg: i18n.M(key, args...)}
}

func init() {
	i18n.Register(map[string][2]string{
		"as.raw":             {"%s", "%s"},
		"as.date":            {"“%s”不是日期（应为 YYYY-MM-DD）", "%q is not a date"},
		"as.dup":             {"代码“%s”重复", "duplicate code %q"},
		"as.target":          {"计数类指标须有大于 0 的目标值 target", "a count indicator needs a target above 0"},
		"as.formula":         {"公式有误：%s", "bad formula: %s"},
		"as.formula_code":    {"公式中的“%s”不是前面已定义的指标代码", "%q in the formula is not an indicator defined before it"},
		"as.formula_binding": {"公式类指标不能绑定数据", "a formula indicator takes no binding"},
		"as.veto_max":        {"一票否决指标的分值 max 应为 0", "a veto indicator's max must be 0"},
		"as.max_pos":         {"分值 max 应大于 0", "max must be above 0"},
		"as.formula_only":    {"只有公式类指标才有 formula", "only a formula indicator has a formula"},
		"as.binding":         {"不认识的数据绑定“%s”", "unknown binding %q"},
		"as.share":           {"比例“%s”应写作 1/10 或 0.1", "share %q must read 1/10 or 0.1"},
		"as.x_removed":       {"下级只能增加、不能删除上级的指标：缺少“%s”（%s）", "a lower level may not remove the higher level's indicator %q (%s)"},
		"as.x_method":        {"不能改变上级指标“%s”的评分方式（应为 %s）", "may not change the method of %q (must stay %s)"},
		"as.x_max":           {"不能改变上级指标“%s”的分值（应为 %s）", "may not change the max of %q (must stay %s)"},
		"as.x_target":        {"不能降低上级指标“%s”的目标值（不低于 %s）", "may not lower the target of %q (at least %s)"},
		"as.x_binding":       {"不能改变上级指标“%s”的数据绑定（应为 %s）", "may not change the binding of %q (must stay %s)"},
		"as.x_formula":       {"不能改变上级指标“%s”的公式（应为 %s）", "may not change the formula of %q (must stay %s)"},
		"as.x_evidence":      {"不能降低上级指标“%s”的佐证要求（至少 %s）", "may not weaken the evidence of %q (at least %s)"},
		"as.x_band_removed":  {"不能删除上级的星级档次“%s”", "may not remove the band %q"},
		"as.x_band_min":      {"“%s”的分数线不能低于 %s（上级 %s + 新增指标最高 %s 分）", "the minimum of %q must be at least %s (the higher level's %s + %s the added indicators can score)"},
		"as.x_share":         {"“%s”的比例提示不能宽于上级的 %s", "the share warning of %q may not be looser than %s"},
		"as.x_applies":       {"适用范围不能超出上级指标体系", "may not apply to organizations the higher level's set does not"},
		"as.x_publicity":     {"公示天数不能少于上级的 %d 个工作日", "the 公示 may not be shorter than %d working days"},
		"as.x_valid":         {"星级有效期不能长于上级的 %d 个月", "a star may not be valid longer than %d months"},
		"as.band_order":      {"星级档次的分数线应随星数递增", "band minimums must rise with the stars"},
	})
}

// compiledSchema is the embedded schema, compiled once.
var compiledSchema = sync.OnceValue(func() *jsonschema.Schema { return yamldoc.Compile("assess.schema.json", SchemaJSON()) })

// validateYAML parses text and checks it against the schema (platform/yamldoc, the one check
// of the documents users load); it returns the document node, or every violation with its line.
func validateYAML(text []byte) (*yaml.Node, SetErrors) {
	doc, problems := yamldoc.Check(text, compiledSchema())
	var out SetErrors
	for _, p := range problems {
		out = append(out, SetError{Line: p.Line, Path: p.Path, Reason: p.Msg.Render(i18n.EN), Msg: p.Msg})
	}
	return doc, out
}

func sortErrors(es SetErrors) {
	sort.SliceStable(es, func(i, j int) bool { return es[i].Line < es[j].Line })
}
