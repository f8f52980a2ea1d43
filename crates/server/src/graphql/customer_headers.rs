//! The GraphQL API's customer headers (SPEC §5.4), read into the domain's `CustomerSignals`.

use axum::http::{HeaderMap, HeaderName};

use crate::http::headers::text;
use crate::service::customer_context::CustomerSignals;

pub use crate::http::headers::CAT_HEADER;

// Parsed once: a header looked up by a string is parsed on every lookup.
pub const CUSTOMER_ID_HEADER: HeaderName = HeaderName::from_static("x-bc-customer-id");
pub const ERROR_ON_INVALID_HEADER: HeaderName =
    HeaderName::from_static("x-bc-error-on-invalid-customer-access-token");

/// What the request says about its customer; `session_cookie` is the `SHOP_TOKEN` value.
pub fn signals<'a>(headers: &'a HeaderMap, session_cookie: Option<&'a str>) -> CustomerSignals<'a> {
    CustomerSignals {
        access_token: text(headers, &CAT_HEADER),
        customer_id: text(headers, &CUSTOMER_ID_HEADER),
        strict: text(headers, &ERROR_ON_INVALID_HEADER)
            .is_some_and(|v| v.eq_ignore_ascii_case("true")),
        session_cookie,
    }
}
