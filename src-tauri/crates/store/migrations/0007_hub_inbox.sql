-- Yichuang desk store, version 7: what comes back from the provincial hub (办件中心), results,
-- attachments and 统一受办.
--
-- The desk polls the hub for the messages departments push towards it (seed 000 7.2.3
-- supplement requests, 7.2.5 process steps, 7.2.6 results). Each is applied in one
-- transaction together with its `inbox` row, whose `msgid` is unique: a message delivered
-- twice (a resend, a poll repeated after a crash) is recognised and applied once.

-- The outbox gains 7.2.7 file uploads ('file', event_code = the document number) and 7.2.1
-- pushes of a concluded case in 统一受办 mode ('all'). SQLite cannot alter a CHECK, so the
-- table is rebuilt with its rows and ids.
CREATE TABLE outbox_v7 (
    id              INTEGER PRIMARY KEY,
    case_id         INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    project_no      TEXT NOT NULL,
    operation       TEXT NOT NULL
        CHECK (operation IN ('accept', 'supply_finished', 'process', 'file', 'all')),
    event_code      TEXT NOT NULL DEFAULT '',
    version         INTEGER NOT NULL,
    idem_key        TEXT NOT NULL UNIQUE,
    snapshot_enc    BLOB NOT NULL,
    created_at      TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'dead')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    last_error      TEXT NOT NULL DEFAULT '',
    delivered_at    TEXT
);
INSERT INTO outbox_v7 SELECT * FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_v7 RENAME TO outbox;
CREATE INDEX outbox_pending ON outbox (status, next_attempt_at, id);
CREATE INDEX outbox_by_case ON outbox (case_id, id);

-- The `attachguid` the hub returned for an issued document uploaded through 7.2.7.
ALTER TABLE documents ADD COLUMN attachguid TEXT;

-- Every message taken from the hub, applied or not, with what became of it.
CREATE TABLE inbox (
    id          INTEGER PRIMARY KEY,
    msgid       TEXT NOT NULL UNIQUE,
    seq         INTEGER NOT NULL,
    interface   TEXT NOT NULL,
    project_no  TEXT NOT NULL DEFAULT '',
    received_at TEXT NOT NULL,
    -- 'applied', 'recorded' (kept, no change of state), 'unknown_case', 'refused', 'malformed'.
    outcome     TEXT NOT NULL,
    detail      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX inbox_by_case ON inbox (project_no, id);

-- The result of a case (7.2.6 from the department, or the desk's own in 统一受办 mode).
CREATE TABLE case_results (
    case_id        INTEGER PRIMARY KEY REFERENCES cases (id) ON DELETE CASCADE,
    status         TEXT NOT NULL,           -- dictionary B.9 办理结果: 0 1 2 3
    result_no      TEXT NOT NULL DEFAULT '',
    note           TEXT NOT NULL DEFAULT '',
    resultname     TEXT NOT NULL DEFAULT '',
    handleusername TEXT NOT NULL DEFAULT '',
    create_date    TEXT NOT NULL DEFAULT '',
    source         TEXT NOT NULL CHECK (source IN ('hub', 'desk')),
    recorded_at    TEXT NOT NULL
);

-- Documents a department attached to its steps (7.2.5 doclist), fetched through 7.2.8.
CREATE TABLE hub_documents (
    id         INTEGER PRIMARY KEY,
    case_id    INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    attachguid TEXT NOT NULL,
    docname    TEXT NOT NULL,
    docnumber  TEXT NOT NULL DEFAULT '',
    received_at TEXT NOT NULL,
    size       INTEGER,
    sha256     TEXT,
    body_enc   BLOB,                        -- sealed; NULL until fetched
    fetch_error TEXT NOT NULL DEFAULT '',
    UNIQUE (case_id, attachguid)
);

-- What the clerk is told: a department asks for a supplement, a result arrived, etc.
CREATE TABLE notifications (
    id         INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL,
    kind       TEXT NOT NULL,
    project_no TEXT NOT NULL DEFAULT '',
    title      TEXT NOT NULL,
    body       TEXT NOT NULL DEFAULT '',
    read_at    TEXT
);
CREATE INDEX notifications_unread ON notifications (read_at, id);

-- One sync worker per desk at a time (the window's and a CLI `yichuang sync` share the data
-- directory): the holder renews its lease every round; another takes over once it expires.
CREATE TABLE sync_lease (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    holder     TEXT NOT NULL,
    expires_ms INTEGER NOT NULL             -- Unix time in milliseconds
);
