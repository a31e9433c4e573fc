-- Chats, their participants and messages: the one model behind /v1/messages, the legacy /api inbox and the
-- Lua api.messages. Times are Unix milliseconds.
CREATE TABLE chats (
    id         INTEGER PRIMARY KEY,
    type       TEXT    NOT NULL CHECK (type IN ('dm', 'group')),
    name       TEXT,
    avatar_url TEXT,
    -- "lowUserId:highUserId" for a DM, NULL for a group: makes the DM of two users unique, also when both
    -- create it at the same moment on PostgreSQL (INSERT ... ON CONFLICT (dm_key) DO NOTHING).
    dm_key     TEXT    UNIQUE,
    created_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    -- Last activity (a message, a rename, an invite): the order of a user's chat list.
    updated_at INTEGER NOT NULL
);

-- Per-user state of a chat: archive flag and read marker. Unread counts are computed from the marker
-- (messages by others with a larger id), never from per-message flags.
CREATE TABLE chat_participants (
    chat_id              INTEGER NOT NULL REFERENCES chats (id) ON DELETE CASCADE,
    user_id              INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    joined_at            INTEGER NOT NULL,
    archived_at          INTEGER,
    last_read_message_id INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (chat_id, user_id)
);
CREATE INDEX chat_participants_user ON chat_participants (user_id);

-- AUTOINCREMENT: ids are never reused, so a read marker can never point at a later message that took a
-- deleted one's id. Deleted messages keep their row (content wiped) and leave both partial indexes.
CREATE TABLE messages (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    chat_id    INTEGER NOT NULL REFERENCES chats (id) ON DELETE CASCADE,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    content    TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    edited_at  INTEGER,
    deleted_at INTEGER
);
-- Cursor paging and "last message" (chronological key), and unread counting (id above the read marker).
CREATE INDEX messages_chat_time ON messages (chat_id, created_at, id) WHERE deleted_at IS NULL;
CREATE INDEX messages_chat_id ON messages (chat_id, id) WHERE deleted_at IS NULL;
