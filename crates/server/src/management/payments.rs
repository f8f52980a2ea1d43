//! `POST v3/payments/access_tokens` (SPEC §7), scope `store_payments_access_token_create`.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Extension;
use serde_json::{json, Value};

use super::{Caller, JsonBody};
use crate::error::{ApiError, FieldError};
use crate::service::payments::{self, PaymentError};
use crate::state::SharedState;

const SCOPE: &str = "store_payments_access_token_create";

pub async fn create_access_token(
    State(state): State<SharedState>,
    Extension(caller): Extension<Caller>,
    JsonBody(body): JsonBody,
) -> Result<(StatusCode, axum::Json<Value>), ApiError> {
    caller.require(SCOPE)?;
    let order_id = match body.get("order").map(|o| o.get("id")) {
        None => {
            return Err(ApiError::Invalid(vec![FieldError::new(
                "order",
                "required",
                "order is required.",
            )]))
        }
        Some(id) => id
            .and_then(Value::as_i64)
            .filter(|id| *id >= 1)
            .ok_or_else(|| {
                ApiError::Invalid(vec![FieldError::new(
                    "order.id",
                    "invalid_type",
                    "order.id must be an integer of at least 1.",
                )])
            })?,
    };
    let order = state
        .store
        .order(caller.store.id, order_id)
        .await?
        .ok_or_else(|| {
            ApiError::Refused(StatusCode::NOT_FOUND, "Order could not be found.".into())
        })?;
    let pat = payments::issue(&state, &caller.store, &order)
        .await
        .map_err(|e| match e {
            PaymentError::Store(s) => ApiError::from(s),
            _ => ApiError::Refused(
                StatusCode::UNPROCESSABLE_ENTITY,
                "Order is invalid: it is not awaiting payment.".into(),
            ),
        })?;
    Ok((
        StatusCode::CREATED,
        axum::Json(json!({ "data": { "id": pat }, "meta": {} })),
    ))
}
