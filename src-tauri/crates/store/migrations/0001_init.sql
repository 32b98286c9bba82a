-- Yichuang desk store, version 1.
-- Personal data (ID numbers, phones, addresses, issued documents) is stored sealed with the
-- desk key (see src/pii.rs); *_idx columns hold HMAC-SM3 blind indexes for lookup.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);

-- The hall's item catalog. `body` is the item as JSON (model::CatalogItem).
CREATE TABLE catalog_items (
    dept_ql_reg_no TEXT PRIMARY KEY NOT NULL,
    ord            INTEGER NOT NULL,
    dept_ql_name   TEXT NOT NULL,
    org_name       TEXT NOT NULL,
    body           TEXT NOT NULL
);

-- Case-number sequences: one per item (31-char implementation code) and hall day.
CREATE TABLE case_counters (
    prefix   TEXT NOT NULL,
    day      TEXT NOT NULL,
    last_seq INTEGER NOT NULL,
    PRIMARY KEY (prefix, day)
);

CREATE TABLE cases (
    id                          INTEGER PRIMARY KEY,
    row_guid                    TEXT NOT NULL UNIQUE,      -- A.1 RowGuid
    project_no                  TEXT NOT NULL UNIQUE,      -- A.1 ProjectNo
    dept_ql_reg_no              TEXT NOT NULL,
    dept_ql_name                TEXT NOT NULL,
    org_id                      TEXT NOT NULL,
    org_name                    TEXT NOT NULL,
    applicant_type              TEXT NOT NULL,
    applicant_name              TEXT NOT NULL,
    applicant_paper_type        TEXT NOT NULL,
    applicant_paper_code_enc    BLOB NOT NULL,
    applicant_paper_code_idx    TEXT NOT NULL,
    applicant_paper_code_masked TEXT NOT NULL,
    applicant_mobile_enc        BLOB NOT NULL,
    applicant_address_enc       BLOB NOT NULL,
    state                       TEXT NOT NULL,
    acceptdate                  TEXT NOT NULL,
    acceptusername              TEXT NOT NULL,
    window_no                   TEXT NOT NULL,
    promise                     INTEGER NOT NULL,
    promise_type                TEXT NOT NULL,
    delivery_method             TEXT NOT NULL,
    project_version             INTEGER NOT NULL DEFAULT 1, -- A.x ProjectVersion
    created_at                  TEXT NOT NULL,
    updated_at                  TEXT NOT NULL
);
CREATE INDEX cases_by_state ON cases (state, acceptdate);
CREATE INDEX cases_by_paper ON cases (applicant_paper_code_idx);
CREATE INDEX cases_by_name ON cases (applicant_name);

CREATE TABLE case_materials (
    case_id      INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    ord          INTEGER NOT NULL,
    no           TEXT NOT NULL,
    sj_file_name TEXT NOT NULL,
    sj_no        INTEGER NOT NULL,
    form         TEXT NOT NULL,
    sj_file_if   INTEGER NOT NULL,
    PRIMARY KEY (case_id, ord)
);

-- A case's history (A.2): every transition, who, when, from, to, and the opinion.
CREATE TABLE case_events (
    id         INTEGER PRIMARY KEY,
    case_id    INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    at         TEXT NOT NULL,
    actor      TEXT NOT NULL,
    window_no  TEXT NOT NULL,
    action     TEXT NOT NULL,
    from_state TEXT,
    to_state   TEXT NOT NULL,
    opinion    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX case_events_by_case ON case_events (case_id, id);

-- Issued documents, exactly as issued (sealed PDF bytes).
CREATE TABLE documents (
    id         INTEGER PRIMARY KEY,
    case_id    INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    size       INTEGER NOT NULL,
    sha256     TEXT NOT NULL,
    body_enc   BLOB NOT NULL,
    UNIQUE (case_id, kind)
);
