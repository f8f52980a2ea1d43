//! `GET v2/time` and `GET v2/store` (SPEC §3.2). Any authenticated account may call them.

use axum::extract::State;
use axum::Extension;
use serde_json::{json, Value};

use super::Caller;
use super::Management;
use crate::http::error::ApiError;

/// The store's time: its own simulated clock when it has one (issue 19), so a client that
/// avoids clock skew with it (a Customer Login JWT's `iat`) follows the store.
pub async fn time(
    State(m): State<Management>,
    Extension(caller): Extension<Caller>,
) -> axum::Json<Value> {
    axum::Json(json!({ "time": m.domain.now_for(caller.store.id) }))
}

pub async fn store(
    State(m): State<Management>,
    Extension(caller): Extension<Caller>,
) -> Result<axum::Json<Value>, ApiError> {
    let channels = crate::service::stores::channels(&m.domain, caller.store.id).await?;
    Ok(axum::Json(json!({
        "id": caller.store.hash,
        "store_id": caller.store.id,
        "hash": caller.store.hash,
        "name": caller.store.name,
        "domain": m.domain.storefront_host(&caller.store.hash, 1),
        "channels": channels.iter().map(|c| json!({ "id": c.channel_id, "name": c.name, "site_url": c.site_url })).collect::<Vec<_>>(),
    })))
}
