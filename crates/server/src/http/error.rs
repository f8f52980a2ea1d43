//! The one place errors become HTTP responses for the REST surfaces, in BigCommerce's envelope
//! `{status, title, type, detail?, errors?}` (SPEC §3). Internal details go to the log only.

use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Map, Value};
use storefront_auth_store::StoreError;

pub const ERROR_TYPE: &str =
    "https://developer.bigcommerce.com/api-docs/getting-started/api-status-codes";
pub const MISSING_SCOPE_TITLE: &str = "You don't have a required scope to access the endpoint";
pub const INVALID_REVOKE_TITLE: &str = "Invalid JWT Token provided or missing JWT token header";

pub use crate::service::fields::FieldError;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("unauthorized")]
    Unauthorized,
    #[error("missing scope")]
    MissingScope,
    #[error("not found")]
    NotFound,
    #[error("method not allowed")]
    MethodNotAllowed,
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("body too large")]
    PayloadTooLarge,
    #[error("unsupported media type")]
    UnsupportedMediaType,
    #[error("malformed body: {0}")]
    BadRequest(String),
    #[error("invalid fields")]
    Invalid(Vec<FieldError>),
    #[error("unprocessable: {0}")]
    Unprocessable(&'static str),
    /// Any other refusal: its status and a title that says what to do.
    #[error("{1}")]
    Refused(StatusCode, String),
    #[error("rate limited")]
    RateLimited { retry_after_ms: u64 },
    #[error("database unavailable: {0}")]
    Unavailable(String),
    #[error("internal: {0}")]
    Internal(String),
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => ApiError::NotFound,
            StoreError::Conflict(what) => ApiError::Conflict(what),
            StoreError::Unavailable(what) => ApiError::Unavailable(what),
            other => ApiError::Internal(other.to_string()),
        }
    }
}

impl From<crate::service::tokens::CreateError> for ApiError {
    fn from(e: crate::service::tokens::CreateError) -> Self {
        use crate::service::tokens::{CreateError, IssueError};
        match e {
            CreateError::Invalid(fields) => ApiError::Invalid(fields),
            CreateError::Issue(IssueError::Store(s)) => ApiError::from(s),
            CreateError::Issue(other) => ApiError::Internal(other.to_string()),
        }
    }
}

pub fn envelope(
    status: StatusCode,
    title: &str,
    detail: Option<&str>,
    errors: Option<Map<String, Value>>,
) -> Value {
    let mut body = json!({ "status": status.as_u16(), "title": title, "type": ERROR_TYPE });
    if let Some(d) = detail {
        body["detail"] = json!(d);
    }
    if let Some(e) = errors {
        body["errors"] = Value::Object(e);
    }
    body
}

impl ApiError {
    /// The status and the envelope of each refusal.
    fn status_and_body(&self) -> (StatusCode, Value) {
        match self {
            ApiError::Unauthorized => (
                StatusCode::UNAUTHORIZED,
                envelope(StatusCode::UNAUTHORIZED, "Unauthorized", Some("The X-Auth-Token is missing or is not valid for this store."), None),
            ),
            ApiError::MissingScope => (StatusCode::FORBIDDEN, envelope(StatusCode::FORBIDDEN, MISSING_SCOPE_TITLE, None, Some(Map::new()))),
            ApiError::NotFound => (StatusCode::NOT_FOUND, envelope(StatusCode::NOT_FOUND, "The requested resource was not found.", None, None)),
            ApiError::MethodNotAllowed => (
                StatusCode::METHOD_NOT_ALLOWED,
                envelope(StatusCode::METHOD_NOT_ALLOWED, "The requested method is not allowed on this resource.", None, None),
            ),
            ApiError::Conflict(_) => (StatusCode::CONFLICT, envelope(StatusCode::CONFLICT, "The resource already exists.", None, None)),
            ApiError::PayloadTooLarge => (
                StatusCode::PAYLOAD_TOO_LARGE,
                envelope(StatusCode::PAYLOAD_TOO_LARGE, "The request body is too large.", Some("Request bodies are limited to 1 MiB."), None),
            ),
            ApiError::UnsupportedMediaType => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                envelope(StatusCode::UNSUPPORTED_MEDIA_TYPE, "The request body must be application/json.", None, None),
            ),
            ApiError::BadRequest(why) => (
                StatusCode::BAD_REQUEST,
                envelope(StatusCode::BAD_REQUEST, "The request body is not valid JSON.", Some(why), None),
            ),
            ApiError::Invalid(fields) => {
                // Sorted, as the JSON object of `errors` is.
                let map: Map<String, Value> = fields.iter().map(|f| (f.key.clone(), Value::String(f.message.clone()))).collect();
                let keys: Vec<&str> = map.keys().map(String::as_str).collect();
                let title = format!("The following fields are invalid: {}", keys.join(", "));
                (StatusCode::UNPROCESSABLE_ENTITY, envelope(StatusCode::UNPROCESSABLE_ENTITY, &title, None, Some(map)))
            }
            ApiError::Unprocessable(title) => {
                (StatusCode::UNPROCESSABLE_ENTITY, envelope(StatusCode::UNPROCESSABLE_ENTITY, title, None, Some(Map::new())))
            }
            ApiError::Refused(status, title) => (*status, envelope(*status, title, None, None)),
            ApiError::RateLimited { .. } => (
                StatusCode::TOO_MANY_REQUESTS,
                envelope(StatusCode::TOO_MANY_REQUESTS, "Too many requests.", Some("The request quota of this API account is used up; retry after X-Retry-After seconds."), None),
            ),
            ApiError::Unavailable(why) => {
                tracing::error!(error = %crate::logs::escaped(why), "database unavailable");
                (
                    StatusCode::SERVICE_UNAVAILABLE,
                    envelope(StatusCode::SERVICE_UNAVAILABLE, "The service is temporarily unavailable.", Some("Retry shortly."), None),
                )
            }
            ApiError::Internal(why) => {
                tracing::error!(error = %crate::logs::escaped(why), "internal error");
                (StatusCode::INTERNAL_SERVER_ERROR, envelope(StatusCode::INTERNAL_SERVER_ERROR, "Internal server error.", None, None))
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, body) = self.status_and_body();
        let mut response = (status, axum::Json(body)).into_response();
        if let ApiError::RateLimited { retry_after_ms } = self {
            let secs = retry_after_ms.div_ceil(1000).max(1);
            if let Ok(v) = HeaderValue::from_str(&secs.to_string()) {
                response.headers_mut().insert("X-Retry-After", v);
            }
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_title_joins_the_keys() {
        let e = ApiError::Invalid(vec![
            FieldError::new("a", "required", "A"),
            FieldError::new("b", "invalid_type", "B"),
        ]);
        let r = e.into_response();
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
}
