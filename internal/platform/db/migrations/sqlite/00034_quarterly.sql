-- +goose Up
-- 季度讲评 (issue 16): the level's comment on each child organization for a quarter. The
-- figures themselves are never stored: the pack is generated from the rollups each time.
CREATE TABLE quarterly_comments (
    org_id      INTEGER NOT NULL REFERENCES orgs(id), -- the level reviewing
    subject_id  INTEGER NOT NULL REFERENCES orgs(id), -- the child reviewed
    quarter     TEXT NOT NULL,                        -- YYYY-Qn
    text        TEXT NOT NULL,
    updated_by  INTEGER,
    updated_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (org_id, quarter, subject_id)
);

-- +goose Down
DROP TABLE quarterly_comments;
