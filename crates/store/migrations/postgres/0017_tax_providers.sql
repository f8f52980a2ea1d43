-- Tax providers (issue 18, SPEC §12): providers apps register with their base URL, each
-- store's connection to them (HTTP Basic credentials, the password sealed with the master key
-- when one is configured) with at most one active per store, and what an order's tax was.
-- Only additions.
CREATE TABLE tax_providers (
    id TEXT PRIMARY KEY,
    -- NULL: offered to every store (registered with the CLI); else the store whose API
    -- account registered it, the only store that sees it.
    owner_store_id BIGINT REFERENCES stores(id),
    name TEXT NOT NULL,
    base_url TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE TABLE tax_connections (
    store_id BIGINT NOT NULL REFERENCES stores(id),
    provider_id TEXT NOT NULL REFERENCES tax_providers(id) ON DELETE CASCADE,
    username TEXT NOT NULL,
    password TEXT NOT NULL,
    profile TEXT,
    -- 1 for the provider the store's checkouts ask; 0 for other connections.
    active BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (store_id, provider_id)
);
ALTER TABLE orders ADD COLUMN tax_cents BIGINT NOT NULL DEFAULT 0;
ALTER TABLE orders ADD COLUMN tax_provider_id TEXT;
-- 'committed' or 'failed' once the provider was sent the commit; NULL without a provider.
ALTER TABLE orders ADD COLUMN tax_commit TEXT;
