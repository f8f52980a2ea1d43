//! `POST /stores/{hash}/payments` (SPEC §7): authenticated by `Authorization: PAT {token}`
//! alone, it charges a test card for the order the token is bound to.

use axum::extract::{FromRef, Path, Request, State};
use axum::http::{header, StatusCode};
use axum::routing::post;
use axum::Router;
use serde_json::{json, Value};

use crate::http::body::{read_limited, MAX_BODY};
use crate::http::error::{ApiError, FieldError};
use crate::service::payments::{self, CardPayment, PaymentError};
use crate::service::{stores, Domain};
use storefront_auth_core::payment_card;

pub const PAYMENTS_MEDIA_TYPE: &str = "application/vnd.bc.v1+json";

pub fn router<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    Domain: FromRef<S>,
{
    Router::new().route("/stores/{store_hash}/payments", post(pay))
}

fn unauthorized() -> ApiError {
    ApiError::Refused(
        StatusCode::UNAUTHORIZED,
        "The payment access token is missing, invalid, expired or already used.".into(),
    )
}

async fn pay(
    State(domain): State<Domain>,
    Path(hash): Path<String>,
    req: Request,
) -> Result<(StatusCode, axum::Json<Value>), ApiError> {
    let headers = req.headers().clone();
    let accept = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !accept
        .split(',')
        .any(|a| a.trim().split(';').next() == Some(PAYMENTS_MEDIA_TYPE))
    {
        return Err(ApiError::Refused(
            StatusCode::NOT_ACCEPTABLE,
            format!("Send Accept: {PAYMENTS_MEDIA_TYPE}."),
        ));
    }
    let pat = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("PAT "))
        .filter(|t| !t.is_empty())
        .ok_or_else(unauthorized)?
        .to_string();
    let store = stores::find(&domain, &hash)
        .await?
        .ok_or_else(unauthorized)?;
    let bytes = read_limited(req.into_body(), MAX_BODY).await?;
    let body: Value =
        serde_json::from_slice(&bytes).map_err(|e| ApiError::BadRequest(e.to_string()))?;
    let card = card_payment(&body)?;
    match payments::pay(&domain, &store, &pat, &card).await {
        Ok((id, order_id)) => {
            tracing::info!(order_id, "payment taken");
            Ok((
                StatusCode::CREATED,
                axum::Json(
                    json!({ "data": { "id": id, "transaction_type": "purchase", "status": "success" } }),
                ),
            ))
        }
        Err(PaymentError::InvalidToken) => Err(unauthorized()),
        Err(PaymentError::OrderNotPayable) => Err(ApiError::Refused(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Order is invalid: it is not awaiting payment.".into(),
        )),
        Err(PaymentError::Declined) => Err(ApiError::Refused(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Payment was declined. Please try again.".into(),
        )),
        Err(PaymentError::Store(e)) => Err(e.into()),
    }
}

/// The payment's method and card, once its fields are all there (SPEC §7).
fn card_payment(body: &Value) -> Result<CardPayment<'_>, ApiError> {
    let payment = &body["payment"];
    let mut errors = Vec::new();
    let method_id = payment["payment_method_id"].as_str().unwrap_or("");
    if method_id.is_empty() {
        errors.push(FieldError::new(
            "payment.payment_method_id",
            "required",
            "payment_method_id is required.",
        ));
    } else if method_id.len() > payment_card::MAX_METHOD_ID_LEN {
        errors.push(FieldError::new(
            "payment.payment_method_id",
            "invalid",
            format!(
                "payment_method_id must be at most {} characters.",
                payment_card::MAX_METHOD_ID_LEN
            ),
        ));
    }
    let instrument = &payment["instrument"];
    if instrument["type"] != "card" {
        errors.push(FieldError::new(
            "payment.instrument.type",
            "invalid",
            "Only card instruments are accepted by the test gateway.",
        ));
    }
    let number = instrument["number"].as_str().unwrap_or("");
    if number.len() < 12 || !number.bytes().all(|b| b.is_ascii_digit()) {
        errors.push(FieldError::new(
            "payment.instrument.number",
            "invalid",
            "number must be a card number.",
        ));
    }
    if !errors.is_empty() {
        return Err(ApiError::Invalid(errors));
    }
    Ok(CardPayment { method_id, number })
}
