-- Follows, posts, votes, replies and the hashtag index. Times are Unix milliseconds. Post and reply ids only
-- grow with time, so "newest first" is id order and every list pages by id on an index.
CREATE TABLE follows (
    follower_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    followee_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (follower_id, followee_id)
) WITHOUT ROWID;
CREATE INDEX follows_followee ON follows (followee_id, created_at);
CREATE INDEX follows_follower_recent ON follows (follower_id, created_at);

-- upvotes, downvotes and reply_count are maintained in the same write as the vote or reply they count.
CREATE TABLE posts (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    content     TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    upvotes     INTEGER NOT NULL DEFAULT 0,
    downvotes   INTEGER NOT NULL DEFAULT 0,
    reply_count INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX posts_user ON posts (user_id, id);
CREATE INDEX posts_created ON posts (created_at);

-- value: 1 up, -1 down. One row per (post, voter); switching updates it, withdrawing deletes it.
CREATE TABLE post_votes (
    post_id    INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    value      INTEGER NOT NULL CHECK (value IN (-1, 1)),
    created_at INTEGER NOT NULL,
    PRIMARY KEY (post_id, user_id)
) WITHOUT ROWID;

CREATE TABLE replies (
    id         INTEGER PRIMARY KEY,
    post_id    INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    content    TEXT    NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX replies_post ON replies (post_id, id);
-- For ON DELETE CASCADE when a user goes: without them, deleting one user scans every vote and reply.
CREATE INDEX replies_user ON replies (user_id);
CREATE INDEX post_votes_user ON post_votes (user_id);

-- Hashtags extracted at write time, lower-cased, once per post. created_at is the post's, so trending reads
-- only the index range of its window; (tag, post_id) serves "posts with this tag".
CREATE TABLE post_hashtags (
    post_id    INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    tag        TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (post_id, tag)
) WITHOUT ROWID;
CREATE INDEX post_hashtags_recent ON post_hashtags (created_at, tag);
CREATE INDEX post_hashtags_tag ON post_hashtags (tag, post_id);
