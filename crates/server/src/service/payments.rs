//! Payment access tokens and test payments (SPEC §7). A PAT is an HS256 JWT under a
//! server-wide key kept in the database (so every instance verifies every PAT), bound to one
//! order and its amount, valid one hour, used at most once (claimed in the database).

use serde_json::{json, Value};
use storefront_auth_core::keys::open_stored_secret;
use storefront_auth_core::{hs256, payment_card, secret};
use storefront_auth_store::{
    NewPayment, Order, PaymentAccessToken, PaymentRefused, StoreError, StoreRecord,
};

use crate::service::Domain;

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
async fn key(domain: &Domain) -> Result<&[u8], StoreError> {
    if let Some(k) = domain.0.payments_key.get() {
        return Ok(k);
    }
    let fresh = secret::random_hex(32);
    let candidate = match &domain.0.master_key {
        Some(m) => m.seal_secret(KEY_NAME, &fresh),
        None => fresh,
    };
    let stored = domain
        .store()
        .server_secret(KEY_NAME, &candidate, domain.now())
        .await?;
    let plain = open_stored_secret(KEY_NAME, &stored, domain.0.master_key.as_ref())
        .map_err(|e| StoreError::Corrupt(format!("{KEY_NAME}: {e}")))?;
    if let (Some(m), false) = (&domain.0.master_key, stored.starts_with("sealed:")) {
        domain
            .store()
            .replace_server_secret(KEY_NAME, &stored, &m.seal_secret(KEY_NAME, &plain))
            .await?;
    }
    let _ = domain.0.payments_key.set(plain.into_bytes());
    Ok(domain
        .0
        .payments_key
        .get()
        .map(Vec::as_slice)
        .unwrap_or_default())
}

/// Issues a PAT for an order that awaits payment.
pub async fn issue(
    domain: &Domain,
    store: &StoreRecord,
    order: &Order,
) -> Result<String, PaymentError> {
    // Nothing to pay, or a total that could not be real: no token.
    if order.status != "INCOMPLETE" || order.total_cents <= 0 {
        return Err(PaymentError::OrderNotPayable);
    }
    let now = domain.now_for(store.id);
    let jti = uuid::Uuid::new_v4().to_string();
    domain
        .store()
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
    Ok(hs256::sign(&claims, key(domain).await?))
}

/// What a payment names: the client's method id and the card number (checked by the caller:
/// a method id of at most `payment_card::MAX_METHOD_ID_LEN`, a number of digits).
pub struct CardPayment<'a> {
    pub method_id: &'a str,
    pub number: &'a str,
}

/// Takes a payment with a PAT: verifies it, charges the test card, and records the outcome
/// with the card's brand and last four digits. Returns (payment id, order id).
pub async fn pay(
    domain: &Domain,
    store: &StoreRecord,
    pat: &str,
    card: &CardPayment<'_>,
) -> Result<(String, i64), PaymentError> {
    let claims = hs256::verify(pat, key(domain).await?).map_err(|_| PaymentError::InvalidToken)?;
    let now = domain.now_for(store.id);
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
    let approved = card.number == CARD_APPROVED;
    let id = uuid::Uuid::new_v4().to_string();
    let outcome = match domain
        .store()
        .take_payment(
            NewPayment {
                id: &id,
                store_id: store.id,
                jti,
                amount_cents: amount,
                approved,
                method_id: card.method_id,
                card_brand: payment_card::brand(card.number),
                card_last4: payment_card::last4(card.number),
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

#[derive(Debug, thiserror::Error)]
pub enum IssueForOrderError {
    #[error("no such order")]
    NoSuchOrder,
    #[error(transparent)]
    Payment(#[from] PaymentError),
}

/// Issues a PAT for the store's order `order_id` (the management API's request).
pub async fn issue_for_order(
    domain: &Domain,
    store: &StoreRecord,
    order_id: i64,
) -> Result<String, IssueForOrderError> {
    let order = domain
        .store()
        .order(store.id, order_id)
        .await
        .map_err(PaymentError::Store)?
        .ok_or(IssueForOrderError::NoSuchOrder)?;
    Ok(issue(domain, store, &order).await?)
}
