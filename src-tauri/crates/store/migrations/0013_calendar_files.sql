-- Holiday arrangements (节假日安排) imported by an administrator, in the format of
-- assets/calendar/cn-workdays.json. The desk merges them over the bundled file, oldest first:
-- a later file's years replace the same years of earlier ones.
CREATE TABLE calendar_files (
    id          INTEGER PRIMARY KEY,
    years       TEXT NOT NULL,
    source      TEXT NOT NULL DEFAULT '',
    body        TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    imported_by TEXT NOT NULL DEFAULT ''
);
