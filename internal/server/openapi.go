package server

import (
	"bytes"
	"encoding/json"
	"html/template"
	"net/http"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/invopop/jsonschema"

	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/httpx"
)

var (
	specOnce sync.Once
	spec     []byte
)

// OpenAPI returns the OpenAPI 3.1 description generated from the route table and the Go
// types of the bodies, so the description cannot drift from the code.
func (a *App) OpenAPI() []byte {
	specOnce.Do(func() { spec = BuildOpenAPI(a.Routes()) })
	return spec
}

var pathParam = regexp.MustCompile(`\{([a-z_]+)\}`)

// schemaName names a Go type in components.schemas: List[pkg.Member] becomes MemberList.
func schemaName(t reflect.Type) string {
	n := t.Name()
	if i := strings.Index(n, "["); i >= 0 {
		inner := n[i+1 : len(n)-1]
		pkgPath, name := "", inner
		if j := strings.LastIndex(inner, "."); j >= 0 {
			pkgPath, name = inner[:j], inner[j+1:]
		}
		return qualified(pkgPath, name) + n[:i]
	}
	return qualified(t.PkgPath(), n)
}

// qualified prefixes names shared by several packages with the package: OrgPatch, MemberPatch.
func qualified(pkgPath, name string) string {
	// The issue-15 domains share many plain names (Item, Report, Plan, Rules …): always
	// prefixed, so no other package's type of the same name overwrites theirs.
	switch pkg := pkgPath[strings.LastIndex(pkgPath, "/")+1:]; pkg {
	case "rectify", "secreport", "classify", "leveldoc":
		return strings.ToUpper(pkg[:1]) + pkg[1:] + name
	}
	switch name {
	case "Can", "Fields", "Patch", "Entry", "Filter", "Band", "Publicity", "NewObjection", "StarEvent", "StarChange":
		pkg := pkgPath[strings.LastIndex(pkgPath, "/")+1:]
		return strings.ToUpper(pkg[:1]) + pkg[1:] + name
	}
	return name
}

// uniqueNames wraps a namer so that two Go types given one schema name fail loudly: the
// second would silently replace the first in components.schemas (and in the web's types).
func uniqueNames(name func(reflect.Type) string, clash *[]string) func(reflect.Type) string {
	seen := map[string]string{}
	return func(t reflect.Type) string {
		n, id := name(t), t.PkgPath()+"."+t.Name()
		if t.Kind() != reflect.Struct {
			return n // named strings and numbers are inlined, never defined
		}
		if prev, ok := seen[n]; ok && prev != id {
			*clash = append(*clash, n+": "+prev+" and "+id)
		}
		seen[n] = id
		return n
	}
}

// BuildOpenAPI renders routes as an OpenAPI 3.1 document. Two Go types named alike panic:
// rename one, or qualify the name with its package in qualified().
func BuildOpenAPI(routes []httpx.Route) []byte {
	var clash []string
	defer func() {
		if len(clash) > 0 {
			panic("openapi: one schema name for several Go types (rename one, or add it to qualified()): " + strings.Join(clash, "; "))
		}
	}()
	r := &jsonschema.Reflector{Namer: uniqueNames(schemaName, &clash), AllowAdditionalProperties: false}
	components := map[string]any{}
	ref := func(v any) map[string]any {
		s := r.Reflect(v)
		for name, def := range s.Definitions {
			components[name] = def
		}
		if s.Ref != "" {
			return map[string]any{"$ref": s.Ref}
		}
		return map[string]any{"type": "object"}
	}
	problem := map[string]any{"description": "Problem (RFC 9457)", "content": map[string]any{"application/problem+json": map[string]any{"schema": ref(httpx.Problem{})}}}
	paths := map[string]map[string]any{}
	for _, rt := range routes {
		op := map[string]any{
			"operationId": operationID(rt),
			"summary":     rt.Summary,
			"tags":        []string{rt.Tag},
		}
		if rt.Perm != httpx.Public {
			op["description"] = "Access: " + accessText(rt)
		}
		var params []any
		for _, m := range pathParam.FindAllStringSubmatch(rt.Path, -1) {
			params = append(params, map[string]any{"name": m[1], "in": "path", "required": true, "schema": map[string]any{"type": "integer"}})
		}
		for _, q := range rt.Query {
			sch := map[string]any{"type": q.Type}
			if len(q.Enum) > 0 {
				sch["enum"] = q.Enum
			}
			p := map[string]any{"name": q.Name, "in": "query", "schema": sch}
			if q.Doc != "" {
				p["description"] = q.Doc
			}
			params = append(params, p)
		}
		if len(params) > 0 {
			op["parameters"] = params
		}
		if rt.Body != nil {
			op["requestBody"] = map[string]any{"required": true, "content": map[string]any{"application/json": map[string]any{"schema": ref(rt.Body)}}}
		}
		if rt.Multipart {
			op["requestBody"] = map[string]any{"required": true, "content": map[string]any{"multipart/form-data": map[string]any{"schema": map[string]any{
				"type": "object", "required": []string{"file"}, "properties": map[string]any{"file": map[string]any{"type": "string", "format": "binary"}}}}}}
		}
		status := rt.Status
		if status == 0 {
			status = 200
		}
		ok := map[string]any{"description": "OK"}
		switch {
		case rt.RespType != "":
			ok["content"] = map[string]any{rt.RespType: map[string]any{"schema": map[string]any{"type": "string", "format": "binary"}}}
		case rt.Resp != nil:
			ok["content"] = map[string]any{"application/json": map[string]any{"schema": ref(rt.Resp)}}
		}
		resps := map[string]any{itoa(status): ok, "default": problem}
		if rt.Heavy {
			resps["429"] = map[string]any{"description": "Every heavy-work slot of the instance is taken: retry after the Retry-After seconds",
				"headers": map[string]any{"Retry-After": map[string]any{"schema": map[string]any{"type": "integer"}}},
				"content": problem["content"]}
		}
		op["responses"] = resps
		if rt.Perm == httpx.Public {
			op["security"] = []any{}
		}
		if paths[rt.Path] == nil {
			paths[rt.Path] = map[string]any{}
		}
		paths[rt.Path][strings.ToLower(rt.Method)] = op
	}
	doc := map[string]any{
		"openapi": "3.1.0",
		"info": map[string]any{"title": "dangjian API", "version": "1",
			"description": "The JSON API of the grassroots Party-building platform. Conventions: docs/API.md. Errors are RFC 9457 problems with a stable code; messages follow Accept-Language (zh-CN by default)."},
		"paths": paths,
		"components": map[string]any{
			"schemas": components,
			"securitySchemes": map[string]any{
				"bearer":  map[string]any{"type": "http", "scheme": "bearer"},
				"session": map[string]any{"type": "apiKey", "in": "cookie", "name": "dangjian_session"},
			},
		},
		"security": []any{map[string]any{"bearer": []string{}}, map[string]any{"session": []string{}}},
	}
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		panic(err)
	}
	b = bytes.ReplaceAll(b, []byte("#/$defs/"), []byte("#/components/schemas/"))
	return append(b, '\n')
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

func operationID(rt httpx.Route) string {
	parts := []string{strings.ToLower(rt.Method)}
	for _, seg := range strings.Split(strings.TrimPrefix(rt.Path, "/api/v1/"), "/") {
		if strings.HasPrefix(seg, "{") {
			seg = "by_" + strings.Trim(seg, "{}")
		}
		seg = strings.NewReplacer(".", "_", "-", "_").Replace(seg)
		parts = append(parts, seg)
	}
	return strings.Join(parts, "_")
}

var docsTmpl = template.Must(template.New("docs").Parse(`<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>API 文档 - 党建工作平台</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}
h2{border-bottom:2px solid #c00;padding-bottom:.2em;margin-top:2em}.op{border:1px solid #ddd;border-radius:6px;margin:.6em 0;padding:.5em .8em}
.m{display:inline-block;min-width:4.5em;font-weight:700;font-family:monospace}.GET{color:#0a6}.POST{color:#06c}.PATCH{color:#b60}.DELETE{color:#c00}
code{background:#f4f4f4;padding:0 .3em;border-radius:3px}.acc{color:#555;font-size:90%}table{border-collapse:collapse;font-size:90%}td{padding:.1em .6em;border-bottom:1px solid #eee}</style></head>
<body><h1>党建工作平台 API / dangjian API</h1>
<p>机器可读描述 / machine-readable: <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI 3.1). 认证：<code>POST /api/v1/auth/login</code> 后使用会话 Cookie 或 <code>Authorization: Bearer &lt;token&gt;</code>。错误为 RFC 9457 <code>application/problem+json</code>。</p>
{{range .}}<h2 id="{{.Tag}}">{{.Tag}}</h2>{{range .Routes}}<div class="op"><span class="m {{.Method}}">{{.Method}}</span> <code>{{.Path}}</code> — {{.Summary}}
<div class="acc">{{.Access}}</div>
{{if .Query}}<table>{{range .Query}}<tr><td><code>{{.Name}}</code></td><td>{{.Type}}</td><td>{{.Doc}}{{if .Enum}} ({{range $i, $e := .Enum}}{{if $i}}, {{end}}{{$e}}{{end}}){{end}}</td></tr>{{end}}</table>{{end}}
</div>{{end}}{{end}}</body></html>`))

// accessText is who may call rt, in words: its own Access text, or the words for its Perm.
func accessText(rt httpx.Route) string {
	if rt.Access != "" {
		return rt.Access
	}
	return auth.Describe(rt.Perm)
}

type docsGroup struct {
	Tag    string
	Routes []httpx.Route
}

func (a *App) docsPage(w http.ResponseWriter, r *http.Request) {
	groups := map[string]*docsGroup{}
	var order []string
	for _, rt := range a.Routes() {
		g, ok := groups[rt.Tag]
		if !ok {
			g = &docsGroup{Tag: rt.Tag}
			groups[rt.Tag] = g
			order = append(order, rt.Tag)
		}
		rt.Access = accessText(rt)
		g.Routes = append(g.Routes, rt)
	}
	sort.Strings(order)
	list := make([]*docsGroup, 0, len(order))
	for _, t := range order {
		list = append(list, groups[t])
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_ = docsTmpl.Execute(w, list)
}
