//! The customer a GraphQL request acts for (SPEC §5.4): exactly one source per request — the
//! `SHOP_TOKEN` cookie (browser), `X-Bc-Customer-Access-Token` (server-to-server, private or
//! still-allowed storefront token) or `X-Bc-Customer-Id` (impersonation tokens only).

use axum::http::{HeaderMap, HeaderName, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use storefront_auth_core::customer_session::{check_sign_in, parse_access_token, StoredSignIn};
use storefront_auth_core::secret::sha256_hex;
use storefront_auth_core::token::TokenKind;
use storefront_auth_core::RequestOrigin;
use storefront_auth_store::{Customer, SessionKind};

use crate::session_cache::SignIn;

use super::request::{gql_error, unavailable};
use crate::state::AppState;

// Parsed once: a header looked up by a string is parsed on every lookup.
pub const CAT_HEADER: HeaderName = HeaderName::from_static("x-bc-customer-access-token");
pub const CUSTOMER_ID_HEADER: HeaderName = HeaderName::from_static("x-bc-customer-id");
pub const ERROR_ON_INVALID_HEADER: HeaderName =
    HeaderName::from_static("x-bc-error-on-invalid-customer-access-token");

/// Why a request's customer context cannot be had; each surface says it its own way (GraphQL
/// with `ContextError::response`).
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

impl ContextError {
    /// The GraphQL Storefront API's answer (SPEC §5.4).
    pub fn response(&self) -> Response {
        match self {
            ContextError::CatFromBrowser => gql_error(StatusCode::FORBIDDEN, "Request not allowed: customer access tokens are only accepted on server-to-server requests"),
            ContextError::CatWithImpersonation => gql_error(StatusCode::BAD_REQUEST, "X-Bc-Customer-Access-Token cannot be used with a customer impersonation token; send X-Bc-Customer-Id instead."),
            ContextError::BothHeaders => gql_error(
                StatusCode::BAD_REQUEST,
                "Send either X-Bc-Customer-Access-Token or X-Bc-Customer-Id, not both.",
            ),
            ContextError::CustomerIdWithoutImpersonation => gql_error(
                StatusCode::BAD_REQUEST,
                "X-Bc-Customer-Id is only accepted with a customer impersonation token.",
            ),
            ContextError::BadCustomerId => gql_error(
                StatusCode::BAD_REQUEST,
                "X-Bc-Customer-Id must be a customer id (an integer).",
            ),
            ContextError::InvalidCat => invalid_cat(),
            ContextError::Unavailable => unavailable(),
        }
    }
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

fn header<'a>(headers: &'a HeaderMap, name: &HeaderName) -> Option<&'a str> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| !v.is_empty())
}

/// The `INVALID_CUSTOMER_ACCESS_TOKEN` answer (HTTP 200, as Catalyst expects).
fn invalid_cat() -> Response {
    let body = json!({ "data": null, "errors": [{ "message": "Invalid customer access token", "extensions": { "code": "INVALID_CUSTOMER_ACCESS_TOKEN" } }] });
    (StatusCode::OK, axum::Json(body)).into_response()
}

/// Looks up a stored sign-in of `kind` (the kind the request presented: a cookie is looked up
/// as a session, a header as a customer access token) by its raw value, and returns the
/// customer if it may be used here.
async fn signed_in(
    state: &AppState,
    raw: &str,
    kind: SessionKind,
    store_id: i64,
    channel_id: i64,
) -> Result<Option<(Customer, String)>, ContextError> {
    let digest = sha256_hex(raw.as_bytes());
    if let Some(hit) = state.sessions.get(&digest, kind) {
        let facts = StoredSignIn {
            store_id: hit.store_id,
            channel_id: hit.channel_id,
            expires_at: hit.expires_at,
            ended: false,
        };
        if check_sign_in(Some(&facts), store_id, channel_id, state.now()).is_err() {
            return Ok(None);
        }
        return Ok(Some((hit.customer, digest)));
    }
    let stored = state
        .store
        .session(&digest, kind)
        .await
        .map_err(|_| ContextError::Unavailable)?;
    let facts = stored.as_ref().map(|s| StoredSignIn {
        store_id: s.store_id,
        channel_id: s.channel_id,
        expires_at: s.expires_at,
        ended: s.ended_at.is_some(),
    });
    if check_sign_in(facts.as_ref(), store_id, channel_id, state.now()).is_err() {
        return Ok(None);
    }
    let Some(session) = stored else {
        return Ok(None);
    };
    let customer = state
        .store
        .customer(store_id, session.customer_id)
        .await
        .map_err(|_| ContextError::Unavailable)?;
    if let Some(c) = &customer {
        state.sessions.put(
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
/// Customer): the storefront session cookie, as a storefront token's browser request sees it.
/// Only `Unavailable` can go wrong there.
pub async fn of_browser(
    state: &AppState,
    headers: &HeaderMap,
    store_id: i64,
    channel_id: i64,
) -> Result<CustomerContext, ContextError> {
    let browser = RequestOrigin::Browser { origin: None };
    resolve(
        state,
        headers,
        TokenKind::Storefront,
        &browser,
        store_id,
        channel_id,
    )
    .await
}

pub async fn resolve(
    state: &AppState,
    headers: &HeaderMap,
    kind: TokenKind,
    origin: &RequestOrigin,
    store_id: i64,
    channel_id: i64,
) -> Result<CustomerContext, ContextError> {
    let strict =
        header(headers, &ERROR_ON_INVALID_HEADER).is_some_and(|v| v.eq_ignore_ascii_case("true"));
    let mut ctx = CustomerContext {
        strict,
        ..Default::default()
    };
    let cat = header(headers, &CAT_HEADER);
    let customer_id = header(headers, &CUSTOMER_ID_HEADER);
    if let Some(cat) = cat {
        if origin.is_browser() {
            return Err(ContextError::CatFromBrowser);
        }
        if kind == TokenKind::CustomerImpersonation {
            return Err(ContextError::CatWithImpersonation);
        }
        if customer_id.is_some() {
            return Err(ContextError::BothHeaders);
        }
        let found = match parse_access_token(cat) {
            Some(_) => {
                signed_in(state, cat, SessionKind::AccessToken, store_id, channel_id).await?
            }
            None => None,
        };
        match found {
            Some((customer, digest)) => {
                ctx.customer = Some(customer);
                ctx.sign_in = Some(digest);
            }
            None if strict => return Err(ContextError::InvalidCat),
            None => {}
        }
        return Ok(ctx);
    }
    if let Some(raw) = customer_id {
        if kind != TokenKind::CustomerImpersonation {
            return Err(ContextError::CustomerIdWithoutImpersonation);
        }
        let id: i64 = raw.parse().map_err(|_| ContextError::BadCustomerId)?;
        match state.store.customer(store_id, id).await {
            Ok(Some(c)) => ctx.customer = Some(c),
            Ok(None) => ctx.unknown_customer_id = Some(id),
            Err(_) => return Err(ContextError::Unavailable),
        }
        return Ok(ctx);
    }
    if let (true, Some(cookie)) = (origin.is_browser(), crate::cookies::session(headers)) {
        if let Some((customer, digest)) =
            signed_in(state, &cookie, SessionKind::Cookie, store_id, channel_id).await?
        {
            ctx.customer = Some(customer);
            ctx.sign_in = Some(digest);
        }
    }
    Ok(ctx)
}
