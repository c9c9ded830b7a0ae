package commitment

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v3"
	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"dangjian/internal/platform/yamldoc"
)

//go:embed catalogue
var catalogueFiles embed.FS

// CommitmentCatalogue is the data a commitment is checked against (DESIGN principle 4): its categories,
// how many days before the due date the branch is reminded, how many a member may make a year
// and how long one may be. Versioned: a commitment keeps the version it was checked against.
type CommitmentCatalogue struct {
	ID         string               `json:"id" yaml:"id"`
	Version    string               `json:"version" yaml:"version"`
	Source     string               `json:"source" yaml:"source"`
	RemindDays int                  `json:"remind_days" yaml:"remind_days"`
	MaxPerYear int                  `json:"max_per_year" yaml:"max_per_year"`
	MaxChars   int                  `json:"max_chars" yaml:"max_chars"`
	Categories []CommitmentCategory `json:"categories" yaml:"categories"`
}

// CommitmentCategory is one kind of commitment (岗位建功, 服务群众 …).
type CommitmentCategory struct {
	Code   string `json:"code" yaml:"code"`
	Name   string `json:"name" yaml:"name"`
	NameEN string `json:"name_en" yaml:"name_en"`
}

// Category finds a category by code (nil: none).
func (c *CommitmentCatalogue) Category(code string) *CommitmentCategory {
	for i := range c.Categories {
		if c.Categories[i].Code == code {
			return &c.Categories[i]
		}
	}
	return nil
}

// Problem is one thing wrong in a catalogue, at a line of its text.
type Problem struct {
	Line   int    `json:"line"`
	Path   string `json:"path"`
	Reason string `json:"reason"`
}

// Problems is everything wrong with a catalogue.
type Problems []Problem

func (ps Problems) Error() string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = fmt.Sprintf("第%d行（%s）：%s", p.Line, p.Path, p.Reason)
	}
	return strings.Join(out, "; ")
}

// ParseCatalogue reads a catalogue and checks it against its schema and for duplicate
// codes; every problem names its line.
func ParseCatalogue(text []byte) (*CommitmentCatalogue, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(text, &root); err != nil {
		return nil, Problems{{Line: yamldoc.ErrorLine(err), Path: "/", Reason: err.Error()}}
	}
	if len(root.Content) == 0 {
		return nil, Problems{{Line: 1, Path: "/", Reason: "内容是空的 (empty document)"}}
	}
	doc := root.Content[0]
	var generic any
	if err := doc.Decode(&generic); err != nil {
		return nil, Problems{{Line: doc.Line, Path: "/", Reason: err.Error()}}
	}
	if ps := schemaProblems(doc, generic); len(ps) > 0 {
		return nil, ps
	}
	var c CommitmentCatalogue
	if err := doc.Decode(&c); err != nil {
		return nil, Problems{{Line: doc.Line, Path: "/", Reason: err.Error()}}
	}
	seen := map[string]bool{}
	var ps Problems
	for i, cat := range c.Categories {
		if seen[cat.Code] {
			loc := []string{"categories", fmt.Sprint(i), "code"}
			ps = append(ps, Problem{Line: yamldoc.LineAt(doc, loc), Path: "/" + strings.Join(loc, "/"), Reason: "分类代码重复：" + cat.Code})
		}
		seen[cat.Code] = true
	}
	if len(ps) > 0 {
		return nil, ps
	}
	return &c, nil
}

func schemaProblems(doc *yaml.Node, generic any) Problems {
	raw, _ := catalogueFiles.ReadFile("catalogue/schema.json")
	sdoc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		return Problems{{Line: 1, Path: "/", Reason: err.Error()}}
	}
	comp := jsonschema.NewCompiler()
	if err := comp.AddResource("catalogue.schema.json", sdoc); err != nil {
		return Problems{{Line: 1, Path: "/", Reason: err.Error()}}
	}
	sch, err := comp.Compile("catalogue.schema.json")
	if err != nil {
		return Problems{{Line: 1, Path: "/", Reason: err.Error()}}
	}
	err = sch.Validate(yamldoc.JSONCompatible(generic))
	var ve *jsonschema.ValidationError
	if err == nil {
		return nil
	}
	if !errors.As(err, &ve) {
		return Problems{{Line: 1, Path: "/", Reason: err.Error()}}
	}
	var ps Problems
	for _, leaf := range yamldoc.Leaves(ve) {
		ps = append(ps, Problem{Line: yamldoc.LineAt(doc, leaf.InstanceLocation), Path: "/" + strings.Join(leaf.InstanceLocation, "/"),
			Reason: leaf.ErrorKind.LocalizedString(message.NewPrinter(language.English))})
	}
	return ps
}

// CatalogueText is the shipped catalogue (YAML).
func CatalogueText() []byte {
	b, err := catalogueFiles.ReadFile("catalogue/catalogue.yaml")
	if err != nil {
		panic(err)
	}
	return b
}

// shipped is the catalogue in force, parsed once; a broken shipped catalogue is a build
// error caught by TestShippedCatalogue, so the server never starts with one.
var shipped = func() *CommitmentCatalogue {
	c, err := ParseCatalogue(CatalogueText())
	if err != nil {
		panic("commitment: the shipped catalogue: " + err.Error())
	}
	return c
}()

// Current is the catalogue in force.
func Current() *CommitmentCatalogue { return shipped }
