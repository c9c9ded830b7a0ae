-- +goose Up
-- How an attendance row was recorded: '' by the secretary, 'checkin' by the member's own
-- sign-in with the activity's code (earlier sign-ins were told only by their reason 签到).
ALTER TABLE attendance ADD COLUMN source TEXT NOT NULL DEFAULT '';
UPDATE attendance SET source = 'checkin' WHERE state = 'present' AND reason = '签到';

-- +goose Down
ALTER TABLE attendance DROP COLUMN source;
