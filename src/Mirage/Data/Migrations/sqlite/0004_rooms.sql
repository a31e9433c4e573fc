-- Chat rooms, their members and messages, and the files uploaded into them. Times are Unix milliseconds.
-- name_key holds the lower-cased name: room names are unique case-insensitively.
CREATE TABLE rooms (
    id            INTEGER PRIMARY KEY,
    name          TEXT    NOT NULL,
    name_key      TEXT    NOT NULL UNIQUE,
    is_private    INTEGER NOT NULL DEFAULT 0,
    password_hash TEXT,
    owner_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- Maintained in the same transaction as the membership change it counts.
    members_count INTEGER NOT NULL DEFAULT 0,
    -- Sequence number of the room's newest message. Sending bumps it atomically, which also orders a room's
    -- messages exactly; the per-room cap keeps the messages with seq > last_seq - cap.
    last_seq      INTEGER NOT NULL DEFAULT 0,
    created_at    INTEGER NOT NULL
);
CREATE INDEX rooms_public ON rooms (id) WHERE NOT is_private;

CREATE TABLE room_members (
    room_id   INTEGER NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    user_id   INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    joined_at INTEGER NOT NULL,
    PRIMARY KEY (room_id, user_id)
);
CREATE INDEX room_members_user ON room_members (user_id, room_id);

CREATE TABLE room_messages (
    id         INTEGER PRIMARY KEY,
    room_id    INTEGER NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    seq        INTEGER NOT NULL,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    content    TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (room_id, seq)
);
-- The retention sweeper deletes by age.
CREATE INDEX room_messages_created ON room_messages (created_at);

-- Uploaded bytes, stored once per content hash under uploads/ab/abcdef... A blob lives while an upload refers
-- to it. released_at marks a blob that lost a reference (its room was deleted): a candidate for deletion,
-- cleared again by anyone who attaches the same bytes, so deleting never races a concurrent upload.
CREATE TABLE file_blobs (
    sha256       TEXT    PRIMARY KEY,
    size         INTEGER NOT NULL,
    content_type TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    released_at  INTEGER
);
CREATE INDEX file_blobs_released ON file_blobs (sha256) WHERE released_at IS NOT NULL;

-- One upload of a blob into a room, served at /files/{public_id}/{name}. public_id is random, so the URL of a
-- private room's file cannot be guessed.
CREATE TABLE uploads (
    id           INTEGER PRIMARY KEY,
    public_id    TEXT    NOT NULL UNIQUE,
    sha256       TEXT    NOT NULL REFERENCES file_blobs (sha256),
    room_id      INTEGER NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         TEXT    NOT NULL,
    created_at   INTEGER NOT NULL
);
CREATE INDEX uploads_sha256 ON uploads (sha256);
CREATE INDEX uploads_room ON uploads (room_id);
