-- Accounts and sessions. Times are Unix milliseconds. *_key columns hold the lower-cased value that
-- uniqueness and look-ups use (usernames and e-mail addresses are unique case-insensitively).
CREATE TABLE users (
    id               INTEGER PRIMARY KEY,
    username         TEXT    NOT NULL,
    username_key     TEXT    NOT NULL UNIQUE,
    email            TEXT    NOT NULL,
    email_key        TEXT    NOT NULL UNIQUE,
    password_hash    TEXT    NOT NULL,
    avatar_url       TEXT,
    description      TEXT    NOT NULL DEFAULT '',
    first_name       TEXT,
    last_name        TEXT,
    custom_css       TEXT    NOT NULL DEFAULT '',
    background_image TEXT,
    created_at       INTEGER NOT NULL,
    -- Profile stats, maintained in the same transaction as the change they count.
    followers_count  INTEGER NOT NULL DEFAULT 0,
    following_count  INTEGER NOT NULL DEFAULT 0,
    posts_count      INTEGER NOT NULL DEFAULT 0,
    upvotes          INTEGER NOT NULL DEFAULT 0,
    downvotes        INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE sessions (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash   TEXT    NOT NULL UNIQUE,
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);
