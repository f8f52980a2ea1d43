//! `tokens inspect JWT [--origin O | --browser] [--at DATE] [--channel N]` (issue 19): for a
//! token and the shape of a request (browser or server, from which origin, on which channel,
//! at which date), which check would refuse it and why. The checks and the verdict are the
//! policy's own (`policy::authorize`, `policy::checks`); nothing is sent anywhere.

use serde_json::{json, Value};
use storefront_auth_core::clock::format_rfc3339;
use storefront_auth_core::policy::{self, checks, Decision, RegistryState, Target};
use storefront_auth_core::token;
use storefront_auth_core::RequestOrigin;
use storefront_auth_store::StoreError;

use super::tokens::{inventory_json, InspectError};
use super::Domain;

/// The request the token would be used in.
#[derive(Clone, Debug, Default)]
pub struct RequestShape {
    /// A browser script's request (with this `Origin`, if it sends one).
    pub browser: bool,
    pub origin: Option<String>,
    /// When (default: now).
    pub at: Option<i64>,
    /// On which channel of the token's store (default: its first channel, or 1).
    pub channel: Option<i64>,
}

impl RequestShape {
    fn origin(&self) -> RequestOrigin {
        if self.browser || self.origin.is_some() {
            RequestOrigin::Browser {
                origin: self.origin.clone(),
            }
        } else {
            RequestOrigin::ServerToServer
        }
    }
}

/// The token's claims, signature and registry entry, and the verdict on the request.
pub async fn inspect(
    domain: &Domain,
    raw: &str,
    shape: &RequestShape,
) -> Result<Value, InspectError> {
    let claims =
        token::decode_unverified(raw).map_err(|e| InspectError::NotAToken(e.to_string()))?;
    let verified = token::verify(raw, &domain.keys());
    let registry = domain.store().token(&claims.jti).await?;
    let channel_id = shape
        .channel
        .or_else(|| claims.cid.first().copied())
        .unwrap_or(1);
    let store = domain.store().store_by_id(claims.sid).await?;
    // Without a date, the token's store's own time (its simulated clock, if any).
    let at = shape.at.unwrap_or_else(|| domain.now_for(claims.sid));
    let channel_origin = match &store {
        Some(s) => channel_origin(domain, s.id, channel_id).await?,
        None => None,
    };
    let target = Target {
        store_id: claims.sid,
        channel_id,
        channel_origin: channel_origin.as_deref(),
        rehearsal: store.as_ref().and_then(super::rehearsal::of),
    };
    let origin = shape.origin();
    let registry_state = match &registry {
        Some(t) if t.revoked_at.is_none() => RegistryState::Active,
        Some(_) => RegistryState::Revoked,
        None => RegistryState::Unknown,
    };
    let decision = match &verified {
        Ok(_) => policy::authorize(
            &claims,
            registry_state,
            &target,
            &origin,
            at,
            domain.schedule(),
        ),
        Err(e) => Decision::Unauthorized((*e).into()),
    };
    let request = json!({
        "as": if origin.is_browser() { "browser" } else { "server-to-server" },
        "origin": shape.origin, "channel_id": channel_id, "at": format_rfc3339(at),
    });
    Ok(json!({
        "claims": claims,
        "signature": match verified { Ok(_) => "valid".to_string(), Err(e) => format!("invalid: {e}") },
        "registry": registry.as_ref().map(inventory_json),
        "expired": claims.eat < at,
        "request": request,
        "verdict": verdict_json(domain, &decision),
    }))
}

async fn channel_origin(
    domain: &Domain,
    store_id: i64,
    channel_id: i64,
) -> Result<Option<String>, StoreError> {
    Ok(domain
        .store()
        .channels(store_id)
        .await?
        .into_iter()
        .find(|c| c.channel_id == channel_id)
        .and_then(|c| c.origin))
}

/// The status and message a client would get, and the checks up to the one that refuses.
fn verdict_json(domain: &Domain, decision: &Decision) -> Value {
    let (status, reason, message) = match decision {
        Decision::Allow(g) => (200, g.would_refuse.map(|(r, _)| r), None),
        Decision::Unauthorized(f) => (401, Some(f.reason()), Some(f.message().to_string())),
        Decision::Forbidden(f) => (403, Some(f.reason()), Some(f.message(domain.schedule()))),
    };
    let refused_by = if status == 200 { None } else { reason };
    json!({
        "status": status,
        "message": message,
        "reason": refused_by,
        "rehearsal_would_refuse": if status == 200 { reason } else { None },
        "checks": checks::outcomes(refused_by).iter().map(|(c, o)| json!({ "check": c, "outcome": o.as_str() })).collect::<Vec<_>>(),
    })
}
