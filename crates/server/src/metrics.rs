//! Prometheus metrics (SPEC §10): requests by surface, token kind and decision; a latency
//! histogram per surface; the token cache's hits and misses. Lock-free: every label value is
//! one of a few known strings, so each series is a fixed atomic counter.

use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};

const SURFACES: [&str; 4] = ["management", "graphql", "ops", "storefront"];
const KINDS: [&str; 4] = ["none", "storefront", "private", "customer_impersonation"];
const DECISIONS: [&str; 4] = ["ok", "error", "allow", "deny"];
/// Who answered a GraphQL request that was admitted: the policy alone (every root field
/// denied), a compiled plan, or async-graphql's executor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Executor {
    Policy = 0,
    Plan = 1,
    AsyncGraphql = 2,
    /// Gateway mode: the operator's upstream.
    Upstream = 3,
}
const EXECUTORS: [&str; 4] = ["policy", "plan", "async_graphql", "upstream"];
/// Gateway mode's upstream calls by result (`UpstreamOutcome::result`).
const UPSTREAM_RESULTS: [&str; 8] = [
    "ok",
    "unreachable",
    "timeout",
    "too_large",
    "not_graphql",
    "refused_assertion",
    "server_error",
    "breaker_open",
];
const BUCKETS_MS: [f64; 10] = [0.5, 1.0, 2.0, 5.0, 10.0, 25.0, 50.0, 100.0, 250.0, 1000.0];

#[derive(Debug, Default)]
struct Histogram {
    /// Per bucket (the last is +Inf).
    buckets: [AtomicU64; 11],
    sum_micros: AtomicU64,
    count: AtomicU64,
}

#[derive(Debug, Default)]
pub struct Metrics {
    requests: [[[AtomicU64; 4]; 4]; 4],
    latency: [Histogram; 4],
    pub cache_hits: AtomicU64,
    pub cache_misses: AtomicU64,
    executions: [AtomicU64; 4],
    caches: Caches,
    upstream_results: [AtomicU64; 8],
    upstream_latency: Histogram,
    breaker: Breaker,
}

/// Gateway mode's circuit breaker state (`closed`, `open`, `half_open`), read at rendering.
#[derive(Default)]
struct Breaker(std::sync::Mutex<Option<Box<dyn Fn() -> &'static str + Send + Sync>>>);

impl std::fmt::Debug for Breaker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Breaker(..)")
    }
}

type CacheUsage = Box<dyn Fn() -> (u64, u64) + Send + Sync>;

/// The bounded caches reported in each rendering, by name.
#[derive(Default)]
struct Caches(std::sync::Mutex<Vec<(&'static str, CacheUsage)>>);

impl std::fmt::Debug for Caches {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Caches(..)")
    }
}

impl Histogram {
    /// Its buckets, sum and count as `name` series; `labels` (`k="v",` or empty) go first.
    fn render(&self, out: &mut String, name: &str, labels: &str) {
        let count = self.count.load(Ordering::Relaxed);
        let mut cumulative = 0;
        for (i, b) in BUCKETS_MS.iter().enumerate() {
            cumulative += self.buckets[i].load(Ordering::Relaxed);
            let le = b / 1000.0;
            let _ = writeln!(out, "{name}_bucket{{{labels}le=\"{le}\"}} {cumulative}");
        }
        let _ = writeln!(out, "{name}_bucket{{{labels}le=\"+Inf\"}} {count}");
        let sum = self.sum_micros.load(Ordering::Relaxed) as f64 / 1e6;
        let labels = labels.trim_end_matches(',');
        let braces = |l: &str| {
            if l.is_empty() {
                String::new()
            } else {
                format!("{{{l}}}")
            }
        };
        let _ = writeln!(out, "{name}_sum{} {sum}", braces(labels));
        let _ = writeln!(out, "{name}_count{} {count}", braces(labels));
    }

    fn observe(&self, latency_ms: f64) {
        let bucket = BUCKETS_MS
            .iter()
            .position(|b| latency_ms <= *b)
            .unwrap_or(BUCKETS_MS.len());
        self.buckets[bucket].fetch_add(1, Ordering::Relaxed);
        self.sum_micros
            .fetch_add((latency_ms * 1000.0) as u64, Ordering::Relaxed);
        self.count.fetch_add(1, Ordering::Relaxed);
    }
}

fn index(values: &[&str], v: &str) -> usize {
    values.iter().position(|x| *x == v).unwrap_or(0)
}

impl Metrics {
    pub fn record(&self, surface: &str, kind: &str, decision: &str, latency_ms: f64) {
        let s = index(&SURFACES, surface);
        self.requests[s][index(&KINDS, kind)][index(&DECISIONS, decision)]
            .fetch_add(1, Ordering::Relaxed);
        self.latency[s].observe(latency_ms);
    }

    /// One upstream call of gateway mode: its result and how long it took.
    pub fn upstream_call(&self, result: &str, ms: u32) {
        self.upstream_results[index(&UPSTREAM_RESULTS, result)].fetch_add(1, Ordering::Relaxed);
        self.upstream_latency.observe(f64::from(ms));
    }

    /// Gateway mode: reports the breaker's state in every rendering.
    pub fn set_breaker(&self, state: impl Fn() -> &'static str + Send + Sync + 'static) {
        if let Ok(mut b) = self.breaker.0.lock() {
            *b = Some(Box::new(state));
        }
    }

    pub fn executed(&self, by: Executor) {
        self.executions[by as usize].fetch_add(1, Ordering::Relaxed);
    }

    /// Reports a bounded cache's `(entries, estimated bytes)` in every rendering.
    pub fn add_cache(
        &self,
        name: &'static str,
        usage: impl Fn() -> (u64, u64) + Send + Sync + 'static,
    ) {
        if let Ok(mut caches) = self.caches.0.lock() {
            caches.push((name, Box::new(usage)));
        }
    }

    /// The Prometheus text of every series.
    pub fn render(&self) -> String {
        let mut out = String::new();
        self.render_requests(&mut out);
        self.render_latency(&mut out);
        self.render_token_cache(&mut out);
        self.render_executions(&mut out);
        let caches: Vec<(&str, u64, u64)> = match self.caches.0.lock() {
            Ok(c) => c
                .iter()
                .map(|(name, usage)| {
                    let (n, b) = usage();
                    (*name, n, b)
                })
                .collect(),
            Err(_) => Vec::new(),
        };
        render_caches(&mut out, &caches);
        self.render_gateway(&mut out);
        out
    }

    /// Gateway mode only: upstream calls by result, their latency, the breaker's state.
    fn render_gateway(&self, out: &mut String) {
        let state = match self.breaker.0.lock() {
            Ok(b) => b.as_ref().map(|f| f()),
            Err(_) => None,
        };
        let Some(state) = state else {
            return;
        };
        out.push_str("# HELP storefront_auth_gateway_upstream_calls_total Gateway mode's upstream calls by result.\n");
        out.push_str("# TYPE storefront_auth_gateway_upstream_calls_total counter\n");
        for (i, result) in UPSTREAM_RESULTS.iter().enumerate() {
            let n = self.upstream_results[i].load(Ordering::Relaxed);
            let _ = writeln!(
                out,
                "storefront_auth_gateway_upstream_calls_total{{result=\"{result}\"}} {n}"
            );
        }
        out.push_str("# TYPE storefront_auth_gateway_upstream_duration_seconds histogram\n");
        let name = "storefront_auth_gateway_upstream_duration_seconds";
        self.upstream_latency.render(out, name, "");
        out.push_str("# HELP storefront_auth_gateway_breaker_state The upstream's circuit breaker (1 for its state).\n");
        out.push_str("# TYPE storefront_auth_gateway_breaker_state gauge\n");
        for s in ["closed", "open", "half_open"] {
            let _ = writeln!(
                out,
                "storefront_auth_gateway_breaker_state{{state=\"{s}\"}} {}",
                u8::from(s == state)
            );
        }
    }

    fn render_requests(&self, out: &mut String) {
        out.push_str(
            "# HELP storefront_auth_requests_total Requests by surface, token kind and decision.\n",
        );
        out.push_str("# TYPE storefront_auth_requests_total counter\n");
        for (s, surface) in SURFACES.iter().enumerate() {
            for (k, kind) in KINDS.iter().enumerate() {
                for (d, decision) in DECISIONS.iter().enumerate() {
                    let n = self.requests[s][k][d].load(Ordering::Relaxed);
                    if n > 0 {
                        let _ = writeln!(out, "storefront_auth_requests_total{{surface=\"{surface}\",kind=\"{kind}\",decision=\"{decision}\"}} {n}");
                    }
                }
            }
        }
    }

    fn render_latency(&self, out: &mut String) {
        out.push_str(
            "# HELP storefront_auth_request_duration_seconds Request latency by surface.\n",
        );
        out.push_str("# TYPE storefront_auth_request_duration_seconds histogram\n");
        for (s, surface) in SURFACES.iter().enumerate() {
            let h = &self.latency[s];
            let count = h.count.load(Ordering::Relaxed);
            if count == 0 {
                continue;
            }
            h.render(
                out,
                "storefront_auth_request_duration_seconds",
                &format!("surface=\"{surface}\","),
            );
        }
    }

    fn render_token_cache(&self, out: &mut String) {
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
    }

    fn render_executions(&self, out: &mut String) {
        out.push_str("# HELP storefront_auth_graphql_executions_total GraphQL requests by what answered them.\n");
        out.push_str("# TYPE storefront_auth_graphql_executions_total counter\n");
        for (i, executor) in EXECUTORS.iter().enumerate() {
            let n = self.executions[i].load(Ordering::Relaxed);
            let _ = writeln!(
                out,
                "storefront_auth_graphql_executions_total{{executor=\"{executor}\"}} {n}"
            );
        }
    }
}

/// The bounded caches' sizes (SPEC §11: nothing a client sends grows memory without bound):
/// `(cache, entries, estimated bytes)`.
fn render_caches(out: &mut String, caches: &[(&str, u64, u64)]) {
    out.push_str("# HELP storefront_auth_cache_entries Entries held by each bounded cache.\n");
    out.push_str("# TYPE storefront_auth_cache_entries gauge\n");
    for (cache, entries, _) in caches {
        let _ = writeln!(
            out,
            "storefront_auth_cache_entries{{cache=\"{cache}\"}} {entries}"
        );
    }
    out.push_str(
        "# HELP storefront_auth_cache_bytes Estimated bytes held by each bounded cache.\n",
    );
    out.push_str("# TYPE storefront_auth_cache_bytes gauge\n");
    for (cache, _, bytes) in caches {
        let _ = writeln!(
            out,
            "storefront_auth_cache_bytes{{cache=\"{cache}\"}} {bytes}"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_what_was_recorded() {
        let m = Metrics::default();
        m.record("graphql", "private", "allow", 0.7);
        m.record("graphql", "private", "deny", 30.0);
        m.executed(Executor::Plan);
        m.executed(Executor::Plan);
        let text = m.render();
        assert!(text.contains("storefront_auth_graphql_executions_total{executor=\"plan\"} 2"));
        assert!(text.contains("storefront_auth_graphql_executions_total{executor=\"policy\"} 0"));
        assert!(text.contains("storefront_auth_requests_total{surface=\"graphql\",kind=\"private\",decision=\"allow\"} 1"));
        assert!(text.contains(
            "storefront_auth_request_duration_seconds_bucket{surface=\"graphql\",le=\"0.001\"} 1"
        ));
        assert!(
            text.contains("storefront_auth_request_duration_seconds_count{surface=\"graphql\"} 2")
        );
        assert!(!text.contains("surface=\"management\""));
    }
}
