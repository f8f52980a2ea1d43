//! Request bodies of the REST surfaces: JSON, bounded in size.

use axum::body::Body;
use axum::extract::{FromRequest, Request};
use axum::http::{header, HeaderMap};
use serde_json::Value;

use super::error::ApiError;

/// The largest JSON body the management API reads.
pub const MAX_BODY: usize = 1024 * 1024;

/// A JSON request body: `application/json`, at most 1 MiB, well-formed.
pub struct JsonBody(pub Value);

impl<S: Send + Sync> FromRequest<S> for JsonBody {
    type Rejection = ApiError;

    async fn from_request(req: Request, _state: &S) -> Result<Self, Self::Rejection> {
        if !is_json(req.headers()) {
            return Err(ApiError::UnsupportedMediaType);
        }
        let bytes = read_limited(req.into_body(), MAX_BODY).await?;
        serde_json::from_slice(&bytes)
            .map(JsonBody)
            .map_err(|e| ApiError::BadRequest(e.to_string()))
    }
}

/// Whether the body is declared `application/json`.
pub fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|mime| mime.trim().eq_ignore_ascii_case("application/json"))
}

/// The whole body, or 413 past `limit` bytes.
pub async fn read_limited(body: Body, limit: usize) -> Result<axum::body::Bytes, ApiError> {
    axum::body::to_bytes(body, limit).await.map_err(|e| {
        // http-body-util's LengthLimitError is the only error that says this.
        if e.to_string().contains("length limit exceeded") {
            ApiError::PayloadTooLarge
        } else {
            ApiError::BadRequest(e.to_string())
        }
    })
}
