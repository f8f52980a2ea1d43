-- Password reset (issue 17: Catalyst's forgot-password and change-password pages). One live
-- reset per customer: a new request replaces the earlier link. Only the token's SHA-256 is
-- kept. Only additions, so instances of the previous version keep working.
CREATE TABLE password_resets (
    store_id BIGINT NOT NULL REFERENCES stores(id),
    customer_id BIGINT NOT NULL,
    token_digest TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (store_id, customer_id)
);
-- Mail the platform would send (the reset link), kept per store for the operator to read or
-- deliver; the newest 200 per store. The body is sealed when a master key is configured.
CREATE TABLE mail_outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    store_id BIGINT NOT NULL REFERENCES stores(id),
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX mail_outbox_store ON mail_outbox (store_id, id);
