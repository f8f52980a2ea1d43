CREATE TABLE stores (
    id BIGINT PRIMARY KEY,
    hash TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    trusted_proxy_secret_digest TEXT,
    created_at BIGINT NOT NULL
);
CREATE TABLE channels (
    store_id BIGINT NOT NULL REFERENCES stores(id),
    channel_id BIGINT NOT NULL,
    name TEXT NOT NULL,
    site_url TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (store_id, channel_id)
);
CREATE TABLE api_accounts (
    client_id TEXT PRIMARY KEY,
    store_id BIGINT NOT NULL REFERENCES stores(id),
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    client_secret TEXT NOT NULL,
    access_token_digest TEXT NOT NULL UNIQUE,
    scopes TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE TABLE signing_keys (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    kid TEXT NOT NULL UNIQUE,
    private_key TEXT NOT NULL,
    public_point TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    retired_at BIGINT
);
CREATE TABLE issued_tokens (
    jti TEXT PRIMARY KEY,
    store_id BIGINT NOT NULL REFERENCES stores(id),
    kind TEXT NOT NULL,
    channels TEXT NOT NULL,
    origins TEXT NOT NULL,
    scopes TEXT,
    subject TEXT NOT NULL,
    sub_type BIGINT NOT NULL,
    issued_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    revoked_at BIGINT,
    last_used_at BIGINT,
    s2s_uses BIGINT NOT NULL DEFAULT 0,
    browser_uses BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX issued_tokens_store ON issued_tokens (store_id, issued_at);
CREATE INDEX issued_tokens_revoked ON issued_tokens (revoked_at);
CREATE TABLE customer_groups (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    store_id BIGINT NOT NULL REFERENCES stores(id),
    name TEXT NOT NULL,
    discount_bp BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE customers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    store_id BIGINT NOT NULL REFERENCES stores(id),
    email TEXT NOT NULL,
    email_lower TEXT NOT NULL,
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    phone TEXT NOT NULL DEFAULT '',
    group_id BIGINT,
    password_hash TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (store_id, email_lower)
);
CREATE TABLE products (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    store_id BIGINT NOT NULL REFERENCES stores(id),
    name TEXT NOT NULL,
    sku TEXT NOT NULL,
    price_cents BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (store_id, sku)
);
