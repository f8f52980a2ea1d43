//! Which storefront a request addressed (SPEC §2): its store and channel, from the `Host`
//! name. Every storefront-host surface asks here, through one extractor per surface.

use std::sync::Arc;

use storefront_auth_store::Channel;

pub use super::caches::directory::{parse_host, HostError, StoreEntry};
use super::Domain;

/// The store and channel a storefront host names.
#[derive(Clone, Debug)]
pub struct Storefront {
    pub entry: Arc<StoreEntry>,
    pub channel: Arc<Channel>,
}

impl Domain {
    /// The storefront at `host`: `store-{hash}[-{channel}].{domain}`, or channel 1 of the
    /// default store for any other host name (so `http://127.0.0.1:PORT/graphql` works).
    pub async fn storefront_at(&self, host: Option<&str>) -> Result<Storefront, HostError> {
        let settings = self.settings();
        let (hash, channel_id) = host
            .and_then(|h| parse_host(h, &settings.domain))
            .unwrap_or((settings.default_store.as_str(), 1));
        let (entry, channel) = self
            .0
            .directory
            .resolve(self.store(), hash, channel_id)
            .await?;
        Ok(Storefront { entry, channel })
    }

    /// Drops this instance's copy of a store's entry after a change to its record or
    /// channels, so the next request reads it afresh.
    pub fn forget_storefront(&self, hash: &str) {
        self.0.directory.forget(hash);
    }
}
