// Package web embeds the built front end (web/dist). The build output is not tracked: a fresh
// clone has only web/dist/.gitkeep, so the Go build works before `npm run build` has run, and
// the server then answers with Placeholder. A build never changes a tracked file.
package web

import (
	"embed"
	"io/fs"
)

//go:embed all:dist
var dist embed.FS

// Placeholder is the page served when the web application has not been built.
//
//go:embed placeholder.html
var Placeholder []byte

// Dist is the built web application, rooted at its index.html (empty before a build).
func Dist() fs.FS {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		panic(err) // "dist" is a valid path: cannot happen
	}
	return sub
}

// Index is the built application's index.html, or Placeholder before a build.
func Index(files fs.FS) []byte {
	if b, err := fs.ReadFile(files, "index.html"); err == nil {
		return b
	}
	return Placeholder
}
