-- Messages are stored in chat order (a WITHOUT ROWID table keyed by chat_id, id) instead of arrival order. A page of
-- a chat's messages used to fetch each row from wherever it had landed among every chat's messages: fifty messages,
-- fifty pages scattered over a table of a million, so reading a page slowed as the server grew. Stored by chat, a
-- page is a few neighbouring pages, and counting a chat's unread messages reads along its own rows.
-- Such a table has no AUTOINCREMENT; message_ids hands out ids instead, and like AUTOINCREMENT never reuses one
-- (a read marker must never point at a later message that took a deleted one's id).
CREATE TABLE message_ids (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    last INTEGER NOT NULL
);
INSERT INTO message_ids (id, last) VALUES (1, max(
    COALESCE((SELECT MAX(id) FROM messages), 0),
    COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'messages'), 0)));

CREATE TABLE messages_by_chat (
    chat_id    INTEGER NOT NULL REFERENCES chats (id) ON DELETE CASCADE,
    id         INTEGER NOT NULL,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    content    TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    edited_at  INTEGER,
    deleted_at INTEGER,
    PRIMARY KEY (chat_id, id)
) WITHOUT ROWID;
INSERT INTO messages_by_chat (chat_id, id, user_id, content, created_at, updated_at, edited_at, deleted_at)
    SELECT chat_id, id, user_id, content, created_at, updated_at, edited_at, deleted_at FROM messages ORDER BY chat_id, id;
DROP TABLE messages;
ALTER TABLE messages_by_chat RENAME TO messages;

-- A message by id (edit, delete, read up to), and cursor paging on (created_at, id).
CREATE UNIQUE INDEX messages_id ON messages (id);
CREATE INDEX messages_chat_time ON messages (chat_id, created_at, id) WHERE deleted_at IS NULL;
