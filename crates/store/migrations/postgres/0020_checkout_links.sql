-- Hosted checkout links (issue 18 §2): `createCartRedirectUrls` hands out a single-use,
-- short-lived token for one cart; opening `/cart.php?action=loadInCheckout&id=…&token=…`
-- claims it. Only its digest is kept. A link made by a signed-in customer carries that
-- sign-in (`source_digest`): the session it starts lives no longer than its source.
CREATE TABLE checkout_links (
    id BIGSERIAL PRIMARY KEY,
    digest TEXT NOT NULL UNIQUE,
    store_id BIGINT NOT NULL,
    channel_id BIGINT NOT NULL,
    cart_id TEXT NOT NULL REFERENCES carts(id) ON DELETE CASCADE,
    customer_id BIGINT,
    source_digest TEXT,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE INDEX checkout_links_cart ON checkout_links (cart_id, id);
-- A sign-in started from another (session sync): it ends when its source ends.
ALTER TABLE customer_sessions ADD COLUMN source_digest TEXT;
-- One live sign-in per customer (one device) counts only sign-ins of their own: a synced one
-- rides on its source and ends with it.
DROP INDEX customer_sessions_one_live;
CREATE UNIQUE INDEX customer_sessions_one_live ON customer_sessions (store_id, customer_id)
    WHERE ended_at IS NULL AND source_digest IS NULL;
