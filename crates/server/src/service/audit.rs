//! The migration audit of a store (issue 19, SPEC §13): every live token, what was seen of its
//! use (the usage flush's evidence), and the policy's verdict at a date (`core::audit`). Shared
//! by `storefront-auth audit` and `GET …/v3/storefront/api-tokens/audit`, which show
//! `report` as it is.

use serde_json::{json, Value};
use storefront_auth_core::audit::{self, AuditedToken, Seen, SeenOperation, Verdict};
use storefront_auth_core::clock::format_rfc3339;
use storefront_auth_core::scope::{Scope, ScopeSet};
use storefront_auth_core::token::TokenKind;
use storefront_auth_store::{IssuedToken, StoreError, StoreRecord, UseEvidence};

use super::Domain;

/// Tokens read per page of the registry.
const PAGE: i64 = 500;

pub struct TokenAudit {
    pub token: IssuedToken,
    pub evidence: UseEvidence,
    pub verdict: Verdict,
}

/// A page of a store's audit and where the next one starts.
pub struct AuditPage {
    pub tokens: Vec<TokenAudit>,
    /// The cursor after this page's last token (`issued_at`, `jti`), when more may follow.
    pub next: Option<(i64, String)>,
}

/// What a store's whole audit adds up to: live tokens, and per cut-off day how many break
/// and the server-to-server requests a day they carried.
#[derive(Default)]
pub struct AuditSummary {
    pub tokens: usize,
    pub breaking: Vec<(String, i64, f64)>,
}

impl AuditSummary {
    fn add(&mut self, a: &TokenAudit) {
        self.tokens += 1;
        let Some(day) = &a.verdict.s2s_breaks_on else {
            return;
        };
        let per_day = s2s_per_day(&a.token, &a.evidence);
        match self.breaking.iter_mut().find(|(d, _, _)| d == day) {
            Some(b) => {
                b.1 += 1;
                b.2 += per_day;
            }
            None => self.breaking.push((day.clone(), 1, per_day)),
        }
    }
}

/// Up to `limit` live tokens of `store` (not revoked, not expired at the store's time) after
/// `before`, newest first, audited at `at`.
pub async fn audit_page(
    domain: &Domain,
    store: &StoreRecord,
    at: i64,
    limit: usize,
    before: Option<(i64, String)>,
) -> Result<AuditPage, StoreError> {
    let own = channel_origins(domain, store).await?;
    page_of(domain, store, (at, &own), limit, before).await
}

/// The store's channels' own origins (a browser there is always allowed).
async fn channel_origins(domain: &Domain, store: &StoreRecord) -> Result<Vec<String>, StoreError> {
    let channels = domain.store().channels(store.id).await?;
    Ok(channels.into_iter().filter_map(|c| c.origin).collect())
}

async fn page_of(
    domain: &Domain,
    store: &StoreRecord,
    (at, own): (i64, &[String]),
    limit: usize,
    before: Option<(i64, String)>,
) -> Result<AuditPage, StoreError> {
    let now = domain.now_for(store.id);
    let mut tokens = Vec::new();
    let mut before = before;
    loop {
        let cursor = before.as_ref().map(|(a, j)| (*a, j.as_str()));
        let want = (limit - tokens.len()).min(PAGE as usize) as i64;
        let page = domain.store().tokens(store.id, want, cursor).await?;
        let full = page.len() as i64 == want;
        before = page.last().map(|t| (t.issued_at, t.jti.clone()));
        let live: Vec<IssuedToken> = page
            .into_iter()
            .filter(|t| t.revoked_at.is_none() && t.expires_at >= now)
            .collect();
        let jtis: Vec<String> = live.iter().map(|t| t.jti.clone()).collect();
        let evidence = domain.store().use_evidence(&jtis).await?;
        for (t, evidence) in live.into_iter().zip(evidence) {
            let verdict = verdict_of(&t, &evidence, own, at, domain);
            tokens.push(TokenAudit {
                token: t,
                evidence,
                verdict,
            });
        }
        if !full {
            return Ok(AuditPage { tokens, next: None });
        }
        if tokens.len() == limit {
            return Ok(AuditPage {
                tokens,
                next: before,
            });
        }
    }
}

/// The summary of the store's whole audit at `at`, read page by page: memory stays one page
/// whatever the size of the registry.
pub async fn audit_summary(
    domain: &Domain,
    store: &StoreRecord,
    at: i64,
) -> Result<AuditSummary, StoreError> {
    Ok(walk(domain, store, at, false).await?.0)
}

/// The summary and every live token's audit, in one read of the registry (the command line
/// prints them all).
pub async fn audit_all(
    domain: &Domain,
    store: &StoreRecord,
    at: i64,
) -> Result<(AuditSummary, Vec<TokenAudit>), StoreError> {
    walk(domain, store, at, true).await
}

/// Reads the whole registry page by page, adding up the summary and keeping the audits when
/// asked to.
async fn walk(
    domain: &Domain,
    store: &StoreRecord,
    at: i64,
    keep: bool,
) -> Result<(AuditSummary, Vec<TokenAudit>), StoreError> {
    let own = channel_origins(domain, store).await?;
    let (mut summary, mut kept, mut before) = (AuditSummary::default(), Vec::new(), None);
    loop {
        let page = page_of(domain, store, (at, &own), PAGE as usize, before).await?;
        page.tokens.iter().for_each(|a| summary.add(a));
        if keep {
            kept.extend(page.tokens);
        }
        match page.next {
            Some(next) => before = Some(next),
            None => return Ok((summary, kept)),
        }
    }
}

fn verdict_of(
    t: &IssuedToken,
    e: &UseEvidence,
    own: &[String],
    at: i64,
    domain: &Domain,
) -> Verdict {
    let kind = TokenKind::ALL
        .into_iter()
        .find(|k| k.as_str() == t.kind)
        .unwrap_or(TokenKind::Storefront);
    let granted = t.scopes.as_ref().map(|names| {
        names
            .iter()
            .filter_map(|n| Scope::parse(n))
            .collect::<ScopeSet>()
    });
    let token = AuditedToken {
        kind,
        issued_at: t.issued_at,
        expires_at: t.expires_at,
        granted,
        cors: &t.origins,
        channel_origins: own,
    };
    let seen = Seen {
        s2s_uses: t.s2s_uses,
        origins: e
            .details
            .iter()
            .filter(|d| d.dimension == "origin")
            .map(|d| (d.value.as_str(), d.uses))
            .collect(),
        operations: e
            .details
            .iter()
            .filter(|d| d.dimension.ends_with("_operation"))
            .map(|d| SeenOperation {
                name: &d.value,
                s2s: d.dimension == "s2s_operation",
                uses: d.uses,
                needs: ScopeSet::from_index(d.scopes),
            })
            .collect(),
    };
    audit::audit(&token, &seen, at, domain.schedule())
}

/// For each private token of `tokens`: what its observed operations needed against its grant
/// ("granted B2B, never needed", "needs Customer for CustomerAllOrders"); `None` for other
/// kinds. One read of the evidence for all of them.
pub async fn least_privilege(
    domain: &Domain,
    tokens: &[IssuedToken],
) -> Result<Vec<Option<Vec<String>>>, StoreError> {
    let jtis: Vec<String> = tokens.iter().map(|t| t.jti.clone()).collect();
    let evidence = domain.store().use_evidence(&jtis).await?;
    Ok(tokens
        .iter()
        .zip(evidence)
        .map(|(t, e)| {
            let verdict = verdict_of(t, &e, &[], domain.now_for(t.store_id), domain);
            verdict.least_privilege.as_ref().map(audit::findings)
        })
        .collect())
}

/// Server-to-server requests a day the token carried, over the days it was seen in use.
fn s2s_per_day(t: &IssuedToken, e: &UseEvidence) -> f64 {
    let (Some(first), Some(last)) = (e.first_used_at, t.last_used_at) else {
        return t.s2s_uses as f64;
    };
    let days = ((last - first) as f64 / 86_400.0).ceil().max(1.0);
    (t.s2s_uses as f64 / days * 10.0).round() / 10.0
}

/// The report: the summary (on the first page; `null` on later ones) and these tokens'
/// verdicts and evidence.
pub fn report(
    store: &StoreRecord,
    at: i64,
    summary: Option<&AuditSummary>,
    audits: &[TokenAudit],
) -> Value {
    let summary = summary.map(|s| {
        let mut breaking = s.breaking.clone();
        breaking.sort_by(|a, b| a.0.cmp(&b.0));
        json!({
            "tokens": s.tokens,
            "breaking": breaking.iter().map(|(on, n, per_day)| json!({
                "on": on, "tokens": n, "server_to_server_requests_per_day": (per_day * 10.0).round() / 10.0,
            })).collect::<Vec<_>>(),
        })
    });
    json!({
        "store": store.hash,
        "at": format_rfc3339(at),
        "summary": summary,
        "tokens": audits.iter().map(token_json).collect::<Vec<_>>(),
    })
}

fn token_json(a: &TokenAudit) -> Value {
    let (t, e, v) = (&a.token, &a.evidence, &a.verdict);
    let values = |dim: &str| -> Vec<Value> {
        e.details
            .iter()
            .filter(|d| d.dimension == dim)
            .map(|d| json!({ "value": d.value, "uses": d.uses,
                "first_used_at": format_rfc3339(d.first_used_at), "last_used_at": format_rfc3339(d.last_used_at) }))
            .collect()
    };
    let operations: Vec<Value> = e
        .details
        .iter()
        .filter(|d| d.dimension.ends_with("_operation"))
        .map(|d| {
            json!({
                "name": d.value, "uses": d.uses,
                "way": if d.dimension == "s2s_operation" { "server-to-server" } else { "browser" },
                "needs": ScopeSet::from_index(d.scopes).names(),
            })
        })
        .collect();
    json!({
        "id": t.jti,
        "kind": t.kind,
        "channel_ids": t.channels,
        "allowed_cors_origins": t.origins,
        "scopes": t.scopes,
        "issued_at": format_rfc3339(t.issued_at),
        "expires_at": format_rfc3339(t.expires_at),
        "verdict": {
            "ways": v.ways.iter().map(|w| json!({ "way": w.way, "uses": w.uses, "allowed": w.allowed, "rule": w.rule })).collect::<Vec<_>>(),
            "server_to_server_breaks_on": v.s2s_breaks_on,
            "action": v.action,
            "least_privilege": v.least_privilege.as_ref().map(audit::findings),
        },
        "evidence": {
            "server_to_server_uses": t.s2s_uses,
            "browser_uses": t.browser_uses,
            "first_used_at": e.first_used_at.map(format_rfc3339),
            "last_used_at": t.last_used_at.map(format_rfc3339),
            "origins": values("origin"),
            "client_ips": values("ip"),
            "operations": operations,
        },
    })
}
