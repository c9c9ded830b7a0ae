-- +goose Up
-- 民主评议党员: each member's self-appraisal and grade (append-only: the newest row per
-- activity and member is current), and the secretary's reason when 优秀 exceeds the cap.
CREATE TABLE member_reviews (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    activity_id          INTEGER NOT NULL REFERENCES activities(id),
    member_id            INTEGER NOT NULL REFERENCES members(id),
    self_summary         TEXT NOT NULL DEFAULT '',
    grade                TEXT NOT NULL,         -- excellent, qualified, basic, unqualified
    correction_deadline  TEXT NOT NULL DEFAULT '',
    recorded_by          INTEGER,
    recorded_at          TIMESTAMP NOT NULL
);
CREATE INDEX member_reviews_activity ON member_reviews(activity_id, member_id, id);

CREATE TABLE review_overrides (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    activity_id  INTEGER NOT NULL REFERENCES activities(id),
    reason       TEXT NOT NULL,
    recorded_by  INTEGER,
    recorded_at  TIMESTAMP NOT NULL
);
CREATE INDEX review_overrides_activity ON review_overrides(activity_id, id);

-- 组织生活会: the problems found and their rectification, with owners and deadlines.
CREATE TABLE rectifications (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    activity_id  INTEGER NOT NULL REFERENCES activities(id),
    problem      TEXT NOT NULL,
    measure      TEXT NOT NULL DEFAULT '',
    owner        TEXT NOT NULL DEFAULT '',
    deadline     TEXT NOT NULL,
    done_at      TIMESTAMP,
    done_note    TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMP NOT NULL
);
CREATE INDEX rectifications_activity ON rectifications(activity_id);

-- 谈心谈话: one record per conversation between a committee member and a member.
CREATE TABLE talks (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id       INTEGER NOT NULL REFERENCES orgs(id),
    talker       TEXT NOT NULL,
    member_id    INTEGER NOT NULL REFERENCES members(id),
    talked_on    TEXT NOT NULL,
    summary      TEXT NOT NULL DEFAULT '',
    recorded_by  INTEGER,
    created_at   TIMESTAMP NOT NULL
);
CREATE INDEX talks_org ON talks(org_id, talked_on);

-- +goose Down
DROP TABLE talks;
DROP TABLE rectifications;
DROP TABLE review_overrides;
DROP TABLE member_reviews;
