//! A checkout's billing address (issue 18 §3): checked like a consignment's address (a country
//! the stand-in knows, a state of it, no field over 255 characters) plus a well-formed email
//! when one is given; set as one change of the cart at the version read. The order is billed
//! to it (`checkout::complete_checkout`).

use storefront_auth_core::validate::is_email;
use storefront_auth_store::{Cart, ConsignmentAddress, StoreError};

use super::carts::Shopper;
use super::checkout_change::{after_change, open_at, CheckoutChangeError};
use super::checkout_shipping::checked_address;
use super::Domain;

/// Sets the checkout's billing address.
pub async fn set(
    domain: &Domain,
    who: &Shopper,
    cart_id: &str,
    version: Option<i64>,
    address: ConsignmentAddress,
) -> Result<Cart, CheckoutChangeError> {
    let cart = open_at(domain, who, cart_id, version).await?;
    let address = checked_address(address)?;
    if address.email.as_deref().is_some_and(|e| !is_email(e)) {
        return Err(CheckoutChangeError::InvalidAddress(
            "email is not an email address.".into(),
        ));
    }
    let changed = domain
        .store()
        .set_checkout_billing(
            &cart.id,
            cart.version,
            &address,
            domain.now_for(who.store_id),
        )
        .await?;
    after_change(domain, &cart, changed).await
}

/// The checkout's billing address, if one was set.
pub async fn of(domain: &Domain, cart_id: &str) -> Result<Option<ConsignmentAddress>, StoreError> {
    domain.store().checkout_billing(cart_id).await
}
