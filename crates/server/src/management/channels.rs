//! `GET|POST v3/channels` (SPEC §3.2), scope `store_channel_settings`.

use axum::extract::State;
use axum::Extension;
use serde_json::{json, Value};
use storefront_auth_store::Channel;

use super::Management;
use super::{data, Caller, JsonBody};
use crate::http::error::{ApiError, FieldError};
use crate::service::stores::{self, check_site_url, StoresError};

const SCOPE: &str = "store_channel_settings";

fn channel_json(c: &Channel) -> Value {
    json!({ "id": c.channel_id, "name": c.name, "site_url": c.site_url, "type": "storefront", "platform": "custom" })
}

pub async fn list(
    State(m): State<Management>,
    Extension(caller): Extension<Caller>,
) -> Result<axum::Json<Value>, ApiError> {
    caller.require(SCOPE)?;
    let channels = stores::channels(&m.domain, caller.store.id).await?;
    Ok(data(Value::Array(
        channels.iter().map(channel_json).collect(),
    )))
}

pub async fn create(
    State(m): State<Management>,
    Extension(caller): Extension<Caller>,
    JsonBody(body): JsonBody,
) -> Result<axum::Json<Value>, ApiError> {
    caller.require(SCOPE)?;
    let mut errors = Vec::new();
    let name = super::required_text(&body, "name", &mut errors);
    let site_url = body.get("site_url").and_then(Value::as_str);
    match site_url {
        None => errors.push(FieldError::new(
            "site_url",
            "required",
            "site_url is required: the channel's own origin, e.g. http://localhost:4000.",
        )),
        Some(u) if check_site_url(u).is_err() => errors.push(FieldError::new(
            "site_url",
            "invalid_url",
            "site_url must be an http(s) URL.",
        )),
        Some(_) => {}
    }
    let (Some(name), Some(site_url), true) = (name, site_url, errors.is_empty()) else {
        return Err(ApiError::Invalid(errors));
    };
    let channel = stores::create_channel(&m.domain, &caller.store, name, site_url)
        .await
        .map_err(|e| match e {
            StoresError::Store(s) => ApiError::from(s),
            // Checked above with the other fields; the domain checks it for every caller.
            other => ApiError::Invalid(vec![FieldError::new(
                "site_url",
                "invalid_url",
                other.to_string(),
            )]),
        })?;
    Ok(data(channel_json(&channel)))
}
