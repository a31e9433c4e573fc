-- Notifications. A notification with a collapse_key (e.g. "chat:7") replaces the owner's unread one with the
-- same key, so a busy chat yields one "new messages" notification instead of a flood. Ids only grow, so
-- "newest first" is id order and cursor paging is stable.
CREATE TABLE notifications (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    type         TEXT    NOT NULL,
    title        TEXT    NOT NULL,
    message      TEXT    NOT NULL,
    data         TEXT    NOT NULL DEFAULT '{}',
    collapse_key TEXT,
    read_at      INTEGER,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);
CREATE INDEX notifications_user ON notifications (user_id, id);
CREATE INDEX notifications_unread ON notifications (user_id) WHERE read_at IS NULL;
CREATE UNIQUE INDEX notifications_collapse ON notifications (user_id, collapse_key)
    WHERE read_at IS NULL AND collapse_key IS NOT NULL;
