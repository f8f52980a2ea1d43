//! Token usage (first and last use, server-to-server and browser counts, and per token the
//! origins, client IPs and operations seen), counted in memory on the request path and written
//! to the registry in batches by the background sync (SPEC §9): the migration audit's evidence
//! (issue 19) without a database write per request.

use foldhash::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;

use storefront_auth_core::scope::ScopeSet;
use storefront_auth_store::{
    Store, StoreError, TokenUsage, UseDetail, MAX_VALUES_PER_DIMENSION, OTHER,
};

/// The longest operation name kept (names are the client's; longer ones are cut).
const MAX_OPERATION_NAME: usize = 128;

/// What one allowed request says about its token's use.
#[derive(Clone, Copy, Debug)]
pub struct UseSignal<'a> {
    pub browser: bool,
    /// The browser's `Origin` (browser requests).
    pub origin: Option<&'a str>,
    /// The client's address (server-to-server requests).
    pub ip: Option<IpAddr>,
    /// The operation's name; `None` for an anonymous one.
    pub operation: Option<&'a str>,
    /// The scopes the operation's document needs.
    pub needs: ScopeSet,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Dimension {
    Origin,
    Ip,
    S2sOperation,
    BrowserOperation,
}

impl Dimension {
    fn as_str(self) -> &'static str {
        match self {
            Dimension::Origin => "origin",
            Dimension::Ip => "ip",
            Dimension::S2sOperation => "s2s_operation",
            Dimension::BrowserOperation => "browser_operation",
        }
    }
}

/// A detail's value as kept.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Value {
    Ip(IpAddr),
    Text(Box<str>),
}

/// A detail's value as a request names it: compared with the kept ones without allocating.
#[derive(Clone, Copy, Debug)]
enum Key<'a> {
    Ip(IpAddr),
    Text(&'a str),
}

impl Value {
    fn is(&self, key: Key<'_>) -> bool {
        match (self, key) {
            (Value::Ip(a), Key::Ip(b)) => *a == b,
            (Value::Text(a), Key::Text(b)) => &**a == b,
            _ => false,
        }
    }
}

#[derive(Debug)]
struct Counted {
    usage: TokenUsage,
    /// Few per token: a linear scan finds one without hashing or allocating.
    details: Vec<(Dimension, Value, UseDetail)>,
}

#[derive(Debug, Default)]
pub struct UsageCounters {
    pending: Mutex<HashMap<String, Counted>>,
}

impl UsageCounters {
    pub fn record(&self, jti: &str, signal: &UseSignal<'_>, now: i64) {
        let Ok(mut map) = self.pending.lock() else {
            return;
        };
        // The common case (a token seen since the last flush) allocates nothing.
        let counted = match map.get_mut(jti) {
            Some(c) => c,
            None => map.entry(jti.to_string()).or_insert_with(|| Counted {
                usage: TokenUsage {
                    jti: jti.to_string(),
                    first_used_at: now,
                    ..Default::default()
                },
                details: Vec::new(),
            }),
        };
        let u = &mut counted.usage;
        u.last_used_at = u.last_used_at.max(now);
        u.first_used_at = u.first_used_at.min(now);
        let operation = signal
            .operation
            .map_or("(anonymous)", |n| cut(n, MAX_OPERATION_NAME));
        let needs = signal.needs.index() as i64;
        if signal.browser {
            u.browser += 1;
            let origin = signal
                .origin
                .map_or("(none)", |o| cut(o, MAX_OPERATION_NAME));
            count(
                &mut counted.details,
                Dimension::Origin,
                Key::Text(origin),
                0,
                now,
            );
            count(
                &mut counted.details,
                Dimension::BrowserOperation,
                Key::Text(operation),
                needs,
                now,
            );
        } else {
            u.s2s += 1;
            if let Some(ip) = signal.ip {
                count(&mut counted.details, Dimension::Ip, Key::Ip(ip), 0, now);
            }
            count(
                &mut counted.details,
                Dimension::S2sOperation,
                Key::Text(operation),
                needs,
                now,
            );
        }
    }

    /// Writes what was counted; on failure the counts are put back for the next flush.
    pub async fn flush(&self, store: &Store) -> Result<usize, StoreError> {
        let batch: Vec<TokenUsage> = match self.pending.lock() {
            Ok(mut map) => map.drain().map(|(_, c)| with_details(c)).collect(),
            Err(_) => return Ok(0),
        };
        if batch.is_empty() {
            return Ok(0);
        }
        match store.record_usage(&batch).await {
            Ok(()) => Ok(batch.len()),
            Err(e) => {
                self.put_back(batch);
                Err(e)
            }
        }
    }

    fn put_back(&self, batch: Vec<TokenUsage>) {
        let Ok(mut map) = self.pending.lock() else {
            return;
        };
        for u in batch {
            let c = map.entry(u.jti.clone()).or_insert_with(|| Counted {
                usage: TokenUsage {
                    jti: u.jti.clone(),
                    first_used_at: u.first_used_at,
                    ..Default::default()
                },
                details: Vec::new(),
            });
            c.usage.s2s += u.s2s;
            c.usage.browser += u.browser;
            c.usage.last_used_at = c.usage.last_used_at.max(u.last_used_at);
            c.usage.first_used_at = c.usage.first_used_at.min(u.first_used_at);
            // Details failed with their batch are given up: the counts above are what the
            // registry promises; the audit's evidence is a sample.
        }
    }
}

/// `s` cut to at most `max` bytes, at a character boundary.
fn cut(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// One more use of `key`; past the bound of values per dimension, of `OTHER`.
fn count(
    details: &mut Vec<(Dimension, Value, UseDetail)>,
    dim: Dimension,
    key: Key<'_>,
    needs: i64,
    now: i64,
) {
    let find = |details: &[(Dimension, Value, UseDetail)], key: Key<'_>| {
        details.iter().position(|(d, v, _)| *d == dim && v.is(key))
    };
    let at = match find(details, key) {
        Some(i) => i,
        None => {
            let kept = details.iter().filter(|(d, _, _)| *d == dim).count() as i64;
            let key = if kept >= MAX_VALUES_PER_DIMENSION {
                Key::Text(OTHER)
            } else {
                key
            };
            match find(details, key) {
                Some(i) => i,
                None => {
                    let (value, shown) = match key {
                        Key::Ip(ip) => (Value::Ip(ip), ip.to_string()),
                        Key::Text(t) => (Value::Text(t.into()), t.to_string()),
                    };
                    let detail = UseDetail {
                        dimension: dim.as_str().into(),
                        value: shown,
                        first_used_at: now,
                        ..Default::default()
                    };
                    details.push((dim, value, detail));
                    details.len() - 1
                }
            }
        }
    };
    let d = &mut details[at].2;
    d.uses += 1;
    d.scopes |= needs;
    d.last_used_at = d.last_used_at.max(now);
}

fn with_details(c: Counted) -> TokenUsage {
    TokenUsage {
        details: c.details.into_iter().map(|(_, _, d)| d).collect(),
        ..c.usage
    }
}
