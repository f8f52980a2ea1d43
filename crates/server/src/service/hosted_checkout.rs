//! The hosted checkout's last step (issue 18 §2): place the order and pay it with the test
//! card, as the platform's own checkout does with a payment access token (SPEC §7). The
//! order is placed once; a declined card leaves it awaiting payment, and paying again pays
//! that order, so a retry (or a second click) never places a second one.

use storefront_auth_core::payment_card;
use storefront_auth_store::{Order, StoreRecord};

use super::carts::{find_open, priced, CartError, Shopper};
use super::payments::{self, CardPayment, PaymentError};
use super::{checkout, checkout_billing, checkout_shipping, Domain};

/// The test gateway's method, as the hosted checkout's payments record it.
pub const METHOD_ID: &str = "testgateway.card";

#[derive(Debug, thiserror::Error)]
pub enum HostedPaymentError {
    #[error("Enter a card number of 12 to 19 digits.")]
    BadCard,
    #[error("Enter a billing address with an email address.")]
    NoBilling,
    #[error("Enter a shipping address for every item and choose a shipping option.")]
    ShippingNotChosen,
    #[error("This order is already paid.")]
    AlreadyPaid(i64),
    /// The order stays, awaiting payment: paying again pays it.
    #[error("The card was declined. Check the number or use another card.")]
    Declined(i64),
    #[error(transparent)]
    Cart(#[from] CartError),
    #[error(transparent)]
    Payment(PaymentError),
}

/// The card number as typed: digits, with spaces or dashes between groups allowed.
pub fn card_digits(typed: &str) -> Option<String> {
    let digits: String = typed.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    let ok = (12..=19).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit());
    (ok && typed.len() <= 40).then_some(digits)
}

/// Places the checkout's order (unless it was placed and awaits payment) and pays it with
/// `card`. Returns the paid order's id.
pub async fn pay(
    domain: &Domain,
    who: &Shopper,
    store: &StoreRecord,
    cart_id: &str,
    card: &str,
) -> Result<i64, HostedPaymentError> {
    let number = card_digits(card).ok_or(HostedPaymentError::BadCard)?;
    let order = match pending_order(domain, who, cart_id).await? {
        Some(order) => order,
        None => place(domain, who, store, cart_id).await?,
    };
    let pat = payments::issue(domain, store, &order)
        .await
        .map_err(HostedPaymentError::Payment)?;
    let card = CardPayment {
        method_id: METHOD_ID,
        number: &number,
    };
    match payments::pay(domain, store, &pat, &card).await {
        Ok(_) => {
            tracing::info!(
                order_id = order.id,
                brand = payment_card::brand(&number),
                "hosted checkout paid"
            );
            Ok(order.id)
        }
        Err(PaymentError::Declined) => Err(HostedPaymentError::Declined(order.id)),
        // Another request paid it first (a second click).
        Err(PaymentError::OrderNotPayable) => Err(HostedPaymentError::AlreadyPaid(order.id)),
        Err(e) => Err(HostedPaymentError::Payment(e)),
    }
}

/// The order already placed from this checkout, if it still awaits payment; an error if it
/// was paid. Only the shopper who may see the order gets it.
async fn pending_order(
    domain: &Domain,
    who: &Shopper,
    cart_id: &str,
) -> Result<Option<Order>, HostedPaymentError> {
    let placed = checkout::order_of(domain, cart_id, who.customer_id)
        .await
        .map_err(CartError::from)?
        .filter(|o| o.store_id == who.store_id && o.channel_id == who.channel_id);
    match placed {
        Some(o) if o.status == "INCOMPLETE" => Ok(Some(o)),
        Some(o) => Err(HostedPaymentError::AlreadyPaid(o.id)),
        None => Ok(None),
    }
}

/// Places the order; when a concurrent request placed it first (at any step), its order is
/// the one to pay here.
async fn place(
    domain: &Domain,
    who: &Shopper,
    store: &StoreRecord,
    cart_id: &str,
) -> Result<Order, HostedPaymentError> {
    match place_new(domain, who, store, cart_id).await {
        Err(HostedPaymentError::Cart(CartError::Ordered)) => pending_order(domain, who, cart_id)
            .await?
            .ok_or(HostedPaymentError::Cart(CartError::Ordered)),
        other => other,
    }
}

/// Checks what the hosted checkout asks for (every item shipped with an option chosen, a
/// billing address with an email) and places the order.
async fn place_new(
    domain: &Domain,
    who: &Shopper,
    store: &StoreRecord,
    cart_id: &str,
) -> Result<Order, HostedPaymentError> {
    let cart = find_open(domain, who, cart_id).await?;
    let priced = priced(domain, cart, who.discount_bp).await?;
    let quoted = checkout_shipping::quoted(domain, &priced)
        .await
        .map_err(CartError::from)?;
    let shipped = |id: &String| quoted.iter().any(|q| q.line_item_ids.contains(id));
    let all_shipped = !quoted.is_empty()
        && quoted.iter().all(|q| q.selected.is_some())
        && priced.lines.iter().all(|l| shipped(&l.item.id));
    if !all_shipped {
        return Err(HostedPaymentError::ShippingNotChosen);
    }
    let billing = checkout_billing::of(domain, cart_id)
        .await
        .map_err(CartError::from)?;
    let email = billing.and_then(|b| b.email).unwrap_or_default();
    if email.is_empty() {
        return Err(HostedPaymentError::NoBilling);
    }
    Ok(checkout::complete_checkout(domain, who, &store.hash, cart_id).await?)
}
