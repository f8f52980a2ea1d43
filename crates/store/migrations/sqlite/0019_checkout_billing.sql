-- A checkout's billing address (issue 18 §3: the REST Storefront API sets it), which the
-- order keeps; without one an order is billed to the customer's first saved address, as
-- before. Only additions.
CREATE TABLE checkout_billing_addresses (
    cart_id TEXT PRIMARY KEY REFERENCES carts(id) ON DELETE CASCADE,
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
    updated_at BIGINT NOT NULL
);
