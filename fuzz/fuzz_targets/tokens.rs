//! Any bearer token, login JWT or PAT string: every parse and check answers without panicking,
//! and nothing but a token signed by the ring verifies.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use storefront_auth_core::{customer_login, hs256, token, KeyRing, SigningKey};

fn ring() -> &'static KeyRing {
    static RING: OnceLock<KeyRing> = OnceLock::new();
    RING.get_or_init(|| {
        let key = SigningKey::generate().expect("key");
        let verifier = key.verifying_key().expect("verifier");
        KeyRing::new(Some(key), vec![verifier])
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = token::segments(text);
    let _ = token::decode_unverified(text);
    assert!(token::verify(text, ring()).is_err(), "a forged token verified");
    let _ = hs256::peek(text);
    let _ = hs256::verify(text, b"secret");
    let _ = customer_login::issuer(text);
    let _ = customer_login::verify(text, b"secret", "demo", 1_800_000_000, 30, Some("127.0.0.1"));
});
