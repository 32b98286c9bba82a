-- Version 2: the counter workflow.
-- A case can now carry several documents of one kind (a second supplement notice, a
-- reprint), each with its own document number (受理文书编号, apply_docno).

CREATE TABLE documents_v2 (
    id         INTEGER PRIMARY KEY,
    case_id    INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    doc_no     TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    size       INTEGER NOT NULL,
    sha256     TEXT NOT NULL,
    body_enc   BLOB NOT NULL
);
INSERT INTO documents_v2 (id, case_id, kind, doc_no, created_at, size, sha256, body_enc)
    SELECT id, case_id, kind, 'legacy-' || id, created_at, size, sha256, body_enc FROM documents;
DROP TABLE documents;
ALTER TABLE documents_v2 RENAME TO documents;
CREATE INDEX documents_by_case ON documents (case_id, kind, id);

-- Document-number sequences: one per kind and year.
CREATE TABLE doc_counters (
    kind     TEXT NOT NULL,
    year     TEXT NOT NULL,
    last_seq INTEGER NOT NULL,
    PRIMARY KEY (kind, year)
);

-- The materials asked for in a supplement request, with the reason for each.
CREATE TABLE case_supplements (
    id           INTEGER PRIMARY KEY,
    case_id      INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    requested_at TEXT NOT NULL,
    due_date     TEXT NOT NULL,
    no           TEXT NOT NULL,
    sj_file_name TEXT NOT NULL,
    reason       TEXT NOT NULL,
    done_at      TEXT
);
CREATE INDEX case_supplements_by_case ON case_supplements (case_id, id);

-- Cases now exist from intake on: acceptance fields are empty until accepted.
ALTER TABLE cases ADD COLUMN apply_date TEXT NOT NULL DEFAULT '';
UPDATE cases SET apply_date = acceptdate;
