//! Header names parsed once, and small helpers for reading and setting headers.

use axum::http::{HeaderMap, HeaderName, HeaderValue};
use axum::response::Response;

// Parsed once: a header looked up or set by a string is parsed on every use.
pub const CORRELATION_ID: HeaderName = HeaderName::from_static("x-correlation-id");

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

pub fn set_header(response: &mut Response, name: HeaderName, value: &str) {
    if let Ok(v) = HeaderValue::from_str(value) {
        response.headers_mut().insert(name, v);
    }
}
