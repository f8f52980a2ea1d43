//! `GET /inspector`: the operator's page of the decision inspector (issue 19). It holds no
//! data: its script asks the management API (`…/api-tokens/audit`, `…/decisions`) with the API
//! account token the operator types in, kept in the tab's session storage. No external assets.

use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

pub fn router<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
{
    Router::new().route("/inspector", get(page))
}

async fn page() -> Response {
    let mut r = (
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        include_str!("inspector.html"),
    )
        .into_response();
    let h = r.headers_mut();
    for (name, value) in [
        ("content-security-policy", "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'"),
        ("x-content-type-options", "nosniff"),
        ("referrer-policy", "no-referrer"),
        ("cache-control", "no-store"),
    ] {
        h.insert(name, HeaderValue::from_static(value));
    }
    r
}
