//! Token endpoints under `/v3/storefront/` (SPEC §3.1): create each kind, revoke with
//! `Sf-Api-Token`, and list the inventory. Every 422 case has its own `errors` key.

use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::Extension;
use serde::Deserialize;
use serde_json::{json, Value};
use storefront_auth_core::clock::parse_day_or_time;
use storefront_auth_core::token::TokenKind;

use super::{data, Caller, JsonBody, Management};
use crate::http::error::{ApiError, FieldError, INVALID_REVOKE_TITLE};
use crate::service::audit;
use crate::service::revocation::{self, Revocable, RevokeError};
use crate::service::tokens::{self, inventory_json};

const SCOPE: &str = "store_storefront_api";
const IMPERSONATION_SCOPE: &str = "store_storefront_api_customer_impersonation";

pub async fn create_storefront(
    state: State<Management>,
    caller: Extension<Caller>,
    body: JsonBody,
) -> Result<axum::Json<Value>, ApiError> {
    caller.require(SCOPE)?;
    create(state, caller, body, TokenKind::Storefront).await
}

pub async fn create_private(
    state: State<Management>,
    caller: Extension<Caller>,
    body: JsonBody,
) -> Result<axum::Json<Value>, ApiError> {
    caller.require(SCOPE)?;
    create(state, caller, body, TokenKind::Private).await
}

pub async fn create_impersonation(
    state: State<Management>,
    caller: Extension<Caller>,
    body: JsonBody,
) -> Result<axum::Json<Value>, ApiError> {
    caller.require(IMPERSONATION_SCOPE)?;
    create(state, caller, body, TokenKind::CustomerImpersonation).await
}

async fn create(
    State(m): State<Management>,
    Extension(caller): Extension<Caller>,
    JsonBody(body): JsonBody,
    kind: TokenKind,
) -> Result<axum::Json<Value>, ApiError> {
    let subject = Some(caller.account.client_id.as_str());
    let (jwt, _) = tokens::create(&m.domain, caller.store.id, subject, kind, &body).await?;
    Ok(data(json!({ "token": jwt })))
}

/// `DELETE api-token` with `Sf-Api-Token`: revokes a token of any kind issued for this store.
pub async fn revoke(
    State(m): State<Management>,
    Extension(caller): Extension<Caller>,
    headers: HeaderMap,
) -> Result<axum::Json<Value>, ApiError> {
    caller.require(SCOPE)?;
    let invalid = || ApiError::Unprocessable(INVALID_REVOKE_TITLE);
    let raw = headers
        .get("sf-api-token")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .ok_or_else(invalid)?;
    let jti = revocation::revoke(&m.domain, caller.store.id, Revocable::Presented(raw))
        .await
        .map_err(|e| match e {
            RevokeError::NoSuchToken => invalid(),
            RevokeError::Store(s) => ApiError::from(s),
        })?;
    tracing::info!(token_id = %jti, account = %caller.account.client_id, "token revoked");
    Ok(data(json!({})))
}

#[derive(Deserialize)]
pub struct InventoryQuery {
    limit: Option<i64>,
    /// Cursor from `meta.pagination.next_cursor`.
    before: Option<String>,
}

/// Our own inventory of issued tokens (never the token strings).
pub async fn inventory(
    State(m): State<Management>,
    Extension(caller): Extension<Caller>,
    Query(q): Query<InventoryQuery>,
) -> Result<axum::Json<Value>, ApiError> {
    caller.require(SCOPE)?;
    let limit = q.limit.unwrap_or(50).clamp(1, 250);
    let cursor = cursor_of(q.before.as_deref())?;
    let before = cursor.as_ref().map(|(a, j)| (*a, j.as_str()));
    let (rows, total) = tokens::inventory(&m.domain, caller.store.id, limit, before).await?;
    let next = (rows.len() as i64 == limit)
        .then(|| rows.last().map(|t| format!("{}:{}", t.issued_at, t.jti)))
        .flatten();
    let findings = audit::least_privilege(&m.domain, &rows).await?;
    let mut data = Vec::with_capacity(rows.len());
    for (t, found) in rows.iter().zip(findings) {
        let mut entry = inventory_json(t);
        if let Some(found) = found {
            entry["least_privilege"] = json!(found);
        }
        data.push(entry);
    }
    Ok(axum::Json(json!({
        "data": data,
        "meta": { "pagination": { "count": rows.len(), "total": total, "next_cursor": next } },
    })))
}

/// A `before` cursor: `{issued_at}:{jti}`, a `next_cursor` of a previous page.
fn cursor_of(before: Option<&str>) -> Result<Option<(i64, String)>, ApiError> {
    let Some(c) = before else {
        return Ok(None);
    };
    c.split_once(':')
        .and_then(|(at, jti)| Some((at.parse::<i64>().ok()?, jti.to_string())))
        .map(Some)
        .ok_or_else(|| {
            ApiError::Invalid(vec![FieldError::new(
                "before",
                "invalid_cursor",
                "before must be a next_cursor value from a previous page.",
            )])
        })
}

#[derive(Deserialize)]
pub struct AuditQuery {
    at: Option<String>,
    /// Tokens per page, 1 to 250 (50).
    limit: Option<usize>,
    /// Cursor from `meta.pagination.next_cursor`.
    before: Option<String>,
}

/// The migration audit (issue 19): every live token's verdict at `at` (default now).
pub async fn audit(
    State(m): State<Management>,
    Extension(caller): Extension<Caller>,
    Query(q): Query<AuditQuery>,
) -> Result<axum::Json<Value>, ApiError> {
    caller.require(SCOPE)?;
    let at = match q.at.as_deref() {
        None => m.domain.now_for(caller.store.id),
        Some(a) => parse_day_or_time(a).ok_or_else(|| {
            ApiError::Invalid(vec![FieldError::new(
                "at",
                "invalid_date",
                "at must be a day (2027-04-01) or an RFC 3339 time.",
            )])
        })?,
    };
    let limit = q.limit.unwrap_or(50).clamp(1, 250);
    let before = cursor_of(q.before.as_deref())?;
    // The page is read before the summary: usage counts only grow while they are flushed, so
    // the summary is never older than the tokens shown with it (read the other way round, a
    // flush between the two reads showed a token breaking that the summary did not count).
    let first_page = before.is_none();
    let page = audit::audit_page(&m.domain, &caller.store, at, limit, before).await?;
    // The summary covers the whole registry: on the first page only, so paging through a
    // large registry does not read it once per page.
    let summary = match first_page {
        true => Some(audit::audit_summary(&m.domain, &caller.store, at).await?),
        false => None,
    };
    let report = audit::report(&caller.store, at, summary.as_ref(), &page.tokens);
    let next = page.next.map(|(at, jti)| format!("{at}:{jti}"));
    Ok(axum::Json(json!({
        "data": report,
        "meta": { "pagination": { "count": page.tokens.len(), "next_cursor": next } },
    })))
}
