-- The same offer posted again in other channels joins the first one's flag: one review post
-- lists every copy, and Delete removes them all. Ids only, like the rest of moderation.
CREATE TABLE flag_copies (
    flag_id INTEGER NOT NULL REFERENCES flags(id) ON DELETE CASCADE,
    channel_id INTEGER NOT NULL,
    message_id INTEGER NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (flag_id, message_id)
);
CREATE INDEX flag_copies_message ON flag_copies(message_id);
