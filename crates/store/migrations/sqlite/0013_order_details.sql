-- What an order's details page shows (issue 17: Catalyst's account order page): the price
-- before the shopper's discount, the addresses as they were when the order was placed, and
-- the method and card a payment was made with (brand and last four digits only, never the number).
-- Only additions, so instances of the previous version keep working; existing rows are
-- filled as having had no discount and no addresses.
ALTER TABLE orders ADD COLUMN base_cents BIGINT NOT NULL DEFAULT 0;
UPDATE orders SET base_cents = total_cents;
ALTER TABLE order_lines ADD COLUMN list_cents BIGINT NOT NULL DEFAULT 0;
UPDATE order_lines SET list_cents = unit_cents;
ALTER TABLE payments ADD COLUMN method_id TEXT;
ALTER TABLE payments ADD COLUMN card_brand TEXT;
ALTER TABLE payments ADD COLUMN card_last4 TEXT;
-- kind: 'billing' or 'shipping'; at most one of each per order.
CREATE TABLE order_addresses (
    order_id BIGINT NOT NULL REFERENCES orders(id),
    kind TEXT NOT NULL,
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    company TEXT,
    address1 TEXT NOT NULL,
    address2 TEXT,
    city TEXT NOT NULL,
    state_or_province TEXT,
    postal_code TEXT,
    country_code TEXT NOT NULL,
    phone TEXT,
    email TEXT,
    PRIMARY KEY (order_id, kind)
);
CREATE INDEX payments_order ON payments (order_id, created_at);
