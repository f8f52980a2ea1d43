-- The migration audit's evidence (issue 19): when a token was first used, and per token the
-- origins, client IPs and operations seen, each with its count, first and last use, and (for
-- operations) the scopes the operation's document needed. Written in batches by the usage
-- flush, never per request; a token keeps a bounded number of values per dimension, the rest
-- counted under "(other)".
ALTER TABLE issued_tokens ADD COLUMN first_used_at BIGINT;
CREATE TABLE token_use_details (
    jti TEXT NOT NULL,
    dimension TEXT NOT NULL,
    value TEXT NOT NULL,
    uses BIGINT NOT NULL,
    scopes BIGINT NOT NULL,
    first_used_at BIGINT NOT NULL,
    last_used_at BIGINT NOT NULL,
    PRIMARY KEY (jti, dimension, value)
);
