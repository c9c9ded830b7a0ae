// Package projects keeps the secretaries' breakthrough projects (书记抓党建重点突破项目):
// "年初建账、年中查账、年底交账". An organization's writers propose a project for a year with its
// milestones; the level above (the parent organization's writers) approves it (立项), returns it
// with a reason (the secretary edits and resubmits) or rejects it; progress is reported at the
// milestones with evidence; the level above comments mid-year and evaluates it at year end
// with a grade of the grades document (data, grades.go): closed, or carried over to a linked
// project of the next year. State counts are a maintained subtree rollup (part.go). Overdue
// milestones are computed at read time from their due dates against today (CST). docs/PROJECTS.md.
package projects

import (
	"time"

	"dangjian/internal/platform/clock"
	"dangjian/internal/platform/db"
	"dangjian/internal/platform/i18n"
)

// Store is the projects domain over the database.
type Store struct {
	DB     *db.DB
	Clock  clock.Clock
	Grades *ProjectGrades // the grades document in force (the shipped example by default)
}

// The states of a project.
const (
	Proposed = "proposed" // waiting for the level above
	Returned = "returned" // back with the secretary, to edit and resubmit
	Approved = "approved" // 立项: under way, milestones reported
	Rejected = "rejected"
	Closed   = "closed"  // evaluated at year end
	Carried  = "carried" // evaluated and carried over to next year's project
)

// ProjectStates lists every state in workflow order.
var ProjectStates = []string{Proposed, Returned, Approved, Rejected, Closed, Carried}

// NewProject is what a secretary proposes (and edits while it is proposed or returned).
type NewProject struct {
	Year        int                   `json:"year,omitempty"` // default this year (CST)
	Title       string                `json:"title"`
	Problem     string                `json:"problem"`
	Goal        string                `json:"goal"`
	Measures    string                `json:"measures"`
	Responsible string                `json:"responsible"` // the people responsible
	Milestones  []NewProjectMilestone `json:"milestones"`
}

// NewProjectMilestone is a milestone as proposed.
type NewProjectMilestone struct {
	Title   string `json:"title"`
	DueDate string `json:"due_date"` // YYYY-MM-DD (CST), within the project's year
}

// Project is a project as read.
type Project struct {
	ID            int64              `json:"id"`
	OrgID         int64              `json:"org_id"`
	OrgName       string             `json:"org_name"`
	Year          int                `json:"year"`
	Title         string             `json:"title"`
	Problem       string             `json:"problem"`
	Goal          string             `json:"goal"`
	Measures      string             `json:"measures"`
	Responsible   string             `json:"responsible"`
	State         string             `json:"state" jsonschema:"enum=proposed,enum=returned,enum=approved,enum=rejected,enum=closed,enum=carried"`
	Reason        string             `json:"reason"`
	MidComment    string             `json:"mid_comment"`
	Grade         string             `json:"grade"`
	GradeName     string             `json:"grade_name"`
	GradesVersion string             `json:"grades_version"`
	EvalComment   string             `json:"eval_comment"`
	CarriedFrom   *int64             `json:"carried_from" jsonschema:"nullable"`
	CarriedTo     *int64             `json:"carried_to" jsonschema:"nullable"` // next year's project, when carried over
	CreatedAt     time.Time          `json:"created_at"`
	UpdatedAt     time.Time          `json:"updated_at"`
	Overdue       int                `json:"overdue"` // milestones not done and due before today (CST)
	Milestones    []ProjectMilestone `json:"milestones"`
	Actions       []string           `json:"actions"` // what the caller may do now
	path          string
	parentPath    string
}

// ProjectMilestone is a milestone as read.
type ProjectMilestone struct {
	ID       int64  `json:"id"`
	Seq      int    `json:"seq"`
	Title    string `json:"title"`
	DueDate  string `json:"due_date"`
	DoneDate string `json:"done_date"` // '' until reported done
	Late     bool   `json:"late"`      // done after its due date
	Overdue  bool   `json:"overdue"`   // not done and due before today
	Note     string `json:"note"`
	Link     string `json:"link"`
}

func init() {
	i18n.Register(map[string][2]string{
		"f.project":                 {"重点突破项目", "Project"},
		"f.project_milestone":       {"项目节点", "Milestone"},
		"f.project.year":            {"年度", "Year"},
		"f.project.title":           {"项目名称", "Title"},
		"f.project.problem":         {"突出问题", "Problem"},
		"f.project.goal":            {"目标", "Goal"},
		"f.project.measures":        {"主要措施", "Measures"},
		"f.project.responsible":     {"责任人", "Responsible"},
		"f.project.milestones":      {"节点安排", "Milestones"},
		"f.project.milestone.title": {"节点内容", "Milestone"},
		"f.project.milestone.due":   {"节点时间", "Milestone date"},
		"f.project.state":           {"状态", "State"},
		"f.project.action":          {"操作", "Action"},
		"f.project.reason":          {"原因", "Reason"},
		"f.project.comment":         {"意见", "Comment"},
		"f.project.grade":           {"评价等次", "Grade"},
		"f.project.note":            {"进展说明", "Progress note"},
		"f.project.link":            {"佐证链接", "Evidence link"},
		"f.project.done_date":       {"完成日期", "Done on"},
		"pj.year_range":             {"%s：应为 %d–%d 年", "%s: must be %d–%d"},
		"pj.outside_year":           {"%s：应在 %d 年内", "%s: must fall within %d"},
		"pj.no_parent":              {"最高一级组织没有上级，不能申报重点突破项目", "the top organization has no level above to approve a project"},
		"pj.bad_state":              {"项目当前状态为“%s”，不能%s", "the project is %s and cannot be %s"},
		"pj.link":                   {"%s：应为 http:// 或 https:// 开头的链接", "%s: must be an http:// or https:// link"},
		"pj.state.proposed":         {"待立项", "Proposed"},
		"pj.state.returned":         {"已退回", "Returned"},
		"pj.state.approved":         {"已立项", "Approved"},
		"pj.state.rejected":         {"未立项", "Rejected"},
		"pj.state.closed":           {"已交账", "Closed"},
		"pj.state.carried":          {"结转下年", "Carried over"},
		"pj.action.edit":            {"修改", "edited"},
		"pj.action.approve":         {"立项", "approved"},
		"pj.action.return":          {"退回", "returned"},
		"pj.action.reject":          {"不予立项", "rejected"},
		"pj.action.comment":         {"年中查账", "commented"},
		"pj.action.progress":        {"报告进展", "reported"},
		"pj.action.evaluate":        {"年底评价", "evaluated"},
		"code.project_state":        {"状态不允许此操作", "Not allowed in this state"},
	})
}
