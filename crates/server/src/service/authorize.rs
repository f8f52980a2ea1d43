//! Turns a request's bearer token into a policy decision (SPEC §5.2–§5.3). The signature is
//! verified once per process; the cache answers later requests. Why a token is refused is the
//! policy's `Decision` (`storefront_auth_core::policy`); this file only finds the token.

use std::sync::Arc;

use storefront_auth_core::policy::{self, Grant, RegistryState, Target};
use storefront_auth_core::secret::sha256;
use storefront_auth_core::token::{self, VerifyError};
use storefront_auth_core::{AuthFailure, Decision, Forbidden, RequestOrigin};

use super::caches::tokens::CachedToken;
use super::Domain;

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

/// Finds (or verifies and caches) the token, then asks the policy.
pub async fn authorize(
    domain: &Domain,
    bearer: Option<&str>,
    target: &Target<'_>,
    origin: &RequestOrigin,
) -> Result<Authorized, Refusal> {
    let raw = bearer.ok_or(Refusal::Unauthorized(AuthFailure::Missing))?;
    let token = cached_or_verified(domain, raw).await?;
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
        domain.now_for(target.store_id),
        domain.schedule(),
    ) {
        Decision::Allow(grant) => Ok(Authorized { token, grant }),
        Decision::Unauthorized(f) => Err(Refusal::Unauthorized(f)),
        Decision::Forbidden(f) => Err(Refusal::Forbidden(f, token)),
    }
}

async fn cached_or_verified(domain: &Domain, raw: &str) -> Result<Arc<CachedToken>, Refusal> {
    let digest = sha256(raw.as_bytes());
    if let Some(hit) = domain.0.tokens.get(&digest) {
        domain
            .metrics()
            .cache_hits
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        return Ok(hit);
    }
    domain
        .metrics()
        .cache_misses
        .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let (claims, kid) = match token::verify_with_kid(raw, &domain.keys()) {
        Ok(c) => c,
        // A key rotated by another process since our last sync: reload once and retry.
        Err(VerifyError::BadSignature) if domain.reload_keys().await.is_ok() => {
            token::verify_with_kid(raw, &domain.keys())
                .map_err(|e| Refusal::Unauthorized(e.into()))?
        }
        Err(e) => return Err(Refusal::Unauthorized(e.into())),
    };
    let revoked = match domain.store().token_revocation(&claims.jti).await {
        Ok(Some(revoked_at)) => revoked_at.is_some(),
        // Signed by us but unknown to the registry (another deployment's database).
        Ok(None) => return Err(Refusal::Unauthorized(AuthFailure::UnknownToken)),
        Err(_) => return Err(Refusal::Unavailable),
    };
    let entry = domain.0.tokens.insert(digest, claims, &kid, revoked);
    // The key may have been retired while this token was verified under the ring before:
    // the reload's purge could have run before the insert. Checked against the ring now.
    if domain.keys().verifier(&kid).is_none() {
        domain.0.tokens.remove(&digest);
        return Err(Refusal::Unauthorized(AuthFailure::BadSignature));
    }
    Ok(entry)
}
