-- +goose Up
-- The 待审核 inbox: submitted records, newest first (a small partial index).
CREATE INDEX activities_submitted ON activities(updated_at, id) WHERE state = 'submitted';

-- +goose Down
DROP INDEX activities_submitted;
