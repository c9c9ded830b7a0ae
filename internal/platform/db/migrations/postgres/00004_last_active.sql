-- +goose Up
-- When each member last took part in organizational life (the 6-month rule of 党章):
-- maintained on every attendance change, so the members at risk are one indexed read.
ALTER TABLE members ADD COLUMN last_active_at TIMESTAMPTZ;
CREATE INDEX members_path_active ON members(org_path, last_active_at);

-- +goose Down
DROP INDEX members_path_active;
ALTER TABLE members DROP COLUMN last_active_at;
