//! `POST /oauth2/token` (SPEC §8): the app's code exchange, JSON or form-encoded. Errors use
//! the OAuth 2.0 shape `{"error", "error_description"}` (RFC 6749 §5.2), which is what OAuth
//! client libraries parse.

use axum::extract::{FromRef, FromRequest, Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use serde_json::{json, Map, Value};

use super::Management;
use crate::service::apps::{self, ExchangeError};

pub fn router<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    Management: FromRef<S>,
{
    Router::new().route("/oauth2/token", post(token))
}

fn oauth_error(status: StatusCode, error: &str, description: &str) -> Response {
    (
        status,
        axum::Json(json!({ "error": error, "error_description": description })),
    )
        .into_response()
}

async fn token(State(m): State<Management>, req: Request) -> Response {
    let form = match form(req).await {
        Ok(f) => f,
        Err(refusal) => return refusal,
    };
    let e = match apps::exchange(&m.domain, &form).await {
        Ok(grant) => {
            tracing::info!(context = %grant.body["context"], "app install token issued");
            return (StatusCode::OK, axum::Json(grant.body)).into_response();
        }
        Err(ExchangeError::Store(s)) => {
            return crate::http::error::ApiError::from(s).into_response()
        }
        Err(e) => e,
    };
    let (status, code) = match &e {
        ExchangeError::Client => (StatusCode::UNAUTHORIZED, "invalid_client"),
        ExchangeError::GrantType => (StatusCode::BAD_REQUEST, "unsupported_grant_type"),
        ExchangeError::RedirectUri | ExchangeError::Code => {
            (StatusCode::BAD_REQUEST, "invalid_grant")
        }
        ExchangeError::Request(_) | ExchangeError::Store(_) => {
            (StatusCode::BAD_REQUEST, "invalid_request")
        }
    };
    tracing::info!(reason = %e, "token exchange refused");
    oauth_error(status, code, &e.to_string())
}

/// The request's fields, from a JSON or a form-encoded body.
async fn form(req: Request) -> Result<Map<String, Value>, Response> {
    let mime = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|m| m.trim().to_ascii_lowercase())
        .unwrap_or_default();
    let form: Map<String, Value> = match mime.as_str() {
        "application/json" => {
            match axum::Json::<Map<String, Value>>::from_request(req, &()).await {
                Ok(axum::Json(m)) => m,
                Err(_) => {
                    return Err(oauth_error(
                        StatusCode::BAD_REQUEST,
                        "invalid_request",
                        "The body is not a JSON object.",
                    ))
                }
            }
        }
        "application/x-www-form-urlencoded" => {
            match axum::Form::<Vec<(String, String)>>::from_request(req, &()).await {
                Ok(axum::Form(pairs)) => pairs
                    .into_iter()
                    .map(|(k, v)| (k, Value::String(v)))
                    .collect(),
                Err(_) => {
                    return Err(oauth_error(
                        StatusCode::BAD_REQUEST,
                        "invalid_request",
                        "The form body is malformed.",
                    ))
                }
            }
        }
        _ => {
            return Err(oauth_error(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "invalid_request",
                "Send application/json or application/x-www-form-urlencoded.",
            ))
        }
    };
    Ok(form)
}
