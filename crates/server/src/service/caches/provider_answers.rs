//! Provider answers (tax estimates, shipping rates) this instance got, by a digest of the
//! exact request (URL, credentials, body): a checkout read many times asks its provider once
//! per change. Only readable answers are kept, so a failure is retried on the next read.
//! Bounded by bytes; an answer older than five minutes is asked again.

use std::sync::Arc;
use std::time::Duration;

/// What the cache may hold in all.
const MAX_BYTES: u64 = 16 * 1024 * 1024;
const MAX_AGE: Duration = Duration::from_secs(300);

#[derive(Clone)]
pub struct ProviderAnswers(moka::sync::Cache<[u8; 32], Arc<Vec<u8>>>);

impl std::fmt::Debug for ProviderAnswers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProviderAnswers")
            .field("entries", &self.0.entry_count())
            .finish()
    }
}

impl Default for ProviderAnswers {
    fn default() -> Self {
        ProviderAnswers(
            moka::sync::Cache::builder()
                .max_capacity(MAX_BYTES)
                .weigher(|_, v: &Arc<Vec<u8>>| (v.len() + 64).try_into().unwrap_or(u32::MAX))
                .time_to_live(MAX_AGE)
                .build(),
        )
    }
}

/// The key of a request: SHA-256 over its parts, each length-prefixed.
pub fn key(parts: &[&[u8]]) -> [u8; 32] {
    let mut ctx = aws_lc_rs::digest::Context::new(&aws_lc_rs::digest::SHA256);
    for p in parts {
        ctx.update(&(p.len() as u64).to_le_bytes());
        ctx.update(p);
    }
    let mut out = [0u8; 32];
    out.copy_from_slice(ctx.finish().as_ref());
    out
}

impl ProviderAnswers {
    pub fn get(&self, key: &[u8; 32]) -> Option<Arc<Vec<u8>>> {
        self.0.get(key)
    }

    pub fn keep(&self, key: [u8; 32], answer: Vec<u8>) {
        self.0.insert(key, Arc::new(answer));
    }
}
