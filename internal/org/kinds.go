// Package org is the organization tree: kinds and fields, the materialized-path store,
// moves and dissolutions with history, and the subtree rollups every dashboard reads.
package org

import "dangjian/internal/platform/i18n"

// Kind is the kind of a Party organization.
type Kind string

const (
	Committee     Kind = "committee"      // 党委/党工委
	GeneralBranch Kind = "general_branch" // 党总支
	Branch        Kind = "branch"         // 党支部
	JointBranch   Kind = "joint_branch"   // 联合党支部
	TempBranch    Kind = "temp_branch"    // 临时党支部
	Group         Kind = "group"          // 党小组
)

// Kinds lists the kinds in tree order.
var Kinds = []string{string(Committee), string(GeneralBranch), string(Branch), string(JointBranch), string(TempBranch), string(Group)}

// Fields lists the fields (领域) an organization works in.
var FieldCodes = []string{"rural", "community", "government", "institution", "soe", "private", "social", "school", "hospital", "other"}

// HoldsMembers tells whether members are registered directly in an organization of kind k.
func (k Kind) HoldsMembers() bool { return k == Branch || k == JointBranch || k == TempBranch }

// BranchLevel tells whether an organization of kind k holds its own organizational life: a
// branch, or a 党小组 within one (the web's branch view, the demo's records).
func (k Kind) BranchLevel() bool { return k.HoldsMembers() || k == Group }

// BranchLevelKinds are the kinds at the branch level, in tree order.
func BranchLevelKinds() []string {
	var out []string
	for _, k := range Kinds {
		if Kind(k).BranchLevel() {
			out = append(out, k)
		}
	}
	return out
}

// CanParent tells whether an organization of kind child may sit under one of kind parent:
// a 党小组 only under a branch, nothing under a 党小组, branches under committees or 总支.
func CanParent(parent, child Kind) bool {
	switch {
	case parent == Group:
		return false
	case child == Group:
		return parent.HoldsMembers()
	case parent.HoldsMembers():
		return false
	case child == Committee:
		return parent == Committee
	default:
		return true
	}
}

// Checks the foundation runs on every organization, per REGULATIONS §1.
const (
	CheckNoSecretary = "no_secretary" // no secretary recorded (党小组 excepted)
	CheckTooSmall    = "too_small"    // a branch with fewer full members than the pack's minimum
	CheckTooLarge    = "too_large"    // a branch with more members than the pack's maximum
	CheckNoCommittee = "no_committee" // a branch that should have a 支部委员会 and has none
)

// Checks lists the checks in display order.
var Checks = []string{CheckNoSecretary, CheckTooSmall, CheckTooLarge, CheckNoCommittee}

// Thresholds are the figures of the checks. They are rule-pack data (the pack's "org"
// section and the 支委会 rule's min_full_members): the server passes in the pack in force,
// since org cannot import life.
type Thresholds struct {
	MinFull       int // a branch has at least this many full members (0: no check)
	MaxMembers    int // … and at most this many members (0: no check)
	CommitteeFrom int // from this many full members a branch sets up a committee (0: no check)
	CommitteeMin  int // … of at least this many members
}

// Counts are what the checks look at for one organization.
type Counts struct {
	Members, Full int // direct members and full members (current: lost and suspended count)
	Good          int // full members in good standing (active, mobile), as the 支委会 rule counts
	Committee     int // members holding a committee post now
}

// Flags returns the checks an organization fails.
func Flags(kind Kind, secretary string, n Counts, t Thresholds) []string {
	var out []string
	if kind != Group && secretary == "" {
		out = append(out, CheckNoSecretary)
	}
	if kind == Branch || kind == JointBranch {
		if n.Full < t.MinFull {
			out = append(out, CheckTooSmall)
		}
	}
	if kind.HoldsMembers() && t.MaxMembers > 0 && n.Members > t.MaxMembers {
		out = append(out, CheckTooLarge)
	}
	if (kind == Branch || kind == JointBranch) && t.CommitteeFrom > 0 && n.Good >= t.CommitteeFrom && n.Committee < t.CommitteeMin {
		out = append(out, CheckNoCommittee)
	}
	return out
}

func init() {
	i18n.Register(map[string][2]string{
		"f.org":            {"组织", "Organization"},
		"f.org.parent_id":  {"上级党组织", "Parent organization"},
		"f.org.name":       {"组织全称", "Full name"},
		"f.org.short_name": {"简称", "Short name"},
		"f.org.kind":       {"组织类别", "Kind"},
		"f.org.field":      {"所属领域", "Field"},
		"f.org.unit_name":  {"所在单位", "Unit"},
		"f.org.unit_kind":  {"单位情况", "Unit situation"},
		"f.org.setup_date": {"成立日期", "Set-up date"},
		"f.org.secretary":  {"书记", "Secretary"},
		"f.org.contact":    {"联系人", "Contact person"},
		"f.org.phone":      {"联系电话", "Contact phone"},
		"f.org.address":    {"地址", "Address"},
		"f.org.sort_order": {"排序", "Sort order"},
		"f.org.code":       {"组织代码", "Code"},

		"v.org.parent_kind":  {"%s：“%s”下不能设立“%s”", "%s: a %s cannot contain a %s"},
		"v.org.into_self":    {"%s：不能移动到自身或其下级组织之下", "%s: cannot move under itself or its own subtree"},
		"v.org.root_only":    {"%s：只有系统管理员可以创建顶级组织", "%s: only a system administrator may create a top-level organization"},
		"v.org.code_taken":   {"%s：已被其他组织使用", "%s: used by another organization"},
		"v.org.has_members":  {"%s：该组织已有党员，不能改为不直接管理党员的类别", "%s: the organization has members and cannot become a kind without direct members"},
		"v.org.has_children": {"%s：该组织有下级组织，不能改为党支部或党小组", "%s: the organization has sub-organizations"},

		"kind.committee":      {"党委/党工委", "Party committee"},
		"kind.general_branch": {"党总支", "General branch"},
		"kind.branch":         {"党支部", "Branch"},
		"kind.joint_branch":   {"联合党支部", "Joint branch"},
		"kind.temp_branch":    {"临时党支部", "Temporary branch"},
		"kind.group":          {"党小组", "Party group"},

		"field.rural":       {"农村", "Rural"},
		"field.community":   {"社区", "Community"},
		"field.government":  {"机关", "Government body"},
		"field.institution": {"事业单位", "Public institution"},
		"field.soe":         {"国有企业", "State-owned enterprise"},
		"field.private":     {"非公企业", "Private enterprise"},
		"field.social":      {"社会组织", "Social organization"},
		"field.school":      {"学校", "School"},
		"field.hospital":    {"医院", "Hospital"},
		"field.other":       {"其他", "Other"},

		"check.no_secretary": {"未配备书记", "No secretary"},
		"check.too_small":    {"正式党员不足规定人数", "Too few full members"},
		"check.too_large":    {"党员超过规定人数", "Too many members"},
		"check.no_committee": {"应设支部委员会未设", "No branch committee though required"},
	})
}

func invalidChoice(field, v string) i18n.Msg { return i18n.M("v.choice", field, v) }
