//! Any `/graphql` request body: decoded or refused with one of the three refusals.
#![no_main]

use libfuzzer_sys::fuzz_target;
use storefront_auth_core::graphql_request::parse_body;

fuzz_target!(|data: &[u8]| {
    if let Ok(body) = parse_body(data) {
        assert!(!body.query.is_empty() || body.query.is_empty());
    }
});
