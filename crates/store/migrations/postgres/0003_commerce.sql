CREATE TABLE carts (
    id TEXT PRIMARY KEY,
    store_id BIGINT NOT NULL REFERENCES stores(id),
    channel_id BIGINT NOT NULL,
    customer_id BIGINT,
    session_digest TEXT,
    version BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX carts_customer ON carts (store_id, customer_id);
CREATE INDEX carts_session ON carts (session_digest);
CREATE TABLE cart_items (
    seq BIGSERIAL PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    cart_id TEXT NOT NULL REFERENCES carts(id) ON DELETE CASCADE,
    product_id BIGINT NOT NULL,
    variant_id BIGINT,
    quantity BIGINT NOT NULL
);
CREATE INDEX cart_items_cart ON cart_items (cart_id);
CREATE TABLE orders (
    id BIGSERIAL PRIMARY KEY,
    store_id BIGINT NOT NULL REFERENCES stores(id),
    channel_id BIGINT NOT NULL,
    customer_id BIGINT,
    cart_id TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL,
    total_cents BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX orders_customer ON orders (store_id, customer_id);
CREATE TABLE order_lines (
    seq BIGSERIAL PRIMARY KEY,
    order_id BIGINT NOT NULL REFERENCES orders(id),
    product_id BIGINT NOT NULL,
    name TEXT NOT NULL,
    quantity BIGINT NOT NULL,
    unit_cents BIGINT NOT NULL
);
CREATE TABLE payment_access_tokens (
    jti TEXT PRIMARY KEY,
    store_id BIGINT NOT NULL REFERENCES stores(id),
    order_id BIGINT NOT NULL REFERENCES orders(id),
    amount_cents BIGINT NOT NULL,
    issued_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE TABLE payments (
    id TEXT PRIMARY KEY,
    store_id BIGINT NOT NULL REFERENCES stores(id),
    order_id BIGINT NOT NULL REFERENCES orders(id),
    pat_jti TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL,
    amount_cents BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE TABLE server_secrets (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE TABLE apps (
    client_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    client_secret TEXT NOT NULL,
    auth_callback TEXT NOT NULL,
    load_callback TEXT NOT NULL,
    uninstall_callback TEXT,
    scopes TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE TABLE app_installs (
    app_client_id TEXT NOT NULL REFERENCES apps(client_id),
    store_id BIGINT NOT NULL REFERENCES stores(id),
    account_uuid TEXT NOT NULL,
    scopes TEXT NOT NULL,
    access_token_digest TEXT UNIQUE,
    installed_at BIGINT,
    uninstalled_at BIGINT,
    PRIMARY KEY (app_client_id, store_id)
);
CREATE TABLE oauth_codes (
    digest TEXT PRIMARY KEY,
    app_client_id TEXT NOT NULL REFERENCES apps(client_id),
    store_id BIGINT NOT NULL REFERENCES stores(id),
    redirect_uri TEXT NOT NULL,
    scopes TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE TABLE auto_tokens (
    store_id BIGINT NOT NULL REFERENCES stores(id),
    channel_id BIGINT NOT NULL,
    jti TEXT NOT NULL,
    token TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    PRIMARY KEY (store_id, channel_id)
);
