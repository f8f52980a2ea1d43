//! `GET|PUT|DELETE /stores/{hash}/v3/storefront/clock` (issue 19): the store's own simulated
//! clock. `PUT {"at": DATE}` sets its time, `PUT {"advance": SPAN}` moves it (`"90d"`, `"-1h"`
//! or a number of seconds), `DELETE` puts it back on the process clock. Every answer is the
//! clock with its recent changes. Scope `store_storefront_api`.

use axum::extract::State;
use axum::Extension;
use serde_json::{json, Value};

use super::{Caller, JsonBody, Management};
use crate::http::error::{ApiError, FieldError};
use crate::service::store_clock::{self, ClockError, ClockSetting};

const SCOPE: &str = "store_storefront_api";

async fn shown(m: &Management, caller: &Caller) -> Result<axum::Json<Value>, ApiError> {
    let view = store_clock::show(&m.domain, &caller.store).await?;
    Ok(axum::Json(json!({ "data": view.to_json(), "meta": {} })))
}

pub async fn show(
    State(m): State<Management>,
    Extension(caller): Extension<Caller>,
) -> Result<axum::Json<Value>, ApiError> {
    caller.require(SCOPE)?;
    shown(&m, &caller).await
}

pub async fn set(
    State(m): State<Management>,
    Extension(caller): Extension<Caller>,
    JsonBody(body): JsonBody,
) -> Result<axum::Json<Value>, ApiError> {
    caller.require(SCOPE)?;
    let setting = setting_of(&body)?;
    change(&m, &caller, setting).await?;
    shown(&m, &caller).await
}

pub async fn reset(
    State(m): State<Management>,
    Extension(caller): Extension<Caller>,
) -> Result<axum::Json<Value>, ApiError> {
    caller.require(SCOPE)?;
    change(&m, &caller, ClockSetting::Process).await?;
    shown(&m, &caller).await
}

async fn change(m: &Management, caller: &Caller, setting: ClockSetting) -> Result<(), ApiError> {
    let by = format!("account:{}", caller.account.client_id);
    match store_clock::change(&m.domain, &caller.store, setting, &by).await {
        Ok(_) => Ok(()),
        Err(ClockError::Store(e)) => Err(e.into()),
        Err(e) => {
            let field = match setting {
                ClockSetting::Advance(_) => "advance",
                _ => "at",
            };
            Err(invalid(field, "out_of_range", &e))
        }
    }
}

/// `{"at": …}` or `{"advance": …}`, exactly one, and nothing else.
fn setting_of(body: &Value) -> Result<ClockSetting, ApiError> {
    let Some(fields) = body.as_object() else {
        return Err(ApiError::BadRequest(
            "the body must be a JSON object".into(),
        ));
    };
    if let Some(other) = fields.keys().find(|k| *k != "at" && *k != "advance") {
        let e = format!("{other} is not a field of the clock; give at or advance.");
        return Err(ApiError::Invalid(vec![FieldError::new(
            other, "unknown", e,
        )]));
    }
    let advance = match fields.get("advance") {
        Some(Value::Number(n)) => Some(n.as_i64().map(|s| s.to_string()).unwrap_or_default()),
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => Some(String::new()),
        None => None,
    };
    let at = match fields.get("at") {
        Some(v) => Some(v.as_str().unwrap_or("")),
        None => None,
    };
    ClockSetting::parse(at, advance.as_deref()).map_err(|e| {
        let field = match e {
            ClockError::BadSpan => "advance",
            _ => "at",
        };
        invalid(field, "invalid", &e)
    })
}

fn invalid(field: &str, rule: &str, e: &ClockError) -> ApiError {
    ApiError::Invalid(vec![FieldError::new(field, rule, e.to_string())])
}
