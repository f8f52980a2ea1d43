//! `/_dev/stores/…` state (issue 20): export a store as a file, import one (so a failing CI
//! run's state can be reproduced locally), keep the current state as the seed, reset to it.

use axum::body::Body;
use axum::extract::{Path, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use storefront_auth_store::StoreState;

use super::stores::{created, store_at, store_view, Answer};
use super::Dev;
use crate::http::body::{is_json, read_limited};
use crate::http::error::{ApiError, FieldError};
use crate::service::dev_state::{self, DevStateError};

/// The largest state an import reads. A state holds the store's images; the demo's is about
/// 100 KiB.
pub const MAX_IMPORT: usize = 64 * 1024 * 1024;

fn state_error(e: DevStateError) -> ApiError {
    match e {
        DevStateError::NoSeed(_) => ApiError::Refused(StatusCode::CONFLICT, e.to_string()),
        DevStateError::Invalid(m) => {
            ApiError::Invalid(vec![FieldError::new("state", "invalid", m)])
        }
        DevStateError::Store(s) => s.into(),
    }
}

/// `GET /_dev/stores/{hash}/export`: the store's state, as a file to keep.
pub async fn export(
    State(dev): State<Dev>,
    Path(hash): Path<String>,
) -> Result<Response, ApiError> {
    let store = store_at(&dev, &hash).await?;
    let state = dev_state::export(dev.domain(), &store).await?;
    let body = serde_json::to_vec(&state).map_err(|e| ApiError::Internal(e.to_string()))?;
    let disposition = format!("attachment; filename=\"{}.state.json\"", store.hash);
    let mut response = Response::new(Body::from(body));
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(response)
}

/// `POST /_dev/stores/import`: writes an exported state over its store (creating it when this
/// database has no store of its hash) and keeps it as the store's seed state. At most two at
/// once: each holds its state in memory.
pub async fn import(State(dev): State<Dev>, req: Request) -> Answer {
    let _permit = dev.0.imports.try_acquire().map_err(|_| {
        ApiError::Refused(
            StatusCode::TOO_MANY_REQUESTS,
            "Two imports are running; try again when one has ended.".into(),
        )
    })?;
    if !is_json(req.headers()) {
        return Err(ApiError::UnsupportedMediaType);
    }
    let bytes = read_limited(req.into_body(), MAX_IMPORT).await?;
    let state: StoreState = serde_json::from_slice(&bytes).map_err(|e| {
        ApiError::Refused(
            StatusCode::BAD_REQUEST,
            format!("The body is not an exported store state: {e}"),
        )
    })?;
    let store = dev_state::import(dev.domain(), &state)
        .await
        .map_err(state_error)?;
    created(store_view(&dev, &store).await?)
}

/// `POST /_dev/stores/{hash}/reset`: back to the seed state.
pub async fn reset(
    State(dev): State<Dev>,
    Path(hash): Path<String>,
) -> Result<StatusCode, ApiError> {
    let store = store_at(&dev, &hash).await?;
    dev_state::reset(dev.domain(), &store)
        .await
        .map_err(state_error)?;
    Ok(StatusCode::NO_CONTENT)
}

/// `PUT /_dev/stores/{hash}/seed-state`: the state now becomes the one reset returns to.
pub async fn keep_seed(
    State(dev): State<Dev>,
    Path(hash): Path<String>,
) -> Result<impl IntoResponse, ApiError> {
    let store = store_at(&dev, &hash).await?;
    dev_state::keep_as_seed(dev.domain(), &store).await?;
    Ok(StatusCode::NO_CONTENT)
}
