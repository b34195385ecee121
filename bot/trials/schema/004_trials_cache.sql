-- Search results cached for an hour per query. The key holds only rounded coordinates and
-- the options: nothing else about the member's place is stored, and it goes with the cache.
CREATE TABLE trials_cache (
    key TEXT PRIMARY KEY,
    fetched_at REAL NOT NULL,
    results TEXT NOT NULL
);
