//! Turns a GraphQL request's bearer token into a policy decision (SPEC §5.2–§5.3). The
//! signature is verified once per process; the cache answers later requests.

use std::sync::Arc;

use axum::http::HeaderMap;
use storefront_auth_core::policy::{self, Grant, RegistryState, Target};
use storefront_auth_core::secret::sha256;
use storefront_auth_core::token::{self, VerifyError};
use storefront_auth_core::{AuthFailure, Decision, Forbidden, RequestOrigin};

use crate::cache::CachedToken;
use crate::state::AppState;

#[derive(Debug)]
pub enum Refusal {
    Unauthorized(AuthFailure),
    Forbidden(Forbidden, Arc<CachedToken>),
    Unavailable,
}

pub struct Authorized {
    pub token: Arc<CachedToken>,
    pub grant: Grant,
}

pub fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers
        .get(axum::http::header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .trim();
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|t| !t.is_empty())
}

/// Finds (or verifies and caches) the token, then asks the policy.
pub async fn authorize(
    state: &AppState,
    headers: &HeaderMap,
    target: &Target<'_>,
    origin: &RequestOrigin,
) -> Result<Authorized, Refusal> {
    let raw = bearer(headers).ok_or(Refusal::Unauthorized(AuthFailure::Missing))?;
    let token = cached_or_verified(state, raw).await?;
    let registry = if token.is_revoked() {
        RegistryState::Revoked
    } else {
        RegistryState::Active
    };
    match policy::authorize(
        &token.claims,
        registry,
        target,
        origin,
        state.now(),
        &state.schedule,
    ) {
        Decision::Allow(grant) => Ok(Authorized { token, grant }),
        Decision::Unauthorized(f) => Err(Refusal::Unauthorized(f)),
        Decision::Forbidden(f) => Err(Refusal::Forbidden(f, token)),
    }
}

async fn cached_or_verified(state: &AppState, raw: &str) -> Result<Arc<CachedToken>, Refusal> {
    let digest = sha256(raw.as_bytes());
    if let Some(hit) = state.token_cache.get(&digest) {
        state
            .metrics
            .cache_hits
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        return Ok(hit);
    }
    state
        .metrics
        .cache_misses
        .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let (claims, kid) = match token::verify_with_kid(raw, &state.keys()) {
        Ok(c) => c,
        // A key rotated by another process since our last sync: reload once and retry.
        Err(VerifyError::BadSignature) if state.reload_keys().await.is_ok() => {
            token::verify_with_kid(raw, &state.keys())
                .map_err(|e| Refusal::Unauthorized(e.into()))?
        }
        Err(e) => return Err(Refusal::Unauthorized(e.into())),
    };
    let revoked = match state.store.token_revocation(&claims.jti).await {
        Ok(Some(revoked_at)) => revoked_at.is_some(),
        // Signed by us but unknown to the registry (another deployment's database).
        Ok(None) => return Err(Refusal::Unauthorized(AuthFailure::UnknownToken)),
        Err(_) => return Err(Refusal::Unavailable),
    };
    let entry = state.token_cache.insert(digest, claims, &kid, revoked);
    // The key may have been retired while this token was verified under the ring before:
    // the reload's purge could have run before the insert. Checked against the ring now.
    if state.keys().verifier(&kid).is_none() {
        state.token_cache.remove(&digest);
        return Err(Refusal::Unauthorized(AuthFailure::BadSignature));
    }
    Ok(entry)
}
