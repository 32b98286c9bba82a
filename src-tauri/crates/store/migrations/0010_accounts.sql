-- Yichuang desk store, version 10: accounts, sign-in throttling and sessions (issue 6).
--
-- Accounts are local to the desk (the hall). Passwords are argon2id PHC strings, never the
-- password. Roles are a comma-separated list of clerk, supervisor, trainer, admin.

CREATE TABLE accounts (
    id            INTEGER PRIMARY KEY,
    -- The login name, compared without regard to ASCII case.
    login         TEXT NOT NULL UNIQUE COLLATE NOCASE,
    -- Printed as 窗口人员 on notices.
    display_name  TEXT NOT NULL,
    window_no     TEXT NOT NULL DEFAULT '',
    roles         TEXT NOT NULL,
    active        INTEGER NOT NULL DEFAULT 1,
    password_hash TEXT NOT NULL,
    -- RFC 3339, hall time.
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);

-- Consecutive failed sign-ins per login name, kept whether or not the login exists, so a
-- lockout does not tell an outsider which logins are real.
CREATE TABLE sign_in_throttle (
    login        TEXT PRIMARY KEY COLLATE NOCASE,
    failures     INTEGER NOT NULL DEFAULT 0,
    -- RFC 3339; sign-in is refused before this time.
    locked_until TEXT,
    -- RFC 3339; rows without a failure for a day (and not locked) are pruned.
    last_failure_at TEXT
);

-- Signed-in sessions. Only the SHA-256 of a session's id is stored.
CREATE TABLE sessions (
    id_hash      TEXT PRIMARY KEY,
    account_id   INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    issued_at    TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    -- 1 when idle too long: the password is needed again (unlock).
    locked       INTEGER NOT NULL DEFAULT 0,
    -- Set on sign-out, or when the account is disabled.
    ended_at     TEXT
);
CREATE INDEX sessions_account ON sessions (account_id);
