-- +goose Up
-- A member's status over time (在册, 流动, 失联, 停止党籍, 除名 …): one row per change, from_date
-- the day it took effect (YYYY-MM-DD; '' = since before the history was kept). Written on every
-- status change (create, edit, import, the 不合格 outcome decisions); life judges standing on a
-- past day from it (member.StatusAt: the latest row on or before the day, else the earliest row).
CREATE TABLE member_status_history (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    member_id   INTEGER NOT NULL REFERENCES members(id),
    status      TEXT NOT NULL,
    from_date   TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX member_status_history_member ON member_status_history(member_id, from_date);
-- Backfill: the current status since status_since (the day it last changed, or when the member
-- was recorded); a member out of good standing whose change was dated was 在册 before it.
INSERT INTO member_status_history (member_id, status, from_date, created_at)
    SELECT id, 'active', '', updated_at FROM members WHERE status_since <> '' AND status NOT IN ('active', 'mobile');
INSERT INTO member_status_history (member_id, status, from_date, created_at)
    SELECT id, status, status_since, updated_at FROM members;

-- +goose Down
DROP TABLE member_status_history;
