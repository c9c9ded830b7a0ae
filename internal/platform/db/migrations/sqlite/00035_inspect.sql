-- +goose Up
-- 专项督查 (issue 16): a level's special inspection with its checklist (a JSON list of items,
-- data kept with the inspection), the organizations visited and the findings. Each finding is
-- a rectification item (rectify_items, source "inspection"); its closure (销号) is verified by
-- the inspecting level, which rectify_items.verifier_org_id names (NULL: the level above the
-- item's organization, as before).
ALTER TABLE rectify_items ADD COLUMN verifier_org_id INTEGER REFERENCES orgs(id);

CREATE TABLE inspections (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id      INTEGER NOT NULL REFERENCES orgs(id), -- the inspecting level
    topic       TEXT NOT NULL,
    checklist   TEXT NOT NULL,                        -- JSON list of strings
    inspectors  TEXT NOT NULL,                        -- JSON list of names
    start_date  TEXT NOT NULL,                        -- YYYY-MM-DD
    end_date    TEXT NOT NULL,
    state       TEXT NOT NULL,                        -- planned, in_progress, finished
    created_by  INTEGER,
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX inspections_org ON inspections(org_id, id);

CREATE TABLE inspection_orgs (
    inspection_id INTEGER NOT NULL REFERENCES inspections(id),
    org_id        INTEGER NOT NULL REFERENCES orgs(id),
    PRIMARY KEY (inspection_id, org_id)
);

CREATE TABLE inspection_findings (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    inspection_id INTEGER NOT NULL REFERENCES inspections(id),
    org_id        INTEGER NOT NULL REFERENCES orgs(id),
    check_item    INTEGER NOT NULL,                   -- index into the checklist
    problem       TEXT NOT NULL,
    evidence      TEXT NOT NULL DEFAULT '',
    link          TEXT NOT NULL DEFAULT '',
    severity      TEXT NOT NULL DEFAULT '',
    item_id       INTEGER REFERENCES rectify_items(id),      -- set in the same transaction
    created_at    TIMESTAMP NOT NULL
);
CREATE INDEX inspection_findings_insp ON inspection_findings(inspection_id, id);
CREATE INDEX inspection_findings_org ON inspection_findings(org_id, created_at);

-- +goose Down
DROP TABLE inspection_findings;
DROP TABLE inspection_orgs;
DROP TABLE inspections;
ALTER TABLE rectify_items DROP COLUMN verifier_org_id;
