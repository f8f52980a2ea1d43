//! Gateway mode's assertion keys (issue 21): a ring of their own (`assertion_keys`), so an
//! upstream that trusts our assertions never has to trust access tokens, and rotating one ring
//! leaves the other alone. Every instance signs with the newest live key it has read; every
//! live key is in the published JWKS, so a rotation on one instance never makes another's
//! assertions unverifiable.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use storefront_auth_core::KeyRing;
use storefront_auth_store::KeyRingKind;

use super::keys::{ensure_signer_in, load_ring_in, retire_in, rotate_in, KeysError};

/// How long a read ring is used before the database is read again: a key rotated on another
/// instance signs here, and shows in this instance's JWKS, within this.
const REREAD_AFTER: Duration = Duration::from_secs(30);

/// The ring as last read, shared by the signer and the JWKS endpoint.
#[derive(Default)]
pub struct AssertionKeys {
    read: Mutex<Option<(Arc<KeyRing>, Instant)>>,
}

impl std::fmt::Debug for AssertionKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AssertionKeys(..)")
    }
}

impl AssertionKeys {
    /// The ring, read again when older than `REREAD_AFTER`; its first read creates the first
    /// key. The database is read outside the lock (two readers at once read it twice).
    pub async fn ring(&self, domain: &super::Domain) -> Result<Arc<KeyRing>, KeysError> {
        if let Some((ring, at)) = self.read.lock().ok().and_then(|g| g.clone()) {
            if at.elapsed() < REREAD_AFTER {
                return Ok(ring);
            }
        }
        let ring = Arc::new(domain.read_assertion_ring().await?);
        if let Ok(mut g) = self.read.lock() {
            *g = Some((ring.clone(), Instant::now()));
        }
        Ok(ring)
    }

    /// Forgets the ring (after a rotation here), so the next use reads the new one.
    pub fn forget(&self) {
        if let Ok(mut g) = self.read.lock() {
            *g = None;
        }
    }
}

impl super::Domain {
    /// The assertion ring from the database, with a signer created if it has none.
    async fn read_assertion_ring(&self) -> Result<KeyRing, KeysError> {
        let master = self.0.master_key.as_ref();
        let kind = KeyRingKind::Assertions;
        ensure_signer_in(self.store(), master, self.now(), kind).await?;
        load_ring_in(self.store(), master, kind).await
    }

    /// Gateway mode's start: the ring gets its first key now, not from the first requests
    /// (several at once would each create one).
    pub async fn ensure_assertion_signer(&self) -> Result<(), KeysError> {
        let master = self.0.master_key.as_ref();
        ensure_signer_in(self.store(), master, self.now(), KeyRingKind::Assertions).await
    }

    /// Retires an assertion key: it leaves the JWKS, and assertions it signed stop verifying
    /// at the upstream, on every instance within `REREAD_AFTER`. The last live key stays.
    pub async fn retire_assertion_key(&self, kid: &str) -> Result<(), KeysError> {
        retire_in(self.store(), kid, self.now(), KeyRingKind::Assertions).await
    }

    /// A new assertion signing key; older ones keep verifying (and stay in the JWKS) until
    /// retired. Other instances sign with it within `REREAD_AFTER`.
    pub async fn rotate_assertion_key(&self) -> Result<String, KeysError> {
        let master = self.0.master_key.as_ref();
        rotate_in(self.store(), master, self.now(), KeyRingKind::Assertions).await
    }
}
