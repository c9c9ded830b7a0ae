// Package member is the member roster: the fields of the national member information
// system, the rules between them, the store (with the subtree rollups kept in step),
// and the roster's import and export.
package member

import (
	"strings"

	"dangjian/internal/platform/i18n"
)

// Enum is a closed list of codes with labels in both languages.
type Enum struct {
	Name  string // "status", "category" …
	Codes []string
	zh    map[string]string
	en    map[string]string
}

func newEnum(name string, items [][3]string) *Enum {
	e := &Enum{Name: name, zh: map[string]string{}, en: map[string]string{}}
	msgs := map[string][2]string{}
	for _, it := range items {
		e.Codes = append(e.Codes, it[0])
		e.zh[it[0]], e.en[it[0]] = it[1], it[2]
		msgs[name+"."+it[0]] = [2]string{it[1], it[2]}
	}
	i18n.Register(msgs)
	return e
}

// Valid tells whether code is one of the enum's.
func (e *Enum) Valid(code string) bool { _, ok := e.zh[code]; return ok }

// Label is the label of code in lang.
func (e *Enum) Label(lang i18n.Lang, code string) string {
	if lang == i18n.EN {
		return e.en[code]
	}
	return e.zh[code]
}

// Parse accepts a code or a label in either language (imports carry Chinese labels).
func (e *Enum) Parse(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if e.Valid(s) {
		return s, true
	}
	for _, c := range e.Codes {
		if e.zh[c] == s || strings.EqualFold(e.en[c], s) {
			return c, true
		}
	}
	return "", false
}

var (
	Statuses = newEnum("status", [][3]string{
		{"active", "在册", "Registered"}, {"mobile", "流动", "Mobile"}, {"lost", "失联", "Lost contact"},
		{"suspended", "停止党籍", "Membership suspended"}, {"expelled", "出党", "Left the Party"},
		{"deceased", "去世", "Deceased"}, {"transferred", "已转出", "Transferred out"},
	})
	Categories = newEnum("category", [][3]string{{"full", "正式党员", "Full member"}, {"probationary", "预备党员", "Probationary member"}})
	Sexes      = newEnum("sex", [][3]string{{"male", "男", "Male"}, {"female", "女", "Female"}})
	Educations = newEnum("education", [][3]string{
		{"doctor", "博士研究生", "Doctorate"}, {"master", "硕士研究生", "Master's"}, {"bachelor", "大学本科", "Bachelor's"},
		{"college", "大学专科", "Junior college"}, {"secondary", "中专", "Secondary vocational"}, {"high", "高中", "High school"},
		{"junior", "初中", "Junior high school"}, {"primary", "小学及以下", "Primary school or less"},
	})
	// Ethnicities are the 56 of GB/T 3304, by their two-digit codes.
	Ethnicities = newEnum("ethnicity", ethnicityItems())
)

func ethnicityItems() [][3]string {
	zh := strings.Fields(`汉族 蒙古族 回族 藏族 维吾尔族 苗族 彝族 壮族 布依族 朝鲜族 满族 侗族 瑶族 白族 土家族 哈尼族 哈萨克族 傣族 黎族 傈僳族
		佤族 畲族 高山族 拉祜族 水族 东乡族 纳西族 景颇族 柯尔克孜族 土族 达斡尔族 仫佬族 羌族 布朗族 撒拉族 毛南族 仡佬族 锡伯族 阿昌族 普米族
		塔吉克族 怒族 乌孜别克族 俄罗斯族 鄂温克族 德昂族 保安族 裕固族 京族 塔塔尔族 独龙族 鄂伦春族 赫哲族 门巴族 珞巴族 基诺族`)
	en := strings.Split(`Han,Mongol,Hui,Tibetan,Uyghur,Miao,Yi,Zhuang,Bouyei,Korean,Manchu,Dong,Yao,Bai,Tujia,Hani,Kazakh,Dai,Li,Lisu,`+
		`Va,She,Gaoshan,Lahu,Sui,Dongxiang,Naxi,Jingpo,Kyrgyz,Tu,Daur,Mulao,Qiang,Blang,Salar,Maonan,Gelao,Xibe,Achang,Pumi,`+
		`Tajik,Nu,Uzbek,Russian,Evenki,De'ang,Bonan,Yugur,Gin,Tatar,Derung,Oroqen,Hezhen,Monba,Lhoba,Jino`, ",")
	out := make([][3]string, len(zh))
	for i := range zh {
		code := string(rune('0'+(i+1)/10)) + string(rune('0'+(i+1)%10))
		out[i] = [3]string{code, zh[i], en[i]}
	}
	return out
}

// Enums lists every enum, for GET /api/v1/meta/enums.
var Enums = []*Enum{Statuses, Categories, Sexes, Educations, Ethnicities}

func init() {
	i18n.Register(map[string][2]string{
		"f.member":               {"党员", "Member"},
		"f.member.org_id":        {"所在党支部", "Branch"},
		"f.member.group_id":      {"党小组", "Party group"},
		"f.member.name":          {"姓名", "Name"},
		"f.member.reveal_reason": {"查看原因", "Reason for viewing"},
		"f.member.sex":           {"性别", "Sex"},
		"f.member.ethnicity":     {"民族", "Ethnicity"},
		"f.member.id_number":     {"公民身份号码", "ID number"},
		"f.member.birth_date":    {"出生日期", "Date of birth"},
		"f.member.education":     {"学历", "Education"},
		"f.member.native_place":  {"籍贯", "Native place"},
		"f.member.category":      {"人员类别", "Category"},
		"f.member.join_date":     {"入党日期", "Date of joining"},
		"f.member.full_date":     {"转正日期", "Date of full membership"},
		"f.member.position":      {"工作岗位", "Position"},
		"f.member.phone":         {"手机号码", "Mobile phone"},
		"f.member.address":       {"家庭住址", "Home address"},
		"f.member.status":        {"党籍状态", "Status"},
		"f.member.status_note":   {"状态说明", "Status note"},

		"v.id.length":         {"%s：应为18位", "%s: must have 18 characters"},
		"v.id.chars":          {"%s：应为17位数字加1位数字或X", "%s: 17 digits then a digit or X"},
		"v.id.region":         {"%s：地区码无效", "%s: unknown region code"},
		"v.id.birth":          {"%s：出生日期部分无效", "%s: the birth date part is not a date"},
		"v.id.checksum":       {"%s：校验位错误", "%s: wrong check digit"},
		"v.id.birth_mismatch": {"%s：与公民身份号码中的出生日期（%s）不一致", "%s: differs from the date in the ID number (%s)"},
		"v.id.sex_mismatch":   {"%s：与公民身份号码中的性别不一致", "%s: differs from the sex in the ID number"},
		"v.id.duplicate":      {"%s：该号码已登记在系统中，属于%s（%s）", "%s: already registered, to %s (%s)"},
		"v.id.unusable":       {"%s：该号码无法使用，请联系上级组织部门核实", "%s: this number cannot be used; please check with the higher-level organization department"},
		"v.id.duplicate_file": {"%s：与第%d行重复", "%s: same as row %d"},
		"v.phone":             {"%s：应为11位手机号码", "%s: must be an 11-digit mobile number"},
		"v.probationary_full": {"%s：预备党员不应有转正日期", "%s: a probationary member has no date of full membership"},
		"v.full_needs_date":   {"%s：正式党员应填写转正日期", "%s: required for a full member"},
		"v.full_after_join":   {"%s：应晚于入党日期", "%s: must be after the date of joining"},
		"v.join_age":          {"%s：入党时未满18周岁", "%s: the member was under 18 on that date"},
		"v.join_after_birth":  {"%s：早于出生日期", "%s: before the date of birth"},
		"v.not_branch":        {"%s：党员只能编入党支部、联合党支部或临时党支部", "%s: members belong to a branch, joint branch or temporary branch"},
		"v.group_not_in_org":  {"%s：不是该党支部下的党小组", "%s: not a party group of that branch"},
		"v.reveal_forbidden":  {"您无权查看完整的个人信息", "You may not see full personal data"},
	})
}
