-- Yichuang desk store, version 9: supervision (电子监察) of pending cases' time limits.
--
-- The promised date of a case is computed in Rust (calendar of working days, pauses,
-- extensions), so to filter and sort 200,000 cases by it the store keeps a copy:
--   due_date    the promised date, YYYY-MM-DD, as computed on the day it was stored;
--               '' when the case has none (not accepted, or finished);
--               NULL when it must be (re)computed.
--   yellow_from the first day the case is yellow (黄牌) under the desk's threshold.
-- Triggers set due_date to NULL whenever anything it depends on changes (state, acceptance,
-- limit, any clock entry), and the supervision query recomputes the NULL rows first, so no
-- write path of the desk has to know about these columns. While a case's clock is paused its
-- promised date moves every day: the stored value is then only a lower bound and the query
-- recomputes paused cases from their clock.

ALTER TABLE cases ADD COLUMN due_date TEXT;
ALTER TABLE cases ADD COLUMN yellow_from TEXT;

CREATE TRIGGER cases_due_stale AFTER UPDATE OF state, acceptdate, promise, promise_type ON cases
BEGIN
    UPDATE cases SET due_date = NULL WHERE id = NEW.id;
END;
CREATE TRIGGER case_clock_due_stale_insert AFTER INSERT ON case_clock
BEGIN
    UPDATE cases SET due_date = NULL WHERE id = NEW.case_id;
END;
CREATE TRIGGER case_clock_due_stale_update AFTER UPDATE ON case_clock
BEGIN
    UPDATE cases SET due_date = NULL WHERE id IN (OLD.case_id, NEW.case_id);
END;
CREATE TRIGGER case_clock_due_stale_delete AFTER DELETE ON case_clock
BEGIN
    UPDATE cases SET due_date = NULL WHERE id = OLD.case_id;
END;

-- The rows to recompute.
CREATE INDEX cases_due_missing ON cases (id) WHERE due_date IS NULL;
-- Accepted cases (clock running) by due date, alone or after one equality filter.
CREATE INDEX cases_accepted_due ON cases (due_date) WHERE state = 'accepted';
CREATE INDEX cases_accepted_clerk_due ON cases (acceptusername, due_date) WHERE state = 'accepted';
CREATE INDEX cases_accepted_item_due ON cases (dept_ql_reg_no, due_date) WHERE state = 'accepted';
CREATE INDEX cases_accepted_org_due ON cases (org_id, due_date) WHERE state = 'accepted';
-- Paused cases by their stored due date (a lower bound of today's), to prune them.
CREATE INDEX cases_paused_due ON cases (due_date) WHERE state IN ('awaiting_supplement', 'suspended');
