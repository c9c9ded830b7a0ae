// Package server wires the domains into one HTTP handler: the route table, the API
// description, health and metrics, and the embedded web application.
package server

import (
	"context"
	"crypto/subtle"
	"dangjian/internal/calendar"
	"io/fs"
	"net"
	"net/http"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"

	"dangjian/internal/assess"
	"dangjian/internal/commitment"
	"dangjian/internal/inspect"
	"dangjian/internal/life"
	"dangjian/internal/life/appraisal"
	"dangjian/internal/life/attachments"
	"dangjian/internal/life/compliance"
	"dangjian/internal/life/recordbook"
	"dangjian/internal/life/rules"
	"dangjian/internal/life/signin"
	"dangjian/internal/member"
	"dangjian/internal/member/sheet"
	"dangjian/internal/org"
	"dangjian/internal/platform/audit"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/clock"
	"dangjian/internal/platform/db"
	"dangjian/internal/platform/files"
	"dangjian/internal/platform/httpx"
	"dangjian/internal/platform/i18n"
	"dangjian/internal/platform/limit"
	"dangjian/internal/points"
	"dangjian/internal/projects"
	"dangjian/internal/publicity"
	"dangjian/internal/quarterly"
	"dangjian/internal/tasks"
	"dangjian/internal/tree"
	"dangjian/internal/volunteer"

	"dangjian/internal/classify"
	"dangjian/internal/rectify"
	"dangjian/internal/secreport"
	"dangjian/web"
)

// App is the assembled application.
type App struct {
	DB      *db.DB
	Clock   clock.Clock
	Auth    *auth.Service
	Orgs    *org.Store
	Members *member.Store
	Sheets  *sheet.Store // the roster as a spreadsheet: template, import, export
	Life    *life.Store  // the records: activities, attendance, affiliations, sign-in
	// Appraisal (民主评议, rectifications, talks), Compliance (findings, rollup, lapse, notices,
	// to-dos), Books (the record book), Files and Signin work over the same records.
	Appraisal  *appraisal.Store
	Compliance *compliance.Store
	Books      *recordbook.Store
	Files      *attachments.Store // the activities' files
	Signin     *signin.Store      // optional self sign-in
	Packs      *rules.Packs
	Points     *points.Store // 党员积分: schemes, claims, the ledger
	// Calendar is China's working days (holidays as data); Publicity is 公示 with objections,
	// counted in it (points' year end and assessment rounds publish through it).
	Calendar  *calendar.Store
	Publicity *publicity.Store
	Quarterly *quarterly.Store // 季度讲评: a level's children measured and ranked per quarter
	// Commitments (公开承诺) and Volunteer (到社区报到, volunteer records) feed the points.
	Commitments *commitment.Store
	Volunteer   *volunteer.Store
	Dir         string        // data directory (import reports)
	Tasks       *tasks.Store  // tasks cascaded level by level and their completion
	Assess      *assess.Store // indicator sets, assessment rounds, stars (docs/ASSESS.md)
	// MetricsToken, when set, lets /metrics be read from anywhere with "Authorization: Bearer
	// <token>"; without it only direct loopback callers may read it.
	MetricsToken string
	// BodyTimeout is how long a request may take to arrive (ordinary routes); 0: no limit.
	BodyTimeout time.Duration
	// Heavy bounds the heavy routes (imports, exports, record books, image uploads) running
	// at once; serve sizes it from --heavy-slots.
	Heavy *limit.Slots
	// Tree is the registry of the domains' rollup parts (func Tree): the recount and a
	// move's path rewrite go through it.
	Tree *tree.Registry
	// Rectify (整改事项), SecReport (书记述职评议), Classify (分类定级, 整顿转化): issue 15.
	Rectify   *rectify.Store
	SecReport *secreport.Store
	Classify  *classify.Store
	// Projects: secretaries' breakthrough projects (书记抓党建重点突破项目), issue 16.
	Projects *projects.Store
	Inspect  *inspect.Store // 专项督查: findings become rectification items (issue 16)
}

// New assembles the application on an open, migrated database.
func New(d *db.DB, c clock.Clock, dataDir string) *App {
	packs := &rules.Packs{DB: d, Clock: c, TTL: 10 * time.Second}
	members := &member.Store{DB: d, Clock: c}
	a := &App{DB: d, Clock: c, Auth: auth.NewService(d, c), Orgs: &org.Store{DB: d, Clock: c},
		Members: members, Sheets: &sheet.Store{Members: members, Dir: dataDir}, Dir: dataDir, Packs: packs,
		Life: &life.Store{DB: d, Clock: c, Pack: packs.Current, Files: files.Disk{Dir: filepath.Join(dataDir, "files")}, Members: members}}
	a.Appraisal = &appraisal.Store{Store: a.Life, Ratings: pointsRatings}
	a.Compliance = &compliance.Store{Store: a.Life, Appraisal: a.Appraisal}
	a.Life.Hooks = a.Compliance // records keep the compliance figures in step without importing them
	a.Books = &recordbook.Store{Store: a.Compliance}
	a.Files, a.Signin = &attachments.Store{Store: a.Life}, &signin.Store{Store: a.Life}
	a.Points = &points.Store{DB: d, Clock: c}
	a.Calendar = &calendar.Store{DB: d, Clock: c}
	a.Publicity = &publicity.Store{DB: d, Clock: c, Cal: a.Calendar}
	a.Quarterly = &quarterly.Store{DB: d, Clock: c, Orgs: a.Orgs,
		Sections: []quarterly.Section{quarterly.Life{Compliance: a.Compliance}, quarterly.Points{Points: a.Points, DB: d}}}
	a.Life.Followers = []life.Follower{a.Points}                                                   // 出席 yields points, in the record's transaction
	a.Commitments = &commitment.Store{DB: d, Clock: c, Followers: []commitment.Follower{a.Points}} // kept yields points
	a.Volunteer = &volunteer.Store{DB: d, Clock: c, Followers: []volunteer.Follower{a.Points}}     // confirmed yields points
	a.Points.Publicity = a.Publicity                                                               // the year end's 公示
	a.Tasks = &tasks.Store{DB: d, Clock: c}
	a.Assess = &assess.Store{DB: d, Clock: c, Pack: packs.Current, Pub: a.Publicity}
	a.Rectify = &rectify.Store{DB: d, Clock: c}
	a.SecReport = &secreport.Store{DB: d, Clock: c, Rectify: a.Rectify, RuleName: func(id string) string {
		for _, r := range packs.Current().Rules {
			if r.ID == id {
				return r.Name
			}
		}
		return id
	}}
	a.Classify = &classify.Store{DB: d, Clock: c, Rectify: a.Rectify}
	a.Projects = &projects.Store{DB: d, Clock: c, Grades: projects.ShippedGrades()}
	a.Inspect = &inspect.Store{DB: d, Clock: c, Rectify: a.Rectify}
	a.Quarterly.Sections = append(a.Quarterly.Sections, inspect.QuarterSection{DB: d}) // open/overdue items, findings
	a.Tree = Tree(a.Orgs, a.Compliance)
	a.Orgs.Tree, a.Orgs.StatsFill = a.Tree, member.FillStats
	a.LimitHeavy(limit.DefaultSlots, limit.DefaultRetryAfter)
	return a
}

// Tree is the one list of the domains' parts of the subtree rollups, in the order they
// recount (a part may adjust an earlier one's figures: life rechecks the organizations under
// the pack in force). A new domain with rollups or a path column adds its part here.
func Tree(orgs *org.Store, lifeFigures *compliance.Store) *tree.Registry {
	return tree.New(orgs.Part(), member.Part(), lifeFigures.Part(), points.Part(), points.YearEndPart(), commitment.Part(), volunteer.Part(), tasks.Part(),
		rectify.Part(), secreport.Part(), classify.Part(), projects.Part())
}

// LimitHeavy sets how many heavy requests run at once and the Retry-After of the others
// (before Handler is called).
func (a *App) LimitHeavy(slots int, retryAfter time.Duration) {
	a.Heavy = limit.New(slots, retryAfter)
	a.Heavy.TempDir = filepath.Join(a.Dir, "tmp")
}

// mounted is the route table as served: heavy routes run in a slot.
func (a *App) mounted() []httpx.Route {
	rs := a.Routes()
	for i := range rs {
		if rs[i].Heavy {
			rs[i].Handle = a.Heavy.Wrap(rs[i].Handle)
		}
	}
	return rs
}

// Routes is the whole API surface: one table, read by the router, the OpenAPI generator and
// the scope-matrix test.
func (a *App) Routes() []httpx.Route {
	var rs []httpx.Route
	rs = append(rs, a.Auth.Routes()...)
	rs = append(rs, a.ownRoutes()...)
	rs = append(rs, a.Orgs.Routes()...)
	rs = append(rs, a.Members.Routes()...)
	rs = append(rs, a.Sheets.Routes()...)
	rs = append(rs, a.Packs.Routes(a.Compliance.RebuildLater(a.Packs))...)
	rs = append(rs, a.Life.Routes()...)
	rs = append(rs, a.Compliance.Routes(a.Orgs)...)
	rs = append(rs, a.Appraisal.Routes()...)
	rs = append(rs, a.Files.Routes()...)
	rs = append(rs, a.Signin.Routes()...)
	rs = append(rs, a.Books.Routes()...)
	rs = append(rs, a.Points.Routes()...)
	rs = append(rs, a.Calendar.Routes()...)
	rs = append(rs, a.Quarterly.Routes()...)
	rs = append(rs, a.Commitments.Routes()...)
	rs = append(rs, a.Volunteer.Routes()...)
	rs = append(rs, a.Tasks.Routes()...)
	rs = append(rs, a.Assess.Routes()...)
	rs = append(rs, a.Rectify.Routes()...)
	rs = append(rs, a.SecReport.Routes()...)
	rs = append(rs, a.Classify.Routes()...)
	rs = append(rs, a.Projects.Routes()...)
	rs = append(rs, a.Inspect.Routes()...)
	return rs
}

// Handler is the HTTP handler of the server.
func (a *App) Handler() http.Handler {
	mux := http.NewServeMux()
	httpx.Mount(mux, a.mounted(), a.Auth.Middleware, auth.Guard{}, a.BodyTimeout)
	mux.Handle("GET /healthz", httpx.Observe("GET /healthz", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		_, _ = w.Write([]byte("ok\n"))
	})))
	mux.Handle("GET /readyz", httpx.Observe("GET /readyz", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		if err := a.DB.Ping(r.Context()); err != nil {
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte("database unreachable\n"))
			return
		}
		_, _ = w.Write([]byte("ok\n"))
	})))
	metrics := promhttp.Handler()
	mux.HandleFunc("GET /metrics", func(w http.ResponseWriter, r *http.Request) {
		if !metricsAllowed(r, a.MetricsToken) {
			http.NotFound(w, r)
			return
		}
		metrics.ServeHTTP(w, r)
	})
	mux.HandleFunc("GET /api/openapi.json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(a.OpenAPI())
	})
	mux.HandleFunc("GET /api/docs", a.docsPage)
	// Unknown API paths are a JSON 404, never the web app.
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		httpx.WriteError(w, r, &httpx.Error{Status: http.StatusNotFound, Code: "not_found", Detail: i18n.M("code.not_found")})
	})
	mux.Handle("/", spa())
	csrf := http.NewCrossOriginProtection()
	return httpx.Base(csrf.Handler(mux), &a.Auth.TrustedProxies)
}

// metricsAllowed: the bearer of the metrics token, or a caller on the loopback interface that
// did not come through a proxy (a proxy on the same host connects from loopback too, and
// says so in its forwarding headers).
func metricsAllowed(r *http.Request, token string) bool {
	if got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok && token != "" {
		return subtle.ConstantTimeCompare([]byte(got), []byte(token)) == 1
	}
	ip := net.ParseIP(httpx.ClientIP(r.Context()))
	for _, h := range []string{"Forwarded", "X-Forwarded-For", "X-Real-Ip"} {
		if r.Header.Get(h) != "" {
			return false
		}
	}
	return ip != nil && ip.IsLoopback()
}

// Limits guard the server against slow and numerous clients.
type Limits struct {
	BodyTimeout time.Duration // see App.BodyTimeout
	MaxConns    int           // connections open at once; more are answered 503 (0: no cap)
}

// Listen opens the server's listener with the connection cap.
func Listen(addr string, l Limits) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil || l.MaxConns <= 0 {
		return ln, err
	}
	return httpx.LimitListener(ln, l.MaxConns), nil
}

// HTTPServer is the server with its timeouts: headers within 10 s, the body within
// BodyTimeout (routes taking large uploads extend it, see httpx.Mount), an idle
// keep-alive connection closed after a minute.
func (a *App) HTTPServer(l Limits) *http.Server {
	a.BodyTimeout = l.BodyTimeout
	return &http.Server{
		Handler:           a.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       l.BodyTimeout,
		WriteTimeout:      5 * time.Minute, // a large export is written for a while
		IdleTimeout:       time.Minute,
		MaxHeaderBytes:    64 << 10,
	}
}

// spa serves the embedded web application: hashed assets cached for a year, index.html
// never cached, and client routes falling back to index.html (a placeholder page before the
// web application is built). Dotfiles of the build directory (.gitkeep, .stamp) are not served.
func spa() http.Handler {
	dist := web.Dist()
	files := http.FileServerFS(dist)
	index := web.Index(dist)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := strings.TrimPrefix(path.Clean(r.URL.Path), "/")
		if p != "" && p != "index.html" && !strings.HasPrefix(path.Base(p), ".") {
			if st, err := fs.Stat(dist, p); err == nil && !st.IsDir() {
				if strings.HasPrefix(p, "assets/") {
					w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
				} else {
					w.Header().Set("Cache-Control", "no-cache")
				}
				files.ServeHTTP(w, r)
				return
			}
		}
		w.Header().Set("Cache-Control", "no-cache, no-store, must-revalidate")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write(index)
	})
}

// Me is the answer of GET /api/v1/me.
type Me struct {
	User   *auth.User   `json:"user"`
	Grants []auth.Grant `json:"grants"`
	Scope  []org.Org    `json:"scope"`
	// Permissions lists what the caller may do somewhere in their scope, for the UI's menus.
	Permissions MePermissions `json:"permissions"`
	// Member is the member record the account is linked to (null: none): a secretary is a
	// member too, and 我的 shows their own record.
	Member *MeMember `json:"member" jsonschema:"nullable"`
}

// MePermissions are the caller's abilities, anywhere in scope.
type MePermissions struct {
	ReadOrgs     bool `json:"read_orgs"`
	WriteMembers bool `json:"write_members"`
	ManageOrgs   bool `json:"manage_orgs"`
	ReadAudit    bool `json:"read_audit"`
	ManageUsers  bool `json:"manage_users"`
	UseTokens    bool `json:"use_tokens"`
	IsAdmin      bool `json:"is_admin"`
}

// EnumItem is a code with its label.
type EnumItem struct {
	Code  string `json:"code"`
	Label string `json:"label"`
}

// Enums is the answer of GET /api/v1/meta/enums: every code list with labels in the
// caller's language.
type Enums map[string][]EnumItem

// Facts is the answer of GET /api/v1/meta/facts: figures of the server the web needs and
// must not copy.
type Facts struct {
	// BranchKinds are the organization kinds that hold their own organizational life.
	BranchKinds []string `json:"branch_kinds"`
	// AttachmentExts are the extensions an activity's file may have; AttachmentMaxBytes its size.
	AttachmentExts     []string `json:"attachment_exts"`
	AttachmentMaxBytes int      `json:"attachment_max_bytes"`
}

func (a *App) ownRoutes() []httpx.Route {
	return []httpx.Route{
		{Method: "GET", Path: "/api/v1/me", Tag: "auth", Summary: "The caller: account, grants, the organizations in scope", Perm: httpx.AnyUser,
			Resp: Me{}, Handle: func(w http.ResponseWriter, r *http.Request) error {
				sc := auth.From(r.Context())
				u, err := a.Auth.GetUser(r.Context(), sc, sc.UserID)
				if err != nil {
					return err
				}
				roots, err := a.Orgs.ScopeRoots(r.Context(), sc)
				if err != nil {
					return err
				}
				me := Me{User: u, Grants: sc.Grants, Scope: make([]org.Org, 0, len(roots)), Permissions: MePermissions{
					ReadOrgs: sc.Has(auth.Read), WriteMembers: sc.Has(auth.WriteMembers), ManageOrgs: sc.Has(auth.ManageOrgs),
					ReadAudit: sc.Has(auth.ReadAudit), ManageUsers: sc.Has(auth.ManageUsers), UseTokens: sc.Has(auth.UseTokens), IsAdmin: sc.IsAdmin()}}
				for _, o := range roots {
					me.Scope = append(me.Scope, *o)
				}
				if me.Member, err = a.meMember(r.Context(), sc.MemberID); err != nil {
					return err
				}
				return httpx.JSON(w, 200, me)
			}},
		{Method: "GET", Path: "/api/v1/meta/enums", Tag: "meta", Summary: "Every code list with labels in the request language", Perm: httpx.Public,
			Resp: Enums{}, Handle: func(w http.ResponseWriter, r *http.Request) error {
				return httpx.JSON(w, 200, enums(httpx.Lang(r.Context())))
			}},
		{Method: "GET", Path: "/api/v1/meta/facts", Tag: "meta", Summary: "Figures of the server the web needs: the organization kinds that hold their own organizational life, the file types and size of an attachment", Perm: httpx.Public,
			Resp: Facts{}, Handle: func(w http.ResponseWriter, r *http.Request) error {
				return httpx.JSON(w, 200, Facts{BranchKinds: org.BranchLevelKinds(), AttachmentExts: attachments.Exts(), AttachmentMaxBytes: attachments.MaxAttachment})
			}},
		{Method: "GET", Path: "/api/v1/audit", Tag: "audit", Summary: "The audit trail of the caller's subtree", Perm: auth.NeedReadAudit, Access: "admin: all; org_staff: entries of their subtree",
			Query: []httpx.Param{{Name: "org", Type: "integer"}, {Name: "entity", Type: "string", Enum: []string{"org", "member", "user", "token", "import"}},
				{Name: "entity_id", Type: "integer"}, {Name: "user", Type: "integer", Doc: "user id of the actor"}, {Name: "action", Type: "string"},
				{Name: "from", Type: "string", Doc: "RFC 3339 instant"}, {Name: "to", Type: "string", Doc: "RFC 3339 instant"},
				{Name: "page", Type: "integer"}, {Name: "page_size", Type: "integer"}},
			Resp: httpx.List[audit.Entry]{}, Handle: a.handleAudit},
	}
}

func enums(lang i18n.Lang) Enums {
	out := Enums{}
	add := func(name string, codes []string, prefix string) {
		items := make([]EnumItem, 0, len(codes))
		for _, c := range codes {
			items = append(items, EnumItem{Code: c, Label: i18n.T(lang, prefix+c)})
		}
		out[name] = items
	}
	add("kind", org.Kinds, "kind.")
	add("field", org.FieldCodes, "field.")
	add("check", org.Checks, "check.")
	for _, e := range member.Enums {
		add(e.Name, e.Codes, e.Name+".")
	}
	roles := make([]string, 0, len(auth.Roles))
	for _, r := range auth.Roles {
		roles = append(roles, string(r))
	}
	add("role", roles, "role.")
	bands := make([]string, 0, len(member.AgeBands))
	for _, b := range member.AgeBands {
		bands = append(bands, b.Key)
	}
	add("age_band", bands, "age_band.")
	return out
}

func init() {
	i18n.Register(map[string][2]string{
		"age_band.0-30": {"30岁及以下", "30 and under"}, "age_band.31-40": {"31—40岁", "31–40"},
		"age_band.41-50": {"41—50岁", "41–50"}, "age_band.51-60": {"51—60岁", "51–60"},
		"age_band.61-70": {"61—70岁", "61–70"}, "age_band.71-": {"71岁及以上", "71 and over"},
	})
}

// pointsRatings is points.StarsOf as 民主评议 shows it beside the grades (a reference): the
// appraisal cannot import points (points' tests import the appraisal).
func pointsRatings(ctx context.Context, q db.Querier, ids []int64, year int) (map[int64]appraisal.AppraisalPointsRef, error) {
	refs, err := points.StarsOf(ctx, q, ids, year)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]appraisal.AppraisalPointsRef, len(refs))
	for id, r := range refs {
		out[id] = appraisal.AppraisalPointsRef{Year: year, Stars: r.Stars, Final: r.Final, Withdrawn: r.Withdrawn, State: r.State}
	}
	return out, nil
}
