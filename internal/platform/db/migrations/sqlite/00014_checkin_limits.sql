-- +goose Up
-- Wrong self sign-in codes, counted per member and per activity over the last minute, so the
-- million 6-digit codes cannot be tried in a code's 15 minutes (rows older than a minute are
-- pruned as new ones come).
CREATE TABLE checkin_failures (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    activity_id  INTEGER NOT NULL,
    member_id    INTEGER NOT NULL,
    failed_at    TIMESTAMP NOT NULL
);
CREATE INDEX checkin_failures_member ON checkin_failures(member_id, failed_at);
CREATE INDEX checkin_failures_activity ON checkin_failures(activity_id, failed_at);
CREATE INDEX checkin_failures_at ON checkin_failures(failed_at);

-- Who submitted a record last: the level above reviews it, so neither its recorder nor its
-- submitter may accept it (an administrator may, with a reason, audited).
ALTER TABLE activities ADD COLUMN submitted_by INTEGER;

-- +goose Down
ALTER TABLE activities DROP COLUMN submitted_by;
DROP TABLE checkin_failures;
