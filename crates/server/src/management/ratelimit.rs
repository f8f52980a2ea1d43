//! Fixed-window request quota per API account for the management API (SPEC §3), with the
//! values of BigCommerce's `X-Rate-Limit-*` headers.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

#[derive(Debug)]
pub struct RateLimiter {
    quota: u64,
    window_ms: u64,
    started: Instant,
    windows: Mutex<HashMap<String, (u64, u64)>>,
}

/// The outcome of counting one request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Quota {
    pub allowed: bool,
    pub quota: u64,
    pub left: u64,
    pub window_ms: u64,
    pub reset_ms: u64,
}

impl RateLimiter {
    pub fn new(quota: u64, window_ms: u64) -> Self {
        RateLimiter {
            quota,
            window_ms,
            started: Instant::now(),
            windows: Mutex::new(HashMap::new()),
        }
    }

    pub fn check(&self, key: &str) -> Quota {
        let elapsed = self.started.elapsed().as_millis() as u64;
        let window = elapsed / self.window_ms;
        let reset_ms = self.window_ms - elapsed % self.window_ms;
        let mut map = match self.windows.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        if map.len() > 100_000 {
            map.retain(|_, (w, _)| *w == window);
        }
        let entry = map.entry(key.to_string()).or_insert((window, 0));
        if entry.0 != window {
            *entry = (window, 0);
        }
        let allowed = entry.1 < self.quota;
        if allowed {
            entry.1 += 1;
        }
        Quota {
            allowed,
            quota: self.quota,
            left: self.quota - entry.1,
            window_ms: self.window_ms,
            reset_ms,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_down_and_refuses_past_the_quota() {
        let r = RateLimiter::new(2, 60_000);
        assert_eq!(r.check("a").left, 1);
        assert_eq!(r.check("a").left, 0);
        let q = r.check("a");
        assert!(!q.allowed);
        assert!(q.reset_ms <= 60_000);
        assert!(r.check("b").allowed);
    }
}
