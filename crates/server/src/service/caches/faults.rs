//! The faults tests asked for (development mode, issue 20): per store, which surface answers
//! how, for how many more requests or until when. In memory and per instance; at most
//! `MAX_FAULTS_PER_STORE` per store. When no store has a fault, a request pays one atomic load.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Instant;

/// Faults one store may hold at once (spent ones are dropped to make room).
pub const MAX_FAULTS_PER_STORE: usize = 32;

/// The part of the product a fault answers for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Surface {
    /// The storefront GraphQL API (`/graphql` on a storefront host).
    Graphql,
    /// The management API (`/stores/{hash}/v2|v3/…`).
    Management,
    /// The payments API (`/stores/{hash}/payments`).
    Payments,
    /// Storefront pages and the REST Storefront API on a storefront host.
    Storefront,
}

impl Surface {
    pub const ALL: [Surface; 4] = [
        Surface::Graphql,
        Surface::Management,
        Surface::Payments,
        Surface::Storefront,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Surface::Graphql => "graphql",
            Surface::Management => "management",
            Surface::Payments => "payments",
            Surface::Storefront => "storefront",
        }
    }
}

/// How a request the fault catches is answered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FaultKind {
    /// 429 with the rate-limit headers and `X-Retry-After`.
    RateLimited { retry_after_seconds: u64 },
    /// A 5xx in the surface's error shape.
    ServerError { status: u16 },
    /// The request is answered as usual, this much later.
    Latency { ms: u64 },
    /// The request's customer access token is replaced by one no store issued, so the real
    /// pipeline answers as it does for a revoked one (requests without one are not caught).
    InvalidCustomerAccessToken,
    /// The request's credential is replaced by this one, well formed but unknown to the
    /// registry, so the real pipeline refuses it as it refuses a revoked one.
    RevokedToken { replacement: String },
}

impl FaultKind {
    pub fn name(&self) -> &'static str {
        match self {
            FaultKind::RateLimited { .. } => "rate_limited",
            FaultKind::ServerError { .. } => "server_error",
            FaultKind::Latency { .. } => "latency",
            FaultKind::InvalidCustomerAccessToken => "invalid_customer_access_token",
            FaultKind::RevokedToken { .. } => "revoked_token",
        }
    }
}

/// One fault: what it does, where, and how long it lasts.
#[derive(Debug)]
pub struct Fault {
    pub id: u64,
    pub surface: Surface,
    pub kind: FaultKind,
    /// Requests it may still catch, when it lasts a number of requests.
    requests_left: Option<AtomicU64>,
    /// When it ends, when it lasts a time (process time, not the store's clock), and that
    /// moment in unix seconds for showing.
    until: Option<(Instant, i64)>,
    applied: AtomicU64,
}

/// What a new fault is; `requests` and `until` may both be given (it ends at the first).
pub struct NewFault {
    pub surface: Surface,
    pub kind: FaultKind,
    pub requests: Option<u64>,
    pub until: Option<(Instant, i64)>,
}

impl Fault {
    pub fn requests_left(&self) -> Option<u64> {
        self.requests_left
            .as_ref()
            .map(|n| n.load(Ordering::Acquire))
    }

    /// Unix seconds at which it ends, when it lasts a time.
    pub fn ends_at(&self) -> Option<i64> {
        self.until.map(|(_, unix)| unix)
    }

    pub fn applied(&self) -> u64 {
        self.applied.load(Ordering::Acquire)
    }

    pub fn active(&self, now: Instant) -> bool {
        self.until.is_none_or(|(end, _)| now < end) && self.requests_left() != Some(0)
    }

    /// Takes one request if the fault is still active: of N requests at once, exactly the
    /// number left are caught.
    fn claim(&self, now: Instant) -> bool {
        if self.until.is_some_and(|(end, _)| now >= end) {
            return false;
        }
        let taken = match &self.requests_left {
            None => true,
            Some(n) => n
                .fetch_update(Ordering::AcqRel, Ordering::Acquire, |left| {
                    left.checked_sub(1)
                })
                .is_ok(),
        };
        if taken {
            self.applied.fetch_add(1, Ordering::AcqRel);
        }
        taken
    }
}

/// Every store's faults, by store hash.
#[derive(Debug, Default)]
pub struct FaultBook {
    /// Whether any store holds a fault: the fast path of every request.
    any: AtomicBool,
    next_id: AtomicU64,
    by_store: RwLock<HashMap<String, Vec<Arc<Fault>>>>,
}

/// The store already holds `MAX_FAULTS_PER_STORE` active faults.
#[derive(Debug)]
pub struct BookFull;

impl FaultBook {
    pub fn is_empty(&self) -> bool {
        !self.any.load(Ordering::Acquire)
    }

    /// Adds a fault to the store. Spent faults stay listed (with how often they applied)
    /// until the store is full; then they make room.
    pub fn add(&self, store: &str, new: NewFault, now: Instant) -> Result<Arc<Fault>, BookFull> {
        let mut book = self.by_store.write().unwrap_or_else(|e| e.into_inner());
        let faults = book.entry(store.to_string()).or_default();
        if faults.len() >= MAX_FAULTS_PER_STORE {
            faults.retain(|f| f.active(now));
        }
        if faults.len() >= MAX_FAULTS_PER_STORE {
            return Err(BookFull);
        }
        let fault = Arc::new(Fault {
            id: self.next_id.fetch_add(1, Ordering::AcqRel) + 1,
            surface: new.surface,
            kind: new.kind,
            requests_left: new.requests.map(AtomicU64::new),
            until: new.until,
            applied: AtomicU64::new(0),
        });
        faults.push(fault.clone());
        self.any.store(true, Ordering::Release);
        Ok(fault)
    }

    /// The store's faults, oldest first, spent ones included.
    pub fn list(&self, store: &str) -> Vec<Arc<Fault>> {
        let book = self.by_store.read().unwrap_or_else(|e| e.into_inner());
        book.get(store).cloned().unwrap_or_default()
    }

    /// Removes one fault; whether the store had it.
    pub fn remove(&self, store: &str, id: u64) -> bool {
        let mut book = self.by_store.write().unwrap_or_else(|e| e.into_inner());
        let Some(faults) = book.get_mut(store) else {
            return false;
        };
        let before = faults.len();
        faults.retain(|f| f.id != id);
        let removed = faults.len() != before;
        if faults.is_empty() {
            book.remove(store);
        }
        self.any.store(!book.is_empty(), Ordering::Release);
        removed
    }

    /// Removes every fault of the store.
    pub fn clear(&self, store: &str) {
        let mut book = self.by_store.write().unwrap_or_else(|e| e.into_inner());
        book.remove(store);
        self.any.store(!book.is_empty(), Ordering::Release);
    }

    /// The store's oldest active fault on `surface` that `catches` the request, with one
    /// request taken from it.
    pub fn claim(
        &self,
        store: &str,
        surface: Surface,
        catches: impl Fn(&FaultKind) -> bool,
        now: Instant,
    ) -> Option<Arc<Fault>> {
        let book = self.by_store.read().unwrap_or_else(|e| e.into_inner());
        book.get(store)?
            .iter()
            .filter(|f| f.surface == surface && catches(&f.kind))
            .find(|f| f.claim(now))
            .cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn fault(requests: Option<u64>, until: Option<Instant>) -> NewFault {
        NewFault {
            surface: Surface::Graphql,
            kind: FaultKind::ServerError { status: 500 },
            requests,
            until: until.map(|t| (t, 0)),
        }
    }

    #[test]
    fn a_fault_of_n_requests_catches_exactly_n_of_many_at_once() {
        let book = Arc::new(FaultBook::default());
        let now = Instant::now();
        book.add("s", fault(Some(5), None), now).unwrap();
        let caught = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..16)
                .map(|_| {
                    let book = book.clone();
                    scope.spawn(move || {
                        (0..10)
                            .filter(|_| book.claim("s", Surface::Graphql, |_| true, now).is_some())
                            .count()
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap())
                .sum::<usize>()
        });
        assert_eq!(caught, 5);
        assert_eq!(book.list("s")[0].applied(), 5);
    }

    #[test]
    fn a_fault_catches_only_its_store_surface_and_time() {
        let book = FaultBook::default();
        let now = Instant::now();
        assert!(book.is_empty());
        book.add("s", fault(None, Some(now + Duration::from_secs(1))), now)
            .unwrap();
        assert!(!book.is_empty());
        assert!(book.claim("t", Surface::Graphql, |_| true, now).is_none());
        assert!(book
            .claim("s", Surface::Management, |_| true, now)
            .is_none());
        assert!(book.claim("s", Surface::Graphql, |_| false, now).is_none());
        assert!(book.claim("s", Surface::Graphql, |_| true, now).is_some());
        let later = now + Duration::from_secs(1);
        assert!(book.claim("s", Surface::Graphql, |_| true, later).is_none());
        book.clear("s");
        assert!(book.is_empty());
    }

    #[test]
    fn a_store_holds_a_bounded_number_of_active_faults() {
        let book = FaultBook::default();
        let now = Instant::now();
        for _ in 0..MAX_FAULTS_PER_STORE {
            book.add("s", fault(Some(1), None), now).unwrap();
        }
        assert!(book.add("s", fault(Some(1), None), now).is_err());
        // A spent fault makes room.
        assert!(book.claim("s", Surface::Graphql, |_| true, now).is_some());
        let id = book.add("s", fault(Some(1), None), now).unwrap().id;
        assert!(book.remove("s", id));
        assert!(!book.remove("s", id));
    }
}
