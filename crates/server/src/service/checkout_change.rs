//! What every change of a checkout (its consignments, its coupon) shares: the open cart at the
//! version the shopper read, the refusals, and what a change that lost a race answers.

use storefront_auth_store::{Cart, StoreError};

use super::carts::{find_open, CartError, Shopper};
use super::Domain;

/// The most of a shopper's own input a refusal repeats back (a code, an id, a country).
const SHOWN_LEN: usize = 100;

#[derive(Debug, thiserror::Error)]
pub enum CheckoutChangeError {
    #[error(transparent)]
    Cart(#[from] CartError),
    #[error("A consignment needs at least one line item.")]
    NoLines,
    #[error("Line item {0} is not in this checkout.")]
    UnknownLine(String),
    #[error("Line item {0} is already in a consignment.")]
    LineTwice(String),
    #[error("A consignment ships whole lines: line item {0} has a quantity of {1}.")]
    PartialLine(String, i64),
    #[error("Consignment {0} is not in this checkout.")]
    UnknownConsignment(String),
    #[error("Shipping option {0} is not available for this consignment.")]
    UnavailableOption(String),
    /// A carrier failed to quote: its message.
    #[error("{0}")]
    CarrierFailed(String),
    #[error("{0}")]
    InvalidAddress(String),
    #[error("The checkout has changed (it is at version {0}); read it again.")]
    Stale(i64),
    #[error("The coupon code {0} is not valid.")]
    UnknownCoupon(String),
    #[error("Coupon {0} has been used up.")]
    CouponUsedUp(String),
    #[error("Only one coupon can be applied; remove {0} first.")]
    OneCoupon(String),
    #[error("Coupon {0} is not applied to this checkout.")]
    CouponNotApplied(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A value the shopper sent, as a message repeats it: at most `SHOWN_LEN` characters, so a
/// megabyte-long code is not answered with a megabyte-long error.
pub fn shown(value: &str) -> String {
    let value = value.trim();
    match value.char_indices().nth(SHOWN_LEN) {
        Some((cut, _)) => format!("{}…", &value[..cut]),
        None => value.to_string(),
    }
}

/// The shopper's open cart, at `version` when one is given.
pub(super) async fn open_at(
    domain: &Domain,
    who: &Shopper,
    cart_id: &str,
    version: Option<i64>,
) -> Result<Cart, CheckoutChangeError> {
    let cart = find_open(domain, who, cart_id).await?;
    match version {
        Some(v) if v != cart.version => Err(CheckoutChangeError::Stale(cart.version)),
        _ => Ok(cart),
    }
}

/// The cart after a change made at `cart`'s version; `changed: false` means the cart moved on
/// between the read and the write (or was ordered meanwhile), and nothing was written.
pub(super) async fn after_change(
    domain: &Domain,
    cart: &Cart,
    changed: bool,
) -> Result<Cart, CheckoutChangeError> {
    if domain.store().order_for_cart(&cart.id).await?.is_some() {
        return Err(CartError::Ordered.into());
    }
    let now = domain
        .store()
        .cart(cart.store_id, &cart.id)
        .await?
        .ok_or(CartError::NotFound)?;
    if !changed {
        return Err(CheckoutChangeError::Stale(now.version));
    }
    Ok(now)
}

#[cfg(test)]
mod tests {
    use super::shown;

    #[test]
    fn shown_values_are_bounded() {
        assert_eq!(shown("  FIVE "), "FIVE");
        assert_eq!(shown(&"é".repeat(100)), "é".repeat(100));
        assert_eq!(shown(&"é".repeat(101)), format!("{}…", "é".repeat(100)));
        assert_eq!(shown(""), "");
    }
}
