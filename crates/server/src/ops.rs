//! Operations endpoints (SPEC §10) and the key set (SPEC §4): `/healthz`, `/readyz`,
//! `/metrics`, `/.well-known/jwks.json`.

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use serde_json::json;

use crate::state::SharedState;

pub fn router() -> Router<SharedState> {
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
async fn readyz(State(state): State<SharedState>) -> impl IntoResponse {
    let db = state.store.ping().await;
    let signer = state.keys().signer().is_some();
    // Past one catch-up interval without the listener, revocations could lag: not ready.
    let listener_ok = state.listener_down_for() <= crate::app::LISTENER_GRACE;
    let ok = db.is_ok() && signer && listener_ok;
    let status = if ok {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    let body = json!({
        "status": if ok { "ready" } else { "not ready" },
        "database": if db.is_ok() { "ok" } else { "unreachable" },
        "signing_key": signer,
        "event_listener": if listener_ok { "ok" } else { "down" },
    });
    (status, axum::Json(body))
}

async fn metrics(State(state): State<SharedState>) -> impl IntoResponse {
    let mut text = state.metrics.render();
    let (documents, document_bytes) = state.documents.usage();
    let (tokens, token_bytes) = state.token_cache.usage();
    crate::metrics::render_caches(
        &mut text,
        &[
            ("documents", documents, document_bytes),
            ("tokens", tokens as u64, token_bytes as u64),
        ],
    );
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], text)
}

async fn jwks(State(state): State<SharedState>) -> impl IntoResponse {
    (
        [(header::CACHE_CONTROL, "public, max-age=60")],
        axum::Json(state.keys().jwks()),
    )
}
