//! `/_dev/stores/{hash}/…` minting without ceremony (issue 20): any token kind, a customer
//! access token, a Customer Login JWT, a payment access token, each one call.

use axum::extract::{Path, State};
use serde_json::{json, Value};
use storefront_auth_core::clock::format_rfc3339;
use storefront_auth_core::token::TokenKind;

use super::stores::{created, dev_error, store_at, Answer};
use super::Dev;
use crate::http::body::JsonBody;
use crate::http::error::{ApiError, FieldError};
use crate::service::dev_stores::{self, CustomerRef};

fn invalid(field: &str, message: &str) -> ApiError {
    ApiError::Invalid(vec![FieldError::new(field, "invalid", message)])
}

/// `customer_id` (an integer) or `email`, exactly one.
fn customer_of(body: &Value) -> Result<CustomerRef<'_>, ApiError> {
    match (body.get("customer_id"), body.get("email")) {
        (Some(id), None) => id.as_i64().map(CustomerRef::Id),
        (None, Some(email)) => email.as_str().map(CustomerRef::Email),
        _ => None,
    }
    .ok_or_else(|| {
        invalid(
            "customer_id",
            "Give customer_id (an integer) or the email of a customer of this store.",
        )
    })
}

/// `channel_id`, 1 when not given.
fn channel_of(body: &Value) -> Result<i64, ApiError> {
    match body.get("channel_id") {
        None => Ok(1),
        Some(c) => c
            .as_i64()
            .ok_or_else(|| invalid("channel_id", "channel_id must be an integer.")),
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
    let (who, channel_id) = (customer_of(&body)?, channel_of(&body)?);
    let (value, expires_at, customer_id) =
        dev_stores::mint_customer_access_token(dev.domain(), &store, who, channel_id)
            .await
            .map_err(dev_error)?;
    created(
        json!({ "value": value.expose(), "expires_at": format_rfc3339(expires_at), "customer_id": customer_id }),
    )
}

/// `POST /_dev/stores/{hash}/login-jwts` `{"customer_id"|"email", "channel_id"?,
/// "redirect_to"?}`: a signed Customer Login JWT and the URL that signs the customer in.
pub async fn mint_login_jwt(
    State(dev): State<Dev>,
    Path(hash): Path<String>,
    JsonBody(body): JsonBody,
) -> Answer {
    let store = store_at(&dev, &hash).await?;
    let (who, channel_id) = (customer_of(&body)?, channel_of(&body)?);
    let redirect_to = match body.get("redirect_to") {
        None => None,
        Some(r) => Some(
            r.as_str()
                .ok_or_else(|| invalid("redirect_to", "redirect_to must be a path or URL."))?,
        ),
    };
    let (jwt, customer_id) =
        dev_stores::mint_login_jwt(dev.domain(), &store, who, channel_id, redirect_to)
            .await
            .map_err(dev_error)?;
    let host = dev.domain().storefront_host(&store.hash, channel_id);
    created(json!({
        "jwt": jwt,
        "customer_id": customer_id,
        "login_path": format!("/login/token/{jwt}"),
        "storefront_host": host,
    }))
}

/// `POST /_dev/stores/{hash}/payment-access-tokens` `{"order_id"}`: a PAT for an order that
/// awaits payment.
pub async fn mint_payment_access_token(
    State(dev): State<Dev>,
    Path(hash): Path<String>,
    JsonBody(body): JsonBody,
) -> Answer {
    let store = store_at(&dev, &hash).await?;
    let order_id = body
        .get("order_id")
        .and_then(Value::as_i64)
        .ok_or_else(|| invalid("order_id", "order_id must be an integer."))?;
    let pat = dev_stores::mint_payment_access_token(dev.domain(), &store, order_id)
        .await
        .map_err(dev_error)?;
    created(json!({ "id": pat, "order_id": order_id }))
}
