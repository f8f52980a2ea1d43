//! Faults on purpose (development mode, issue 20): a test asks that a store's surface answer
//! its next N requests, or its requests for a while, with a 429, a 5xx, added latency, an
//! invalid customer access token or a revoked token, so a storefront's error handling can be
//! tested. The faults live in the domain's `FaultBook`; `http::faults` applies them.
//!
//! The last two are not imitated: the request's credential is replaced by one the registry
//! does not hold, and the real pipeline answers it, so the answer is exactly the platform's.

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{json, Map, Value};
use storefront_auth_core::secret::{random_alnum, random_hex};
use storefront_auth_core::token::{self, Claims, TokenKind, SUB_TYPE_PLATFORM};
use storefront_auth_store::StoreRecord;

use super::caches::faults::{BookFull, Fault, FaultKind, NewFault, Surface};
use super::fields::FieldError;
use super::Domain;

pub use super::caches::faults::MAX_FAULTS_PER_STORE;

const FIELDS: [&str; 7] = [
    "kind",
    "surface",
    "status",
    "ms",
    "retry_after_seconds",
    "requests",
    "seconds",
];

#[derive(Debug, thiserror::Error)]
pub enum FaultError {
    #[error("invalid fault")]
    Invalid(Vec<FieldError>),
    #[error("The store holds {MAX_FAULTS_PER_STORE} active faults; delete one (or all) first.")]
    Full,
    #[error("This server has no signing key, so it cannot make the revoked token.")]
    NoSigner,
}

fn invalid(field: &str, rule: &str, message: impl Into<String>) -> FaultError {
    FaultError::Invalid(vec![FieldError::new(field, rule, message)])
}

/// An integer field within `range`, if given.
fn bounded(
    body: &Map<String, Value>,
    field: &str,
    range: std::ops::RangeInclusive<u64>,
) -> Result<Option<u64>, FaultError> {
    match body.get(field) {
        None => Ok(None),
        Some(v) => match v.as_u64().filter(|n| range.contains(n)) {
            Some(n) => Ok(Some(n)),
            None => Err(invalid(
                field,
                "invalid",
                format!(
                    "{field} must be an integer from {} to {}.",
                    range.start(),
                    range.end()
                ),
            )),
        },
    }
}

/// The surface named, `graphql` when none is.
fn surface_of(body: &Map<String, Value>) -> Result<Surface, FaultError> {
    let Some(named) = body.get("surface") else {
        return Ok(Surface::Graphql);
    };
    Surface::ALL
        .into_iter()
        .find(|s| named.as_str() == Some(s.as_str()))
        .ok_or_else(|| {
            invalid(
                "surface",
                "invalid",
                "surface must be graphql, management, payments or storefront.",
            )
        })
}

/// The fields only some kinds take; a kind given one it does not take is refused.
const KIND_FIELDS: [(&str, &str); 3] = [
    ("status", "server_error"),
    ("ms", "latency"),
    ("retry_after_seconds", "rate_limited"),
];

/// What the body asks for, before its replacement credential is made.
fn parse(body: &Value) -> Result<(Surface, FaultKind, Option<u64>, Option<u64>), FaultError> {
    let body = body
        .as_object()
        .ok_or_else(|| invalid("body", "invalid", "The body must be a JSON object."))?;
    if let Some(unknown) = body.keys().find(|k| !FIELDS.contains(&k.as_str())) {
        return Err(invalid(
            unknown,
            "unknown",
            format!(
                "{unknown} is not a field of a fault ({}).",
                FIELDS.join(", ")
            ),
        ));
    }
    let surface = surface_of(body)?;
    let kind_name = body.get("kind").and_then(Value::as_str).unwrap_or("");
    for (field, kind) in KIND_FIELDS {
        if body.contains_key(field) && kind_name != kind {
            return Err(invalid(
                field,
                "invalid",
                format!("{field} belongs to faults of kind {kind}."),
            ));
        }
    }
    let kind = match kind_name {
        "rate_limited" => FaultKind::RateLimited {
            retry_after_seconds: bounded(body, "retry_after_seconds", 1..=3600)?.unwrap_or(1),
        },
        "server_error" => FaultKind::ServerError {
            status: bounded(body, "status", 500..=599)?.unwrap_or(500) as u16,
        },
        "latency" => FaultKind::Latency {
            ms: bounded(body, "ms", 1..=60_000)?
                .ok_or_else(|| invalid("ms", "required", "A latency fault needs ms."))?,
        },
        "invalid_customer_access_token" => FaultKind::InvalidCustomerAccessToken,
        "revoked_token" => FaultKind::RevokedToken {
            replacement: String::new(),
        },
        _ => {
            return Err(invalid(
                "kind",
                "invalid",
                "kind must be rate_limited, server_error, latency, \
                 invalid_customer_access_token or revoked_token.",
            ))
        }
    };
    check_surface(&kind, surface)?;
    let requests = bounded(body, "requests", 1..=1_000_000)?;
    let seconds = bounded(body, "seconds", 1..=86_400)?;
    Ok((surface, kind, requests, seconds))
}

/// Customer access tokens exist only on GraphQL; revoked credentials are tokens on GraphQL
/// and API account tokens on the management API.
fn check_surface(kind: &FaultKind, surface: Surface) -> Result<(), FaultError> {
    let allowed: &[Surface] = match kind {
        FaultKind::InvalidCustomerAccessToken => &[Surface::Graphql],
        FaultKind::RevokedToken { .. } => &[Surface::Graphql, Surface::Management],
        _ => &Surface::ALL,
    };
    if allowed.contains(&surface) {
        return Ok(());
    }
    let names = allowed.iter().map(|s| s.as_str()).collect::<Vec<_>>();
    Err(invalid(
        "surface",
        "unsupported",
        format!(
            "A {} fault applies to the {} surface.",
            kind.name(),
            names.join(" or ")
        ),
    ))
}

/// A JWT signed with this server's key whose id the registry does not hold: stage 6 of the
/// token checks (SPEC §5.2) refuses it exactly as it refuses a revoked token.
fn unknown_token(domain: &Domain, store: &StoreRecord) -> Result<String, FaultError> {
    let now = domain.now_for(store.id);
    let claims = Claims {
        cid: Vec::new(),
        cors: Vec::new(),
        eat: now + 365 * 86_400,
        iat: now,
        iss: "BC".into(),
        jti: uuid::Uuid::new_v4().to_string(),
        scopes: None,
        sid: store.id,
        sub: "BC".into(),
        sub_type: SUB_TYPE_PLATFORM,
        token_type: TokenKind::Private.code(),
    };
    let keys = domain.keys();
    let signer = keys.signer().ok_or(FaultError::NoSigner)?;
    token::sign(&claims, signer).ok_or(FaultError::NoSigner)
}

/// Adds the fault the body describes to the store.
pub fn add(domain: &Domain, store: &StoreRecord, body: &Value) -> Result<Arc<Fault>, FaultError> {
    let (surface, mut kind, requests, seconds) = parse(body)?;
    if let FaultKind::RevokedToken { replacement } = &mut kind {
        *replacement = match surface {
            Surface::Graphql => unknown_token(domain, store)?,
            _ => random_alnum(31),
        };
    }
    let now = Instant::now();
    let requests = requests.or(if seconds.is_none() { Some(1) } else { None });
    let until = seconds.map(|s| (now + Duration::from_secs(s), domain.now() + s as i64));
    let fault = NewFault {
        surface,
        kind,
        requests,
        until,
    };
    let added = domain
        .faults()
        .add(&store.hash, fault, now)
        .map_err(|BookFull| FaultError::Full)?;
    tracing::info!(store = %store.hash, fault = added.id, kind = added.kind.name(),
        surface = added.surface.as_str(), "fault added");
    Ok(added)
}

/// The store's faults, oldest first.
pub fn list(domain: &Domain, store: &StoreRecord) -> Vec<Arc<Fault>> {
    domain.faults().list(&store.hash)
}

/// Removes one of the store's faults; whether it had it.
pub fn remove(domain: &Domain, store: &StoreRecord, id: u64) -> bool {
    domain.faults().remove(&store.hash, id)
}

/// Removes every fault of the store (also on reset and removal).
pub fn clear(domain: &Domain, store_hash: &str) {
    domain.faults().clear(store_hash);
}

/// A fault as the control API shows it.
pub fn view(fault: &Fault) -> Value {
    let mut v = json!({
        "id": fault.id,
        "surface": fault.surface.as_str(),
        "kind": fault.kind.name(),
        "requests_left": fault.requests_left(),
        "ends_at": fault.ends_at(),
        "applied": fault.applied(),
        "active": fault.active(Instant::now()),
    });
    match &fault.kind {
        FaultKind::RateLimited {
            retry_after_seconds,
        } => v["retry_after_seconds"] = json!(retry_after_seconds),
        FaultKind::ServerError { status } => v["status"] = json!(status),
        FaultKind::Latency { ms } => v["ms"] = json!(ms),
        _ => {}
    }
    v
}

/// The fault that catches a request to `surface` of the store, if any, taken. `carries_cat`:
/// whether the request sends a customer access token (only those are caught by an
/// invalid-CAT fault).
pub fn claim(
    domain: &Domain,
    store_hash: &str,
    surface: Surface,
    carries_cat: bool,
) -> Option<Arc<Fault>> {
    let catches = |kind: &FaultKind| carries_cat || *kind != FaultKind::InvalidCustomerAccessToken;
    domain
        .faults()
        .claim(store_hash, surface, catches, Instant::now())
}

/// A customer access token of the same shape as `original` that no store issued.
pub fn unknown_customer_access_token(original: &str) -> String {
    let suffix = original.rsplit_once('_').map_or("", |(_, s)| s);
    format!("{}_{suffix}", random_hex(32))
}
