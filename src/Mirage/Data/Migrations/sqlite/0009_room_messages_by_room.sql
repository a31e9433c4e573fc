-- A room's messages are stored together (a WITHOUT ROWID table keyed by room_id, seq), as 0008 did for chats. A page of
-- a room's newest messages used to look each one up in the (room_id, seq) index and then fetch its row from wherever
-- it had landed among every room's messages, in arrival order; now the page is the index itself, a few neighbouring
-- pages whatever the number of rooms talking at once.
-- Such a table has no rowid to number its rows: room_message_ids hands out ids instead and, unlike the rowid of a
-- table without AUTOINCREMENT, never hands out the id of a deleted newest message again.
CREATE TABLE room_message_ids (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    last INTEGER NOT NULL
);
INSERT INTO room_message_ids (id, last) VALUES (1, COALESCE((SELECT MAX(id) FROM room_messages), 0));

CREATE TABLE room_messages_by_room (
    room_id    INTEGER NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    seq        INTEGER NOT NULL,
    id         INTEGER NOT NULL,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    content    TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (room_id, seq)
) WITHOUT ROWID;
INSERT INTO room_messages_by_room (room_id, seq, id, user_id, content, created_at)
    SELECT room_id, seq, id, user_id, content, created_at FROM room_messages ORDER BY room_id, seq;
DROP TABLE room_messages;
ALTER TABLE room_messages_by_room RENAME TO room_messages;

-- The retention sweeper deletes by age.
CREATE INDEX room_messages_created ON room_messages (created_at);
