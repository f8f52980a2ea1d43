//! The newsletter list (issue 17): BigCommerce's `newsletter { subscribe, unsubscribe }`, as
//! Catalyst's footer form and account settings use them. The token is the gate, as on the
//! platform: subscribing names an address and unsubscribing takes one off, as an unsubscribe
//! link would (Catalyst sends both without the customer's access token). The stand-in sends no
//! mail.

use storefront_auth_core::validate::is_email;
use storefront_auth_store::StoreError;

use super::Domain;

/// The most addresses one store's list holds: a stranger with a storefront token can add any
/// address, so the list is bounded (exactly, also under concurrent writers: the store keeps
/// the list's size beside it).
pub const MAX_SUBSCRIBERS: i64 = 1_000_000;
/// The longest first or last name kept.
pub const MAX_NAME: usize = 100;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SubscribeError {
    #[error("Enter a valid email address.")]
    EmailInvalid,
    #[error("First name must be at most 100 characters.")]
    FirstNameInvalid,
    #[error("Last name must be at most 100 characters.")]
    LastNameInvalid,
    #[error("This email address is already subscribed.")]
    AlreadyExists,
    #[error("The newsletter list is full.")]
    ListFull,
}

fn valid_name(name: &str) -> bool {
    name.chars().count() <= MAX_NAME && !name.chars().any(char::is_control)
}

/// Adds `email` (with the names given, trimmed) to the store's list.
pub async fn subscribe(
    domain: &Domain,
    store_id: i64,
    email: &str,
    first_name: Option<&str>,
    last_name: Option<&str>,
) -> Result<Result<(), SubscribeError>, StoreError> {
    let email = email.trim();
    let (first, last) = (
        first_name.unwrap_or("").trim(),
        last_name.unwrap_or("").trim(),
    );
    if !is_email(email) {
        return Ok(Err(SubscribeError::EmailInvalid));
    }
    if !valid_name(first) {
        return Ok(Err(SubscribeError::FirstNameInvalid));
    }
    if !valid_name(last) {
        return Ok(Err(SubscribeError::LastNameInvalid));
    }
    let now = domain.now_for(store_id);
    let added = domain
        .store()
        .subscribe_to_newsletter(store_id, email, (first, last), MAX_SUBSCRIBERS, now)
        .await?;
    Ok(match added {
        Some(true) => Ok(()),
        Some(false) => Err(SubscribeError::AlreadyExists),
        None => Err(SubscribeError::ListFull),
    })
}

/// Takes `email` off the store's list; an address that was not on it is no error (the outcome
/// is the same). `Ok(false)`: not an email address.
pub async fn unsubscribe(domain: &Domain, store_id: i64, email: &str) -> Result<bool, StoreError> {
    let email = email.trim();
    if !is_email(email) {
        return Ok(false);
    }
    domain
        .store()
        .unsubscribe_from_newsletter(store_id, email)
        .await?;
    Ok(true)
}

/// Is this address on the store's list (`Customer.isSubscribedToNewsletter`)?
pub async fn is_subscribed(
    domain: &Domain,
    store_id: i64,
    email: &str,
) -> Result<bool, StoreError> {
    domain
        .store()
        .is_subscribed_to_newsletter(store_id, email)
        .await
}
