//! `GET|PUT|DELETE v3/storefront/trusted-proxy-secret` (SPEC §5.1): the store's trusted-proxy
//! secret, which makes a request that carries it server-to-server. Ours, not BigCommerce's
//! (the platform configures its own edge); scope `store_storefront_api`. The secret is never
//! returned: only whether one is configured.

use axum::extract::State;
use axum::Extension;
use serde_json::{json, Value};

use super::{data, unknown_fields, Caller, JsonBody, Management};
use crate::http::error::{ApiError, FieldError};
use crate::service::stores::{self, StoresError};

const SCOPE: &str = "store_storefront_api";

fn status(configured: bool) -> axum::Json<Value> {
    data(json!({ "configured": configured }))
}

pub async fn show(Extension(caller): Extension<Caller>) -> Result<axum::Json<Value>, ApiError> {
    caller.require(SCOPE)?;
    Ok(status(caller.store.trusted_proxy_secret_digest.is_some()))
}

pub async fn set(
    State(m): State<Management>,
    Extension(caller): Extension<Caller>,
    JsonBody(body): JsonBody,
) -> Result<axum::Json<Value>, ApiError> {
    caller.require(SCOPE)?;
    let mut errors = unknown_fields(&body, &["secret"]);
    let Some(secret) = body.get("secret").and_then(Value::as_str) else {
        errors.push(FieldError::new("secret", "required", "secret is required."));
        return Err(ApiError::Invalid(errors));
    };
    if !errors.is_empty() {
        return Err(ApiError::Invalid(errors));
    }
    stores::set_trusted_proxy_secret(&m.domain, &caller.store.hash, Some(secret))
        .await
        .map_err(refusal)?;
    Ok(status(true))
}

pub async fn clear(
    State(m): State<Management>,
    Extension(caller): Extension<Caller>,
) -> Result<axum::Json<Value>, ApiError> {
    caller.require(SCOPE)?;
    stores::set_trusted_proxy_secret(&m.domain, &caller.store.hash, None)
        .await
        .map_err(refusal)?;
    Ok(status(false))
}

fn refusal(e: StoresError) -> ApiError {
    match e {
        StoresError::Store(s) => ApiError::from(s),
        StoresError::BadProxySecret => {
            ApiError::Invalid(vec![FieldError::new("secret", "invalid", e.to_string())])
        }
        other => ApiError::Internal(other.to_string()),
    }
}
