-- +goose Up
-- The compliance summary takes off the organizations set up after a period (few, and recent):
-- one index range finds them.
CREATE INDEX orgs_setup_date ON orgs(setup_date);

-- +goose Down
DROP INDEX orgs_setup_date;
