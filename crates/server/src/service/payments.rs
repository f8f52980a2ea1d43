//! Payment access tokens and test payments (SPEC §7). A PAT is an HS256 JWT under a
//! server-wide key kept in the database (so every instance verifies every PAT), bound to one
//! order and its amount, valid one hour, used at most once (claimed in the database).

use serde_json::{json, Value};
use storefront_auth_core::keys::open_stored_secret;
use storefront_auth_core::{hs256, secret};
use storefront_auth_store::{
    NewPayment, Order, PaymentAccessToken, PaymentRefused, StoreError, StoreRecord,
};

use crate::state::AppState;

pub const PAT_ISSUER: &str = "payments.bigcommerce.com";
pub const PAT_LIFETIME: i64 = 3_600;
/// The test card numbers (SPEC §7).
pub const CARD_APPROVED: &str = "4111111111111111";
pub const CARD_DECLINED: &str = "4000000000000002";

#[derive(Debug, thiserror::Error)]
pub enum PaymentError {
    /// Bad signature, wrong issuer or store, expired, reused or not for this order's amount.
    #[error("The payment access token is invalid, expired or already used.")]
    InvalidToken,
    #[error("The order is not awaiting payment.")]
    OrderNotPayable,
    #[error("The card was declined.")]
    Declined,
    #[error(transparent)]
    Store(#[from] StoreError),
}

const KEY_NAME: &str = "payments_hs256";

/// The HS256 key of every PAT: created on first use, stored sealed with the master key when
/// one is configured (a key stored plain before is sealed then).
async fn key(state: &AppState) -> Result<&[u8], StoreError> {
    if let Some(k) = state.payments_key.get() {
        return Ok(k);
    }
    let fresh = secret::random_hex(32);
    let candidate = match &state.master_key {
        Some(m) => m.seal_secret(KEY_NAME, &fresh),
        None => fresh,
    };
    let stored = state
        .store
        .server_secret(KEY_NAME, &candidate, state.now())
        .await?;
    let plain = open_stored_secret(KEY_NAME, &stored, state.master_key.as_ref())
        .map_err(|e| StoreError::Corrupt(format!("{KEY_NAME}: {e}")))?;
    if let (Some(m), false) = (&state.master_key, stored.starts_with("sealed:")) {
        state
            .store
            .replace_server_secret(KEY_NAME, &stored, &m.seal_secret(KEY_NAME, &plain))
            .await?;
    }
    let _ = state.payments_key.set(plain.into_bytes());
    Ok(state
        .payments_key
        .get()
        .map(Vec::as_slice)
        .unwrap_or_default())
}

/// Issues a PAT for an order that awaits payment.
pub async fn issue(
    state: &AppState,
    store: &StoreRecord,
    order: &Order,
) -> Result<String, PaymentError> {
    // Nothing to pay, or a total that could not be real: no token.
    if order.status != "INCOMPLETE" || order.total_cents <= 0 {
        return Err(PaymentError::OrderNotPayable);
    }
    let now = state.now();
    let jti = uuid::Uuid::new_v4().to_string();
    state
        .store
        .insert_payment_access_token(&PaymentAccessToken {
            jti: jti.clone(),
            store_id: store.id,
            order_id: order.id,
            amount_cents: order.total_cents,
            issued_at: now,
            expires_at: now + PAT_LIFETIME,
        })
        .await?;
    let claims = json!({
        "data": {
            "amount": order.total_cents,
            "currency": storefront_auth_core::money::CURRENCY,
            "order_id": order.id.to_string(),
            "store_id": store.id.to_string(),
        },
        "exp": now + PAT_LIFETIME,
        "iat": now,
        "iss": PAT_ISSUER,
        "jti": jti,
        "nbf": now,
        "sub": store.hash,
    });
    Ok(hs256::sign(&claims, key(state).await?))
}

/// Takes a payment with a PAT: verifies it, charges the test card, and records the outcome.
/// Returns (payment id, order id).
pub async fn pay(
    state: &AppState,
    store: &StoreRecord,
    pat: &str,
    card_number: &str,
) -> Result<(String, i64), PaymentError> {
    let claims = hs256::verify(pat, key(state).await?).map_err(|_| PaymentError::InvalidToken)?;
    let now = state.now();
    let str_of = |v: &Value| {
        v.as_str()
            .map(String::from)
            .or_else(|| v.as_i64().map(|n| n.to_string()))
    };
    let fresh = claims["iss"] == PAT_ISSUER
        && claims["sub"] == store.hash.as_str()
        && claims["exp"].as_i64().is_some_and(|exp| exp > now)
        && str_of(&claims["data"]["store_id"]) == Some(store.id.to_string());
    let (Some(jti), Some(amount)) = (
        claims["jti"].as_str(),
        claims["data"]["amount"].as_i64().filter(|a| *a > 0),
    ) else {
        return Err(PaymentError::InvalidToken);
    };
    if !fresh {
        return Err(PaymentError::InvalidToken);
    }
    // Only the approving test card succeeds; the declining one and any other number decline.
    let approved = card_number == CARD_APPROVED;
    let id = uuid::Uuid::new_v4().to_string();
    let outcome = match state
        .store
        .take_payment(
            NewPayment {
                id: &id,
                store_id: store.id,
                jti,
                amount_cents: amount,
                approved,
            },
            now,
        )
        .await
    {
        // The unique index of successful payments: another payment of this order won.
        Err(StoreError::Conflict(_)) => Err(PaymentRefused::Order),
        other => other?,
    };
    match outcome {
        Err(PaymentRefused::Token) => Err(PaymentError::InvalidToken),
        Err(PaymentRefused::Order) => Err(PaymentError::OrderNotPayable),
        Ok(_) if !approved => Err(PaymentError::Declined),
        Ok(order_id) => Ok((id, order_id)),
    }
}
