//! A store's rehearsal of a future date's rules (issue 19): every storefront-API request is
//! also judged at that date (the policy's `authorize` does it); in `report` mode it passes with
//! a header naming the rule that would refuse it, in `enforce` mode it is refused as that date
//! would. This file reads and changes the setting; the admission reads it with the store.

use storefront_auth_core::clock::parse_day_or_time;
use storefront_auth_core::policy::{Rehearsal, RehearsalMode};
use storefront_auth_store::{StoreError, StoreRecord};

use super::Domain;

#[derive(Debug, thiserror::Error)]
pub enum RehearsalError {
    #[error("at must be a day (2027-04-01) or an RFC 3339 time.")]
    BadDate,
    #[error("mode must be report or enforce.")]
    BadMode,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The rehearsal a store runs, if any.
pub fn of(store: &StoreRecord) -> Option<Rehearsal> {
    let (at, mode) = store.rehearsal.as_ref()?;
    Some(Rehearsal {
        at: *at,
        mode: RehearsalMode::parse(mode)?,
    })
}

/// A rehearsal as a user names it: a date and a mode.
pub fn parse(at: &str, mode: &str) -> Result<Rehearsal, RehearsalError> {
    Ok(Rehearsal {
        at: parse_day_or_time(at).ok_or(RehearsalError::BadDate)?,
        mode: RehearsalMode::parse(mode).ok_or(RehearsalError::BadMode)?,
    })
}

/// Starts, changes or (`None`) ends the store's rehearsal. This instance applies it at once,
/// others within a second (the store directory's refresh).
pub async fn set(
    domain: &Domain,
    store: &StoreRecord,
    rehearsal: Option<Rehearsal>,
) -> Result<(), StoreError> {
    let stored = rehearsal.map(|r| (r.at, r.mode.as_str()));
    domain.store().set_rehearsal(store.id, stored).await?;
    domain.forget_storefront(&store.hash);
    match rehearsal {
        Some(r) => {
            tracing::info!(store = %store.hash, at = r.at, mode = r.mode.as_str(), "rehearsal set")
        }
        None => tracing::info!(store = %store.hash, "rehearsal ended"),
    }
    Ok(())
}
