//! CORS for `/graphql` (SPEC §5.3): a preflight is answered for the channel's own origin and
//! for origins some live storefront token of the store and channel allows; other origins get
//! no CORS headers, so the browser refuses the response.

use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use storefront_auth_core::validate::check_origin;
use storefront_auth_store::Channel;

use crate::state::AppState;

pub const ALLOWED_HEADERS: &str = "Authorization, Content-Type, Accept, X-Correlation-Id";

pub fn origin_header(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(axum::http::header::ORIGIN)
        .and_then(|v| v.to_str().ok())
}

pub fn channel_origin(channel: &Channel) -> Option<&str> {
    channel.origin.as_deref()
}

pub async fn preflight(
    state: &AppState,
    store_id: i64,
    channel: &Channel,
    headers: &HeaderMap,
) -> Response {
    let mut response = StatusCode::NO_CONTENT.into_response();
    let Some(origin) = origin_header(headers) else {
        return response;
    };
    let allowed = check_origin(origin).is_ok()
        && (channel_origin(channel) == Some(origin)
            || state
                .store
                .storefront_origin_allowed(store_id, channel.channel_id, origin, state.now())
                .await
                .unwrap_or(false));
    if allowed {
        allow(&mut response, origin);
        let h = response.headers_mut();
        h.insert(
            "access-control-allow-methods",
            HeaderValue::from_static("POST, OPTIONS"),
        );
        h.insert(
            "access-control-allow-headers",
            HeaderValue::from_static(ALLOWED_HEADERS),
        );
        h.insert("access-control-max-age", HeaderValue::from_static("600"));
    }
    response
        .headers_mut()
        .insert("vary", HeaderValue::from_static("Origin"));
    response
}

/// Lets the browser read a response for `origin` (with cookies).
pub fn allow(response: &mut Response, origin: &str) {
    if let Ok(v) = HeaderValue::from_str(origin) {
        let h = response.headers_mut();
        h.insert("access-control-allow-origin", v);
        h.insert(
            "access-control-allow-credentials",
            HeaderValue::from_static("true"),
        );
        h.insert("vary", HeaderValue::from_static("Origin"));
    }
}

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
        || channel_origin(channel) == Some(origin)
}
