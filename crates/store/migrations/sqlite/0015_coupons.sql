-- Coupons (issue 17: Catalyst's cart page applies coupon codes): a store's coupons, the one a
-- checkout has applied, and what an order took off with it. Only additions, so instances of
-- the previous version keep working.
CREATE TABLE coupons (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    store_id BIGINT NOT NULL REFERENCES stores(id),
    code TEXT NOT NULL,
    -- Codes match without regard to case: one coupon per lower-cased code in a store.
    code_lower TEXT NOT NULL,
    kind TEXT NOT NULL,
    -- Basis points for 'percent', cents for 'amount'.
    amount BIGINT NOT NULL,
    -- 0: no limit. 'uses' counts orders placed with the coupon.
    max_uses BIGINT NOT NULL,
    uses BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX coupons_code ON coupons (store_id, code_lower);
CREATE TABLE checkout_coupons (
    cart_id TEXT PRIMARY KEY REFERENCES carts(id) ON DELETE CASCADE,
    coupon_id BIGINT NOT NULL REFERENCES coupons(id) ON DELETE CASCADE
);
ALTER TABLE orders ADD COLUMN coupon_code TEXT;
ALTER TABLE orders ADD COLUMN coupon_cents BIGINT NOT NULL DEFAULT 0;
