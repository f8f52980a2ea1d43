//! `/_dev/stores/{hash}/faults` (issue 20): make a store's surface misbehave on purpose, list
//! what is set and how often it was applied, and take it back.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde_json::{json, Value};

use super::stores::{created, store_at, Answer};
use super::Dev;
use crate::http::body::JsonBody;
use crate::http::error::ApiError;
use crate::service::faults::{self, FaultError};

fn fault_error(e: FaultError) -> ApiError {
    match e {
        FaultError::Invalid(errors) => ApiError::Invalid(errors),
        FaultError::Full => ApiError::Conflict(e.to_string()),
        FaultError::NoSigner => ApiError::Internal(e.to_string()),
    }
}

/// `POST /_dev/stores/{hash}/faults` `{"kind", "surface"?, "requests"?, "seconds"?, …}`.
pub async fn add(
    State(dev): State<Dev>,
    Path(hash): Path<String>,
    JsonBody(body): JsonBody,
) -> Answer {
    let store = store_at(&dev, &hash).await?;
    let fault = faults::add(dev.domain(), &store, &body).map_err(fault_error)?;
    created(faults::view(&fault))
}

/// `GET /_dev/stores/{hash}/faults`: the store's faults, oldest first, spent ones included.
pub async fn list(
    State(dev): State<Dev>,
    Path(hash): Path<String>,
) -> Result<axum::Json<Value>, ApiError> {
    let store = store_at(&dev, &hash).await?;
    let all = faults::list(dev.domain(), &store);
    let data = all.iter().map(|f| faults::view(f)).collect::<Vec<_>>();
    Ok(axum::Json(json!({ "data": data, "meta": {} })))
}

/// `DELETE /_dev/stores/{hash}/faults`: every fault of the store.
pub async fn clear(
    State(dev): State<Dev>,
    Path(hash): Path<String>,
) -> Result<StatusCode, ApiError> {
    let store = store_at(&dev, &hash).await?;
    faults::clear(dev.domain(), &store.hash);
    Ok(StatusCode::NO_CONTENT)
}

/// `DELETE /_dev/stores/{hash}/faults/{id}`: one fault.
pub async fn remove(
    State(dev): State<Dev>,
    Path((hash, id)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    let store = store_at(&dev, &hash).await?;
    let id = id.parse::<u64>().map_err(|_| ApiError::NotFound)?;
    match faults::remove(dev.domain(), &store, id) {
        true => Ok(StatusCode::NO_CONTENT),
        false => Err(ApiError::NotFound),
    }
}
