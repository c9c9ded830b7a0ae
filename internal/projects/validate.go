package projects

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"dangjian/internal/platform/httpx"
)

// clean trims a proposal's text in place.
func (p *NewProject) clean() {
	for _, s := range []*string{&p.Title, &p.Problem, &p.Goal, &p.Measures, &p.Responsible} {
		*s = strings.TrimSpace(*s)
	}
	for i := range p.Milestones {
		p.Milestones[i].Title = strings.TrimSpace(p.Milestones[i].Title)
		p.Milestones[i].DueDate = strings.TrimSpace(p.Milestones[i].DueDate)
	}
}

// text checks a required text field and its length.
func text(is *httpx.Issues, field, label, v string, max int) {
	switch {
	case v == "":
		is.Add(field, label, "v.required")
	case utf8.RuneCountInString(v) > max:
		is.Add(field, label, "v.too_long", max)
	}
}

// check checks a proposal for a year around thisYear; every problem names its field.
func (p *NewProject) check(thisYear int) error {
	var is httpx.Issues
	if p.Year < thisYear-1 || p.Year > thisYear+1 {
		is.Add("year", "f.project.year", "pj.year_range", thisYear-1, thisYear+1)
	}
	text(&is, "title", "f.project.title", p.Title, 100)
	text(&is, "problem", "f.project.problem", p.Problem, 2000)
	text(&is, "goal", "f.project.goal", p.Goal, 2000)
	text(&is, "measures", "f.project.measures", p.Measures, 4000)
	text(&is, "responsible", "f.project.responsible", p.Responsible, 200)
	if len(p.Milestones) == 0 {
		is.Add("milestones", "f.project.milestones", "v.required")
	}
	if len(p.Milestones) > 24 {
		is.Add("milestones", "f.project.milestones", "v.too_long", 24)
	}
	y := strconv.Itoa(p.Year)
	for i, m := range p.Milestones {
		f := fmt.Sprintf("milestones[%d].", i)
		text(&is, f+"title", "f.project.milestone.title", m.Title, 200)
		if _, err := time.Parse(time.DateOnly, m.DueDate); err != nil {
			is.Add(f+"due_date", "f.project.milestone.due", "v.date")
		} else if !strings.HasPrefix(m.DueDate, y+"-") {
			is.Add(f+"due_date", "f.project.milestone.due", "pj.outside_year", p.Year)
		}
	}
	return is.Err()
}

// ProjectProgress is a report at a milestone: done (on a day, not later than today) or not
// yet, with the evidence — a note, and a link where there is one.
type ProjectProgress struct {
	Done     bool   `json:"done"`
	DoneDate string `json:"done_date,omitempty"` // YYYY-MM-DD (CST); default today
	Note     string `json:"note"`
	Link     string `json:"link,omitempty"`
}

func (p *ProjectProgress) check(today string) error {
	var is httpx.Issues
	p.Note, p.Link, p.DoneDate = strings.TrimSpace(p.Note), strings.TrimSpace(p.Link), strings.TrimSpace(p.DoneDate)
	text(&is, "note", "f.project.note", p.Note, 2000)
	if p.Link != "" && !strings.HasPrefix(p.Link, "http://") && !strings.HasPrefix(p.Link, "https://") || len(p.Link) > 500 {
		is.Add("link", "f.project.link", "pj.link")
	}
	if !p.Done {
		p.DoneDate = ""
	} else if p.DoneDate == "" {
		p.DoneDate = today
	} else if _, err := time.Parse(time.DateOnly, p.DoneDate); err != nil {
		is.Add("done_date", "f.project.done_date", "v.date")
	} else if p.DoneDate > today {
		is.Add("done_date", "f.project.done_date", "v.future")
	}
	return is.Err()
}

// ProjectDecision is the level above's word on a proposal, a mid-year comment or the
// year-end evaluation.
type ProjectDecision struct {
	Action  string `json:"action" jsonschema:"enum=approve,enum=return,enum=reject,enum=comment,enum=evaluate"`
	Reason  string `json:"reason,omitempty"`  // return, reject: required
	Comment string `json:"comment,omitempty"` // comment, evaluate: required
	Grade   string `json:"grade,omitempty"`   // evaluate: a code of the grades document
	Carry   bool   `json:"carry,omitempty"`   // evaluate: carry over to next year's project
}

func (d *ProjectDecision) check(g *ProjectGrades) error {
	var is httpx.Issues
	d.Reason, d.Comment = strings.TrimSpace(d.Reason), strings.TrimSpace(d.Comment)
	switch d.Action {
	case "approve":
	case "return", "reject":
		text(&is, "reason", "f.project.reason", d.Reason, 500)
	case "comment":
		text(&is, "comment", "f.project.comment", d.Comment, 2000)
	case "evaluate":
		text(&is, "comment", "f.project.comment", d.Comment, 2000)
		if g.find(d.Grade) == nil {
			is.Add("grade", "f.project.grade", "v.choice", d.Grade)
		}
	default:
		is.Add("action", "f.project.action", "v.choice", d.Action)
	}
	return is.Err()
}
