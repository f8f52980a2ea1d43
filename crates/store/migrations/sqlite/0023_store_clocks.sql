-- A store's own simulated clock (issue 19): its time is the system's real time plus this
-- offset, so it advances, and every process (servers, the CLI) reads the same time for it
-- whatever its own simulated clock. NULL: the store follows the process clock. Every change is
-- kept with who made it and the store's time before and after (the last 100 per store).
ALTER TABLE stores ADD COLUMN clock_offset BIGINT;
CREATE TABLE store_clock_changes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    store_id BIGINT NOT NULL REFERENCES stores(id) ON DELETE CASCADE,
    changed_at BIGINT NOT NULL,
    from_time BIGINT NOT NULL,
    to_time BIGINT NOT NULL,
    clock_offset BIGINT,
    changed_by TEXT NOT NULL
);
CREATE INDEX store_clock_changes_by_store ON store_clock_changes (store_id, id);
