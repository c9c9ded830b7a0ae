package tasks

import (
	"bytes"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/httpx"
)

// Routes are the tasks endpoints, one function per resource.
func (s *Store) Routes() []httpx.Route {
	return append(append(s.taskRoutes(), s.figureRoutes()...), s.assignmentRoutes()...)
}

var (
	yearParam  = httpx.Param{Name: "year", Type: "integer", Doc: "calendar year (CST); default this year"}
	orgParam   = httpx.Param{Name: "org", Type: "integer", Doc: "the organization whose subtree is read (default: the issuing level)"}
	pageParams = []httpx.Param{{Name: "page", Type: "integer"}, {Name: "page_size", Type: "integer"}}
)

func (s *Store) year(r *http.Request) (int, error) {
	y, _ := strconv.Atoi(s.today()[:4])
	return httpx.QueryYear(r, "year", y)
}

func (s *Store) taskRoutes() []httpx.Route {
	return []httpx.Route{
		{Method: "POST", Path: "/api/v1/orgs/{id}/tasks", Tag: "tasks", Summary: "Issue a task to part of the organization's subtree (children, kinds, a field or chosen organizations): one assignment per receiving organization and period, made set-based",
			Perm: auth.NeedEditOrg, Body: NewTask{}, Resp: IssueResult{}, Status: http.StatusCreated,
			Handle: httpx.WithID("f.org", http.StatusCreated, func(r *http.Request, id int64) (*IssueResult, error) {
				b, err := httpx.DecodeInto[NewTask](r)
				if err != nil {
					return nil, err
				}
				return s.Issue(r.Context(), auth.From(r.Context()), id, b)
			})},
		{Method: "POST", Path: "/api/v1/tasks/{id}/cascade", Tag: "tasks", Summary: "Pass a received task down to the receiving organization's own subtree with its additions and a due date not later than the parent's (a new task linked to this one; this one is unchanged)",
			Perm: auth.NeedEditOrg, Access: "edit rights on the receiving organization (org_id), which must hold an assignment of the task", Body: CascadeTask{}, Resp: IssueResult{}, Status: http.StatusCreated,
			Handle: httpx.WithID("f.task", http.StatusCreated, func(r *http.Request, id int64) (*IssueResult, error) {
				b, err := httpx.DecodeInto[CascadeTask](r)
				if err != nil {
					return nil, err
				}
				return s.Cascade(r.Context(), auth.From(r.Context()), id, b)
			})},
		{Method: "GET", Path: "/api/v1/orgs/{id}/tasks", Tag: "tasks", Summary: "The tasks reaching the organization's subtree in a year, newest first, each with its completion figures there (maintained rollups)",
			Perm: auth.NeedRead, Query: append([]httpx.Param{yearParam}, pageParams...), Resp: httpx.List[Task]{},
			Handle: httpx.WithID("f.org", http.StatusOK, func(r *http.Request, id int64) (*httpx.List[Task], error) {
				y, err := s.year(r)
				if err != nil {
					return nil, err
				}
				p, err := httpx.PageOf(r)
				if err != nil {
					return nil, err
				}
				return s.List(r.Context(), auth.From(r.Context()), id, y, p)
			})},
		{Method: "GET", Path: "/api/v1/tasks/{id}", Tag: "tasks", Summary: "A task with its figures in an organization's subtree and the chain of tasks it cascades",
			Perm: auth.NeedRead, Query: []httpx.Param{orgParam}, Resp: Task{},
			Handle: httpx.WithID("f.task", http.StatusOK, func(r *http.Request, id int64) (*Task, error) {
				o, err := httpx.QueryID(r, "org")
				if err != nil {
					return nil, err
				}
				return s.Read(r.Context(), auth.From(r.Context()), id, o)
			})},
	}
}

func (s *Store) figureRoutes() []httpx.Route {
	return []httpx.Route{
		{Method: "GET", Path: "/api/v1/tasks/{id}/children", Tag: "tasks", Summary: "The drill-down of a task: the organization's children with assignments below them and their figures, a page at a time",
			Perm: auth.NeedRead, Query: append([]httpx.Param{orgParam}, pageParams...), Resp: httpx.List[TaskOrgFigures]{},
			Handle: httpx.WithID("f.task", http.StatusOK, func(r *http.Request, id int64) (*httpx.List[TaskOrgFigures], error) {
				o, err := httpx.QueryID(r, "org")
				if err != nil {
					return nil, err
				}
				p, err := httpx.PageOf(r)
				if err != nil {
					return nil, err
				}
				return s.Children(r.Context(), auth.From(r.Context()), id, o, p)
			})},
		{Method: "GET", Path: "/api/v1/tasks/{id}/export", Tag: "tasks", Summary: "A task's figures per child and every assignment of the organization's subtree as an .xlsx workbook",
			Perm: auth.NeedRead, Query: []httpx.Param{orgParam}, RespType: xlsxType, Heavy: true,
			Handle: func(w http.ResponseWriter, r *http.Request) error {
				id, err := httpx.PathID(r, "id", "f.task")
				if err != nil {
					return err
				}
				o, err := httpx.QueryID(r, "org")
				if err != nil {
					return err
				}
				var buf bytes.Buffer
				if err := s.Export(r.Context(), auth.From(r.Context()), id, o, &buf); err != nil {
					return err
				}
				w.Header().Set("Content-Type", xlsxType)
				w.Header().Set("Content-Disposition", "attachment; filename=\"task.xlsx\"; filename*=UTF-8''"+url.PathEscape("任务完成情况-"+strconv.FormatInt(id, 10)+".xlsx"))
				_, err = buf.WriteTo(w)
				return err
			}},
		{Method: "GET", Path: "/api/v1/orgs/{id}/tasks/completion", Tag: "tasks", Summary: "The organization's completion of a year's tasks over its subtree, and its children's (a page), from the maintained rollups",
			Perm: auth.NeedRead, Query: append([]httpx.Param{yearParam}, pageParams...), Resp: TaskCompletion{},
			Handle: httpx.WithID("f.org", http.StatusOK, func(r *http.Request, id int64) (*TaskCompletion, error) {
				y, err := s.year(r)
				if err != nil {
					return nil, err
				}
				p, err := httpx.PageOf(r)
				if err != nil {
					return nil, err
				}
				return s.YearCompletion(r.Context(), auth.From(r.Context()), id, y, p)
			})},
	}
}

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

func (s *Store) assignmentRoutes() []httpx.Route {
	return []httpx.Route{
		{Method: "GET", Path: "/api/v1/tasks/{id}/assignments", Tag: "tasks", Summary: "A task's assignments in the organization's subtree, in tree order, optionally of one state or only the overdue",
			Perm: auth.NeedRead, Query: append([]httpx.Param{orgParam, {Name: "state", Type: "string", Enum: States}, {Name: "overdue", Type: "boolean"}}, pageParams...),
			Resp: httpx.List[TaskAssignment]{}, Handle: httpx.WithID("f.task", http.StatusOK, func(r *http.Request, id int64) (*httpx.List[TaskAssignment], error) {
				o, err := httpx.QueryID(r, "org")
				if err != nil {
					return nil, err
				}
				f := TaskAssignmentFilter{State: r.URL.Query().Get("state")}
				if f.State != "" && !slices.Contains(States, f.State) {
					return nil, httpx.Invalid(httpx.FieldIssue("state", "f.task.state", "v.choice", f.State))
				}
				if f.Overdue, err = httpx.QueryBool(r, "overdue", false); err != nil {
					return nil, err
				}
				p, err := httpx.PageOf(r)
				if err != nil {
					return nil, err
				}
				return s.Assignments(r.Context(), auth.From(r.Context()), id, o, f, p)
			})},
		{Method: "POST", Path: "/api/v1/tasks/assignments/{id}/transition", Tag: "tasks", Summary: "Move an assignment: accept, start, submit (with the evidence note) by the receiving organization; verify, return (with a reason), close by the issuing level",
			Perm: auth.NeedEditOrg, Access: "edit rights on the receiving organization (accept, start, submit) or on the issuing level (verify, return, close)",
			Body: TaskTransition{}, Resp: TaskAssignment{}, Handle: httpx.WithID("f.task_assignment", http.StatusOK, func(r *http.Request, id int64) (*TaskAssignment, error) {
				b, err := httpx.DecodeInto[TaskTransition](r)
				if err != nil {
					return nil, err
				}
				return s.Move(r.Context(), auth.From(r.Context()), id, b)
			})},
		{Method: "GET", Path: "/api/v1/me/tasks", Tag: "tasks", Summary: "What waits for the caller: the outstanding assignments of the organizations they hold an editing grant on, soonest due, and the submissions to verify of tasks those organizations issued",
			Perm: httpx.AnyUser, Resp: MyTasks{}, Handle: func(w http.ResponseWriter, r *http.Request) error {
				m, err := s.Mine(r.Context(), auth.From(r.Context()))
				if err != nil {
					return err
				}
				return httpx.JSON(w, http.StatusOK, m)
			}},
	}
}
