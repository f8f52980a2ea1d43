//! Same-origin checks of the cookie-only storefront surfaces (REST Storefront API, the login
//! form), which never answer CORS (SPEC §5.7, §11).

use axum::http::HeaderMap;
use storefront_auth_store::Channel;

/// Is this browser request same-origin for the storefront: no cross-site fetch metadata, and
/// an `Origin` (when sent) that is this server's own origin or the channel's site origin?
/// Used by the cookie-only surfaces (REST Storefront API, the login form), which never answer
/// CORS.
pub fn is_same_origin(headers: &HeaderMap, channel: &Channel) -> bool {
    let cross_site = headers
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("cross-site"));
    if cross_site {
        return false;
    }
    // No `Origin`: a same-origin navigation or GET. An `Origin` that is not readable text
    // is nobody's own origin (fail closed).
    let Some(raw) = headers.get(axum::http::header::ORIGIN) else {
        return true;
    };
    let Ok(origin) = raw.to_str() else {
        return false;
    };
    let host = headers
        .get(axum::http::header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    origin == format!("http://{host}")
        || origin == format!("https://{host}")
        || channel.origin.as_deref() == Some(origin)
}
