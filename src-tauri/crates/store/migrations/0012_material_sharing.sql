-- Yichuang desk store, version 12: 帮我传 (seed 004). A case submitted while some of its
-- materials are fetched from the departments that hold them waits in 受理中 (state
-- `in_acceptance`) and is accepted automatically once they are all in.

-- One row per case submitted that way.
CREATE TABLE case_sharing (
    case_id      INTEGER PRIMARY KEY REFERENCES cases (id) ON DELETE CASCADE,
    submitted_at TEXT NOT NULL,     -- the (last) submission: the 24-hour rule counts from it
    abnormal     TEXT               -- why the case is 异常; NULL: normal
);

-- One row per request to a department. Changing a material's collection method supersedes
-- its request and, for another sharing method, adds a new one; nothing is deleted.
CREATE TABLE material_shares (
    id            INTEGER PRIMARY KEY,
    case_id       INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    material_no   TEXT NOT NULL,
    share_id      TEXT NOT NULL UNIQUE,   -- sent to the department, named in its callbacks
    method        TEXT NOT NULL,          -- electronic, paper
    status        TEXT NOT NULL,          -- requested, awaiting_sign_out, awaiting_sign_in, completed,
                                          -- missing, timed_out, superseded, cancelled
    dept_name     TEXT NOT NULL,
    requested_at  TEXT NOT NULL,
    deadline      TEXT NOT NULL,          -- requested_at + the channel's time limit
    sent_at       TEXT,                   -- when the department took the request
    send_error    TEXT,                   -- why sending it failed (it is sent again)
    detail        TEXT NOT NULL DEFAULT '',
    signout_code  TEXT,                   -- the code on the paper, from the sign-out
    signed_out_by TEXT,
    updated_at    TEXT NOT NULL,
    file_name     TEXT,                   -- the electronic material, sealed under blobs/
    file_blob     TEXT,
    file_size     INTEGER
);
CREATE INDEX material_shares_by_case ON material_shares (case_id, material_no);
CREATE INDEX material_shares_by_status ON material_shares (status);
