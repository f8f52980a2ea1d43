-- A store's newsletter list (issue 17: Catalyst's footer sign-up and account settings). One row
-- per address, keyed by its lower-cased form, so one address is subscribed once whatever its
-- case. Only additions, so instances of the previous version keep working.
CREATE TABLE newsletter_subscribers (
    store_id BIGINT NOT NULL REFERENCES stores(id),
    email_key TEXT NOT NULL,
    email TEXT NOT NULL,
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (store_id, email_key)
);
