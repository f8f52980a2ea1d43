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
    #[error("no store with hash {0}")]
    Unknown(String),
    #[error("the trusted-proxy secret must be 16 to 256 printable characters without spaces")]
    BadProxySecret,
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

/// The shortest trusted-proxy secret accepted: it is a credential that makes any request a
/// server's (SPEC §5.1).
pub const MIN_PROXY_SECRET: usize = 16;

/// Sets (or with `None` clears) a store's trusted-proxy secret; only its SHA-256 digest is
/// stored. Instances see the change within a second.
pub async fn set_trusted_proxy_secret(
    store: &Store,
    hash: &str,
    secret: Option<&str>,
) -> Result<(), StoresError> {
    let record = store
        .store_by_hash(hash)
        .await
        .map_err(StoresError::Store)?
        .ok_or_else(|| StoresError::Unknown(hash.to_string()))?;
    let digest = match secret {
        Some(s)
            if s.len() < MIN_PROXY_SECRET
                || s.len() > 256
                || !s.bytes().all(|b| b.is_ascii_graphic()) =>
        {
            return Err(StoresError::BadProxySecret)
        }
        Some(s) => Some(storefront_auth_core::secret::sha256_hex(s.as_bytes())),
        None => None,
    };
    store
        .set_trusted_proxy_secret_digest(record.id, digest.as_deref())
        .await
        .map_err(StoresError::Store)
}

pub fn check_site_url(site_url: &str) -> Result<(), StoresError> {
    origin_of(site_url)
        .map(|_| ())
        .ok_or(StoresError::BadSiteUrl)
}
