-- +goose Up
-- Rectification items (整改事项, issue 15): one home for the problems a 述职评议, an inspection or
-- an assessment names. An item belongs to an organization (org_path: its subtree range, kept by
-- moves) and to its source (kind + id); the owner submits it for closure, the level above the
-- organization closes (销号) or returns it. overdue is set by the daily sweep at CST day
-- boundaries, so the subtree's overdue count is a maintained rollup.
CREATE TABLE rectify_items (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id        INTEGER NOT NULL REFERENCES orgs(id),
    org_path      TEXT NOT NULL,
    source_kind   TEXT NOT NULL,                  -- secreport, conversion, inspection …
    source_id     INTEGER NOT NULL,
    problem       TEXT NOT NULL,
    owner_member_id INTEGER REFERENCES members(id),
    owner_name    TEXT NOT NULL DEFAULT '',
    due_date      TEXT NOT NULL,                  -- YYYY-MM-DD (CST)
    state         TEXT NOT NULL,                  -- open, submitted, closed, returned
    overdue       INTEGER NOT NULL DEFAULT 0,     -- 1: past due and not closed (the sweep)
    created_by    INTEGER,
    created_at    TIMESTAMP NOT NULL,
    closed_at     TIMESTAMP,
    closed_by     INTEGER
);
CREATE INDEX rectify_items_path ON rectify_items(org_path, state, id);
CREATE INDEX rectify_items_source ON rectify_items(source_kind, source_id);
CREATE INDEX rectify_items_due ON rectify_items(state, due_date);

-- Progress notes and every move of an item: append-only.
CREATE TABLE rectify_notes (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    item_id    INTEGER NOT NULL REFERENCES rectify_items(id),
    kind       TEXT NOT NULL,                     -- progress, submit, close, return
    text       TEXT NOT NULL,
    user_id    INTEGER,
    username   TEXT NOT NULL DEFAULT '',
    at         TIMESTAMP NOT NULL
);
CREATE INDEX rectify_notes_item ON rectify_notes(item_id, id);

-- Documents a level publishes (述职评议 voter groups, weights and grades; classification
-- classes and shares): YAML as published, never changed (a correction is a new version).
CREATE TABLE level_rules (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id     INTEGER NOT NULL REFERENCES orgs(id),
    kind       TEXT NOT NULL,                     -- secreport, classify
    version    TEXT NOT NULL,
    body       TEXT NOT NULL,
    loaded_by  INTEGER,
    loaded_at  TIMESTAMP NOT NULL
);
CREATE INDEX level_rules_org ON level_rules(org_id, kind, id);

-- 书记抓基层党建述职评议: a round per level and year, pinned to the rules version in force
-- when it opened; a report per child organization; the appraisal meeting's votes as counts
-- per voter group and grade.
CREATE TABLE secreport_rounds (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id      INTEGER NOT NULL REFERENCES orgs(id),
    year        INTEGER NOT NULL,
    rules_id    INTEGER NOT NULL REFERENCES level_rules(id),
    created_by  INTEGER,
    created_at  TIMESTAMP NOT NULL,
    UNIQUE (org_id, year)
);
CREATE TABLE secreport_reports (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    round_id      INTEGER NOT NULL REFERENCES secreport_rounds(id),
    org_id        INTEGER NOT NULL REFERENCES orgs(id),
    org_path      TEXT NOT NULL,
    skeleton      TEXT NOT NULL,                  -- JSON: the year's figures when the round opened
    body          TEXT NOT NULL DEFAULT '',
    state         TEXT NOT NULL,                  -- draft, submitted
    submitted_by  INTEGER,
    submitted_at  TIMESTAMP,
    comment       TEXT NOT NULL DEFAULT '',       -- 点评
    UNIQUE (round_id, org_id)
);
CREATE INDEX secreport_reports_path ON secreport_reports(org_path, id);
CREATE TABLE secreport_votes (
    report_id    INTEGER NOT NULL REFERENCES secreport_reports(id),
    voter_group  TEXT NOT NULL,
    grade        TEXT NOT NULL,
    n            INTEGER NOT NULL,
    PRIMARY KEY (report_id, voter_group, grade)
);

-- Classification of branches (先进/一般/后进) per year: every decision stays (a new one
-- supersedes); a 后进 branch's conversion plan (整顿转化), its measures being rectification
-- items (source conversion), accepted by the level above.
CREATE TABLE classify_decisions (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    level_id     INTEGER NOT NULL REFERENCES orgs(id),
    year         INTEGER NOT NULL,
    branch_id    INTEGER NOT NULL REFERENCES orgs(id),
    branch_path  TEXT NOT NULL,
    class        TEXT NOT NULL,
    reasons      TEXT NOT NULL,
    rules_id     INTEGER NOT NULL REFERENCES level_rules(id),
    live         INTEGER NOT NULL DEFAULT 1,    -- 0: superseded by a later decision
    decided_by   INTEGER,
    decided_at   TIMESTAMP NOT NULL
);
CREATE INDEX classify_decisions_branch ON classify_decisions(branch_id, year, id);
CREATE INDEX classify_decisions_path ON classify_decisions(branch_path, year);
CREATE TABLE classify_plans (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    branch_id    INTEGER NOT NULL REFERENCES orgs(id),
    branch_path  TEXT NOT NULL,
    decision_id  INTEGER NOT NULL REFERENCES classify_decisions(id),
    leader       TEXT NOT NULL,                   -- 包联领导
    problems     TEXT NOT NULL,
    due_date     TEXT NOT NULL,
    state        TEXT NOT NULL,                   -- open, converted
    extensions   INTEGER NOT NULL DEFAULT 0,
    created_by   INTEGER,
    created_at   TIMESTAMP NOT NULL,
    decided_by   INTEGER,
    decided_at   TIMESTAMP,
    note         TEXT NOT NULL DEFAULT ''
);
CREATE INDEX classify_plans_branch ON classify_plans(branch_id, id);
CREATE INDEX classify_plans_path ON classify_plans(branch_path, state);

-- +goose Down
DROP TABLE classify_plans;
DROP TABLE classify_decisions;
DROP TABLE secreport_votes;
DROP TABLE secreport_reports;
DROP TABLE secreport_rounds;
DROP TABLE level_rules;
DROP TABLE rectify_notes;
DROP TABLE rectify_items;
