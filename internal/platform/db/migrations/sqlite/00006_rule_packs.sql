-- +goose Up
-- Rule packs loaded by a district (append-only: the newest row is in force; none = the
-- embedded national pack).
CREATE TABLE rule_packs (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    code       TEXT NOT NULL,
    version    TEXT NOT NULL,
    body       TEXT NOT NULL,
    loaded_by  INTEGER,
    loaded_at  TIMESTAMP NOT NULL
);

-- +goose Down
DROP TABLE rule_packs;
