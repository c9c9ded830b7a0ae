-- +goose Up
-- Files attached to activities (minutes, photos): metadata here, content in file storage.
CREATE TABLE attachments (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    activity_id   INTEGER NOT NULL REFERENCES activities(id),
    name          TEXT NOT NULL,
    content_type  TEXT NOT NULL,
    size          INTEGER NOT NULL,
    storage_key   TEXT NOT NULL,
    thumb_key     TEXT NOT NULL DEFAULT '',
    uploaded_by   INTEGER,
    uploaded_at   TIMESTAMP NOT NULL,
    removed_at    TIMESTAMP
);
CREATE INDEX attachments_activity ON attachments(activity_id);

-- Short-lived sign-in codes of activities (only a hash is kept).
CREATE TABLE checkin_codes (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    activity_id  INTEGER NOT NULL REFERENCES activities(id),
    code_hash    TEXT NOT NULL,
    expires_at   TIMESTAMP NOT NULL,
    created_at   TIMESTAMP NOT NULL
);
CREATE INDEX checkin_codes_activity ON checkin_codes(activity_id, expires_at);

-- +goose Down
DROP TABLE checkin_codes;
DROP TABLE attachments;
