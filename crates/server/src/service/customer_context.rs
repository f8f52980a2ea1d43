//! The customer a storefront request acts for (SPEC §5.4): exactly one source per request —
//! the `SHOP_TOKEN` cookie (browser), `X-Bc-Customer-Access-Token` (server-to-server, private
//! or still-allowed storefront token) or `X-Bc-Customer-Id` (impersonation tokens only). The
//! surfaces read the signals from their requests; this file decides.

use storefront_auth_core::customer_session::{check_sign_in, parse_access_token, StoredSignIn};
use storefront_auth_core::secret::sha256_hex;
use storefront_auth_core::token::TokenKind;
use storefront_auth_core::RequestOrigin;
use storefront_auth_store::{Customer, SessionKind};

use super::caches::sign_ins::SignIn;
use super::Domain;

/// What a request says about its customer.
#[derive(Debug, Default)]
pub struct CustomerSignals<'a> {
    /// `X-Bc-Customer-Access-Token`.
    pub access_token: Option<&'a str>,
    /// `X-Bc-Customer-Id`.
    pub customer_id: Option<&'a str>,
    /// `X-Bc-Error-On-Invalid-Customer-Access-Token: true`.
    pub strict: bool,
    /// The storefront session cookie's value.
    pub session_cookie: Option<&'a str>,
}

/// Why a request's customer context cannot be had; each surface says it its own way.
#[derive(Debug, PartialEq, Eq)]
pub enum ContextError {
    /// `X-Bc-Customer-Access-Token` on a browser request.
    CatFromBrowser,
    /// `X-Bc-Customer-Access-Token` with an impersonation token.
    CatWithImpersonation,
    /// Both customer headers.
    BothHeaders,
    /// `X-Bc-Customer-Id` with another kind of token.
    CustomerIdWithoutImpersonation,
    /// `X-Bc-Customer-Id` that is not an integer.
    BadCustomerId,
    /// An invalid CAT with `X-Bc-Error-On-Invalid-Customer-Access-Token: true`.
    InvalidCat,
    /// The database is away.
    Unavailable,
}

#[derive(Debug, Default)]
pub struct CustomerContext {
    pub customer: Option<Customer>,
    /// Digest of the session or CAT this request signed in with (what `logout` ends).
    pub sign_in: Option<String>,
    /// `X-Bc-Customer-Id` named no customer of the store.
    pub unknown_customer_id: Option<i64>,
    /// `X-Bc-Error-On-Invalid-Customer-Access-Token: true`.
    pub strict: bool,
}

/// Looks up a stored sign-in of `kind` (the kind the request presented: a cookie is looked up
/// as a session, a header as a customer access token) by its raw value, and returns the
/// customer if it may be used here.
async fn signed_in(
    domain: &Domain,
    raw: &str,
    kind: SessionKind,
    store_id: i64,
    channel_id: i64,
) -> Result<Option<(Customer, String)>, ContextError> {
    let (digest, now) = (sha256_hex(raw.as_bytes()), domain.now_for(store_id));
    if let Some(hit) = domain.0.sign_ins.get(&digest, kind) {
        let facts = StoredSignIn {
            store_id: hit.store_id,
            channel_id: hit.channel_id,
            expires_at: hit.expires_at,
            ended: false,
        };
        if check_sign_in(Some(&facts), store_id, channel_id, now).is_err() {
            return Ok(None);
        }
        return Ok(Some((hit.customer, digest)));
    }
    let stored = domain
        .store()
        .session(&digest, kind)
        .await
        .map_err(|_| ContextError::Unavailable)?;
    let facts = stored.as_ref().map(|s| StoredSignIn {
        store_id: s.store_id,
        channel_id: s.channel_id,
        expires_at: s.expires_at,
        ended: s.ended_at.is_some(),
    });
    if check_sign_in(facts.as_ref(), store_id, channel_id, now).is_err() {
        return Ok(None);
    }
    let Some(session) = stored else {
        return Ok(None);
    };
    let customer = domain
        .store()
        .customer(store_id, session.customer_id)
        .await
        .map_err(|_| ContextError::Unavailable)?;
    if let Some(c) = &customer {
        domain.0.sign_ins.put(
            digest.clone(),
            SignIn {
                kind,
                store_id: session.store_id,
                channel_id: session.channel_id,
                expires_at: session.expires_at,
                customer: c.clone(),
            },
        );
    }
    Ok(customer.map(|c| (c, digest)))
}

/// The customer context of a cookie-only browser surface (pages, REST Storefront, Current
/// Customer): the storefront session cookie alone, as a storefront token's browser request
/// sees it. API headers are not read there. Only `Unavailable` can go wrong.
pub async fn of_session_cookie(
    domain: &Domain,
    cookie: Option<&str>,
    store_id: i64,
    channel_id: i64,
) -> Result<CustomerContext, ContextError> {
    let signals = CustomerSignals {
        session_cookie: cookie,
        ..Default::default()
    };
    let browser = RequestOrigin::Browser { origin: None };
    resolve(
        domain,
        &signals,
        TokenKind::Storefront,
        &browser,
        store_id,
        channel_id,
    )
    .await
}

/// The sign-in of a well-formed customer access token.
async fn by_access_token(
    domain: &Domain,
    cat: &str,
    store_id: i64,
    channel_id: i64,
) -> Result<Option<(Customer, String)>, ContextError> {
    match parse_access_token(cat) {
        Some(_) => signed_in(domain, cat, SessionKind::AccessToken, store_id, channel_id).await,
        None => Ok(None),
    }
}

/// The customer a request acts for, from its signals, token kind and origin (SPEC §5.4).
pub async fn resolve(
    domain: &Domain,
    signals: &CustomerSignals<'_>,
    kind: TokenKind,
    origin: &RequestOrigin,
    store_id: i64,
    channel_id: i64,
) -> Result<CustomerContext, ContextError> {
    let strict = signals.strict;
    let mut ctx = CustomerContext {
        strict,
        ..Default::default()
    };
    if let Some(cat) = signals.access_token {
        if origin.is_browser() {
            return Err(ContextError::CatFromBrowser);
        }
        if kind == TokenKind::CustomerImpersonation {
            return Err(ContextError::CatWithImpersonation);
        }
        if signals.customer_id.is_some() {
            return Err(ContextError::BothHeaders);
        }
        match by_access_token(domain, cat, store_id, channel_id).await? {
            Some((customer, digest)) => {
                ctx.customer = Some(customer);
                ctx.sign_in = Some(digest);
            }
            None if strict => return Err(ContextError::InvalidCat),
            None => {}
        }
        return Ok(ctx);
    }
    if let Some(raw) = signals.customer_id {
        if kind != TokenKind::CustomerImpersonation {
            return Err(ContextError::CustomerIdWithoutImpersonation);
        }
        let id: i64 = raw.parse().map_err(|_| ContextError::BadCustomerId)?;
        match domain.store().customer(store_id, id).await {
            Ok(Some(c)) => ctx.customer = Some(c),
            Ok(None) => ctx.unknown_customer_id = Some(id),
            Err(_) => return Err(ContextError::Unavailable),
        }
        return Ok(ctx);
    }
    if let (true, Some(cookie)) = (origin.is_browser(), signals.session_cookie) {
        if let Some((customer, digest)) =
            signed_in(domain, cookie, SessionKind::Cookie, store_id, channel_id).await?
        {
            ctx.customer = Some(customer);
            ctx.sign_in = Some(digest);
        }
    }
    Ok(ctx)
}
