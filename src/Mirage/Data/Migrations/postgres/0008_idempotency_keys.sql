-- Idempotency-Key on the /v1 POSTs that create things: the first answer to a user's key, for 24 hours, so a client
-- that retries after a lost answer gets it again instead of a second message or post. status 0: reserved, the
-- request is running (or its answer was lost with the process).
CREATE TABLE idempotency_keys (
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    idem_key   TEXT    NOT NULL,
    request    TEXT    NOT NULL,
    status     INTEGER NOT NULL,
    body       TEXT,
    location   TEXT,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, idem_key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
