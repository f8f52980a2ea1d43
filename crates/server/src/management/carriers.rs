//! The Shipping Provider API's merchant side (SPEC §12), scope `store_v2_information`
//! (`_read_only` for reads): `PUT|DELETE v2/shipping/carrier/connection` with
//! `{carrier_id, connection}` as the platform documents them, and ours: `GET|POST
//! v3/shipping/carriers`, the carriers this store may connect (and whether it has), a POST
//! registering one for this store alone (an app's registration).

use axum::extract::State;
use axum::http::StatusCode;
use axum::Extension;
use serde_json::{json, Map, Value};
use storefront_auth_store::CarrierRecord;

use super::{required_string, unknown_fields, Caller, JsonBody, Management};
use crate::http::error::{ApiError, FieldError};
use crate::service::carriers::{self, CarrierError, ConnectionField};

const SCOPE: &str = "store_v2_information";

fn carrier_json(c: &CarrierRecord, connected: bool) -> Value {
    json!({ "id": c.id, "name": c.name, "url": c.base_url,
        "connection_fields": carriers::fields_of(c).iter().map(|f| json!({ "code": f.code, "label": f.label, "required": f.required })).collect::<Vec<_>>(),
        "connected": connected })
}

fn refusal(e: CarrierError) -> ApiError {
    match e {
        CarrierError::Invalid(field, why) => {
            ApiError::Invalid(vec![FieldError::new(&field, "invalid", why)])
        }
        CarrierError::Refused(_) => ApiError::Invalid(vec![FieldError::new(
            "connection",
            "refused",
            e.to_string(),
        )]),
        CarrierError::Unknown(_) => {
            ApiError::Refused(StatusCode::NOT_FOUND, "Carrier does not exist".into())
        }
        e @ (CarrierError::Exists(_) | CarrierError::TooMany | CarrierError::TooManyConnected) => {
            ApiError::Refused(StatusCode::CONFLICT, e.to_string())
        }
        e @ CarrierError::Failed(_) => ApiError::Refused(StatusCode::BAD_GATEWAY, e.to_string()),
        CarrierError::Store(e) => e.into(),
    }
}

pub async fn list(
    State(m): State<Management>,
    Extension(caller): Extension<Caller>,
) -> Result<axum::Json<Value>, ApiError> {
    caller.require(SCOPE)?;
    let all = carriers::list(&m.domain, Some(&caller.store)).await?;
    let connected = carriers::connected(&m.domain, caller.store.id).await?;
    let shown = all
        .iter()
        .map(|c| carrier_json(c, connected.iter().any(|k| k.id == c.id)));
    Ok(super::data(shown.collect()))
}

pub async fn register(
    State(m): State<Management>,
    Extension(caller): Extension<Caller>,
    JsonBody(body): JsonBody,
) -> Result<axum::Json<Value>, ApiError> {
    caller.require(SCOPE)?;
    let mut errors = unknown_fields(&body, &["id", "name", "url", "connection_fields"]);
    let (id, name, url) = (
        required_string(&body, "id", &mut errors),
        required_string(&body, "name", &mut errors),
        required_string(&body, "url", &mut errors),
    );
    let fields: Vec<ConnectionField> = match body.get("connection_fields") {
        None => Vec::new(),
        Some(v) => serde_json::from_value(v.clone()).unwrap_or_else(|_| {
            errors.push(FieldError::new(
                "connection_fields",
                "invalid",
                "connection_fields is a list of {code, label, required}.",
            ));
            Vec::new()
        }),
    };
    if !errors.is_empty() {
        return Err(ApiError::Invalid(errors));
    }
    let c = carriers::register(&m.domain, id, name, url, fields, Some(&caller.store))
        .await
        .map_err(refusal)?;
    Ok(super::data(carrier_json(&c, false)))
}

pub async fn connect(
    State(m): State<Management>,
    Extension(caller): Extension<Caller>,
    JsonBody(body): JsonBody,
) -> Result<axum::Json<Value>, ApiError> {
    caller.require(SCOPE)?;
    let mut errors = unknown_fields(&body, &["carrier_id", "connection"]);
    let carrier_id = required_string(&body, "carrier_id", &mut errors);
    let empty = Map::new();
    let options = match body.get("connection") {
        Some(Value::Object(o)) => o,
        _ => {
            errors.push(FieldError::new(
                "connection",
                "required",
                "connection is required: an object of the carrier's connection fields.",
            ));
            &empty
        }
    };
    if !errors.is_empty() {
        return Err(ApiError::Invalid(errors));
    }
    carriers::connect(&m.domain, &caller.store, carrier_id, options)
        .await
        .map_err(refusal)?;
    Ok(axum::Json(
        json!({ "carrier_id": carrier_id, "connected": true }),
    ))
}

pub async fn disconnect(
    State(m): State<Management>,
    Extension(caller): Extension<Caller>,
    JsonBody(body): JsonBody,
) -> Result<axum::Json<Value>, ApiError> {
    caller.require(SCOPE)?;
    let mut errors = unknown_fields(&body, &["carrier_id"]);
    let carrier_id = required_string(&body, "carrier_id", &mut errors);
    if !errors.is_empty() {
        return Err(ApiError::Invalid(errors));
    }
    carriers::disconnect(&m.domain, &caller.store, carrier_id)
        .await
        .map_err(refusal)?;
    Ok(axum::Json(
        json!({ "carrier_id": carrier_id, "connected": false }),
    ))
}
