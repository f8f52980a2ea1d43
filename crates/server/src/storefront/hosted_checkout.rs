//! `POST /checkout/payment`: the hosted checkout page pays (issue 18 §2). Same rules as the
//! REST Storefront API (session cookie only, same-origin only); the rule of placing and paying
//! is the domain's (`hosted_checkout::pay`). Body: `{checkoutId, cardNumber}` (the page's other
//! card fields are the test gateway's to ignore).

use axum::extract::{FromRef, Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde_json::{json, Value};

use super::rest::{error, session, Host};
use super::Storefronts;
use crate::http::body::{read_limited, MAX_BODY};
use crate::http::error::ApiError;
use crate::http::storefront_host::StorefrontHost;
use crate::service::hosted_checkout::{self, HostedPaymentError};
use crate::service::payments::PaymentError;
use crate::service::Domain;

pub fn router<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    Storefronts: FromRef<S>,
    Domain: FromRef<S>,
{
    Router::new().route("/checkout/payment", post(pay))
}

/// Where the shopper reads the order placed from checkout `id`.
pub fn confirmation_path(id: &str) -> String {
    format!("/checkout/order-confirmation?id={id}")
}

async fn pay(
    State(sf): State<Storefronts>,
    StorefrontHost(at, _): Host,
    headers: HeaderMap,
    req: Request,
) -> Response {
    let s = match session(&sf.domain, &at, &headers).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let body: Value = match read_limited(req.into_body(), MAX_BODY).await {
        Ok(bytes) => match serde_json::from_slice(&bytes) {
            Ok(v) => v,
            Err(e) => return ApiError::BadRequest(e.to_string()).into_response(),
        },
        Err(e) => return e.into_response(),
    };
    let (Some(id), Some(card)) = (body["checkoutId"].as_str(), body["cardNumber"].as_str()) else {
        return ApiError::BadRequest("Send checkoutId and cardNumber as strings.".into())
            .into_response();
    };
    let store = &at.entry.store;
    match hosted_checkout::pay(&sf.domain, &s.who, store, id, card).await {
        Ok(order_id) => (
            StatusCode::CREATED,
            Json(json!({ "data": { "orderId": order_id, "confirmationUrl": confirmation_path(id) } })),
        )
            .into_response(),
        Err(e) => refusal(e, id),
    }
}

fn refusal(e: HostedPaymentError, id: &str) -> Response {
    let refused = |status, e: &HostedPaymentError| ApiError::Refused(status, e.to_string());
    match e {
        HostedPaymentError::Cart(c) => error(c),
        HostedPaymentError::Payment(PaymentError::Store(s)) => ApiError::from(s).into_response(),
        HostedPaymentError::Payment(other) => {
            tracing::error!(error = %other, "hosted checkout: payment");
            ApiError::Internal("payment".into()).into_response()
        }
        // The page goes to the confirmation: say where.
        HostedPaymentError::AlreadyPaid(order_id) => (
            StatusCode::CONFLICT,
            Json(
                json!({ "status": 409, "title": e.to_string(), "orderId": order_id,
                "confirmationUrl": confirmation_path(id) }),
            ),
        )
            .into_response(),
        HostedPaymentError::Declined(order_id) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            Json(json!({ "status": 422, "title": e.to_string(), "orderId": order_id })),
        )
            .into_response(),
        other => refused(StatusCode::UNPROCESSABLE_ENTITY, &other).into_response(),
    }
}
