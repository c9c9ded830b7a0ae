package projects

import (
	"embed"
	"strconv"

	"dangjian/internal/platform/i18n"
	"dangjian/internal/platform/yamldoc"
)

//go:embed grades
var gradeFiles embed.FS

// Grades are a version of the year-end evaluation grades (grades/example.yaml is the shipped
// example, marked 示例 with its source). A project keeps the version it was graded under.
type ProjectGrades struct {
	Version string         `yaml:"version" json:"version"`
	Name    string         `yaml:"name" json:"name"`
	Source  string         `yaml:"source" json:"source"`
	Example bool           `yaml:"example" json:"example"`
	Grades  []ProjectGrade `yaml:"grades" json:"grades"`
}

// ProjectGrade is one grade the level above may give.
type ProjectGrade struct {
	Code        string `yaml:"code" json:"code"`
	Name        string `yaml:"name" json:"name"`
	Description string `yaml:"description" json:"description"`
}

func init() {
	i18n.Register(map[string][2]string{
		"pj.dup": {"代码“%s”重复", "code %q appears twice"},
	})
}

// ExampleGrades is the shipped example document.
func ExampleGrades() []byte {
	b, _ := gradeFiles.ReadFile("grades/example.yaml")
	return b
}

var gradeSchema = func() []byte { b, _ := gradeFiles.ReadFile("grades/schema.json"); return b }()

// ParseGrades checks a document against the schema and for unique codes; every problem with
// its line (yamldoc.Problems).
func ParseGrades(text []byte) (*ProjectGrades, error) {
	doc, ps := yamldoc.Check(text, yamldoc.Compile("projects.grades.schema.json", gradeSchema))
	if ps != nil {
		return nil, ps
	}
	var g ProjectGrades
	if err := doc.Decode(&g); err != nil {
		return nil, yamldoc.Problems{yamldoc.At(doc, nil, "yd.raw", err.Error())}
	}
	seen := map[string]bool{}
	for i, x := range g.Grades {
		if seen[x.Code] {
			ps = append(ps, yamldoc.At(doc, []string{"grades", strconv.Itoa(i), "code"}, "pj.dup", x.Code))
		}
		seen[x.Code] = true
	}
	if ps != nil {
		return nil, ps
	}
	return &g, nil
}

// find is the grade of code, or nil.
func (g *ProjectGrades) find(code string) *ProjectGrade {
	for i := range g.Grades {
		if g.Grades[i].Code == code {
			return &g.Grades[i]
		}
	}
	return nil
}

// ShippedGrades is the shipped example document, parsed (a programming error when it fails:
// a test checks it).
func ShippedGrades() *ProjectGrades {
	g, err := ParseGrades(ExampleGrades())
	if err != nil {
		panic(err)
	}
	return g
}
