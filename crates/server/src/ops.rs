//! Operations endpoints (SPEC §10) and the key set (SPEC §4): `/healthz`, `/readyz`,
//! `/metrics`, `/.well-known/jwks.json`.

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use serde_json::json;

use crate::service::sync::LISTENER_GRACE;
use crate::service::Domain;
use axum::extract::FromRef;

pub fn router<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    Domain: FromRef<S>,
{
    Router::new()
        .route(
            "/healthz",
            get(|| async { axum::Json(json!({ "status": "ok" })) }),
        )
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
        .route("/.well-known/jwks.json", get(jwks))
}

/// Ready when the database answers and a signing key is loaded.
async fn readyz(State(domain): State<Domain>) -> impl IntoResponse {
    let db = domain.database_ok().await;
    let signer = domain.keys().signer().is_some();
    // Past one catch-up interval without the listener, revocations could lag: not ready.
    let listener_ok = domain.event_listener_down_for() <= LISTENER_GRACE;
    let ok = db && signer && listener_ok;
    let status = if ok {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    let body = json!({
        "status": if ok { "ready" } else { "not ready" },
        "database": if db { "ok" } else { "unreachable" },
        "signing_key": signer,
        "event_listener": if listener_ok { "ok" } else { "down" },
    });
    (status, axum::Json(body))
}

async fn metrics(State(domain): State<Domain>) -> impl IntoResponse {
    let text = domain.metrics().render();
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], text)
}

async fn jwks(State(domain): State<Domain>) -> impl IntoResponse {
    (
        [(header::CACHE_CONTROL, "public, max-age=60")],
        axum::Json(domain.keys().jwks()),
    )
}
