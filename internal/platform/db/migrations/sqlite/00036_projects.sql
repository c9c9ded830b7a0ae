-- +goose Up
-- Secretaries' breakthrough projects (书记抓党建重点突破项目, issue 16, docs/PROJECTS.md):
-- "年初建账、年中查账、年底交账". An organization's writers propose a project for a year; the
-- level above approves (立项), returns or rejects it, comments mid-year (年中查账) and evaluates
-- it at year end with a grade of the grades document: closed, or carried over (a new project
-- of the next year whose carried_from is this one).
CREATE TABLE projects (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id        INTEGER NOT NULL REFERENCES orgs(id),
    org_path      TEXT NOT NULL,                 -- subtree ranges; a move rewrites it
    year          INTEGER NOT NULL,
    title         TEXT NOT NULL,
    problem       TEXT NOT NULL DEFAULT '',
    goal          TEXT NOT NULL DEFAULT '',
    measures      TEXT NOT NULL DEFAULT '',
    responsible   TEXT NOT NULL DEFAULT '',      -- the people responsible
    state         TEXT NOT NULL,                 -- proposed, returned, approved, rejected, closed, carried
    reason        TEXT NOT NULL DEFAULT '',      -- of the last return or the rejection
    mid_comment   TEXT NOT NULL DEFAULT '',      -- 年中查账: the level above's comment
    grade         TEXT NOT NULL DEFAULT '',      -- a code of the grades document
    grades_version TEXT NOT NULL DEFAULT '',
    eval_comment  TEXT NOT NULL DEFAULT '',
    carried_from  INTEGER REFERENCES projects(id),
    created_by    INTEGER,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL
);
CREATE INDEX projects_year ON projects(year, org_path, id);
CREATE INDEX projects_carried ON projects(carried_from);

-- A milestone of a project: its due date (YYYY-MM-DD, CST) and, once reported, the day it was
-- done with the evidence. Overdue (not done, due before today) is computed at read time.
CREATE TABLE project_milestones (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id  INTEGER NOT NULL REFERENCES projects(id),
    seq         INTEGER NOT NULL,
    title       TEXT NOT NULL,
    due_date    TEXT NOT NULL,
    done_date   TEXT NOT NULL DEFAULT '',
    note        TEXT NOT NULL DEFAULT '',
    link        TEXT NOT NULL DEFAULT '',
    updated_at  TIMESTAMP NOT NULL
);
CREATE INDEX project_milestones_project ON project_milestones(project_id, seq);
CREATE INDEX project_milestones_due ON project_milestones(done_date, due_date);

-- +goose Down
DROP TABLE project_milestones;
DROP TABLE projects;
