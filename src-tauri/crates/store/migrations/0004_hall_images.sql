-- Yichuang desk store, version 4: the hall's logo and seal, printed on every document.
CREATE TABLE hall_images (
    kind       TEXT PRIMARY KEY NOT NULL CHECK (kind IN ('logo', 'seal')),
    png        BLOB NOT NULL,
    updated_at TEXT NOT NULL
);
