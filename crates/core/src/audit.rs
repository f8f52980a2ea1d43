//! The migration audit (issue 19): for one token and what was seen of its use, the verdict at a
//! date for each way it was used, the rule that decides it, and what to do. The rules are the
//! policy's own (`policy::server_to_server`, `policy::from_browser`); this file only asks them
//! at another date and says what the answers mean. Pure: no I/O, no clock.

use crate::clock::format_rfc3339;
use crate::policy::{self, DeprecationSchedule, Forbidden};
use crate::scope::{Scope, ScopeSet};
use crate::token::TokenKind;

/// The token as the registry has it.
#[derive(Clone, Debug)]
pub struct AuditedToken<'a> {
    pub kind: TokenKind,
    pub issued_at: i64,
    pub expires_at: i64,
    /// Private tokens: the scopes granted.
    pub granted: Option<ScopeSet>,
    pub cors: &'a [String],
    /// The own origins of the channels the token is for (always allowed in browsers).
    pub channel_origins: &'a [String],
}

/// One operation the token ran, how (server-to-server or not), how often, and what it needed.
#[derive(Clone, Debug)]
pub struct SeenOperation<'a> {
    pub name: &'a str,
    pub s2s: bool,
    pub uses: i64,
    pub needs: ScopeSet,
}

/// What was seen of the token's use.
#[derive(Clone, Debug, Default)]
pub struct Seen<'a> {
    pub s2s_uses: i64,
    /// Browser uses per origin.
    pub origins: Vec<(&'a str, i64)>,
    pub operations: Vec<SeenOperation<'a>>,
}

/// The verdict on one way the token was used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WayVerdict {
    /// `server-to-server`, or `browser from {origin}`.
    pub way: String,
    pub uses: i64,
    pub allowed: bool,
    /// The rule that decides it (a policy reason, or `allowed`, `expired`).
    pub rule: &'static str,
}

/// What the token's observed operations needed against what it was granted (private tokens).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LeastPrivilege {
    /// Granted and never needed.
    pub unneeded: ScopeSet,
    /// Needed and not granted, with the operations that needed each.
    pub missing: Vec<(Scope, Vec<String>)>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verdict {
    pub ways: Vec<WayVerdict>,
    /// The day its server-to-server use ends or ended (`YYYY-MM-DD`), for a storefront token
    /// used that way.
    pub s2s_breaks_on: Option<String>,
    pub action: String,
    pub least_privilege: Option<LeastPrivilege>,
}

/// The audit of `token` at `at`.
pub fn audit(
    token: &AuditedToken<'_>,
    seen: &Seen<'_>,
    at: i64,
    schedule: &DeprecationSchedule,
) -> Verdict {
    let expired = token.expires_at < at;
    let mut ways = Vec::new();
    if seen.s2s_uses > 0 {
        let decided = policy::server_to_server(token.kind, token.issued_at, at, schedule);
        ways.push(way(
            "server-to-server".into(),
            seen.s2s_uses,
            expired,
            decided.map(|_| ()),
        ));
    }
    for (origin, uses) in &seen.origins {
        let own = token
            .channel_origins
            .iter()
            .find(|c| c == origin)
            .map(String::as_str);
        let decided = policy::from_browser(token.kind, Some(origin), token.cors, own);
        ways.push(way(
            format!("browser from {origin}"),
            *uses,
            expired,
            decided,
        ));
    }
    let storefront_s2s = token.kind == TokenKind::Storefront && seen.s2s_uses > 0;
    let s2s_breaks_on = storefront_s2s.then(|| s2s_end(token.issued_at, schedule));
    let action = action(token, seen, expired);
    let least_privilege = token.granted.map(|granted| least_privilege(granted, seen));
    Verdict {
        ways,
        s2s_breaks_on,
        action,
        least_privilege,
    }
}

/// What to do about the token before `at`.
fn action(token: &AuditedToken<'_>, seen: &Seen<'_>, expired: bool) -> String {
    if expired {
        return "expires before then".to_string();
    }
    if token.kind == TokenKind::Storefront && seen.s2s_uses > 0 {
        // What its server-to-server operations needed; every private token has a scope, and
        // the public data needs `Unauthenticated`.
        let mut scopes = ScopeSet::EMPTY;
        scopes.insert(Scope::Unauthenticated);
        for o in seen.operations.iter().filter(|o| o.s2s) {
            scopes.extend(o.needs.iter());
        }
        return format!(
            "replace with a private token with scopes [{}]",
            scopes.names().join(", ")
        );
    }
    if seen.s2s_uses == 0 && seen.origins.is_empty() {
        "keep: no use seen yet".to_string()
    } else if token.kind == TokenKind::Storefront {
        "keep: browser only".to_string()
    } else {
        "keep".to_string()
    }
}

fn way(name: String, uses: i64, expired: bool, decided: Result<(), Forbidden>) -> WayVerdict {
    let (allowed, rule) = match (expired, decided) {
        (true, _) => (false, "expired"),
        (false, Ok(())) => (true, "allowed"),
        (false, Err(f)) => (false, f.reason()),
    };
    WayVerdict {
        way: name,
        uses,
        allowed,
        rule,
    }
}

/// The first day a storefront token issued at `issued_at` is refused server-to-server.
fn s2s_end(issued_at: i64, schedule: &DeprecationSchedule) -> String {
    let last = if issued_at > schedule.last_s2s_issue {
        // Refused from the start: created after the first cut-off.
        schedule.last_s2s_issue
    } else {
        schedule.last_s2s_use
    };
    format_rfc3339(last + 1)[..10].to_string()
}

fn least_privilege(granted: ScopeSet, seen: &Seen<'_>) -> LeastPrivilege {
    let mut used = ScopeSet::EMPTY;
    let mut missing: Vec<(Scope, Vec<String>)> = Vec::new();
    for op in &seen.operations {
        used.extend(op.needs.iter());
        for scope in op.needs.iter().filter(|s| !granted.contains(*s)) {
            match missing.iter_mut().find(|(s, _)| *s == scope) {
                Some((_, ops)) if !ops.iter().any(|o| o == op.name) => {
                    ops.push(op.name.to_string())
                }
                Some(_) => {}
                None => missing.push((scope, vec![op.name.to_string()])),
            }
        }
    }
    let unneeded = granted.iter().filter(|s| !used.contains(*s)).collect();
    LeastPrivilege { unneeded, missing }
}

/// How a least-privilege finding reads: "granted B2B, never needed", "needs Customer for
/// CustomerAllOrders".
pub fn findings(lp: &LeastPrivilege) -> Vec<String> {
    let mut out: Vec<String> = lp
        .unneeded
        .iter()
        .map(|s| format!("granted {}, never needed", s.as_str()))
        .collect();
    out.extend(
        lp.missing
            .iter()
            .map(|(s, ops)| format!("needs {} for {}", s.as_str(), ops.join(", "))),
    );
    out
}

#[cfg(test)]
mod tests;
