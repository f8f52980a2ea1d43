//! The decision inspector's memory (issue 19, SPEC §13): the latest storefront-API decisions of
//! each store, allowed or refused, in a bounded ring per store. In memory, on this instance
//! (no database write on the request path); never a token, a CAT or a cookie value.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, RwLock};

use foldhash::HashMap;
use storefront_auth_core::request::SignalsPresent;
use storefront_auth_core::scope::ScopeSet;

/// Decisions kept per store: the newest; older ones fall off.
pub const PER_STORE: usize = 1_000;

/// What the inspector shows of one request.
#[derive(Clone, Debug, Default)]
pub struct DecisionRecord {
    /// Unix seconds, by the server's clock.
    pub at: i64,
    /// A number that names the decision in its store's ring on this instance (for its page).
    pub id: u64,
    pub correlation_id: Option<String>,
    pub operation: Option<String>,
    pub token_id: Option<String>,
    pub token_kind: Option<&'static str>,
    /// `browser` or `server-to-server`, and the request's signals that made it so.
    pub classification: &'static str,
    pub classified_by: SignalsPresent,
    pub origin: Option<String>,
    /// Where the customer context came from, if the request named one.
    pub customer_source: Option<&'static str>,
    pub required_scopes: ScopeSet,
    /// Private tokens: the scopes granted.
    pub granted_scopes: Option<ScopeSet>,
    /// A reporting rehearsal's verdict: the rule and the day.
    pub rehearsal: Option<String>,
    pub status: u16,
    pub decision: &'static str,
    pub reason: Option<&'static str>,
    /// Gateway mode: how the upstream call went (kept as it is and described only when
    /// shown: every gateway request records one, few are ever read).
    pub upstream: Option<UpstreamOutcome>,
    /// Gateway mode under `denied = report`: the fields the token would have seen nulled.
    pub would_deny: Option<String>,
}

/// One upstream call of gateway mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UpstreamOutcome {
    /// `ok`, `unreachable`, `timeout`, `too_large`, `not_graphql`, `refused_assertion`,
    /// `server_error` or `breaker_open`.
    pub result: &'static str,
    /// The upstream's HTTP status (0 when it gave none).
    pub status: u16,
    pub ms: u32,
}

impl UpstreamOutcome {
    /// As the inspector shows it: `ok (status 200, 3 ms)`.
    pub fn describe(&self) -> String {
        format!("{} (status {}, {} ms)", self.result, self.status, self.ms)
    }
}

/// One store's decisions, oldest first, and how many it has had (the next one's id).
#[derive(Debug, Default)]
struct Decisions {
    kept: VecDeque<Arc<DecisionRecord>>,
    counted: u64,
}

type Ring = Arc<Mutex<Decisions>>;

/// Every store's ring. A request takes the map's read lock and its store's ring lock, and
/// writes nothing else that every request shares (no global counter, no reference count of
/// the ring): each such write moves a cache line between the cores serving requests.
#[derive(Debug, Default)]
pub struct DecisionLog {
    rings: RwLock<HashMap<i64, Ring>>,
}

impl DecisionLog {
    /// Drops the store's decisions (its state was replaced).
    pub fn forget(&self, store_id: i64) {
        if let Ok(mut m) = self.rings.write() {
            m.remove(&store_id);
        }
    }

    /// Keeps `d` as the store's newest decision, numbered in the store's order (ids count the
    /// store's decisions since its ring began). A request's record is an `Arc` from its start
    /// (`LogFields::inspected`), so keeping it allocates nothing more.
    pub fn record(&self, store_id: i64, d: impl Into<Arc<DecisionRecord>>) {
        let d = d.into();
        let oldest = match self.rings.read() {
            Ok(m) => match m.get(&store_id) {
                Some(ring) => push(ring, d),
                None => {
                    drop(m);
                    let ring = match self.rings.write() {
                        Ok(mut m) => m.entry(store_id).or_default().clone(),
                        Err(_) => return,
                    };
                    push(&ring, d)
                }
            },
            Err(_) => None,
        };
        // Freed after the locks: the oldest record is cold in the cache, and every request of
        // the store waits for this lock.
        drop(oldest);
    }

    /// The store's decisions that `keep` keeps, newest first, at most `limit`.
    pub fn recent(
        &self,
        store_id: i64,
        limit: usize,
        keep: impl Fn(&DecisionRecord) -> bool,
    ) -> Vec<Arc<DecisionRecord>> {
        let ring = self
            .rings
            .read()
            .ok()
            .and_then(|m| m.get(&store_id).cloned());
        let Some(ring) = ring else {
            return Vec::new();
        };
        let found = match ring.lock() {
            Ok(r) => r
                .kept
                .iter()
                .rev()
                .filter(|d| keep(d))
                .take(limit)
                .cloned()
                .collect(),
            Err(_) => Vec::new(),
        };
        found
    }
}

/// Appends `d` with the ring's next id; returns the record that fell off, if one did.
fn push(ring: &Ring, mut d: Arc<DecisionRecord>) -> Option<Arc<DecisionRecord>> {
    let mut r = ring.lock().ok()?;
    r.counted += 1;
    if let Some(d) = Arc::get_mut(&mut d) {
        d.id = r.counted;
    }
    let oldest = (r.kept.len() >= PER_STORE)
        .then(|| r.kept.pop_front())
        .flatten();
    r.kept.push_back(d);
    oldest
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_store_keeps_its_newest_decisions_and_no_other_stores() {
        let log = DecisionLog::default();
        for i in 0..(PER_STORE + 10) {
            let status = if i % 2 == 0 { 200 } else { 403 };
            log.record(
                1,
                DecisionRecord {
                    status,
                    ..Default::default()
                },
            );
        }
        log.record(2, DecisionRecord::default());
        let all = log.recent(1, usize::MAX, |_| true);
        assert_eq!(all.len(), PER_STORE);
        assert!(all.windows(2).all(|w| w[0].id > w[1].id), "newest first");
        assert_eq!(all.last().map(|d| d.id), Some(11), "the oldest fell off");
        let refused = log.recent(1, 5, |d| d.status == 403);
        assert_eq!(refused.len(), 5);
        assert!(refused.iter().all(|d| d.status == 403));
        let other = log.recent(2, 10, |_| true);
        assert_eq!(
            other.iter().map(|d| d.id).collect::<Vec<_>>(),
            [1],
            "its own count"
        );
        assert!(log.recent(3, 10, |_| true).is_empty());
    }
}
