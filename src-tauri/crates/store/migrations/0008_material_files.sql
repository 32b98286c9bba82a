-- Yichuang desk store, version 8: the pages of a case's materials (scanned, photographed or
-- imported). Each page is a cleaned-up JPEG, sealed with the desk key (the pages are copies of
-- ID cards, certificates and the like) and kept as a content-addressed file under `blobs/`
-- (the file name is the SHA-256 of the sealed bytes); this table holds what is known of it.
CREATE TABLE material_pages (
    id            INTEGER PRIMARY KEY,
    case_id       INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    material_no   TEXT NOT NULL,
    ord           INTEGER NOT NULL,
    blob          TEXT NOT NULL,
    size          INTEGER NOT NULL,     -- of the JPEG
    width         INTEGER NOT NULL,
    height        INTEGER NOT NULL,
    dpi           INTEGER NOT NULL,
    paper         TEXT NOT NULL,        -- A4, A3
    source        TEXT NOT NULL,        -- file name, or the device
    created_at    TEXT NOT NULL
);
CREATE INDEX material_pages_by_case ON material_pages (case_id, material_no, ord);

-- The `attachguid` the hub gave the material's PDF (7.2.7), sent as `sm_file_attach`.
CREATE TABLE material_uploads (
    case_id     INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    material_no TEXT NOT NULL,
    attachguid  TEXT NOT NULL,
    pages       INTEGER NOT NULL,
    uploaded_at TEXT NOT NULL,
    PRIMARY KEY (case_id, material_no)
);
