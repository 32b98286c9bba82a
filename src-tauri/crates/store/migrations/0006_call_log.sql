-- Yichuang desk store, version 6: the log of calls to the provincial hub (办件中心).
--
-- One row per interface call: who called, when, which interface, what was submitted and
-- returned (personal data already masked by the hub crate's mask_pii), how long it took and
-- how it ended. The hub status a clerk sees (last success, last failure) is read from here.

CREATE TABLE call_log (
    id          INTEGER PRIMARY KEY,
    caller      TEXT NOT NULL,
    -- RFC 3339, UTC.
    time        TEXT NOT NULL,
    -- The interface's path name, such as pushAcceptProjectInfo.
    interface   TEXT NOT NULL,
    -- Masked JSON.
    request     TEXT NOT NULL,
    response    TEXT,
    http_status INTEGER,
    duration_ms INTEGER NOT NULL,
    -- ok, not_sent, unreachable, timeout, http_status, refused, malformed, dropped.
    outcome     TEXT NOT NULL,
    -- The clerk's message when the call failed.
    message     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX call_log_time ON call_log (time);
CREATE INDEX call_log_outcome ON call_log (outcome, id);
