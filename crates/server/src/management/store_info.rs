//! `GET v2/time` and `GET v2/store` (SPEC §3.2). Any authenticated account may call them.

use axum::extract::State;
use axum::Extension;
use serde_json::{json, Value};

use super::Caller;
use crate::error::ApiError;
use crate::state::SharedState;

pub async fn time(State(state): State<SharedState>) -> axum::Json<Value> {
    axum::Json(json!({ "time": state.now() }))
}

pub async fn store(
    State(state): State<SharedState>,
    Extension(caller): Extension<Caller>,
) -> Result<axum::Json<Value>, ApiError> {
    let channels = state.store.channels(caller.store.id).await?;
    Ok(axum::Json(json!({
        "id": caller.store.hash,
        "store_id": caller.store.id,
        "hash": caller.store.hash,
        "name": caller.store.name,
        "domain": state.storefront_host(&caller.store.hash, 1),
        "channels": channels.iter().map(|c| json!({ "id": c.channel_id, "name": c.name, "site_url": c.site_url })).collect::<Vec<_>>(),
    })))
}
