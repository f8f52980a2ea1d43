//! `/_dev/stores`: isolated stores on demand (issue 20).

use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use serde_json::{json, Value};
use storefront_auth_store::StoreRecord;

use super::Dev;
use crate::http::body::{is_json, read_limited};
use crate::http::error::{ApiError, FieldError};
use crate::service::dev_stores::{self, DevError};
use crate::service::seed::{Assets, Seed, SeedError};
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
        DevError::Seed(SeedError::Invalid(m)) => {
            ApiError::Invalid(vec![FieldError::new("seed", "invalid", m)])
        }
        DevError::Seed(SeedError::Failed(m)) => ApiError::Refused(StatusCode::CONFLICT, m),
        DevError::Store(s) => s.into(),
        other => ApiError::Internal(other.to_string()),
    }
}

pub(super) async fn store_at(dev: &Dev, hash: &str) -> Result<StoreRecord, ApiError> {
    stores::find(dev.domain(), hash)
        .await?
        .ok_or(ApiError::NotFound)
}

/// The largest body `POST /_dev/stores` reads: a seed with its images as `data:` URLs.
pub const MAX_SEED_BODY: usize = 16 * 1024 * 1024;

/// The seed and name a creation body gives: `{"seed": {…} | "TOML text", "name": "…"}`, both
/// optional; an empty body is the demo seed.
async fn creation_body(req: Request) -> Result<(Option<(Seed, Assets)>, Option<String>), ApiError> {
    // An empty body is the demo seed; any other body must be JSON (never silently ignored).
    let json = is_json(req.headers());
    let bytes = read_limited(req.into_body(), MAX_SEED_BODY).await?;
    if bytes.is_empty() {
        return Ok((None, None));
    }
    if !json {
        return Err(ApiError::UnsupportedMediaType);
    }
    let body: Value =
        serde_json::from_slice(&bytes).map_err(|e| ApiError::BadRequest(e.to_string()))?;
    let invalid = |m: String| ApiError::Invalid(vec![FieldError::new("seed", "invalid", m)]);
    let seed = match body.get("seed") {
        None => None,
        Some(Value::String(toml)) => {
            Some(Seed::parse(toml, false).map_err(|e| invalid(e.to_string()))?)
        }
        Some(json) => Some(Seed::from_json(json.clone()).map_err(|e| invalid(e.to_string()))?),
    };
    let name = match body.get("name") {
        None => None,
        Some(Value::String(n)) if !n.trim().is_empty() => Some(n.trim().to_string()),
        Some(_) => {
            return Err(ApiError::Invalid(vec![FieldError::new(
                "name",
                "invalid",
                "name must be a non-empty string.",
            )]))
        }
    };
    Ok((seed.map(|s| (s, Assets::Inline)), name))
}

/// `POST /_dev/stores`: a store of the caller's own, from the demo seed or the body's seed.
pub async fn create(State(dev): State<Dev>, req: Request) -> Answer {
    let (seed, name) = creation_body(req).await?;
    let made = dev_stores::create(dev.domain(), seed, name)
        .await
        .map_err(dev_error)?;
    let domain = dev.domain();
    let store = &made.seeded.store;
    let mut view = store_view(&dev, store).await?;
    let account = made.seeded.accounts.first().map(|a| {
        json!({ "client_id": a.client_id, "client_secret": a.client_secret, "access_token": a.access_token })
    });
    view["api_account"] = json!(account);
    view["storefront_hosts"] = json!({
        "1": domain.storefront_host(&store.hash, 1),
        "2": domain.storefront_host(&store.hash, 2),
    });
    view["apps"] = made
        .seeded
        .apps
        .iter()
        .map(|a| json!({ "name": a.name, "client_id": a.client_id, "client_secret": a.client_secret }))
        .collect();
    view["private_token"] = json!(made.private_token);
    view["customers"] = made
        .customers
        .iter()
        .map(|(email, password)| json!({ "email": email, "password": password }))
        .collect();
    created(view)
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
