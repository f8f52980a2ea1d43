//! The verified-token cache (SPEC §9, §11): a token's signature is checked once per process;
//! later requests find its claims here by the token's digest. A revocation marks every cached
//! entry of the token's `jti` (whatever string it arrived as), and retiring a signing key drops
//! every entry that key verified, at once on this instance and, through the event listener and
//! the periodic catch-up, on every other.
//!
//! Hand-written rather than moka: the two maps (by digest, by `jti`) must agree at every
//! moment, or an entry could outlive the revocation of its `jti`; one lock over both, and
//! starting over when the byte budget is reached, keeps them so.

use foldhash::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};

use storefront_auth_core::Claims;

/// A token whose signature verified, the key that verified it, and whether the registry still
/// knows it as live.
#[derive(Debug)]
pub struct CachedToken {
    pub claims: Claims,
    pub kid: Box<str>,
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
    /// Every digest cached for a `jti`: one, unless a token arrived in several encodings.
    by_jti: HashMap<Box<str>, Vec<Digest>>,
    bytes: usize,
}

#[derive(Debug)]
pub struct TokenCache {
    inner: RwLock<Inner>,
    capacity_bytes: usize,
}

/// What an entry holds, roughly: the claims' strings and the maps' own share.
fn weight(claims: &Claims, kid: &str) -> usize {
    let strings = claims.cors.iter().map(String::len).sum::<usize>()
        + claims
            .scopes
            .iter()
            .flatten()
            .map(String::len)
            .sum::<usize>()
        + claims.jti.len() * 2
        + claims.iss.len()
        + claims.sub.len()
        + kid.len()
        + claims.cid.len() * 8;
    strings + 256
}

impl TokenCache {
    pub fn new(capacity_bytes: usize) -> Self {
        TokenCache {
            inner: RwLock::new(Inner::default()),
            capacity_bytes,
        }
    }

    pub fn get(&self, digest: &Digest) -> Option<Arc<CachedToken>> {
        self.read().by_digest.get(digest).cloned()
    }

    pub fn insert(
        &self,
        digest: Digest,
        claims: Claims,
        kid: &str,
        revoked: bool,
    ) -> Arc<CachedToken> {
        let size = weight(&claims, kid);
        let entry = Arc::new(CachedToken {
            revoked: AtomicBool::new(revoked),
            kid: kid.into(),
            claims,
        });
        let mut inner = self.write();
        if inner.bytes + size > self.capacity_bytes {
            // Rare and cheap to recover from: the next requests re-verify.
            *inner = Inner::default();
        }
        if inner.by_digest.insert(digest, entry.clone()).is_none() {
            inner.bytes += size;
        }
        let Inner {
            by_digest, by_jti, ..
        } = &mut *inner;
        let digests = by_jti.entry(entry.claims.jti.as_str().into()).or_default();
        if !digests.contains(&digest) {
            digests.push(digest);
        }
        // An entry of a revoked `jti` makes this one revoked too.
        let revoked_jti = digests
            .iter()
            .filter_map(|d| by_digest.get(d))
            .any(|e| e.is_revoked());
        if revoked_jti {
            entry.revoked.store(true, Ordering::Release);
        }
        entry
    }

    /// Marks every cached entry of the token with this id revoked.
    pub fn revoke(&self, jti: &str) {
        let inner = self.read();
        for digest in inner.by_jti.get(jti).into_iter().flatten() {
            if let Some(entry) = inner.by_digest.get(digest) {
                entry.revoked.store(true, Ordering::Release);
            }
        }
    }

    /// Drops every entry whose key is not verifying any more (a retired key).
    pub fn retain_keys(&self, verifying: impl Fn(&str) -> bool) {
        let mut inner = self.write();
        let gone: Vec<(Digest, Arc<CachedToken>)> = inner
            .by_digest
            .iter()
            .filter(|(_, e)| !verifying(&e.kid))
            .map(|(d, e)| (*d, e.clone()))
            .collect();
        for (digest, entry) in gone {
            inner.by_digest.remove(&digest);
            inner.bytes = inner
                .bytes
                .saturating_sub(weight(&entry.claims, &entry.kid));
            let jti = entry.claims.jti.as_str();
            if let Some(digests) = inner.by_jti.get_mut(jti) {
                digests.retain(|d| *d != digest);
                if digests.is_empty() {
                    inner.by_jti.remove(jti);
                }
            }
        }
    }

    /// Forgets one entry (a token verified under a key retired while it was being verified).
    pub fn remove(&self, digest: &Digest) {
        let mut inner = self.write();
        if let Some(entry) = inner.by_digest.remove(digest) {
            inner.bytes = inner
                .bytes
                .saturating_sub(weight(&entry.claims, &entry.kid));
            if let Some(digests) = inner.by_jti.get_mut(entry.claims.jti.as_str()) {
                digests.retain(|d| d != digest);
            }
        }
    }

    /// Entries and their estimated bytes.
    pub fn usage(&self) -> (usize, usize) {
        let inner = self.read();
        (inner.by_digest.len(), inner.bytes)
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
    fn revocation_reaches_every_entry_of_a_jti() {
        let c = TokenCache::new(1 << 20);
        let first = c.insert([1; 32], claims("j1"), "k", false);
        let second = c.insert([2; 32], claims("j1"), "k", false);
        let other = c.insert([3; 32], claims("j2"), "k", false);
        assert!(!c.get(&[1; 32]).expect("cached").is_revoked());
        c.revoke("j1");
        assert!(first.is_revoked() && second.is_revoked());
        assert!(!other.is_revoked());
        // A third encoding seen after the revocation is revoked as it arrives.
        assert!(c.insert([4; 32], claims("j1"), "k", false).is_revoked());
        c.revoke("unknown");
    }

    #[test]
    fn retired_keys_take_their_entries_with_them() {
        let c = TokenCache::new(1 << 20);
        c.insert([1; 32], claims("j1"), "old", false);
        c.insert([2; 32], claims("j2"), "new", false);
        c.retain_keys(|kid| kid == "new");
        assert!(c.get(&[1; 32]).is_none());
        assert!(c.get(&[2; 32]).is_some());
        assert_eq!(c.usage().0, 1);
        c.remove(&[2; 32]);
        assert_eq!(c.usage(), (0, 0));
    }

    #[test]
    fn stays_within_its_bytes() {
        let one = weight(&claims("j0"), "k");
        let c = TokenCache::new(one * 3);
        for i in 0..50u8 {
            c.insert([i; 32], claims(&format!("j{i}")), "k", false);
            assert!(c.usage().1 <= one * 3);
        }
        assert!(c.usage().0 <= 3);
    }
}
