//! Hosted checkout links and session sync (issue 18 §2, SPEC §12): `createCartRedirectUrls`
//! makes a single-use, short-lived link into this server's checkout for one cart, and opening
//! it (`/cart.php?action=loadInCheckout&id=…&token=…`) lands the shopper there, signed in when
//! the link was made signed in.
//!
//! A link made with a customer access token (or a session cookie) carries that sign-in: the
//! browser gets a session cookie synced to it, which ends when it ends and expires no later.
//! The customer's other sign-ins stay (the shopper moved from the headless storefront to its
//! checkout; nobody signed in anew). A link made for a customer without a sign-in of their own
//! (an impersonation token naming them) signs the customer in as a Customer Login JWT does.

use storefront_auth_core::customer_session::new_session_id;
use storefront_auth_core::secret::{random_hex, sha256_hex};
use storefront_auth_core::Secret;
use storefront_auth_store::{Cart, NewCheckoutLink, NewSession, SessionKind, StoreError};

use super::{customers, Domain};

/// The raw token's length in hex digits (the platform's links carry 64).
const TOKEN_HEX_LEN: usize = 64;

/// Who makes a link: the customer the request acts for, and the sign-in it used, if any.
pub struct LinkMaker<'a> {
    pub customer_id: Option<i64>,
    pub sign_in: Option<&'a str>,
}

/// Makes a link's token for `cart` (already found usable by the maker); only its digest is kept.
pub async fn create(
    domain: &Domain,
    cart: &Cart,
    maker: &LinkMaker<'_>,
) -> Result<String, StoreError> {
    let token = random_hex(TOKEN_HEX_LEN / 2);
    let now = domain.now_for(cart.store_id);
    let lifetime = domain.settings().customers.checkout_link_lifetime_secs;
    domain
        .store()
        .insert_checkout_link(
            &NewCheckoutLink {
                digest: &sha256_hex(token.as_bytes()),
                store_id: cart.store_id,
                channel_id: cart.channel_id,
                cart_id: &cart.id,
                customer_id: maker.customer_id,
                source_digest: maker.customer_id.and(maker.sign_in),
                expires_at: now + lifetime,
            },
            now,
        )
        .await?;
    Ok(token)
}

#[derive(Debug, thiserror::Error)]
pub enum LinkError {
    #[error("This checkout link is invalid, has expired or was already used. Return to the store and check out again.")]
    Invalid,
    #[error("The sign-in this checkout link carried has ended. Sign in and check out again.")]
    SignInEnded,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A session cookie the opened link started: its raw value and expiry.
pub struct SyncedSignIn {
    pub value: Secret,
    pub expires_at: i64,
}

/// Opens a link for `cart_id` on this storefront: uses it up, and starts the sign-in it
/// carries. A token that is not even the right shape is refused without a lookup.
pub async fn open(
    domain: &Domain,
    store_id: i64,
    channel_id: i64,
    cart_id: &str,
    token: &str,
) -> Result<Option<SyncedSignIn>, LinkError> {
    let well_formed = token.len() == TOKEN_HEX_LEN && token.bytes().all(|b| b.is_ascii_hexdigit());
    if !well_formed || cart_id.is_empty() || cart_id.len() > 64 {
        return Err(LinkError::Invalid);
    }
    let now = domain.now_for(store_id);
    let claimed = domain
        .store()
        .claim_checkout_link(
            &sha256_hex(token.as_bytes()),
            store_id,
            channel_id,
            cart_id,
            now,
        )
        .await?
        .ok_or(LinkError::Invalid)?;
    let Some(customer_id) = claimed.customer_id else {
        return Ok(None);
    };
    let Some(source) = claimed.source_digest else {
        let (value, expires_at) = customers::start_sign_in(
            domain,
            store_id,
            channel_id,
            customer_id,
            SessionKind::Cookie,
        )
        .await?;
        return Ok(Some(SyncedSignIn { value, expires_at }));
    };
    let value = new_session_id();
    let lifetime = domain.settings().customers.session_lifetime_secs;
    let started = domain
        .store()
        .start_synced_session(
            NewSession {
                digest: &value.digest(),
                store_id,
                channel_id,
                customer_id,
                kind: SessionKind::Cookie,
                expires_at: now + lifetime,
            },
            &source,
            now,
        )
        .await?;
    let expires_at = started.ok_or(LinkError::SignInEnded)?;
    Ok(Some(SyncedSignIn { value, expires_at }))
}
