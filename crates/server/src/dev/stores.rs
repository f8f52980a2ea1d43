//! `/_dev/stores`: isolated stores on demand (issue 20).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde_json::{json, Value};
use storefront_auth_store::StoreRecord;

use super::Dev;
use crate::http::error::{ApiError, FieldError};
use crate::service::demo::{DEMO_CUSTOMERS, DEMO_PASSWORD};
use crate::service::dev_stores::{self, DevError};
use crate::service::stores;

pub(super) type Answer = Result<(StatusCode, axum::Json<Value>), ApiError>;

pub(super) fn created(data: Value) -> Answer {
    Ok((
        StatusCode::CREATED,
        axum::Json(json!({ "data": data, "meta": {} })),
    ))
}

pub(super) fn dev_error(e: DevError) -> ApiError {
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
        DevError::NoOrder(_) => ApiError::Invalid(vec![FieldError::new(
            "order_id",
            "not_found",
            e.to_string(),
        )]),
        DevError::Payment(p) => ApiError::Invalid(vec![FieldError::new(
            "order_id",
            "not_payable",
            p.to_string(),
        )]),
        DevError::NoLoginIssuer => ApiError::Conflict(e.to_string()),
        DevError::Store(s) => s.into(),
        other => ApiError::Internal(other.to_string()),
    }
}

pub(super) async fn store_at(dev: &Dev, hash: &str) -> Result<StoreRecord, ApiError> {
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
    let view = store_view(&dev, &store).await?;
    Ok(axum::Json(json!({ "data": view, "meta": {} })))
}

/// A store as the control API shows it: hash, id, name, management path, channels and hosts.
pub(super) async fn store_view(dev: &Dev, store: &StoreRecord) -> Result<Value, ApiError> {
    let domain = dev.domain();
    let channels = stores::channels(domain, store.id).await?;
    let channels = channels.iter().map(|c| {
        json!({ "id": c.channel_id, "site_url": c.site_url,
                "host": domain.storefront_host(&store.hash, c.channel_id) })
    });
    Ok(json!({
        "store_hash": store.hash,
        "store_id": store.id,
        "name": store.name,
        "management_api": format!("/stores/{}", store.hash),
        "channels": channels.collect::<Vec<_>>(),
    }))
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
