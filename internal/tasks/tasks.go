// Package tasks carries Party-building tasks down the tree ("一级抓一级、层层抓落实"): a level
// issues a task to part of its subtree, a receiving level may cascade it to its own subtree
// with its additions and earlier due dates, and each receiving organization's assignment moves
// through its states to verification by the issuing level. Completion figures are maintained
// subtree rollups (part.go), so any level reads its subtree's figures in one read. docs/TASKS.md.
package tasks

import (
	"time"

	"dangjian/internal/platform/clock"
	"dangjian/internal/platform/db"
	"dangjian/internal/platform/i18n"
)

// Store is the tasks domain over the database.
type Store struct {
	DB    *db.DB
	Clock clock.Clock
}

// The cycles a task may repeat on: each period of the task's year is an assignment.
const (
	Monthly   = "monthly"
	Quarterly = "quarterly"
)

// Selector says which organizations of the issuer's subtree (the issuer excluded, live ones
// only) receive a task: the chosen ones, or those matching every filter given.
type TaskSelector struct {
	Children bool     `json:"children,omitempty"` // only the issuer's direct children
	Kinds    []string `json:"kinds,omitempty"`    // of these kinds (e.g. every branch: branch, joint_branch, temp_branch)
	Field    string   `json:"field,omitempty"`    // of this field (领域)
	OrgIDs   []int64  `json:"org_ids,omitempty"`  // exactly these organizations
}

// NewTask is what an issuing level says of a task.
type NewTask struct {
	Title            string       `json:"title"`
	Description      string       `json:"description,omitempty"`
	Target           *int         `json:"target,omitempty"` // a count or target, when one applies
	TargetUnit       string       `json:"target_unit,omitempty"`
	DueDate          string       `json:"due_date,omitempty"` // YYYY-MM-DD (CST); or a cycle
	Cycle            string       `json:"cycle,omitempty" jsonschema:"enum=,enum=monthly,enum=quarterly"`
	Year             int          `json:"year,omitempty"`      // of a cycle
	LeadDays         int          `json:"lead_days,omitempty"` // a cycle's due: each period's last day minus these
	Weight           int          `json:"weight,omitempty"`
	Evidence         string       `json:"evidence,omitempty"` // what proves it
	EvidenceRequired bool         `json:"evidence_required,omitempty"`
	To               TaskSelector `json:"to"`
}

// CascadeTask is what a receiving level adds when it passes a task down: the parent task's
// title, description, cycle, weight and evidence carry over; its own additions, target, due
// date (not later than its own) and receivers are its own.
type CascadeTask struct {
	OrgID     int64        `json:"org_id"` // the receiving organization passing it down
	Title     string       `json:"title,omitempty"`
	Additions string       `json:"additions,omitempty"`
	Target    *int         `json:"target,omitempty"`
	DueDate   string       `json:"due_date,omitempty"`  // one-off: not later than the parent's
	LeadDays  int          `json:"lead_days,omitempty"` // cycle: not fewer than the parent's
	To        TaskSelector `json:"to"`                  // default: the organization's children
}

// Task is a task as read.
type Task struct {
	ID               int64        `json:"id"`
	OrgID            int64        `json:"org_id"` // the issuing level
	OrgName          string       `json:"org_name"`
	ParentID         *int64       `json:"parent_id" jsonschema:"nullable"`
	Title            string       `json:"title"`
	Description      string       `json:"description"`
	Additions        string       `json:"additions"`
	Target           *int         `json:"target" jsonschema:"nullable"`
	TargetUnit       string       `json:"target_unit"`
	DueDate          string       `json:"due_date"`
	Cycle            string       `json:"cycle"`
	LeadDays         int          `json:"lead_days"`
	Year             int          `json:"year"`
	Weight           int          `json:"weight"`
	Evidence         string       `json:"evidence"`
	EvidenceRequired bool         `json:"evidence_required"`
	CreatedAt        time.Time    `json:"created_at"`
	Figures          *TaskFigures `json:"figures,omitempty"` // at the organization the list or read is about
	Received         bool         `json:"received"`          // that organization received it itself (it may cascade it)
	Chain            []TaskLink   `json:"chain,omitempty"`   // the tasks it cascades, nearest first
}

// Link is a task up the cascade chain.
type TaskLink struct {
	ID        int64  `json:"id"`
	OrgName   string `json:"org_name"`
	Title     string `json:"title"`
	Additions string `json:"additions"`
	DueDate   string `json:"due_date"`
}

// IssueResult is the answer to issuing or cascading: the task and how many assignments it made.
type IssueResult struct {
	Task        Task `json:"task"`
	Assignments int  `json:"assignments"`
}

func init() {
	i18n.Register(map[string][2]string{
		"f.task":                    {"任务", "Task"},
		"f.task_assignment":         {"任务分解", "Assignment"},
		"f.task.title":              {"任务名称", "Title"},
		"f.task.description":        {"任务内容", "Description"},
		"f.task.additions":          {"补充要求", "Additions"},
		"f.task.target":             {"目标数", "Target"},
		"f.task.target_unit":        {"目标单位", "Target unit"},
		"f.task.due_date":           {"完成时限", "Due date"},
		"f.task.cycle":              {"周期", "Cycle"},
		"f.task.year":               {"年度", "Year"},
		"f.task.lead_days":          {"提前天数", "Days before period end"},
		"f.task.weight":             {"权重", "Weight"},
		"f.task.evidence":           {"佐证材料", "Evidence"},
		"f.task.to":                 {"下达对象", "Receivers"},
		"f.task.to.kinds":           {"组织类别", "Kinds"},
		"f.task.to.field":           {"领域", "Field"},
		"f.task.to.org_ids":         {"指定组织", "Chosen organizations"},
		"f.task.org_id":             {"接收组织", "Receiving organization"},
		"f.task.action":             {"操作", "Action"},
		"f.task.note":               {"完成情况说明", "Evidence note"},
		"f.task.reason":             {"退回原因", "Reason"},
		"f.task.state":              {"状态", "State"},
		"task.one_of_due":           {"%s：请填写完成时限或选择周期（二者选一）", "%s: give a due date or a cycle (one of them)"},
		"task.due_past":             {"%s：不能早于今天", "%s: cannot be before today"},
		"task.later_than_parent":    {"%s：不能晚于上级任务的时限 %s", "%s: cannot be later than the parent task's %s"},
		"task.lead_less":            {"%s：不能少于上级任务的 %d 天", "%s: cannot be fewer than the parent task's %d days"},
		"task.lead_range":           {"%s：应在 0–27 天之间", "%s: must be 0–27 days"},
		"task.no_receiver":          {"%s：没有符合条件的接收组织", "%s: no organization matches"},
		"task.choose_receivers":     {"%s：请选择下级组织、组织类别、领域或指定组织", "%s: choose children, kinds, a field or organizations"},
		"task.not_below":            {"%s：组织 %d 不是本级的下级组织", "%s: organization %d is not below the issuing level"},
		"task.not_received":         {"%s：该组织未接收此任务，不能分解下达", "%s: this organization did not receive the task and cannot pass it down"},
		"task.no_periods":           {"%s：%d 年已没有未结束的周期", "%s: no period of %d is still open"},
		"task.bad_state":            {"任务当前状态为“%s”，不能执行“%s”", "the assignment is %s and cannot be %s"},
		"task.note_required":        {"%s：本任务要求提交佐证材料说明", "%s: this task requires an evidence note"},
		"task.state.issued":         {"已下达", "Issued"},
		"task.state.accepted":       {"已签收", "Accepted"},
		"task.state.in_progress":    {"推进中", "In progress"},
		"task.state.submitted":      {"已报送", "Submitted"},
		"task.state.verified":       {"已验收", "Verified"},
		"task.state.returned":       {"已退回", "Returned"},
		"task.state.closed":         {"已销号", "Closed"},
		"task.action.accept":        {"签收", "accept"},
		"task.action.start":         {"开始推进", "start"},
		"task.action.submit":        {"报送", "submit"},
		"task.action.verify":        {"验收", "verify"},
		"task.action.return":        {"退回", "return"},
		"task.action.close":         {"销号", "close"},
		"task.cycle.monthly":        {"每月", "Monthly"},
		"task.cycle.quarterly":      {"每季度", "Quarterly"},
		"code.task_state":           {"状态不允许此操作", "Not allowed in this state"},
		"code.task_not_verifiable":  {"只能由下达任务的上级验收", "Only the issuing level verifies"},
		"detail.task.issuer_only":   {"只有下达任务的上级组织可以%s", "only the issuing level may %s"},
		"detail.task.assignee_only": {"只有接收任务的组织可以%s", "only the receiving organization may %s"},
	})
}
