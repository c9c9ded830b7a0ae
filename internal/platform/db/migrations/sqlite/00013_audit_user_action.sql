-- +goose Up
-- A user's recent entries of one action (out-of-scope duplicate ID hits, counted against
-- their limit on every member write and import chunk): one index range, however busy the
-- trail's last day was.
CREATE INDEX audit_user_action ON audit(user_id, action, at);

-- +goose Down
DROP INDEX audit_user_action;
