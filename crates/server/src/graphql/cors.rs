//! CORS for `/graphql` (SPEC §5.3): a preflight is answered for the channel's own origin and
//! for origins some live storefront token of the store and channel allows; other origins get
//! no CORS headers, so the browser refuses the response.

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use super::responses::PreflightHost;
use crate::http::storefront_host::StorefrontHost;
use crate::service::{tokens, Domain};

pub const ALLOWED_HEADERS: &str = "Authorization, Content-Type, Accept, X-Correlation-Id";

pub fn origin_header(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(axum::http::header::ORIGIN)
        .and_then(|v| v.to_str().ok())
}

/// `OPTIONS /graphql`.
pub async fn preflight(
    State(domain): State<Domain>,
    StorefrontHost(storefront, _): StorefrontHost<PreflightHost>,
    headers: HeaderMap,
) -> Response {
    let (store_id, channel) = (storefront.entry.store.id, &storefront.channel);
    let mut response = StatusCode::NO_CONTENT.into_response();
    let Some(origin) = origin_header(&headers) else {
        return response;
    };
    let allowed = storefront_auth_core::validate::check_origin(origin).is_ok()
        && tokens::origin_allowed(&domain, store_id, channel, origin).await;
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
