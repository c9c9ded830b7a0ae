package projects

import (
	"bytes"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/httpx"
)

// Routes are the projects endpoints.
func (s *Store) Routes() []httpx.Route {
	return append(s.projectRoutes(), s.viewRoutes()...)
}

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

var pageParams = []httpx.Param{{Name: "page", Type: "integer"}, {Name: "page_size", Type: "integer"}}

func (s *Store) year(r *http.Request) (int, error) {
	y, _ := strconv.Atoi(s.today()[:4])
	return httpx.QueryYear(r, "year", y)
}

func (s *Store) projectRoutes() []httpx.Route {
	return []httpx.Route{
		{Method: "POST", Path: "/api/v1/orgs/{id}/projects", Tag: "projects", Summary: "Propose the organization's breakthrough project for a year (书记抓党建重点突破项目 年初建账) for the level above to approve",
			Perm: auth.NeedEditOrg, Body: NewProject{}, Resp: Project{}, Status: http.StatusCreated,
			Handle: httpx.WithID("f.org", http.StatusCreated, func(r *http.Request, id int64) (*Project, error) {
				b, err := httpx.DecodeInto[NewProject](r)
				if err != nil {
					return nil, err
				}
				return s.Propose(r.Context(), auth.From(r.Context()), id, b)
			})},
		{Method: "GET", Path: "/api/v1/projects/{id}", Tag: "projects", Summary: "A project with its milestones (overdue computed against today, CST) and what the caller may do",
			Perm: auth.NeedRead, Resp: Project{},
			Handle: httpx.WithID("f.project", http.StatusOK, func(r *http.Request, id int64) (*Project, error) {
				return s.Read(r.Context(), auth.From(r.Context()), id)
			})},
		{Method: "PUT", Path: "/api/v1/projects/{id}", Tag: "projects", Summary: "Edit a proposed or returned project (milestones replaced) and resubmit it",
			Perm: auth.NeedEditOrg, Access: "edit rights on the project's organization", Body: NewProject{}, Resp: Project{},
			Handle: httpx.WithID("f.project", http.StatusOK, func(r *http.Request, id int64) (*Project, error) {
				b, err := httpx.DecodeInto[NewProject](r)
				if err != nil {
					return nil, err
				}
				return s.Edit(r.Context(), auth.From(r.Context()), id, b)
			})},
		{Method: "POST", Path: "/api/v1/projects/{id}/decide", Tag: "projects", Summary: "The level above's word: approve (立项), return or reject a proposal; comment mid-year (年中查账); evaluate at year end with a grade (年底交账), closing or carrying it over",
			Perm: auth.NeedEditOrg, Access: "edit rights on the level above the project's organization", Body: ProjectDecision{}, Resp: Project{},
			Handle: httpx.WithID("f.project", http.StatusOK, func(r *http.Request, id int64) (*Project, error) {
				b, err := httpx.DecodeInto[ProjectDecision](r)
				if err != nil {
					return nil, err
				}
				return s.Decide(r.Context(), auth.From(r.Context()), id, b)
			})},
		{Method: "POST", Path: "/api/v1/projects/milestones/{id}/progress", Tag: "projects", Summary: "Report progress at a milestone of an approved project: done (on a day) or not yet, with a note and a link",
			Perm: auth.NeedEditOrg, Access: "edit rights on the project's organization", Body: ProjectProgress{}, Resp: Project{},
			Handle: httpx.WithID("f.project_milestone", http.StatusOK, func(r *http.Request, id int64) (*Project, error) {
				b, err := httpx.DecodeInto[ProjectProgress](r)
				if err != nil {
					return nil, err
				}
				return s.Progress(r.Context(), auth.From(r.Context()), id, b)
			})},
	}
}

func (s *Store) viewRoutes() []httpx.Route {
	return []httpx.Route{
		{Method: "GET", Path: "/api/v1/orgs/{id}/projects", Tag: "projects", Summary: "The subtree's projects of a year at a glance: counts by state (maintained rollup) and a page of the projects, in tree order",
			Perm: auth.NeedRead, Query: append([]httpx.Param{{Name: "year", Type: "integer"}, {Name: "state", Type: "string", Enum: ProjectStates}}, pageParams...), Resp: ProjectOverview{},
			Handle: httpx.WithID("f.org", http.StatusOK, func(r *http.Request, id int64) (*ProjectOverview, error) {
				y, err := s.year(r)
				if err != nil {
					return nil, err
				}
				st := r.URL.Query().Get("state")
				if st != "" && !slices.Contains(ProjectStates, st) {
					return nil, httpx.Invalid(httpx.FieldIssue("state", "f.project.state", "v.choice", st))
				}
				p, err := httpx.PageOf(r)
				if err != nil {
					return nil, err
				}
				return s.Overview(r.Context(), auth.From(r.Context()), id, y, st, p)
			})},
		{Method: "GET", Path: "/api/v1/orgs/{id}/projects/children", Tag: "projects", Summary: "The drill-down: the organization's children with projects below them in a year and their counts by state, a page at a time",
			Perm: auth.NeedRead, Query: append([]httpx.Param{{Name: "year", Type: "integer"}}, pageParams...), Resp: httpx.List[ProjectOrgCounts]{},
			Handle: httpx.WithID("f.org", http.StatusOK, func(r *http.Request, id int64) (*httpx.List[ProjectOrgCounts], error) {
				y, err := s.year(r)
				if err != nil {
					return nil, err
				}
				p, err := httpx.PageOf(r)
				if err != nil {
					return nil, err
				}
				return s.Children(r.Context(), auth.From(r.Context()), id, y, p)
			})},
		{Method: "GET", Path: "/api/v1/orgs/{id}/projects/milestones", Tag: "projects", Summary: "The subtree's milestones not done of approved projects, due within `days` of today (CST; overdue ones included, earliest first)",
			Perm: auth.NeedRead, Query: append([]httpx.Param{{Name: "days", Type: "integer", Doc: "0–366, default 30"}}, pageParams...), Resp: httpx.List[DueMilestone]{},
			Handle: httpx.WithID("f.org", http.StatusOK, func(r *http.Request, id int64) (*httpx.List[DueMilestone], error) {
				d, err := httpx.QueryInt(r, "days", 30, 0, 366)
				if err != nil {
					return nil, err
				}
				p, err := httpx.PageOf(r)
				if err != nil {
					return nil, err
				}
				return s.DueSoon(r.Context(), auth.From(r.Context()), id, d, p)
			})},
		{Method: "GET", Path: "/api/v1/orgs/{id}/projects/export", Tag: "projects", Summary: "The subtree's projects of a year as an .xlsx workbook (state, milestones done and overdue, comments, grade)",
			Perm: auth.NeedRead, Query: []httpx.Param{{Name: "year", Type: "integer"}}, RespType: xlsxType, Heavy: true,
			Handle: func(w http.ResponseWriter, r *http.Request) error {
				id, err := httpx.PathID(r, "id", "f.org")
				if err != nil {
					return err
				}
				y, err := s.year(r)
				if err != nil {
					return err
				}
				var buf bytes.Buffer
				if err := s.Export(r.Context(), auth.From(r.Context()), id, y, &buf); err != nil {
					return err
				}
				w.Header().Set("Content-Type", xlsxType)
				w.Header().Set("Content-Disposition", "attachment; filename=\"projects.xlsx\"; filename*=UTF-8''"+url.PathEscape("重点突破项目-"+strconv.Itoa(y)+".xlsx"))
				_, err = buf.WriteTo(w)
				return err
			}},
		{Method: "GET", Path: "/api/v1/projects/grades", Tag: "projects", Summary: "The year-end grades document in force (data: version, source, whether it is the shipped example)",
			Perm: httpx.AnyUser, Resp: ProjectGrades{}, Handle: func(w http.ResponseWriter, r *http.Request) error {
				return httpx.JSON(w, http.StatusOK, s.Grades)
			}},
	}
}
