-- The state each store was seeded with (development mode, issue 20): `reset` returns to it.
-- The state is the JSON of `StoreState`: every row the store owns.
CREATE TABLE store_seed_states (
    store_id BIGINT PRIMARY KEY REFERENCES stores(id),
    taken_at BIGINT NOT NULL,
    state TEXT NOT NULL
);
