//! Creating stores (with their default channel) and channels.

use storefront_auth_core::secret::random_bytes;
use storefront_auth_core::validate::{is_store_hash, origin_of};
use storefront_auth_store::{Store, StoreError, StoreRecord};

#[derive(Debug, thiserror::Error)]
pub enum StoresError {
    #[error("store hash must be 1-32 characters of [a-z0-9]")]
    BadHash,
    #[error("site_url must be an http(s) URL such as http://localhost:3000")]
    BadSiteUrl,
    #[error("a store with hash {0} already exists")]
    Exists(String),
    #[error(transparent)]
    Store(StoreError),
}

/// Creates a store with a ten-digit numeric id (the `sid` claim) and channel 1.
pub async fn create(
    store: &Store,
    hash: &str,
    name: &str,
    site_url: &str,
    now: i64,
) -> Result<StoreRecord, StoresError> {
    if !is_store_hash(hash) {
        return Err(StoresError::BadHash);
    }
    check_site_url(site_url)?;
    for _ in 0..5 {
        let mut b = [0u8; 8];
        b.copy_from_slice(&random_bytes(8));
        let id = 1_000_000_000 + (u64::from_le_bytes(b) % 999_999_999) as i64;
        match store.create_store(id, hash, name, site_url, now).await {
            Ok(s) => return Ok(s),
            Err(StoreError::Conflict(_))
                if store.store_by_hash(hash).await.ok().flatten().is_some() =>
            {
                return Err(StoresError::Exists(hash.to_string()))
            }
            Err(StoreError::Conflict(_)) => continue,
            Err(e) => return Err(StoresError::Store(e)),
        }
    }
    Err(StoresError::Store(StoreError::Conflict(
        "could not pick a free store id".into(),
    )))
}

pub fn check_site_url(site_url: &str) -> Result<(), StoresError> {
    origin_of(site_url)
        .map(|_| ())
        .ok_or(StoresError::BadSiteUrl)
}
