-- The faq feature's tables, as first created.
CREATE TABLE faq_queries (
    id INTEGER PRIMARY KEY,
    query TEXT NOT NULL,
    matched_id TEXT,
    score REAL NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX faq_queries_at ON faq_queries(at);
CREATE TABLE faq_feedback (
    entry_id TEXT NOT NULL,
    user_id INTEGER NOT NULL,
    helpful INTEGER NOT NULL CHECK (helpful IN (0, 1)),
    at TEXT NOT NULL,
    PRIMARY KEY (entry_id, user_id)
);
