CREATE TABLE customer_sessions (
    digest TEXT PRIMARY KEY,
    store_id BIGINT NOT NULL REFERENCES stores(id),
    channel_id BIGINT NOT NULL,
    customer_id BIGINT NOT NULL,
    kind TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    ended_at BIGINT
);
CREATE INDEX customer_sessions_customer ON customer_sessions (customer_id, ended_at);
CREATE INDEX customer_sessions_ended ON customer_sessions (ended_at);
CREATE TABLE login_failures (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    store_id BIGINT NOT NULL,
    subject TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX login_failures_subject ON login_failures (store_id, subject, at);
CREATE TABLE used_login_jtis (
    store_id BIGINT NOT NULL,
    issuer TEXT NOT NULL,
    jti TEXT NOT NULL,
    used_at BIGINT NOT NULL,
    PRIMARY KEY (store_id, issuer, jti)
);
CREATE TABLE wishlists (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    store_id BIGINT NOT NULL REFERENCES stores(id),
    customer_id BIGINT,
    name TEXT NOT NULL,
    is_public BIGINT NOT NULL,
    token TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL
);
CREATE TABLE wishlist_items (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    wishlist_id BIGINT NOT NULL REFERENCES wishlists(id) ON DELETE CASCADE,
    product_id BIGINT NOT NULL,
    variant_id BIGINT
);
