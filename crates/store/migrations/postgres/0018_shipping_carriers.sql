-- Shipping carriers (issue 18, SPEC §12): carriers apps register with their base URL and the
-- connection fields they need, each store's connection options (a JSON object, sealed with the
-- master key when one is configured), and a consignment's chosen option by its id (a carrier
-- quote's id is text). Only additions.
CREATE TABLE shipping_carriers (
    id TEXT PRIMARY KEY,
    -- NULL: offered to every store (registered with the CLI); else the registering store.
    owner_store_id BIGINT REFERENCES stores(id),
    name TEXT NOT NULL,
    base_url TEXT NOT NULL,
    -- JSON array of {code, label, required}.
    connection_fields TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE TABLE carrier_connections (
    store_id BIGINT NOT NULL REFERENCES stores(id),
    carrier_id TEXT NOT NULL REFERENCES shipping_carriers(id) ON DELETE CASCADE,
    options TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (store_id, carrier_id)
);
ALTER TABLE checkout_consignments ADD COLUMN selected_option TEXT;
