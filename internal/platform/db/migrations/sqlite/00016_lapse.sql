-- +goose Up
-- The 6-month rule as a maintained figure (life.recountLapse): the months since a member's last
-- participation in which their branch or group held organizational life that they missed without
-- a proper reason (exemption, leave). The at-risk list is one range of this index.
ALTER TABLE members ADD COLUMN lapse_months INTEGER NOT NULL DEFAULT 0;
-- The day the member's status last changed (YYYY-MM-DD, '' = before this was recorded): the
-- lost-contact process (失联 → 停止党籍 → 除名) counts from it.
ALTER TABLE members ADD COLUMN status_since TEXT NOT NULL DEFAULT '';
CREATE INDEX members_path_lapse ON members(org_path, lapse_months);

-- +goose Down
DROP INDEX members_path_lapse;
ALTER TABLE members DROP COLUMN status_since;
ALTER TABLE members DROP COLUMN lapse_months;
