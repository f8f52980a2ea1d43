//! Applies development faults (issue 20, `service::faults`) in front of a surface. Layered
//! only under `--dev`; even then a request pays one atomic load while no store has a fault.
//!
//! A fault that answers (rate limit, server error) answers before the surface; one that delays
//! or replaces a credential lets the surface answer for real. Every caught response carries
//! `X-Storefront-Auth-Fault: {id}`, so a test can tell a fault from a real failure.

use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::{header, HeaderName, HeaderValue, StatusCode};
use axum::middleware::{from_fn_with_state, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;

use super::error::ApiError;
use super::headers::{host, text, CAT_HEADER};
use crate::config::RateLimitConfig;
use crate::service::caches::faults::{FaultKind, Surface};
use crate::service::faults;
use crate::service::Domain;

pub const FAULT_HEADER: HeaderName = HeaderName::from_static("x-storefront-auth-fault");
const AUTH_TOKEN: HeaderName = HeaderName::from_static("x-auth-token");

/// What the layer of one surface knows.
#[derive(Clone)]
pub struct FaultLayer {
    domain: Domain,
    surface: Surface,
    /// The management API's quota and window, for the rate-limit headers of a 429.
    quota: u64,
    window_ms: u64,
}

/// `router` with `surface`'s faults applied in front of it.
pub fn wrap<S>(
    router: Router<S>,
    domain: &Domain,
    surface: Surface,
    limits: &RateLimitConfig,
) -> Router<S>
where
    S: Clone + Send + Sync + 'static,
{
    let state = FaultLayer {
        domain: domain.clone(),
        surface,
        quota: limits.quota,
        window_ms: limits.window_ms,
    };
    router.layer(from_fn_with_state(state, apply))
}

async fn apply(State(layer): State<FaultLayer>, mut req: Request, next: Next) -> Response {
    if layer.domain.faults().is_empty() {
        return next.run(req).await;
    }
    let Some(hash) = store_hash(&layer, req.uri().path(), host(req.headers())).await else {
        return next.run(req).await;
    };
    let carries_cat = text(req.headers(), &CAT_HEADER).is_some();
    let Some(fault) = faults::claim(&layer.domain, &hash, layer.surface, carries_cat) else {
        return next.run(req).await;
    };
    let mut response = match &fault.kind {
        FaultKind::RateLimited {
            retry_after_seconds,
        } => rate_limited(&layer, *retry_after_seconds),
        FaultKind::ServerError { status } => server_error(*status),
        FaultKind::Latency { ms } => {
            tokio::time::sleep(Duration::from_millis(*ms)).await;
            next.run(req).await
        }
        FaultKind::InvalidCustomerAccessToken => {
            let original = text(req.headers(), &CAT_HEADER).unwrap_or_default();
            let unknown = faults::unknown_customer_access_token(original);
            replace(&mut req, CAT_HEADER, &unknown);
            next.run(req).await
        }
        FaultKind::RevokedToken { replacement } => {
            match layer.surface {
                Surface::Management => {
                    req.headers_mut().remove(header::AUTHORIZATION);
                    replace(&mut req, AUTH_TOKEN, replacement);
                }
                _ => replace(
                    &mut req,
                    header::AUTHORIZATION,
                    &format!("Bearer {replacement}"),
                ),
            }
            next.run(req).await
        }
    };
    response
        .headers_mut()
        .insert(FAULT_HEADER, HeaderValue::from(fault.id));
    response
}

/// The store the request addresses: from the path on the management and payments APIs, from
/// the storefront host on the others.
async fn store_hash(layer: &FaultLayer, path: &str, host: Option<&str>) -> Option<String> {
    match layer.surface {
        Surface::Management | Surface::Payments => {
            let rest = path.strip_prefix("/stores/")?;
            Some(rest.split('/').next()?.to_string())
        }
        Surface::Graphql | Surface::Storefront => {
            let found = layer.domain.storefront_at(host).await;
            found.ok().map(|s| s.entry.store.hash.clone())
        }
    }
}

fn replace(req: &mut Request, name: HeaderName, value: &str) {
    if let Ok(v) = HeaderValue::from_str(value) {
        req.headers_mut().insert(name, v);
    }
}

/// The 429 a used-up quota gets, with its headers (the quota shown as used up).
fn rate_limited(layer: &FaultLayer, retry_after_seconds: u64) -> Response {
    let reset_ms = retry_after_seconds * 1000;
    let mut response = ApiError::RateLimited {
        retry_after_ms: reset_ms,
    }
    .into_response();
    let h = response.headers_mut();
    for (name, value) in [
        ("X-Rate-Limit-Time-Window-Ms", layer.window_ms),
        ("X-Rate-Limit-Time-Reset-Ms", reset_ms),
        ("X-Rate-Limit-Requests-Quota", layer.quota),
        ("X-Rate-Limit-Requests-Left", 0),
    ] {
        h.insert(name, HeaderValue::from(value));
    }
    response
}

fn server_error(status: u16) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    ApiError::Refused(
        status,
        "The server could not answer (a development-mode fault).".into(),
    )
    .into_response()
}
