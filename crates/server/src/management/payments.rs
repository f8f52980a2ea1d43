//! `POST v3/payments/access_tokens` (SPEC §7), scope `store_payments_access_token_create`.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Extension;
use serde_json::{json, Value};

use super::Management;
use super::{Caller, JsonBody};
use crate::http::error::{ApiError, FieldError};
use crate::service::payments::{self, IssueForOrderError, PaymentError};

const SCOPE: &str = "store_payments_access_token_create";

pub async fn create_access_token(
    State(m): State<Management>,
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
    let pat = payments::issue_for_order(&m.domain, &caller.store, order_id)
        .await
        .map_err(|e| match e {
            IssueForOrderError::NoSuchOrder => {
                ApiError::Refused(StatusCode::NOT_FOUND, "Order could not be found.".into())
            }
            IssueForOrderError::Payment(PaymentError::Store(s)) => ApiError::from(s),
            IssueForOrderError::Payment(_) => ApiError::Refused(
                StatusCode::UNPROCESSABLE_ENTITY,
                "Order is invalid: it is not awaiting payment.".into(),
            ),
        })?;
    Ok((
        StatusCode::CREATED,
        axum::Json(json!({ "data": { "id": pat }, "meta": {} })),
    ))
}
