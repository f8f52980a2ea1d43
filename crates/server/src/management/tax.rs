//! The Tax Provider API's merchant side (SPEC §12), scope `store_v2_information`
//! (`_read_only` for reads): `GET|PUT|DELETE v3/tax/providers/{id}/connection` as the
//! platform documents them, and ours: `GET|POST v3/tax/providers`, the providers this store
//! may connect, a POST registering one for this store alone (an app's registration).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Extension;
use serde_json::{json, Value};
use storefront_auth_store::TaxProviderRecord;

use super::{data, required_string, unknown_fields, Caller, JsonBody, Management};
use crate::http::error::{ApiError, FieldError};
use crate::service::tax_providers::{self, ConnectionStatus, TaxProviderError};

const SCOPE: &str = "store_v2_information";

fn provider_json(p: &TaxProviderRecord) -> Value {
    json!({ "id": p.id, "name": p.name, "url": p.base_url })
}

fn connection_json(s: ConnectionStatus) -> axum::Json<Value> {
    data(json!({ "username": s.username, "configured": s.configured }))
}

fn refusal(e: TaxProviderError) -> ApiError {
    match e {
        TaxProviderError::Invalid(field, why) => {
            ApiError::Invalid(vec![FieldError::new(field, "invalid", why)])
        }
        TaxProviderError::Unknown(_) => {
            ApiError::Refused(StatusCode::NOT_FOUND, "Provider does not exist".into())
        }
        e @ (TaxProviderError::Exists(_) | TaxProviderError::TooMany) => {
            ApiError::Refused(StatusCode::CONFLICT, e.to_string())
        }
        TaxProviderError::Store(e) => e.into(),
    }
}

/// The body's string fields named in `allowed`, or 422s naming the unknown and missing ones.
fn fields<'a>(
    body: &'a Value,
    allowed: &[&str],
    required: &[&str],
) -> Result<Vec<Option<&'a str>>, ApiError> {
    let mut errors = unknown_fields(body, allowed);
    for key in required {
        required_string(body, key, &mut errors);
    }
    if !errors.is_empty() {
        return Err(ApiError::Invalid(errors));
    }
    Ok(allowed
        .iter()
        .map(|k| body.get(*k).and_then(Value::as_str))
        .collect())
}

pub async fn list(
    State(m): State<Management>,
    Extension(caller): Extension<Caller>,
) -> Result<axum::Json<Value>, ApiError> {
    caller.require(SCOPE)?;
    let all = tax_providers::list(&m.domain, Some(&caller.store)).await?;
    Ok(data(Value::Array(all.iter().map(provider_json).collect())))
}

pub async fn register(
    State(m): State<Management>,
    Extension(caller): Extension<Caller>,
    JsonBody(body): JsonBody,
) -> Result<axum::Json<Value>, ApiError> {
    caller.require(SCOPE)?;
    let f = fields(&body, &["id", "name", "url"], &["id", "name", "url"])?;
    let (id, name, url) = (
        f[0].unwrap_or_default(),
        f[1].unwrap_or_default(),
        f[2].unwrap_or_default(),
    );
    let p = tax_providers::register(&m.domain, id, name, url, Some(&caller.store))
        .await
        .map_err(refusal)?;
    Ok(data(provider_json(&p)))
}

pub async fn show_connection(
    State(m): State<Management>,
    Extension(caller): Extension<Caller>,
    Path((_, provider_id)): Path<(String, String)>,
) -> Result<axum::Json<Value>, ApiError> {
    caller.require(SCOPE)?;
    let s = tax_providers::status(&m.domain, &caller.store, &provider_id)
        .await
        .map_err(refusal)?;
    Ok(connection_json(s))
}

pub async fn connect(
    State(m): State<Management>,
    Extension(caller): Extension<Caller>,
    Path((_, provider_id)): Path<(String, String)>,
    JsonBody(body): JsonBody,
) -> Result<axum::Json<Value>, ApiError> {
    caller.require(SCOPE)?;
    let f = fields(
        &body,
        &["username", "password", "profile"],
        &["username", "password"],
    )?;
    let (username, password) = (f[0].unwrap_or_default(), f[1].unwrap_or_default());
    let s = tax_providers::connect(
        &m.domain,
        &caller.store,
        &provider_id,
        username,
        password,
        f[2],
    )
    .await
    .map_err(refusal)?;
    Ok(connection_json(s))
}

pub async fn disconnect(
    State(m): State<Management>,
    Extension(caller): Extension<Caller>,
    Path((_, provider_id)): Path<(String, String)>,
) -> Result<axum::Json<Value>, ApiError> {
    caller.require(SCOPE)?;
    let s = tax_providers::disconnect(&m.domain, &caller.store, &provider_id)
        .await
        .map_err(refusal)?;
    Ok(connection_json(s))
}
