-- +goose Up
-- Tasks cascaded level by level (issue 16, docs/TASKS.md). A level issues a task to part of
-- its subtree; each receiving organization gets an assignment (one per period of a cycle).
-- A receiving level may cascade the task to its own subtree: a new task whose parent_id is
-- the one it received, so the chain stays linked and the parent row is never written.
CREATE TABLE tasks (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id             INTEGER NOT NULL REFERENCES orgs(id),  -- the issuing level
    org_path           TEXT NOT NULL,
    parent_id          INTEGER REFERENCES tasks(id),          -- the task this one cascades
    title              TEXT NOT NULL,
    description        TEXT NOT NULL DEFAULT '',
    additions          TEXT NOT NULL DEFAULT '',             -- what a cascading level adds
    target             INTEGER,                              -- a count or target, when one applies
    target_unit        TEXT NOT NULL DEFAULT '',
    due_date           TEXT NOT NULL DEFAULT '',             -- YYYY-MM-DD (CST); '' for a cycle
    cycle              TEXT NOT NULL DEFAULT '',             -- '', monthly, quarterly
    lead_days          INTEGER NOT NULL DEFAULT 0,           -- a cycle's due: period end minus these
    year               INTEGER NOT NULL,
    weight             INTEGER NOT NULL DEFAULT 0,
    evidence           TEXT NOT NULL DEFAULT '',             -- what proves it
    evidence_required  BOOLEAN NOT NULL DEFAULT 0,
    selector           TEXT NOT NULL DEFAULT '',             -- who receives it (JSON, as issued)
    created_by         INTEGER,
    created_at         TIMESTAMP NOT NULL
);
CREATE INDEX tasks_org ON tasks(org_path, year, id);
CREATE INDEX tasks_parent ON tasks(parent_id);

-- An assignment: one organization's share of a task for a period ('' for a one-off task).
-- org_path is the organization's path (subtree ranges; a move rewrites it).
CREATE TABLE task_assignments (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    task_id       INTEGER NOT NULL REFERENCES tasks(id),
    org_id        INTEGER NOT NULL REFERENCES orgs(id),
    org_path      TEXT NOT NULL,
    period        TEXT NOT NULL DEFAULT '',
    due_date      TEXT NOT NULL,
    year          INTEGER NOT NULL,
    state         TEXT NOT NULL,                 -- issued, accepted, in_progress, submitted, verified, returned, closed
    note          TEXT NOT NULL DEFAULT '',      -- the evidence note of the last submission
    reason        TEXT NOT NULL DEFAULT '',      -- of the last return
    updated_by    INTEGER,
    updated_at    TIMESTAMP NOT NULL,
    UNIQUE (task_id, org_id, period)
);
CREATE INDEX task_assignments_task ON task_assignments(task_id, org_path, id);
CREATE INDEX task_assignments_org ON task_assignments(org_path, state, due_date);
CREATE INDEX task_assignments_state ON task_assignments(task_id, state, due_date);

-- +goose Down
DROP TABLE task_assignments;
DROP TABLE tasks;
