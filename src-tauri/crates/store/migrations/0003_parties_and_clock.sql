-- Yichuang desk store, version 3: legal persons and agents, situations, and the case clock.

-- The applicant's further details, the legal representative and the agent (model::PartyDetails),
-- as sealed JSON: all of it is personal data. NULL for cases stored before version 3.
ALTER TABLE cases ADD COLUMN party_enc BLOB;
-- The situations (情形) chosen at intake: a JSON array of situation codes.
ALTER TABLE cases ADD COLUMN situations TEXT NOT NULL DEFAULT '[]';

-- Pauses of a case's clock (受理后补正, 特别程序 kind B) and extensions of its limit
-- (延长审批, kind A): seed 000 A.5. An open pause has ended_at NULL.
CREATE TABLE case_clock (
    id           INTEGER PRIMARY KEY,
    case_id      INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    kind         TEXT NOT NULL CHECK (kind IN ('supplement', 'special', 'extension')),
    special_name TEXT NOT NULL,
    reason       TEXT NOT NULL,
    started_at   TEXT NOT NULL,
    ended_at     TEXT,
    result       TEXT NOT NULL DEFAULT '',
    amount       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX case_clock_by_case ON case_clock (case_id, id);
-- At most one open pause per case.
CREATE UNIQUE INDEX case_clock_one_open ON case_clock (case_id) WHERE ended_at IS NULL AND kind <> 'extension';
