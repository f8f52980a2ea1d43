//! Token usage (last used, server-to-server and browser counts), counted in memory on the
//! request path and written to the registry in batches by the background sync (SPEC §9).

use foldhash::HashMap;
use std::sync::Mutex;

use storefront_auth_store::{Store, StoreError, TokenUsage};

#[derive(Debug, Default)]
pub struct UsageCounters {
    pending: Mutex<HashMap<String, TokenUsage>>,
}

impl UsageCounters {
    pub fn record(&self, jti: &str, browser: bool, now: i64) {
        let Ok(mut map) = self.pending.lock() else {
            return;
        };
        // The common case (a token seen since the last flush) allocates nothing.
        let entry = match map.get_mut(jti) {
            Some(e) => e,
            None => map.entry(jti.to_string()).or_insert_with(|| TokenUsage {
                jti: jti.to_string(),
                ..Default::default()
            }),
        };
        entry.last_used_at = entry.last_used_at.max(now);
        if browser {
            entry.browser += 1;
        } else {
            entry.s2s += 1;
        }
    }

    /// Writes what was counted; on failure the counts are put back for the next flush.
    pub async fn flush(&self, store: &Store) -> Result<usize, StoreError> {
        let batch: Vec<TokenUsage> = match self.pending.lock() {
            Ok(mut map) => map.drain().map(|(_, v)| v).collect(),
            Err(_) => return Ok(0),
        };
        if batch.is_empty() {
            return Ok(0);
        }
        match store.record_usage(&batch).await {
            Ok(()) => Ok(batch.len()),
            Err(e) => {
                if let Ok(mut map) = self.pending.lock() {
                    for u in batch {
                        let e = map.entry(u.jti.clone()).or_insert_with(|| TokenUsage {
                            jti: u.jti.clone(),
                            ..Default::default()
                        });
                        e.s2s += u.s2s;
                        e.browser += u.browser;
                        e.last_used_at = e.last_used_at.max(u.last_used_at);
                    }
                }
                Err(e)
            }
        }
    }
}
