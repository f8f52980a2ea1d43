//! `GET /stores/{hash}/v3/storefront/decisions` (issue 19, SPEC §13): the store's latest
//! storefront-API decisions on this instance, newest first, each with its checks in order and
//! which one refused. Filters: `token` (id), `status`, `operation`, `since`, `until` (a day or
//! an RFC 3339 time), `limit` (1–1000, default 100). Scope `store_storefront_api`.

use axum::extract::{Query, State};
use axum::Extension;
use serde::Deserialize;
use serde_json::{json, Value};
use storefront_auth_core::clock::{format_rfc3339, parse_day_or_time};
use storefront_auth_core::policy::checks;
use storefront_auth_core::scope::ScopeSet;

use super::{Caller, Management};
use crate::http::error::{ApiError, FieldError};
use crate::service::caches::decisions::DecisionRecord;

const SCOPE: &str = "store_storefront_api";

#[derive(Deserialize)]
pub struct DecisionsQuery {
    token: Option<String>,
    status: Option<u16>,
    operation: Option<String>,
    since: Option<String>,
    until: Option<String>,
    limit: Option<usize>,
}

fn time(field: &str, v: Option<&str>) -> Result<Option<i64>, ApiError> {
    v.map(|t| {
        parse_day_or_time(t).ok_or_else(|| {
            ApiError::Invalid(vec![FieldError::new(
                field,
                "invalid_date",
                format!("{field} must be a day (2027-04-01) or an RFC 3339 time."),
            )])
        })
    })
    .transpose()
}

pub async fn list(
    State(m): State<Management>,
    Extension(caller): Extension<Caller>,
    Query(q): Query<DecisionsQuery>,
) -> Result<axum::Json<Value>, ApiError> {
    caller.require(SCOPE)?;
    let since = time("since", q.since.as_deref())?;
    let until = time("until", q.until.as_deref())?;
    let limit = q.limit.unwrap_or(100).clamp(1, 1_000);
    let keep = |d: &DecisionRecord| {
        q.token
            .as_ref()
            .is_none_or(|t| d.token_id.as_ref() == Some(t))
            && q.status.is_none_or(|s| d.status == s)
            && q.operation
                .as_ref()
                .is_none_or(|o| d.operation.as_ref() == Some(o))
            && since.is_none_or(|s| d.at >= s)
            && until.is_none_or(|u| d.at <= u)
    };
    let found = m.domain.decisions().recent(caller.store.id, limit, keep);
    Ok(axum::Json(json!({
        "data": found.iter().map(|d| decision_json(d)).collect::<Vec<_>>(),
        "meta": { "count": found.len(), "kept_per_store": crate::service::caches::decisions::PER_STORE },
    })))
}

/// A decision as the inspector explains it.
pub fn decision_json(d: &DecisionRecord) -> Value {
    // A refusal before any token check (a malformed body, say) is the request's own.
    let reason = d.reason.or((d.status >= 400).then_some("bad_request"));
    let missing = match d.granted_scopes {
        Some(granted) => d
            .required_scopes
            .iter()
            .filter(|s| !granted.contains(*s))
            .collect(),
        None => ScopeSet::EMPTY,
    };
    json!({
        "id": d.id,
        "at": format_rfc3339(d.at),
        "correlation_id": d.correlation_id,
        "operation": d.operation,
        "token": { "id": d.token_id, "kind": d.token_kind },
        "classification": { "as": d.classification, "by": d.classified_by.names() },
        "origin": d.origin,
        "customer_source": d.customer_source,
        "checks": checks::outcomes(reason).iter().map(|(c, o)| json!({ "check": c, "outcome": o.as_str() })).collect::<Vec<_>>(),
        "scopes": { "required": d.required_scopes.names(), "granted": d.granted_scopes.map(ScopeSet::names), "missing": missing.names() },
        "rehearsal": d.rehearsal,
        "upstream": d.upstream.map(|u| u.describe()),
        "would_deny": d.would_deny,
        "status": d.status,
        "decision": d.decision,
        "reason": reason,
    })
}
