//! Stores and their channels (SPEC §2): creating, finding and listing them.

use storefront_auth_core::secret::random_bytes;
use storefront_auth_core::validate::{is_store_hash, origin_of};
use storefront_auth_store::{Channel, StoreError, StoreRecord};

use super::Domain;

#[derive(Debug, thiserror::Error)]
pub enum StoresError {
    #[error("store hash must be 1-32 characters of [a-z0-9]")]
    BadHash,
    #[error("site_url must be an http(s) URL such as http://localhost:4000")]
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
    domain: &Domain,
    hash: &str,
    name: &str,
    site_url: &str,
) -> Result<StoreRecord, StoresError> {
    let (store, now) = (domain.store(), domain.now());
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
/// stored. This instance sees the change at once, others within a second.
pub async fn set_trusted_proxy_secret(
    domain: &Domain,
    hash: &str,
    secret: Option<&str>,
) -> Result<(), StoresError> {
    let store = domain.store();
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
        .map_err(StoresError::Store)?;
    domain.forget_storefront(hash);
    Ok(())
}

pub fn check_site_url(site_url: &str) -> Result<(), StoresError> {
    origin_of(site_url)
        .map(|_| ())
        .ok_or(StoresError::BadSiteUrl)
}

pub async fn list(domain: &Domain) -> Result<Vec<StoreRecord>, StoreError> {
    domain.store().list_stores().await
}

pub async fn find(domain: &Domain, hash: &str) -> Result<Option<StoreRecord>, StoreError> {
    domain.store().store_by_hash(hash).await
}

pub async fn channels(domain: &Domain, store_id: i64) -> Result<Vec<Channel>, StoreError> {
    domain.store().channels(store_id).await
}

/// Adds a channel; its storefront host answers within a second (the directory's refresh).
/// Adds a channel; this instance serves it at once, others within a second (the directory's
/// refresh).
pub async fn create_channel(
    domain: &Domain,
    store: &StoreRecord,
    name: &str,
    site_url: &str,
) -> Result<Channel, StoresError> {
    check_site_url(site_url)?;
    let channel = domain
        .store()
        .create_channel(store.id, name, site_url, domain.now_for(store.id))
        .await
        .map_err(StoresError::Store)?;
    domain.forget_storefront(&store.hash);
    Ok(channel)
}

/// Every storefront host name: each store's `store-{hash}` and its `store-{hash}-{channel}`
/// for every channel (channel 1 answers at both).
pub async fn storefront_hosts(domain: &Domain) -> Result<Vec<String>, StoreError> {
    let suffix = &domain.settings().domain;
    let mut hosts = Vec::new();
    for store in list(domain).await? {
        hosts.push(format!("store-{}.{suffix}", store.hash));
        for channel in channels(domain, store.id).await? {
            hosts.push(format!(
                "store-{}-{}.{suffix}",
                store.hash, channel.channel_id
            ));
        }
    }
    Ok(hosts)
}
