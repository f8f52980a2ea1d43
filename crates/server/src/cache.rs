//! The verified-token cache (SPEC §9): a token's signature is checked once per process; later
//! requests find its claims here by the token's digest. Revocations clear entries at once on
//! this instance and, through the periodic catch-up, on every other.

use foldhash::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};

use storefront_auth_core::Claims;

/// A token whose signature verified, and whether the registry still knows it as live.
#[derive(Debug)]
pub struct CachedToken {
    pub claims: Claims,
    revoked: AtomicBool,
}

impl CachedToken {
    pub fn is_revoked(&self) -> bool {
        self.revoked.load(Ordering::Acquire)
    }
}

/// A token's SHA-256 digest: a key that is not the token itself, hashed once per request.
pub type Digest = [u8; 32];

#[derive(Debug, Default)]
struct Inner {
    by_digest: HashMap<Digest, Arc<CachedToken>>,
    by_jti: HashMap<String, Digest>,
}

#[derive(Debug)]
pub struct TokenCache {
    inner: RwLock<Inner>,
    capacity: usize,
}

impl TokenCache {
    pub fn new(capacity: usize) -> Self {
        TokenCache {
            inner: RwLock::new(Inner::default()),
            capacity,
        }
    }

    pub fn get(&self, digest: &Digest) -> Option<Arc<CachedToken>> {
        self.read().by_digest.get(digest).cloned()
    }

    pub fn insert(&self, digest: Digest, claims: Claims, revoked: bool) -> Arc<CachedToken> {
        let entry = Arc::new(CachedToken {
            revoked: AtomicBool::new(revoked),
            claims,
        });
        let mut inner = self.write();
        if inner.by_digest.len() >= self.capacity {
            // Rare and cheap to recover from: the next requests re-verify.
            inner.by_digest.clear();
            inner.by_jti.clear();
        }
        inner.by_jti.insert(entry.claims.jti.clone(), digest);
        inner.by_digest.insert(digest, entry.clone());
        entry
    }

    /// Marks the token with this id revoked, if this process has seen it.
    pub fn revoke(&self, jti: &str) {
        let inner = self.read();
        if let Some(entry) = inner.by_jti.get(jti).and_then(|d| inner.by_digest.get(d)) {
            entry.revoked.store(true, Ordering::Release);
        }
    }

    pub fn len(&self) -> usize {
        self.read().by_digest.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, Inner> {
        self.inner.read().unwrap_or_else(|p| p.into_inner())
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, Inner> {
        self.inner.write().unwrap_or_else(|p| p.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims(jti: &str) -> Claims {
        Claims {
            cid: vec![],
            cors: vec![],
            eat: 1,
            iat: 0,
            iss: "BC".into(),
            jti: jti.into(),
            scopes: None,
            sid: 1,
            sub: "s".into(),
            sub_type: 2,
            token_type: 1,
        }
    }

    #[test]
    fn revocation_reaches_cached_entries() {
        let c = TokenCache::new(10);
        let e = c.insert([1; 32], claims("j1"), false);
        assert!(!c.get(&[1; 32]).expect("cached").is_revoked());
        c.revoke("j1");
        assert!(e.is_revoked());
        c.revoke("unknown");
    }

    #[test]
    fn stays_within_capacity() {
        let c = TokenCache::new(2);
        for i in 0..5 {
            c.insert([i; 32], claims(&format!("j{i}")), false);
        }
        assert!(c.len() <= 2);
    }
}
