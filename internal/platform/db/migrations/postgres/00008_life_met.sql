-- +goose Up
-- Which organization met which rule in which period: the per-organization index of the
-- compliance rollup (like org_checks for the roster), kept by the same writes. It lets the
-- drill-down list the organizations of a subtree that did not meet a rule, a page at a time.
CREATE TABLE life_met (
    org_id   BIGINT NOT NULL REFERENCES orgs(id),
    rule_id  TEXT NOT NULL,
    period   TEXT NOT NULL,
    PRIMARY KEY (org_id, rule_id, period)
);

-- +goose Down
DROP TABLE life_met;
