-- +goose Up
-- The points year end (issue 14): a branch's year (totals, proposed and reviewed stars), its
-- 公示 (internal/publicity), confirmation, 摘星 and appeals to the level above.
-- One year end per organization and year; state: review → publicity → confirmed.
CREATE TABLE points_yearends (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id        INTEGER NOT NULL REFERENCES orgs(id),
    year          INTEGER NOT NULL,
    scheme_id     INTEGER NOT NULL REFERENCES points_schemes(id), -- the version whose bands and 公示 days apply
    state         TEXT NOT NULL,
    notice_id     INTEGER,                     -- the 公示 (publicity notice) once started
    computed_by   INTEGER,
    computed_at   TIMESTAMP NOT NULL,
    confirmed_by  INTEGER,
    confirmed_at  TIMESTAMP,
    UNIQUE (org_id, year)
);

-- A member's rating of a year: the maintained total and the stars its band proposes, the
-- stars the branch gave (a change needs a reason), and whether the stars are withdrawn
-- (摘星). Every change of the stars is also an event in points_star_events.
CREATE TABLE points_reviews (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    yearend_id      INTEGER NOT NULL REFERENCES points_yearends(id),
    member_id       INTEGER NOT NULL REFERENCES members(id),
    org_id          INTEGER NOT NULL REFERENCES orgs(id),
    year            INTEGER NOT NULL,
    total           INTEGER NOT NULL,
    vetoed          INTEGER NOT NULL DEFAULT 0,
    proposed_stars  INTEGER NOT NULL,
    stars           INTEGER NOT NULL,
    reason          TEXT NOT NULL DEFAULT '',  -- why stars differ from proposed_stars (the latest change)
    state           TEXT NOT NULL,             -- proposed, reviewed, confirmed
    withdrawn_at    TIMESTAMP,                 -- 摘星 in force since (NULL: not withdrawn)
    reviewed_by     INTEGER,
    reviewed_at     TIMESTAMP,
    UNIQUE (member_id, year)
);
CREATE INDEX points_reviews_yearend ON points_reviews(yearend_id, member_id);

-- Append-only history of every rating: adjust (branch review), objection (upheld during the
-- 公示), confirm, withdraw (摘星), restore, appeal (changed by the level above).
CREATE TABLE points_star_events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    review_id   INTEGER NOT NULL REFERENCES points_reviews(id),
    kind        TEXT NOT NULL,
    stars       INTEGER NOT NULL,              -- the rating in effect after the event (0 after 摘星)
    reason      TEXT NOT NULL DEFAULT '',
    ref_id      INTEGER NOT NULL DEFAULT 0,    -- the objection or appeal it answers
    by_user     INTEGER,
    at          TIMESTAMP NOT NULL
);
CREATE INDEX points_star_events_review ON points_star_events(review_id, id);

-- Appeals of a member to the level above (the parent of their branch) against a ledger entry
-- or their year rating. A change is a NEW ledger entry (source_kind 'appeal') after a reversal,
-- or a new rating event; never an edit.
CREATE TABLE points_appeals (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    member_id     INTEGER NOT NULL REFERENCES members(id),
    org_id        INTEGER NOT NULL REFERENCES orgs(id), -- the member's branch when filed
    year          INTEGER NOT NULL,
    target        TEXT NOT NULL,               -- entry, rating
    entry_id      INTEGER REFERENCES points_entries(id),
    review_id     INTEGER REFERENCES points_reviews(id),
    text          TEXT NOT NULL,
    state         TEXT NOT NULL,               -- open, upheld, changed
    answer        TEXT NOT NULL DEFAULT '',
    new_entry_id  INTEGER,
    new_stars     INTEGER,
    raised_by     INTEGER,
    created_at    TIMESTAMP NOT NULL,
    answered_by   INTEGER,
    answered_at   TIMESTAMP
);
CREATE INDEX points_appeals_org ON points_appeals(org_id, state, id);
CREATE INDEX points_appeals_member ON points_appeals(member_id, year, id);

-- +goose Down
DROP TABLE points_appeals;
DROP TABLE points_star_events;
DROP TABLE points_reviews;
DROP TABLE points_yearends;
