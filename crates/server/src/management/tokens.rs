//! Token endpoints under `/v3/storefront/` (SPEC §3.1): create each kind, revoke with
//! `Sf-Api-Token`, and list the inventory. Every 422 case has its own `errors` key.

use std::collections::BTreeSet;

use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::Extension;
use serde::Deserialize;
use serde_json::{json, Map, Value};
use storefront_auth_core::token::{self, TokenKind};
use storefront_auth_core::validate::{check_origin, OriginError};
use storefront_auth_core::Scope;

use super::{data, Caller, JsonBody};
use crate::error::{ApiError, FieldError, INVALID_REVOKE_TITLE};
use crate::service::tokens::{self as issue, inventory_json, TokenSpec};
use crate::state::{notify, SharedState};
use storefront_auth_store::Event;

const SCOPE: &str = "store_storefront_api";
const IMPERSONATION_SCOPE: &str = "store_storefront_api_customer_impersonation";

pub async fn create_storefront(
    state: State<SharedState>,
    caller: Extension<Caller>,
    body: JsonBody,
) -> Result<axum::Json<Value>, ApiError> {
    caller.require(SCOPE)?;
    create(state, caller, body, TokenKind::Storefront).await
}

pub async fn create_private(
    state: State<SharedState>,
    caller: Extension<Caller>,
    body: JsonBody,
) -> Result<axum::Json<Value>, ApiError> {
    caller.require(SCOPE)?;
    create(state, caller, body, TokenKind::Private).await
}

pub async fn create_impersonation(
    state: State<SharedState>,
    caller: Extension<Caller>,
    body: JsonBody,
) -> Result<axum::Json<Value>, ApiError> {
    caller.require(IMPERSONATION_SCOPE)?;
    create(state, caller, body, TokenKind::CustomerImpersonation).await
}

async fn create(
    State(state): State<SharedState>,
    Extension(caller): Extension<Caller>,
    JsonBody(body): JsonBody,
    kind: TokenKind,
) -> Result<axum::Json<Value>, ApiError> {
    let channels: Vec<i64> = state
        .store
        .channels(caller.store.id)
        .await?
        .iter()
        .map(|c| c.channel_id)
        .collect();
    let mut spec = parse_spec(&body, kind, &channels, state.now())?;
    spec.subject = Some(caller.account.client_id.clone());
    let (jwt, claims) = issue::issue(
        &state.store,
        &state.keys(),
        caller.store.id,
        spec,
        state.now(),
    )
    .await
    .map_err(|e| match e {
        issue::IssueError::Store(s) => ApiError::from(s),
        other => ApiError::Internal(other.to_string()),
    })?;
    tracing::info!(token_id = %claims.jti, kind = kind.as_str(), account = %caller.account.client_id, "token issued");
    Ok(data(json!({ "token": jwt })))
}

/// Validates a creation body into a `TokenSpec`, collecting every field error.
pub fn parse_spec(
    body: &Value,
    kind: TokenKind,
    store_channels: &[i64],
    now: i64,
) -> Result<TokenSpec, ApiError> {
    let Some(obj) = body.as_object() else {
        return Err(ApiError::Invalid(vec![FieldError::new(
            "body",
            "invalid_type",
            "The request body must be a JSON object.",
        )]));
    };
    let mut errors = Vec::new();
    let mut allowed = vec!["expires_at", "channel_id", "channel_ids"];
    match kind {
        TokenKind::Storefront => allowed.push("allowed_cors_origins"),
        TokenKind::Private => allowed.push("scopes"),
        TokenKind::CustomerImpersonation => {}
    }
    for key in obj.keys() {
        if key == "allowed_cors_origins" && kind != TokenKind::Storefront {
            errors.push(FieldError::new(key, "not_allowed", "allowed_cors_origins is only accepted for storefront tokens; private and customer impersonation tokens cannot be used from browsers."));
        } else if !allowed.contains(&key.as_str()) {
            errors.push(FieldError::new(
                key,
                "unknown_field",
                format!("{key} is not a field of this request."),
            ));
        }
    }
    let expires_at = parse_expires_at(obj, now, &mut errors);
    let channels = parse_channels(obj, store_channels, &mut errors);
    let origins = if kind == TokenKind::Storefront {
        parse_origins(obj, &mut errors)
    } else {
        Vec::new()
    };
    let scopes = if kind == TokenKind::Private {
        Some(parse_scopes(obj, &mut errors))
    } else {
        None
    };
    if !errors.is_empty() {
        return Err(ApiError::Invalid(errors));
    }
    Ok(TokenSpec {
        kind,
        channels,
        origins,
        scopes,
        expires_at,
        subject: None,
    })
}

fn parse_expires_at(obj: &Map<String, Value>, now: i64, errors: &mut Vec<FieldError>) -> i64 {
    match obj.get("expires_at") {
        None | Some(Value::Null) => errors.push(FieldError::new("expires_at", "required", "expires_at is required: the expiry as unix seconds (e.g. 2147483647 for a long-lived token).")),
        Some(v) => match v.as_i64() {
            None => errors.push(FieldError::new("expires_at", "invalid_type", "expires_at must be an integer number of unix seconds.")),
            Some(t) if t <= now => errors.push(FieldError::new("expires_at", "not_in_future", "expires_at must be in the future.")),
            Some(t) => return t,
        },
    }
    0
}

fn parse_channels(
    obj: &Map<String, Value>,
    store_channels: &[i64],
    errors: &mut Vec<FieldError>,
) -> Vec<i64> {
    let single = obj.get("channel_id").filter(|v| !v.is_null());
    let many = obj.get("channel_ids").filter(|v| !v.is_null());
    let (field, ids) = match (single, many) {
        (Some(_), Some(_)) => {
            errors.push(FieldError::new(
                "channel_id",
                "mutually_exclusive",
                "Send either channel_id or channel_ids, not both.",
            ));
            return Vec::new();
        }
        (None, None) => {
            errors.push(FieldError::new(
                "channel_id",
                "required",
                "One of channel_id or channel_ids is required.",
            ));
            return Vec::new();
        }
        (Some(v), None) => match v.as_i64().filter(|c| *c >= 1) {
            Some(c) => ("channel_id", vec![c]),
            None => {
                errors.push(FieldError::new(
                    "channel_id",
                    "invalid_type",
                    "channel_id must be a positive integer.",
                ));
                return Vec::new();
            }
        },
        (None, Some(v)) => {
            let ids: Option<Vec<i64>> = v
                .as_array()
                .and_then(|a| a.iter().map(|x| x.as_i64().filter(|c| *c >= 1)).collect());
            match ids {
                Some(ids) => (
                    "channel_ids",
                    ids.into_iter()
                        .collect::<BTreeSet<_>>()
                        .into_iter()
                        .collect(),
                ),
                None => {
                    errors.push(FieldError::new(
                        "channel_ids",
                        "invalid_type",
                        "channel_ids must be an array of positive integers.",
                    ));
                    return Vec::new();
                }
            }
        }
    };
    let unknown: Vec<String> = ids
        .iter()
        .filter(|c| !store_channels.contains(c))
        .map(|c| c.to_string())
        .collect();
    if !unknown.is_empty() {
        errors.push(FieldError::new(
            field,
            "unknown_channel",
            format!(
                "Unknown channel id(s) for this store: {}.",
                unknown.join(", ")
            ),
        ));
    }
    ids
}

fn parse_origins(obj: &Map<String, Value>, errors: &mut Vec<FieldError>) -> Vec<String> {
    let list = match obj.get("allowed_cors_origins") {
        None | Some(Value::Null) => return Vec::new(),
        Some(Value::Array(list)) => list,
        Some(_) => {
            errors.push(FieldError::new(
                "allowed_cors_origins",
                "invalid_type",
                "allowed_cors_origins must be an array of origins.",
            ));
            return Vec::new();
        }
    };
    if list.len() > 2 {
        errors.push(FieldError::new(
            "allowed_cors_origins",
            "max_items",
            "Allowed CORS origins list length should not be greater than 2",
        ));
        return Vec::new();
    }
    let mut out = Vec::new();
    for item in list {
        match item.as_str().map(|s| (s, check_origin(s))) {
            Some((s, Ok(()))) => out.push(s.to_string()),
            Some((_, Err(OriginError::InvalidSuffix))) => errors.push(FieldError::new("allowed_cors_origins", "has_invalid_suffix", "A supplied origin has a trailing slash or other special character following the end of the domain. Please remove any trailing characters in supplied origins.")),
            _ => errors.push(FieldError::new("allowed_cors_origins", "invalid_origin", "Each origin must be scheme://host[:port], such as https://shop.example.")),
        }
    }
    out
}

fn parse_scopes(obj: &Map<String, Value>, errors: &mut Vec<FieldError>) -> Vec<String> {
    let list = match obj.get("scopes") {
        None | Some(Value::Null) => {
            errors.push(FieldError::new(
                "scopes",
                "required",
                "scopes is required: a non-empty list of Unauthenticated, Customer, B2B.",
            ));
            return Vec::new();
        }
        Some(Value::Array(list)) => list,
        Some(_) => {
            errors.push(FieldError::new(
                "scopes",
                "invalid_type",
                "scopes must be an array of scope names.",
            ));
            return Vec::new();
        }
    };
    if list.is_empty() {
        errors.push(FieldError::new(
            "scopes",
            "min_items",
            "scopes must name at least one of Unauthenticated, Customer, B2B.",
        ));
        return Vec::new();
    }
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for item in list {
        match item.as_str().and_then(Scope::parse) {
            None => {
                errors.push(FieldError::new(
                    "scopes",
                    "invalid_value",
                    "Each scope must be one of Unauthenticated, Customer, B2B.",
                ));
                return Vec::new();
            }
            Some(s) if !seen.insert(s) => {
                errors.push(FieldError::new(
                    "scopes",
                    "duplicate",
                    format!("Scope {s} is listed more than once."),
                ));
                return Vec::new();
            }
            Some(s) => out.push(s.as_str().to_string()),
        }
    }
    out
}

/// `DELETE api-token` with `Sf-Api-Token`: revokes a token of any kind issued for this store.
pub async fn revoke(
    State(state): State<SharedState>,
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
    let claims = token::verify(raw, &state.keys()).map_err(|_| invalid())?;
    if claims.sid != caller.store.id
        || !state
            .store
            .revoke_token(caller.store.id, &claims.jti, state.now())
            .await?
    {
        return Err(invalid());
    }
    state.on_revoked(&claims.jti);
    notify(&state, Event::TokenRevoked(claims.jti.clone())).await;
    tracing::info!(token_id = %claims.jti, account = %caller.account.client_id, "token revoked");
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
    State(state): State<SharedState>,
    Extension(caller): Extension<Caller>,
    Query(q): Query<InventoryQuery>,
) -> Result<axum::Json<Value>, ApiError> {
    caller.require(SCOPE)?;
    let limit = q.limit.unwrap_or(50).clamp(1, 250);
    let cursor = match q.before.as_deref() {
        None => None,
        Some(c) => Some(
            c.split_once(':')
                .and_then(|(at, jti)| Some((at.parse::<i64>().ok()?, jti.to_string())))
                .ok_or_else(|| {
                    ApiError::Invalid(vec![FieldError::new(
                        "before",
                        "invalid_cursor",
                        "before must be a next_cursor value from a previous page.",
                    )])
                })?,
        ),
    };
    let rows = state
        .store
        .tokens(
            caller.store.id,
            limit,
            cursor.as_ref().map(|(a, j)| (*a, j.as_str())),
        )
        .await?;
    let total = state.store.count_tokens(caller.store.id).await?;
    let next = (rows.len() as i64 == limit)
        .then(|| rows.last().map(|t| format!("{}:{}", t.issued_at, t.jti)))
        .flatten();
    Ok(axum::Json(json!({
        "data": rows.iter().map(inventory_json).collect::<Vec<_>>(),
        "meta": { "pagination": { "count": rows.len(), "total": total, "next_cursor": next } },
    })))
}
