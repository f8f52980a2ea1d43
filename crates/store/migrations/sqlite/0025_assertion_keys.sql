-- Gateway mode (issue 21): the keys that sign the assertions sent to the operator's upstream.
-- A key ring of its own, apart from the token keys: an upstream that trusts assertions must
-- not trust access tokens, and rotating one ring leaves the other alone.
CREATE TABLE assertion_keys (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    kid TEXT NOT NULL UNIQUE,
    private_key TEXT NOT NULL,
    public_point TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    retired_at BIGINT
);
