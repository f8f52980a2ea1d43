//! The assertion each upstream call carries (`core::gateway_assertion`): who the request acts
//! for, signed with the assertion key ring. Signing costs about as much as verifying a token,
//! so an assertion is kept per identity for half its lifetime: the hot path signs once per
//! identity per half-lifetime, never per request.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::http::HeaderValue;
use storefront_auth_core::gateway_assertion::{
    sign, AssertedCustomer, AssertedToken, CustomerSource, Identity,
};
use storefront_auth_core::TokenKind;

use super::super::schema::GqlContext;
use crate::service::assertion_keys::AssertionKeys;
use crate::service::authorize::Authorized;
use crate::service::Domain;

/// Bytes of assertions kept (an entry is the identity and a JWT of about 600 bytes).
const CACHE_BYTES: u64 = 16 << 20;

pub struct Assertions {
    audience: String,
    lifetime_secs: i64,
    kept: moka::sync::Cache<Identity, HeaderValue, foldhash::fast::RandomState>,
}

impl std::fmt::Debug for Assertions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Assertions")
            .field("audience", &self.audience)
            .finish_non_exhaustive()
    }
}

impl Assertions {
    pub fn new(audience: String, lifetime_secs: u64) -> Assertions {
        let kept = moka::sync::Cache::builder()
            .weigher(|i: &Identity, v: &HeaderValue| {
                let scopes: usize = i.token.scopes.iter().map(String::len).sum();
                (200 + i.store_hash.len() + i.token.id.len() + scopes + v.len())
                    .min(u32::MAX as usize) as u32
            })
            .max_capacity(CACHE_BYTES)
            .time_to_live(Duration::from_secs(lifetime_secs / 2))
            .build_with_hasher(foldhash::fast::RandomState::default());
        Assertions {
            audience,
            lifetime_secs: lifetime_secs as i64,
            kept,
        }
    }

    /// The header value asserting `identity`: kept, or signed now. Its times are the real
    /// clock's, never a store's simulated one: the upstream checks them against its own.
    pub async fn header(
        &self,
        domain: &Domain,
        keys: &AssertionKeys,
        identity: Identity,
    ) -> Result<HeaderValue, String> {
        if let Some(kept) = self.kept.get(&identity) {
            return Ok(kept);
        }
        let ring = keys.ring(domain).await.map_err(|e| e.to_string())?;
        let signer = ring
            .signer()
            .ok_or("the assertion key ring has no signer")?;
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64);
        let jwt = sign(&identity, &self.audience, now, self.lifetime_secs, signer)
            .ok_or("signing the assertion failed")?;
        let value = HeaderValue::from_str(&jwt).map_err(|e| e.to_string())?;
        self.kept.insert(identity, value.clone());
        Ok(value)
    }
}

/// Who the request acts for: store, channel, customer and how it was found, the client's
/// token (kind, id, scopes) and whether a browser sent it.
pub fn identity(gql: &GqlContext, authorized: &Authorized) -> Identity {
    let kind = authorized.grant.kind;
    let customer = gql.customer.as_ref().map(|c| AssertedCustomer {
        id: c.id,
        source: match (kind, gql.browser) {
            (TokenKind::CustomerImpersonation, _) => CustomerSource::Impersonation,
            (_, true) => CustomerSource::Session,
            (_, false) => CustomerSource::CustomerAccessToken,
        },
    });
    Identity {
        store_hash: gql.store.hash.clone(),
        channel_id: gql.channel.channel_id,
        customer,
        token: AssertedToken {
            kind: kind.as_str(),
            id: authorized.token.claims.jti.clone(),
            scopes: authorized
                .grant
                .scopes
                .map(|s| s.names())
                .unwrap_or_default(),
        },
        browser: gql.browser,
    }
}
