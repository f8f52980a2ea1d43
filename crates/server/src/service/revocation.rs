//! Revocation, owned in one place (SPEC §4, §9): marking a token revoked in the registry,
//! refusing it on this instance from the next request, telling every other instance, and
//! ending a customer's sign-ins the same way. Other instances apply the events in `sync`.

use storefront_auth_core::token;
use storefront_auth_store::{Event, StoreError};

use super::Domain;

/// Which token to revoke, as the caller named it.
#[derive(Debug)]
pub enum Revocable<'a> {
    /// The token string itself (management API `Sf-Api-Token`): it must verify.
    Presented(&'a str),
    /// A token string or its id (`jti`), as the CLI takes it.
    TokenOrId(&'a str),
}

#[derive(Debug, thiserror::Error)]
pub enum RevokeError {
    /// Not a token of this server, not this store's, or already revoked.
    #[error("no such token in this store")]
    NoSuchToken,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Revokes a token of `store_id` and makes every instance refuse it within a second.
/// Returns its id.
pub async fn revoke(
    domain: &Domain,
    store_id: i64,
    which: Revocable<'_>,
) -> Result<String, RevokeError> {
    let jti = match which {
        Revocable::Presented(raw) => {
            let claims =
                token::verify(raw, &domain.keys()).map_err(|_| RevokeError::NoSuchToken)?;
            if claims.sid != store_id {
                return Err(RevokeError::NoSuchToken);
            }
            claims.jti
        }
        Revocable::TokenOrId(raw) => match token::verify(raw, &domain.keys()) {
            Ok(c) => c.jti,
            Err(_) if raw.contains('.') => return Err(RevokeError::NoSuchToken),
            Err(_) => raw.to_string(),
        },
    };
    if !domain
        .store()
        // The process clock, not the store's: other instances catch up on revocations by
        // this time (`sync`), which must be one time line for all stores.
        .revoke_token(store_id, &jti, domain.now())
        .await?
    {
        return Err(RevokeError::NoSuchToken);
    }
    revoked(domain, &jti);
    notify(domain, Event::TokenRevoked(jti.clone())).await;
    Ok(jti)
}

/// Ends every sign-in of a customer, on all devices (logout).
pub async fn sign_out_everywhere(
    domain: &Domain,
    store_id: i64,
    customer_id: i64,
) -> Result<(), StoreError> {
    domain
        .store()
        .end_customer_sessions(store_id, customer_id, domain.now_for(store_id))
        .await?;
    sign_ins_ended(domain, store_id, customer_id).await;
    Ok(())
}

/// A customer's sign-ins ended: this instance forgets them at once, and every other instance
/// is told (on PostgreSQL; elsewhere their cache entries go stale within `sign_ins::FRESH`).
pub async fn sign_ins_ended(domain: &Domain, store_id: i64, customer_id: i64) {
    domain.0.sign_ins.forget_customer(store_id, customer_id);
    notify(
        domain,
        Event::SignInsEnded {
            store_id,
            customer_id,
        },
    )
    .await;
}

/// A revocation this instance made or learned of: refuse the token from the next request on.
pub(super) fn revoked(domain: &Domain, jti: &str) {
    domain.0.tokens.revoke(jti);
}

/// Tells other instances about a change. Their catch-up covers a failed notification, so a
/// failure is logged, not returned.
pub(super) async fn notify(domain: &Domain, event: Event) {
    if let Err(e) = domain.store().notify(&event).await {
        tracing::warn!(error = ?e, "notify failed; other instances catch up within a second");
    }
}
