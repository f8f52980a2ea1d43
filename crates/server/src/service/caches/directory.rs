//! Which storefront a request addressed, from its `Host` (SPEC §2): `store-{hash}.{domain}` is
//! channel 1, `store-{hash}-{channel}.{domain}` another channel; any other host is channel 1 of
//! the default store. Stores and channels are cached per process and refreshed every second.

use foldhash::HashMap;
use std::sync::{Arc, RwLock};

use storefront_auth_store::{Channel, Store, StoreRecord};

#[derive(Debug)]
pub struct StoreEntry {
    // Shared, not copied, into each request's GraphQL context.
    pub store: Arc<StoreRecord>,
    pub channels: Vec<Arc<Channel>>,
}

#[derive(Debug, Default)]
pub struct Directory {
    stores: RwLock<HashMap<String, (Arc<StoreEntry>, std::time::Instant)>>,
}

#[derive(Debug, PartialEq, Eq)]
pub enum HostError {
    UnknownStore,
    UnknownChannel,
    Unavailable,
}

/// `Some((hash, channel))` for a storefront host name; `None` for any other host.
pub fn parse_host<'a>(host: &'a str, domain: &str) -> Option<(&'a str, i64)> {
    let name = match host.rsplit_once(':') {
        Some((n, port)) if port.bytes().all(|b| b.is_ascii_digit()) => n,
        _ => host,
    };
    let label = name
        .strip_suffix(domain)?
        .strip_suffix('.')?
        .strip_prefix("store-")?;
    match label.split_once('-') {
        None => Some((label, 1)),
        Some((hash, channel)) => Some((hash, channel.parse().ok().filter(|c| *c >= 1)?)),
    }
    .filter(|(hash, _)| storefront_auth_core::validate::is_store_hash(hash))
}

impl Directory {
    /// Entries older than this are refreshed from the database on their next use (so new
    /// channels appear within a second); a failed refresh keeps serving the old entry.
    const MAX_AGE: std::time::Duration = std::time::Duration::from_secs(1);

    async fn entry(&self, store: &Store, hash: &str) -> Result<Option<Arc<StoreEntry>>, HostError> {
        let cached = self.stores.read().ok().and_then(|m| m.get(hash).cloned());
        if let Some((entry, at)) = &cached {
            if at.elapsed() < Self::MAX_AGE {
                return Ok(Some(entry.clone()));
            }
        }
        let fresh = async {
            let Some(record) = store.store_by_hash(hash).await? else {
                return Ok(None);
            };
            let channels = store.channels(record.id).await?;
            Ok::<_, storefront_auth_store::StoreError>(Some(Arc::new(StoreEntry {
                store: Arc::new(record),
                channels: channels.into_iter().map(Arc::new).collect(),
            })))
        };
        match (fresh.await, cached) {
            (Ok(Some(entry)), _) => {
                if let Ok(mut m) = self.stores.write() {
                    m.insert(hash.to_string(), (entry.clone(), std::time::Instant::now()));
                }
                Ok(Some(entry))
            }
            (Ok(None), _) => Ok(None),
            (Err(_), Some((stale, _))) => Ok(Some(stale)),
            (Err(_), None) => Err(HostError::Unavailable),
        }
    }

    pub fn forget(&self, hash: &str) {
        if let Ok(mut m) = self.stores.write() {
            m.remove(hash);
        }
    }

    /// The store and channel at `hash` and `channel_id`.
    pub async fn resolve(
        &self,
        store: &Store,
        hash: &str,
        channel_id: i64,
    ) -> Result<(Arc<StoreEntry>, Arc<Channel>), HostError> {
        let entry = self
            .entry(store, hash)
            .await?
            .ok_or(HostError::UnknownStore)?;
        let channel = entry
            .channels
            .iter()
            .find(|c| c.channel_id == channel_id)
            .cloned()
            .ok_or(HostError::UnknownChannel)?;
        Ok((entry, channel))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_names() {
        let cases = [
            ("store-abc123.localhost", Some(("abc123", 1))),
            ("store-abc123.localhost:8443", Some(("abc123", 1))),
            ("store-abc123-2.localhost:3000", Some(("abc123", 2))),
            ("store-abc123-0.localhost", None),
            ("store-abc123-x.localhost", None),
            ("store-ABC.localhost", None),
            ("127.0.0.1:3000", None),
            ("store-abc123.example.com", None),
            ("shop.localhost", None),
        ];
        for (host, want) in cases {
            assert_eq!(parse_host(host, "localhost"), want, "{host}");
        }
    }
}
