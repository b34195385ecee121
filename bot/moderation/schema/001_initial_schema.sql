-- The moderation feature's tables, as first created.
CREATE TABLE flags (
    id INTEGER PRIMARY KEY,
    guild_id INTEGER NOT NULL,
    channel_id INTEGER NOT NULL,
    message_id INTEGER NOT NULL,
    author_id INTEGER NOT NULL,
    category TEXT NOT NULL,
    score REAL NOT NULL,
    reasons TEXT NOT NULL DEFAULT '[]',
    excerpt TEXT CHECK (excerpt IS NULL OR length(excerpt) <= 200),
    state TEXT NOT NULL,
    claimed_by INTEGER,
    review_channel_id INTEGER,
    review_message_id INTEGER,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    closed_at TEXT
);
CREATE UNIQUE INDEX flags_open_message ON flags(message_id) WHERE closed_at IS NULL;
CREATE INDEX flags_state ON flags(state, created_at);
CREATE INDEX flags_author ON flags(author_id);
CREATE TABLE flag_reporters (
    flag_id INTEGER NOT NULL REFERENCES flags(id) ON DELETE CASCADE,
    reporter_id INTEGER NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (flag_id, reporter_id)
);
CREATE TABLE flag_events (
    id INTEGER PRIMARY KEY,
    flag_id INTEGER NOT NULL REFERENCES flags(id) ON DELETE CASCADE,
    actor_id INTEGER,
    action TEXT NOT NULL,
    from_state TEXT,
    to_state TEXT,
    note TEXT,
    at TEXT NOT NULL
);
CREATE INDEX flag_events_flag ON flag_events(flag_id, id);
CREATE TRIGGER flag_events_append_only_update BEFORE UPDATE ON flag_events
BEGIN SELECT RAISE(ABORT, 'flag_events is append-only'); END;
