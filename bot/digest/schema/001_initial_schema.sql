-- The digest feature's tables, as first created.
CREATE TABLE digest_items (
    source TEXT NOT NULL,
    key TEXT NOT NULL,
    version TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL,
    url TEXT NOT NULL,
    doi TEXT,
    kind TEXT,
    detail TEXT,
    published TEXT,
    first_seen TEXT NOT NULL,
    posted_at TEXT,
    posted_version TEXT,
    PRIMARY KEY (source, key)
);
CREATE INDEX digest_items_doi ON digest_items(doi) WHERE doi IS NOT NULL;
CREATE TABLE digest_runs (
    id INTEGER PRIMARY KEY,
    scheduled_for TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    channel_id INTEGER,
    message_ids TEXT NOT NULL DEFAULT '[]',
    item_count INTEGER NOT NULL DEFAULT 0,
    content TEXT
);
CREATE TABLE source_health (
    source TEXT PRIMARY KEY,
    state TEXT NOT NULL DEFAULT 'ok',
    failures INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    last_attempt TEXT,
    last_success TEXT,
    notified_state TEXT,
    etag TEXT,
    last_modified TEXT
);
