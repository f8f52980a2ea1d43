//! Header names parsed once, and small helpers for reading and setting headers.

use axum::http::{HeaderMap, HeaderName, HeaderValue};
use axum::response::Response;

// Parsed once: a header looked up or set by a string is parsed on every use.
pub const CORRELATION_ID: HeaderName = HeaderName::from_static("x-correlation-id");
/// A customer access token (SPEC §5.4); here because development faults replace it too.
pub const CAT_HEADER: HeaderName = HeaderName::from_static("x-bc-customer-access-token");

/// A header's trimmed, non-empty text value.
pub fn text<'a>(headers: &'a HeaderMap, name: &HeaderName) -> Option<&'a str> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| !v.is_empty())
}

/// The `Host` header, when readable.
pub fn host(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(axum::http::header::HOST)
        .and_then(|v| v.to_str().ok())
}

/// The `Host` a request named, when it is a plain host name with an optional port (the
/// storefront host resolution ignores the port; absolute URLs keep it).
pub fn public_host(host: &HeaderValue) -> Option<String> {
    let host = host.to_str().ok()?;
    let (name, port) = match host.rsplit_once(':') {
        Some((name, port)) => (name, Some(port)),
        None => (host, None),
    };
    let name_ok = !name.is_empty()
        && name.len() <= 253
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-');
    let port_ok = port.is_none_or(|p| p.parse::<u16>().is_ok_and(|n| n > 0));
    (name_ok && port_ok).then(|| host.to_ascii_lowercase())
}

pub fn set_header(response: &mut Response, name: HeaderName, value: &str) {
    if let Ok(v) = HeaderValue::from_str(value) {
        response.headers_mut().insert(name, v);
    }
}
