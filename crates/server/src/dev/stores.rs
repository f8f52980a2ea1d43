//! `/_dev/stores…`: isolated stores on demand and minting (issue 20).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde_json::{json, Value};
use storefront_auth_core::clock::format_rfc3339;
use storefront_auth_core::token::TokenKind;
use storefront_auth_store::StoreRecord;

use super::Dev;
use crate::http::body::JsonBody;
use crate::http::error::{ApiError, FieldError};
use crate::service::demo::{DEMO_CUSTOMERS, DEMO_PASSWORD};
use crate::service::dev_stores::{self, CustomerRef, DevError};
use crate::service::stores;

type Answer = Result<(StatusCode, axum::Json<Value>), ApiError>;

fn created(data: Value) -> Answer {
    Ok((
        StatusCode::CREATED,
        axum::Json(json!({ "data": data, "meta": {} })),
    ))
}

fn dev_error(e: DevError) -> ApiError {
    match e {
        DevError::NoCustomer => ApiError::Invalid(vec![FieldError::new(
            "customer_id",
            "not_found",
            e.to_string(),
        )]),
        DevError::NoChannel(_) => ApiError::Invalid(vec![FieldError::new(
            "channel_id",
            "not_found",
            e.to_string(),
        )]),
        DevError::Store(s) => s.into(),
        other => ApiError::Internal(other.to_string()),
    }
}

async fn store_at(dev: &Dev, hash: &str) -> Result<StoreRecord, ApiError> {
    stores::find(dev.domain(), hash)
        .await?
        .ok_or(ApiError::NotFound)
}

/// `POST /_dev/stores`: a store of the caller's own, with the demo's data.
pub async fn create(State(dev): State<Dev>) -> Answer {
    let made = dev_stores::create(dev.domain()).await.map_err(dev_error)?;
    let c = &made.credentials;
    let domain = dev.domain();
    created(json!({
        "store_hash": c.store_hash,
        "store_id": c.store_id,
        "api_account": {
            "client_id": c.client_id,
            "client_secret": c.client_secret,
            "access_token": c.access_token,
        },
        "management_api": format!("/stores/{}", c.store_hash),
        "storefront_hosts": {
            "1": domain.storefront_host(&c.store_hash, 1),
            "2": domain.storefront_host(&c.store_hash, 2),
        },
        "private_token": made.private_token,
        "customers": DEMO_CUSTOMERS.iter().map(|(email, ..)| json!({ "email": email, "password": DEMO_PASSWORD })).collect::<Vec<_>>(),
    }))
}

/// `GET /_dev/stores/{hash}`: the store and its channels.
pub async fn show(
    State(dev): State<Dev>,
    Path(hash): Path<String>,
) -> Result<axum::Json<Value>, ApiError> {
    let store = store_at(&dev, &hash).await?;
    let channels = stores::channels(dev.domain(), store.id).await?;
    Ok(axum::Json(json!({ "data": {
        "store_hash": store.hash,
        "store_id": store.id,
        "name": store.name,
        "channels": channels.iter().map(|c| json!({ "id": c.channel_id, "site_url": c.site_url,
            "host": dev.domain().storefront_host(&store.hash, c.channel_id) })).collect::<Vec<_>>(),
    }, "meta": {} })))
}

/// `DELETE /_dev/stores/{hash}`: the store and everything it owns. The default store (served
/// on hosts that name no store) stays.
pub async fn remove(
    State(dev): State<Dev>,
    Path(hash): Path<String>,
) -> Result<StatusCode, ApiError> {
    let store = store_at(&dev, &hash).await?;
    if store.hash == dev.domain().settings().default_store {
        return Err(ApiError::Conflict(
            "The default store cannot be removed.".into(),
        ));
    }
    match dev_stores::remove(dev.domain(), &store).await? {
        true => Ok(StatusCode::NO_CONTENT),
        false => Err(ApiError::NotFound),
    }
}

/// `POST /_dev/stores/{hash}/tokens` `{"kind": "storefront"|"private"|"customer_impersonation",
/// …}`: the rest is the management API's creation body, with defaults.
pub async fn mint_token(
    State(dev): State<Dev>,
    Path(hash): Path<String>,
    JsonBody(body): JsonBody,
) -> Answer {
    let store = store_at(&dev, &hash).await?;
    let kind_name = body.get("kind").and_then(Value::as_str).unwrap_or("");
    let kind = TokenKind::ALL
        .into_iter()
        .find(|k| k.as_str() == kind_name)
        .ok_or_else(|| {
            ApiError::Invalid(vec![FieldError::new(
                "kind",
                "invalid",
                "kind must be storefront, private or customer_impersonation.",
            )])
        })?;
    let mut rest = body.clone();
    if let Some(fields) = rest.as_object_mut() {
        fields.remove("kind");
    }
    let token = dev_stores::mint_token(dev.domain(), &store, kind, &rest).await?;
    created(json!({ "token": token, "kind": kind.as_str() }))
}

/// `POST /_dev/stores/{hash}/customer-access-tokens` `{"customer_id": N | "email": E,
/// "channel_id"?: 1}`: a customer access token, as a login would give.
pub async fn mint_customer_access_token(
    State(dev): State<Dev>,
    Path(hash): Path<String>,
    JsonBody(body): JsonBody,
) -> Answer {
    let store = store_at(&dev, &hash).await?;
    let who = match (body.get("customer_id"), body.get("email")) {
        (Some(id), None) => id.as_i64().map(CustomerRef::Id),
        (None, Some(email)) => email.as_str().map(CustomerRef::Email),
        _ => None,
    }
    .ok_or_else(|| {
        ApiError::Invalid(vec![FieldError::new(
            "customer_id",
            "invalid",
            "Give customer_id (an integer) or the email of a customer of this store.",
        )])
    })?;
    let channel_id = match body.get("channel_id") {
        None => 1,
        Some(c) => c.as_i64().ok_or_else(|| {
            ApiError::Invalid(vec![FieldError::new(
                "channel_id",
                "invalid",
                "channel_id must be an integer.",
            )])
        })?,
    };
    let (value, expires_at, customer_id) =
        dev_stores::mint_customer_access_token(dev.domain(), &store, who, channel_id)
            .await
            .map_err(dev_error)?;
    created(
        json!({ "value": value.expose(), "expires_at": format_rfc3339(expires_at), "customer_id": customer_id }),
    )
}
