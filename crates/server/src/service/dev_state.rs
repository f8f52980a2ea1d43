//! A store's state in development mode (issue 20): exported as a file, imported from one,
//! kept as its seed state, and reset to that seed state. After a reset or an import this
//! instance holds nothing of the store's old state: tokens the restored state does not hold
//! are refused at once (and on other instances through the revocation event), sign-ins end,
//! and the catalog, clock, storefront and decision caches start over.
//!
//! A token revoked before a reset stays revoked after it, even if the seed held it live: a
//! revocation is never undone.

use storefront_auth_store::{StateError, StoreError, StoreRecord, StoreState};

use super::revocation::{self, sign_ins_ended};
use super::Domain;
use storefront_auth_store::Event;

#[derive(Debug, thiserror::Error)]
pub enum DevStateError {
    #[error(
        "Store {0} has no seed state: it was not made by POST /_dev/stores or seeded at start. \
         PUT /_dev/stores/{0}/seed-state keeps its current state as its seed."
    )]
    NoSeed(String),
    #[error("{0}")]
    Invalid(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<StateError> for DevStateError {
    fn from(e: StateError) -> Self {
        match e {
            StateError::Invalid(m) => DevStateError::Invalid(m),
            StateError::Store(s) => DevStateError::Store(s),
        }
    }
}

/// The store's state now, token usage counted so far included.
pub async fn export(domain: &Domain, store: &StoreRecord) -> Result<StoreState, StoreError> {
    flush_usage(domain).await;
    domain
        .store()
        .export_store(store.id)
        .await?
        .ok_or(StoreError::NotFound)
}

/// Keeps the store's state now as the one `reset` returns to.
pub async fn keep_as_seed(domain: &Domain, store: &StoreRecord) -> Result<(), StoreError> {
    let state = export(domain, store).await?;
    domain
        .store()
        .keep_seed_state(store.id, &state, domain.now())
        .await
}

/// Brings the store back to its seed state.
pub async fn reset(domain: &Domain, store: &StoreRecord) -> Result<(), DevStateError> {
    let seed = domain
        .store()
        .seed_state(store.id)
        .await?
        .ok_or_else(|| DevStateError::NoSeed(store.hash.clone()))?;
    restore(domain, &seed).await?;
    // A reset is a fresh start for the next test: the faults a test set end with it.
    super::faults::clear(domain, &store.hash);
    tracing::info!(store = %store.hash, "store reset to its seed state");
    Ok(())
}

/// Writes `state` over its store (creating it if this database has no store of its hash) and
/// keeps it as the store's seed state. Returns the store.
pub async fn import(domain: &Domain, state: &StoreState) -> Result<StoreRecord, DevStateError> {
    let store = restore(domain, state).await?;
    domain
        .store()
        .keep_seed_state(store.id, state, domain.now())
        .await?;
    tracing::info!(store = %store.hash, "store state imported");
    Ok(store)
}

/// Restores `state` and makes this instance (and through events the others) forget what it
/// held of the store before.
async fn restore(domain: &Domain, state: &StoreState) -> Result<StoreRecord, DevStateError> {
    let data = domain.store();
    let before = match data.store_by_hash(&state.store_hash).await? {
        Some(s) => Some((data.token_ids(s.id).await?, data.customer_ids(s.id).await?)),
        None => None,
    };
    // Usage counted before the restore must not land on the restored rows afterwards.
    flush_usage(domain).await;
    let store_id = data.restore_store(state).await?;
    let store = data
        .store_by_id(store_id)
        .await?
        .ok_or(StoreError::NotFound)?;
    if let Some((tokens, customers)) = before {
        end_what_the_state_lacks(domain, &store, tokens, customers).await?;
    }
    domain.forget_storefront(&store.hash);
    domain.0.catalog.forget(store.id);
    domain.decisions().forget(store.id);
    let offset = data
        .store_clock_offsets()
        .await?
        .into_iter()
        .find(|(id, _)| *id == store.id)
        .map(|(_, o)| o);
    domain.0.clocks.set(store.id, offset);
    Ok(store)
}

/// Tokens issued since the state (or revoked before the restore) are refused from now on;
/// every customer's sign-ins held in memory are forgotten.
async fn end_what_the_state_lacks(
    domain: &Domain,
    store: &StoreRecord,
    tokens_before: Vec<(String, bool)>,
    customers_before: Vec<i64>,
) -> Result<(), StoreError> {
    let data = domain.store();
    let now_live: std::collections::HashSet<String> = data
        .token_ids(store.id)
        .await?
        .into_iter()
        .map(|(jti, _)| jti)
        .collect();
    for (jti, was_revoked) in tokens_before {
        if now_live.contains(&jti) && !was_revoked {
            continue;
        }
        if now_live.contains(&jti) {
            data.revoke_token(store.id, &jti, domain.now()).await?;
        }
        revocation::revoked(domain, &jti);
        revocation::notify(domain, Event::TokenRevoked(jti)).await;
    }
    for customer_id in customers_before {
        sign_ins_ended(domain, store.id, customer_id).await;
    }
    Ok(())
}

async fn flush_usage(domain: &Domain) {
    if let Err(e) = domain.0.usage.flush(domain.store()).await {
        tracing::warn!(error = %e, "usage flush before a state change failed");
    }
}
