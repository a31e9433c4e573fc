-- Real-time events get one position across the whole server instead of a sequence per user, so that an event for
-- a room is stored once, not once per member. Per-user sequences cost a row per member for every room message,
-- and with those rows ordered by user, every message rewrote every page of the table: a 5,000-member room wrote
-- megabytes to the WAL per message, more as the resume window filled. The old tables only ever hold the last
-- few minutes (the resume window); a client resuming across this upgrade is told to resync.
DROP TABLE stream_entries;
DROP TABLE stream_payloads;
DROP TABLE stream_heads;

-- The last position handed out. Its row lock orders positions by commit on PostgreSQL (see StreamStore);
-- purged_through: every event up to here may have been deleted, so resuming from before it cannot be exact.
CREATE TABLE stream_clock (
    id              SMALLINT PRIMARY KEY CHECK (id = 1),
    position        BIGINT NOT NULL,
    purged_through  BIGINT NOT NULL
);
INSERT INTO stream_clock (id, position, purged_through) VALUES (1, 0, 0);

-- Whose events are recorded: users who are connected or were within the resume window (nobody else could resume).
CREATE TABLE stream_heads (
    user_id      BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    active_until BIGINT NOT NULL DEFAULT 0
);

-- Every recorded event, once. A room's events name the room (its members receive them); the others list their
-- recipients in stream_recipients.
CREATE TABLE stream_events (
    id         BIGINT PRIMARY KEY,
    room_id    BIGINT,
    type       TEXT    NOT NULL,
    data       TEXT    NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX stream_events_room ON stream_events (room_id, id) WHERE room_id IS NOT NULL;
CREATE INDEX stream_events_created ON stream_events (created_at);

CREATE TABLE stream_recipients (
    user_id  BIGINT NOT NULL,
    event_id BIGINT NOT NULL REFERENCES stream_events (id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, event_id)
);
CREATE INDEX stream_recipients_event ON stream_recipients (event_id);
