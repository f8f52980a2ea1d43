//! Recently seen sign-ins (sessions and customer access tokens) and customer-group discounts,
//! so a signed-in request does not cost database round trips (SPEC §9: caches reach every
//! instance within 1 s). An entry is trusted for at most `FRESH`: an ending made by another
//! instance (a logout, or a sign-in elsewhere under the one-device rule) is seen when the entry
//! goes stale; an ending made by this instance removes the customer's entries at once.

use foldhash::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use storefront_auth_store::{Customer, SessionKind};

/// Below the 1 s propagation bound, with room for the request in flight.
pub const FRESH: Duration = Duration::from_millis(800);
const CAPACITY: usize = 100_000;

/// A live sign-in: what it is, where it is valid, until when, and whose it is.
#[derive(Clone, Debug)]
pub struct SignIn {
    pub kind: SessionKind,
    pub store_id: i64,
    pub channel_id: i64,
    pub expires_at: i64,
    pub customer: Customer,
}

#[derive(Debug, Default)]
pub struct SessionCache {
    sign_ins: Mutex<HashMap<String, (Instant, SignIn)>>,
    /// (store id, group id) -> discount in basis points.
    groups: Mutex<HashMap<(i64, i64), (Instant, i64)>>,
}

impl SessionCache {
    /// The sign-in of `kind` with this digest, if seen live less than `FRESH` ago.
    pub fn get(&self, digest: &str, kind: SessionKind) -> Option<SignIn> {
        let map = self.sign_ins.lock().ok()?;
        map.get(digest)
            .filter(|(at, s)| at.elapsed() < FRESH && s.kind == kind)
            .map(|(_, s)| s.clone())
    }

    pub fn put(&self, digest: String, sign_in: SignIn) {
        if let Ok(mut map) = self.sign_ins.lock() {
            if map.len() >= CAPACITY {
                map.retain(|_, (at, _)| at.elapsed() < FRESH);
                if map.len() >= CAPACITY {
                    map.clear();
                }
            }
            map.insert(digest, (Instant::now(), sign_in));
        }
    }

    /// The customer's sessions ended here: forget them at once.
    pub fn forget_customer(&self, store_id: i64, customer_id: i64) {
        if let Ok(mut map) = self.sign_ins.lock() {
            map.retain(|_, (_, s)| !(s.store_id == store_id && s.customer.id == customer_id));
        }
    }

    pub fn group_discount(&self, store_id: i64, group_id: i64) -> Option<i64> {
        let map = self.groups.lock().ok()?;
        map.get(&(store_id, group_id))
            .filter(|(at, _)| at.elapsed() < FRESH)
            .map(|(_, d)| *d)
    }

    pub fn put_group_discount(&self, store_id: i64, group_id: i64, discount_bp: i64) {
        if let Ok(mut map) = self.groups.lock() {
            if map.len() >= CAPACITY {
                map.clear();
            }
            map.insert((store_id, group_id), (Instant::now(), discount_bp));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn customer(id: i64) -> Customer {
        Customer {
            id,
            store_id: 1,
            email: format!("c{id}@example.com"),
            first_name: "C".into(),
            last_name: "D".into(),
            phone: String::new(),
            group_id: None,
            password_hash: String::new(),
            created_at: 0,
        }
    }

    #[test]
    fn entries_are_forgotten_per_customer_and_go_stale() {
        let cache = SessionCache::default();
        let sign_in = |id| SignIn {
            kind: SessionKind::Cookie,
            store_id: 1,
            channel_id: 1,
            expires_at: i64::MAX,
            customer: customer(id),
        };
        cache.put("a".into(), sign_in(1));
        cache.put("b".into(), sign_in(1));
        cache.put("c".into(), sign_in(2));
        assert!(cache.get("a", SessionKind::Cookie).is_some());
        assert!(
            cache.get("a", SessionKind::AccessToken).is_none(),
            "a cookie is no customer access token"
        );
        cache.forget_customer(1, 1);
        assert!(
            cache.get("a", SessionKind::Cookie).is_none()
                && cache.get("b", SessionKind::Cookie).is_none()
        );
        assert_eq!(
            cache.get("c", SessionKind::Cookie).map(|s| s.customer.id),
            Some(2)
        );
        if let Ok(mut map) = cache.sign_ins.lock() {
            if let Some(entry) = map.get_mut("c") {
                entry.0 = Instant::now() - FRESH;
            }
        }
        assert!(
            cache.get("c", SessionKind::Cookie).is_none(),
            "stale entries are not trusted"
        );
    }
}
