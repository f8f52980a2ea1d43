//! `GET|PUT|DELETE /stores/{hash}/v3/storefront/rehearsal` (issue 19): the store's rehearsal of
//! a future date's rules, `{at, mode}` with `mode` `report` or `enforce`. Scope
//! `store_storefront_api`.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Extension;
use serde_json::{json, Value};
use storefront_auth_core::clock::format_rfc3339;
use storefront_auth_core::policy::Rehearsal;

use super::{Caller, JsonBody, Management};
use crate::http::error::{ApiError, FieldError};
use crate::service::rehearsal::{self, RehearsalError};

const SCOPE: &str = "store_storefront_api";

fn shown(r: Option<Rehearsal>) -> axum::Json<Value> {
    let data = match r {
        Some(r) => json!({ "at": format_rfc3339(r.at), "mode": r.mode.as_str() }),
        None => json!({ "at": null, "mode": "off" }),
    };
    axum::Json(json!({ "data": data, "meta": {} }))
}

pub async fn show(Extension(caller): Extension<Caller>) -> Result<axum::Json<Value>, ApiError> {
    caller.require(SCOPE)?;
    Ok(shown(rehearsal::of(&caller.store)))
}

pub async fn set(
    State(m): State<Management>,
    Extension(caller): Extension<Caller>,
    JsonBody(body): JsonBody,
) -> Result<axum::Json<Value>, ApiError> {
    caller.require(SCOPE)?;
    let text = |k: &str| body[k].as_str().unwrap_or("");
    let r = rehearsal::parse(text("at"), text("mode")).map_err(|e| {
        let field = if matches!(e, RehearsalError::BadDate) {
            "at"
        } else {
            "mode"
        };
        ApiError::Invalid(vec![FieldError::new(field, "invalid", e.to_string())])
    })?;
    rehearsal::set(&m.domain, &caller.store, Some(r)).await?;
    Ok(shown(Some(r)))
}

pub async fn end(
    State(m): State<Management>,
    Extension(caller): Extension<Caller>,
) -> Result<StatusCode, ApiError> {
    caller.require(SCOPE)?;
    rehearsal::set(&m.domain, &caller.store, None).await?;
    Ok(StatusCode::NO_CONTENT)
}
