//! Prometheus metrics (SPEC §10): requests by surface, token kind and decision, a latency
//! histogram per surface, and the token cache's hits and misses.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

const BUCKETS_MS: [f64; 10] = [0.5, 1.0, 2.0, 5.0, 10.0, 25.0, 50.0, 100.0, 250.0, 1000.0];

/// Per-bucket counts (the last is +Inf), the sum in seconds and the count.
type Histogram = ([u64; 11], f64, u64);

#[derive(Debug, Default)]
pub struct Metrics {
    requests: Mutex<BTreeMap<(String, String, String), u64>>,
    latency: Mutex<BTreeMap<String, Histogram>>,
    pub cache_hits: AtomicU64,
    pub cache_misses: AtomicU64,
}

impl Metrics {
    pub fn record(&self, surface: &str, kind: &str, decision: &str, latency_ms: f64) {
        if let Ok(mut m) = self.requests.lock() {
            *m.entry((surface.into(), kind.into(), decision.into()))
                .or_default() += 1;
        }
        if let Ok(mut m) = self.latency.lock() {
            let e = m.entry(surface.into()).or_insert(([0; 11], 0.0, 0));
            let idx = BUCKETS_MS
                .iter()
                .position(|b| latency_ms <= *b)
                .unwrap_or(BUCKETS_MS.len());
            e.0[idx] += 1;
            e.1 += latency_ms / 1000.0;
            e.2 += 1;
        }
    }

    pub fn render(&self) -> String {
        let mut out = String::new();
        out.push_str(
            "# HELP storefront_auth_requests_total Requests by surface, token kind and decision.\n",
        );
        out.push_str("# TYPE storefront_auth_requests_total counter\n");
        if let Ok(m) = self.requests.lock() {
            for ((surface, kind, decision), n) in m.iter() {
                let _ = writeln!(out, "storefront_auth_requests_total{{surface=\"{surface}\",kind=\"{kind}\",decision=\"{decision}\"}} {n}");
            }
        }
        out.push_str(
            "# HELP storefront_auth_request_duration_seconds Request latency by surface.\n",
        );
        out.push_str("# TYPE storefront_auth_request_duration_seconds histogram\n");
        if let Ok(m) = self.latency.lock() {
            for (surface, (buckets, sum, count)) in m.iter() {
                let mut cumulative = 0;
                for (i, b) in BUCKETS_MS.iter().enumerate() {
                    cumulative += buckets[i];
                    let _ = writeln!(out, "storefront_auth_request_duration_seconds_bucket{{surface=\"{surface}\",le=\"{}\"}} {cumulative}", b / 1000.0);
                }
                let _ = writeln!(out, "storefront_auth_request_duration_seconds_bucket{{surface=\"{surface}\",le=\"+Inf\"}} {count}");
                let _ = writeln!(
                    out,
                    "storefront_auth_request_duration_seconds_sum{{surface=\"{surface}\"}} {sum}"
                );
                let _ = writeln!(out, "storefront_auth_request_duration_seconds_count{{surface=\"{surface}\"}} {count}");
            }
        }
        let hits = self.cache_hits.load(Ordering::Relaxed);
        let misses = self.cache_misses.load(Ordering::Relaxed);
        out.push_str("# TYPE storefront_auth_token_cache_hits_total counter\n");
        let _ = writeln!(out, "storefront_auth_token_cache_hits_total {hits}");
        out.push_str("# TYPE storefront_auth_token_cache_misses_total counter\n");
        let _ = writeln!(out, "storefront_auth_token_cache_misses_total {misses}");
        out.push_str("# TYPE storefront_auth_token_cache_hit_ratio gauge\n");
        let ratio = if hits + misses == 0 {
            0.0
        } else {
            hits as f64 / (hits + misses) as f64
        };
        let _ = writeln!(out, "storefront_auth_token_cache_hit_ratio {ratio}");
        out
    }
}
