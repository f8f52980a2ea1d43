-- Shipping on the checkout (issue 17: Catalyst's cart page estimates shipping): a store's
-- shipping methods, a checkout's consignments (where its lines ship, and the option chosen),
-- and what an order paid for shipping. Only additions, so instances of the previous version
-- keep working.
CREATE TABLE shipping_methods (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    store_id BIGINT NOT NULL REFERENCES stores(id),
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    rate_cents BIGINT NOT NULL,
    -- Comma-separated country codes; empty: everywhere.
    countries TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX shipping_methods_store ON shipping_methods (store_id, id);
CREATE TABLE checkout_consignments (
    id TEXT PRIMARY KEY,
    cart_id TEXT NOT NULL REFERENCES carts(id) ON DELETE CASCADE,
    first_name TEXT,
    last_name TEXT,
    email TEXT,
    company TEXT,
    address1 TEXT,
    address2 TEXT,
    city TEXT,
    state_or_province TEXT,
    postal_code TEXT,
    country_code TEXT NOT NULL,
    phone TEXT,
    -- JSON array of the cart line ids the consignment ships.
    line_item_ids TEXT NOT NULL,
    -- The chosen shipping method, if any (a method deleted later is no longer offered).
    selected_method_id BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX checkout_consignments_cart ON checkout_consignments (cart_id, created_at);
ALTER TABLE orders ADD COLUMN shipping_cents BIGINT NOT NULL DEFAULT 0;
