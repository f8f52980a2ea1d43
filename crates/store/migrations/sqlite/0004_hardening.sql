-- Hardening (SPEC §11). Only additions, so instances of the previous version keep working.

-- Origins of live storefront tokens, one row per (token, origin, channel; 0 = every channel):
-- an exact, indexed answer to "does some live token allow this origin here?". Rows are
-- deleted when their token is revoked.
CREATE TABLE token_origins (
    jti TEXT NOT NULL,
    store_id BIGINT NOT NULL,
    origin TEXT NOT NULL,
    channel_id BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    PRIMARY KEY (jti, origin, channel_id)
);
CREATE INDEX token_origins_lookup ON token_origins (store_id, origin, channel_id, expires_at);
INSERT INTO token_origins (jti, store_id, origin, channel_id, expires_at)
SELECT t.jti, t.store_id, o.value, COALESCE(c.value, 0), t.expires_at
FROM issued_tokens t
JOIN json_each(t.origins) o
LEFT JOIN json_each(t.channels) c ON 1 = 1
WHERE t.kind = 'storefront' AND t.revoked_at IS NULL;

-- A product's storefront path, looked up by `site.route` (filled from the name).
ALTER TABLE products ADD COLUMN path TEXT;
CREATE INDEX products_path ON products (store_id, path);

-- Failed-login and registration throttles: one counter per subject and window, reserved by a
-- single conditional upsert before the password is checked.
CREATE TABLE login_attempts (
    store_id BIGINT NOT NULL,
    subject TEXT NOT NULL,
    window_start BIGINT NOT NULL,
    attempts BIGINT NOT NULL,
    PRIMARY KEY (store_id, subject)
);

-- One device per customer: at most one live sign-in, enforced by the database. Sign-ins left
-- live together by the earlier race keep only the newest.
UPDATE customer_sessions SET ended_at = created_at
WHERE ended_at IS NULL AND digest <> (
    SELECT s.digest FROM customer_sessions s
    WHERE s.store_id = customer_sessions.store_id AND s.customer_id = customer_sessions.customer_id
      AND s.ended_at IS NULL
    ORDER BY s.created_at DESC, s.digest DESC LIMIT 1
);
CREATE UNIQUE INDEX customer_sessions_one_live ON customer_sessions (store_id, customer_id) WHERE ended_at IS NULL;

-- One successful payment per order. Orders charged more than once by the earlier race keep
-- their first success; the others are marked 'duplicate' (the charges to refund).
UPDATE payments SET status = 'duplicate'
WHERE status = 'success' AND id <> (
    SELECT p.id FROM payments p WHERE p.order_id = payments.order_id AND p.status = 'success'
    ORDER BY p.created_at, p.id LIMIT 1
);
CREATE UNIQUE INDEX payments_one_success ON payments (order_id) WHERE status = 'success';

-- Apps belong to the store that registered them, or are published to every store (apps
-- registered before this version were server-wide: they stay published).
ALTER TABLE apps ADD COLUMN owner_store_id BIGINT;
ALTER TABLE apps ADD COLUMN published BIGINT NOT NULL DEFAULT 0;
UPDATE apps SET published = 1;

-- Tokens signed before signatures were made canonical (low s) may still carry the other
-- form; tokens issued from now on may not.
INSERT INTO server_secrets (name, value, created_at)
SELECT 'low_s_since', CAST(COALESCE(MAX(issued_at) + 1, 0) AS TEXT), COALESCE(MAX(issued_at) + 1, 0)
FROM issued_tokens;
