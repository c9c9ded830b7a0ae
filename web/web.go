// Package web embeds the built front end (web/dist). A placeholder index.html is committed so
// the Go build works before `npm run build` has run; `make build` replaces it.
package web

import "embed"

//go:embed all:dist
var Dist embed.FS
