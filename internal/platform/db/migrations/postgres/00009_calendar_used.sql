-- +goose Up
-- When a calendar feed address was last read, so the branch sees whether its subscription
-- is in use (refreshed at most hourly by the feed).
ALTER TABLE calendar_tokens ADD COLUMN last_used_at TIMESTAMPTZ;

-- +goose Down
ALTER TABLE calendar_tokens DROP COLUMN last_used_at;
