-- Yichuang desk store, version 5: the outbox towards the provincial hub (办件中心).
--
-- Every case change that must reach the hub writes an outbox entry in the same transaction
-- as the change itself, so a crash can never leave one without the other. The sync worker
-- delivers entries in order per case and marks one delivered only when the hub acknowledged
-- it. `idem_key` (case number, operation, version) is stable across retries and restarts,
-- so the hub can recognise a retried message as the same one.

CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    case_id         INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    project_no      TEXT NOT NULL,
    -- What to push: 'accept' (7.2.2), 'supply_finished' (7.2.4), 'process' (7.2.5).
    operation       TEXT NOT NULL CHECK (operation IN ('accept', 'supply_finished', 'process')),
    -- For 'process': the event code B1–B11 (seed 000 table 5); otherwise ''.
    event_code      TEXT NOT NULL DEFAULT '',
    -- The case's ProjectVersion after the change.
    version         INTEGER NOT NULL,
    idem_key        TEXT NOT NULL UNIQUE,
    -- The case as it stood after the change (model::CaseRecord JSON), sealed: personal data.
    snapshot_enc    BLOB NOT NULL,
    created_at      TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'dead')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    last_error      TEXT NOT NULL DEFAULT '',
    delivered_at    TEXT
);
CREATE INDEX outbox_pending ON outbox (status, next_attempt_at, id);
CREATE INDEX outbox_by_case ON outbox (case_id, id);

-- Appendix A sync fields of the case itself.
ALTER TABLE cases ADD COLUMN cd_sign TEXT NOT NULL DEFAULT '0';      -- 0 未同步, 1 已同步
ALTER TABLE cases ADD COLUMN cd_time TEXT NOT NULL DEFAULT '';       -- YYYYMMDDHHMMSS of the last sync
ALTER TABLE cases ADD COLUMN cd_operation TEXT NOT NULL DEFAULT 'I'; -- I 插入, U 更新, D 删除
