-- Yichuang desk store, version 11: supervision orders (督办) and the applicant's satisfaction
-- (满意度, seed 000 dictionary B.10).
--
-- A supervisor issues an order on a case; the clerk replies (any number of times); the
-- supervisor closes it. Every message is kept with who, at which window, when and the text.

CREATE TABLE supervision_orders (
    id           INTEGER PRIMARY KEY,
    case_id      INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    issued_at    TEXT NOT NULL,
    issued_by    TEXT NOT NULL,
    issued_window TEXT NOT NULL DEFAULT '',
    text         TEXT NOT NULL,
    reply_by     TEXT,                      -- YYYY-MM-DD, optional
    closed_at    TEXT,
    closed_by    TEXT NOT NULL DEFAULT '',
    closed_window TEXT NOT NULL DEFAULT '',
    close_note   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX supervision_orders_by_case ON supervision_orders (case_id, id);
CREATE INDEX supervision_orders_open ON supervision_orders (closed_at, id);

CREATE TABLE supervision_replies (
    id        INTEGER PRIMARY KEY,
    order_id  INTEGER NOT NULL REFERENCES supervision_orders (id) ON DELETE CASCADE,
    at        TEXT NOT NULL,
    by_name   TEXT NOT NULL,
    window_no TEXT NOT NULL DEFAULT '',
    text      TEXT NOT NULL
);
CREATE INDEX supervision_replies_by_order ON supervision_replies (order_id, id);

-- The applicant's rating, once: code of B.10 (1 很不满意 … 5 很满意), when, and who recorded it.
ALTER TABLE cases ADD COLUMN satisfaction TEXT;
ALTER TABLE cases ADD COLUMN satisfaction_at TEXT;
ALTER TABLE cases ADD COLUMN satisfaction_by TEXT NOT NULL DEFAULT '';
