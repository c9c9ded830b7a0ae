-- +goose Up
-- Dates of the business (set-up, birth, joining) are 'YYYY-MM-DD' text in both engines;
-- instants are stored in UTC.
CREATE TABLE orgs (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    parent_id       INTEGER REFERENCES orgs(id),
    path            TEXT NOT NULL UNIQUE,          -- '/1/5/23/': ancestors then self
    depth           INTEGER NOT NULL,
    name            TEXT NOT NULL,
    short_name      TEXT NOT NULL DEFAULT '',
    kind            TEXT NOT NULL,
    field           TEXT NOT NULL,
    unit_name       TEXT NOT NULL DEFAULT '',
    unit_kind       TEXT NOT NULL DEFAULT '',
    setup_date      TEXT NOT NULL DEFAULT '',
    secretary       TEXT NOT NULL DEFAULT '',
    contact         TEXT NOT NULL DEFAULT '',
    phone           TEXT NOT NULL DEFAULT '',
    address         TEXT NOT NULL DEFAULT '',
    sort_order      INTEGER NOT NULL DEFAULT 0,
    code            TEXT NOT NULL DEFAULT '',
    direct_members  INTEGER NOT NULL DEFAULT 0,    -- active members whose branch is this org
    direct_full     INTEGER NOT NULL DEFAULT 0,    -- of which full (正式) members
    flags           TEXT NOT NULL DEFAULT '',      -- current check findings, e.g. 'no_secretary,too_small'
    dissolved_at    TIMESTAMP,
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL
);
CREATE INDEX orgs_parent ON orgs(parent_id, sort_order, id);
CREATE INDEX orgs_name ON orgs(name);
CREATE INDEX orgs_kind_path ON orgs(kind, path);

-- Subtree rollups (DESIGN principle 6): for each organization, counts over its whole subtree,
-- kept up to date on every write along the ancestor chain.
CREATE TABLE org_stats (
    org_id  INTEGER NOT NULL REFERENCES orgs(id),
    dim     TEXT NOT NULL,
    key     TEXT NOT NULL,
    n       INTEGER NOT NULL,
    PRIMARY KEY (org_id, dim, key)
) WITHOUT ROWID;

-- The organizations failing each check, by path, so the first N of a subtree is one range.
CREATE TABLE org_checks (
    check_name  TEXT NOT NULL,
    path        TEXT NOT NULL,
    org_id      INTEGER NOT NULL REFERENCES orgs(id),
    PRIMARY KEY (check_name, path)
) WITHOUT ROWID;

CREATE TABLE members (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id        INTEGER NOT NULL REFERENCES orgs(id),
    org_path      TEXT NOT NULL,                  -- copy of orgs.path of org_id, for subtree ranges
    group_id      INTEGER REFERENCES orgs(id),
    name          TEXT NOT NULL,
    name_key      TEXT NOT NULL,                  -- pinyin sort key
    sex           TEXT NOT NULL,
    ethnicity     TEXT NOT NULL,
    id_number     TEXT NOT NULL UNIQUE,
    id_tail       TEXT NOT NULL,
    birth_date    TEXT NOT NULL,
    education     TEXT NOT NULL DEFAULT '',
    native_place  TEXT NOT NULL DEFAULT '',
    category      TEXT NOT NULL,
    join_date     TEXT NOT NULL,
    full_date     TEXT NOT NULL DEFAULT '',
    position      TEXT NOT NULL DEFAULT '',
    phone         TEXT NOT NULL DEFAULT '',
    phone_tail    TEXT NOT NULL DEFAULT '',
    address       TEXT NOT NULL DEFAULT '',
    status        TEXT NOT NULL,
    status_note   TEXT NOT NULL DEFAULT '',
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL
);
CREATE INDEX members_path_name ON members(org_path, name_key, id);
CREATE INDEX members_status_name ON members(status, name_key, id);
CREATE INDEX members_name ON members(name_key, id);
CREATE INDEX members_org ON members(org_id);
CREATE INDEX members_id_tail ON members(id_tail);
CREATE INDEX members_phone_tail ON members(phone_tail);

CREATE TABLE users (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    username        TEXT NOT NULL UNIQUE,
    display_name    TEXT NOT NULL DEFAULT '',
    org_id          INTEGER REFERENCES orgs(id),       -- where the account is managed; NULL = by admins only
    password_hash   TEXT NOT NULL,
    member_id       INTEGER REFERENCES members(id),
    disabled        INTEGER NOT NULL DEFAULT 0,
    failed_logins   INTEGER NOT NULL DEFAULT 0,
    locked_until    TIMESTAMP,
    last_login_at   TIMESTAMP,
    created_at      TIMESTAMP NOT NULL
);

CREATE TABLE grants (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id     INTEGER NOT NULL REFERENCES users(id),
    role        TEXT NOT NULL,
    org_id      INTEGER REFERENCES orgs(id),        -- NULL for admin: the whole system
    created_at  TIMESTAMP NOT NULL,
    UNIQUE (user_id, role, org_id)
);
CREATE INDEX grants_org ON grants(org_id);

-- Browser sessions and API tokens; only a hash of the secret is kept.
CREATE TABLE sessions (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id       INTEGER NOT NULL REFERENCES users(id),
    token_hash    TEXT NOT NULL UNIQUE,
    kind          TEXT NOT NULL,                  -- 'session' | 'api'
    name          TEXT NOT NULL DEFAULT '',
    created_at    TIMESTAMP NOT NULL,
    last_seen_at  TIMESTAMP NOT NULL,
    expires_at    TIMESTAMP,
    revoked_at    TIMESTAMP,
    ip            TEXT NOT NULL DEFAULT '',
    user_agent    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions(user_id, kind);

-- Append-only audit trail (DESIGN principle 3).
CREATE TABLE audit (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    at          TIMESTAMP NOT NULL,
    user_id     INTEGER,
    username    TEXT NOT NULL DEFAULT '',
    ip          TEXT NOT NULL DEFAULT '',
    action      TEXT NOT NULL,
    entity      TEXT NOT NULL,
    entity_id   INTEGER NOT NULL DEFAULT 0,
    org_id      INTEGER,                               -- the organization the entity belongs to, for scoped queries
    summary     TEXT NOT NULL DEFAULT '',
    changes     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_entity ON audit(entity, entity_id, id);
CREATE INDEX audit_org ON audit(org_id, id);
CREATE INDEX audit_at ON audit(at);

-- +goose Down
DROP TABLE audit;
DROP TABLE sessions;
DROP TABLE grants;
DROP TABLE users;
DROP TABLE members;
DROP TABLE org_checks;
DROP TABLE org_stats;
DROP TABLE orgs;
