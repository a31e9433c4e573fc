-- The real-time stream: every user has a sequence of events, numbered 1, 2, 3, ... in commit order, kept for
-- the resume window so a client that reconnects gets exactly what it missed. Events are only recorded for
-- users who are connected or were within the window (stream_heads.active_until): nobody else could resume.
-- A payload is stored once however many users receive it.
CREATE TABLE stream_heads (
    user_id      INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    seq          INTEGER NOT NULL DEFAULT 0,
    active_until INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE stream_payloads (
    id         INTEGER PRIMARY KEY,
    type       TEXT    NOT NULL,
    data       TEXT    NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX stream_payloads_created ON stream_payloads (created_at);

CREATE TABLE stream_entries (
    user_id    INTEGER NOT NULL,
    seq        INTEGER NOT NULL,
    payload_id INTEGER NOT NULL REFERENCES stream_payloads (id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, seq)
) WITHOUT ROWID;
CREATE INDEX stream_entries_payload ON stream_entries (payload_id);
