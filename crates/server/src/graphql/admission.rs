//! What `/graphql` and `/graphql/explain` share before execution: the correlation id, the
//! body, whether the caller is a browser, and the token's decision (SPEC §5.1–§5.3), with
//! SPEC's exact error responses. Why a token is refused is the policy's decision.

use axum::body::Body;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use storefront_auth_core::policy::Target;
use storefront_auth_core::RequestOrigin;

pub use storefront_auth_core::graphql_request::GraphqlBody;

use super::responses::{gql_error, unavailable};
use super::{cors, Graphql};
use crate::http::body::{read_bounded, BodyError};
use crate::http::client::{classify, client_ip, trusted_proxy};
use crate::http::headers::CORRELATION_ID;
use crate::http::request_log::RequestLog;
use crate::service::authorize::{self, Authorized, Refusal};
use crate::service::directory::Storefront;
use crate::service::tokens;

/// The largest GraphQL request body read (SPEC §5.8).
pub const MAX_BODY: usize = 100 * 1024;

/// A request that passed every check before execution.
pub struct Admitted {
    /// The client's IP: the peer, or `True-Client-IP` behind a trusted proxy.
    pub client_ip: std::net::IpAddr,
    pub storefront: Storefront,
    pub origin: RequestOrigin,
    pub authorized: Authorized,
    pub body: GraphqlBody,
}

/// Reads and checks everything up to the token decision. `Err` is the response to send.
pub async fn admit(
    g: &Graphql,
    storefront: Storefront,
    headers: &HeaderMap,
    peer: std::net::IpAddr,
    body: Body,
    log: &RequestLog,
) -> Result<Admitted, Response> {
    if !correlation_id_ok(headers) {
        return Err(gql_error(
            StatusCode::BAD_REQUEST,
            "X-Correlation-Id must be a UUID (8-4-4-4-12 hexadecimal digits).",
        ));
    }
    let store = &storefront.entry.store;
    let channel = &storefront.channel;
    let trusted = trusted_proxy(headers, store.trusted_proxy_secret_digest.as_deref());
    let (origin, signals) = classify(headers, trusted);
    super::inspect::seen(log, store.id, headers, &origin, signals);
    let body = parse_body(body).await?;
    let target = Target {
        store_id: store.id,
        channel_id: channel.channel_id,
        channel_origin: channel.origin.as_deref(),
        rehearsal: crate::service::rehearsal::of(store),
    };
    let bearer = bearer(headers);
    let authorized = match authorize::authorize(&g.domain, bearer, &target, &origin).await {
        Ok(a) => a,
        Err(refusal) => {
            // An origin the preflight lets through may read why it was refused (for example
            // that private tokens are not for browsers); other origins learn nothing.
            let readable = match &origin {
                RequestOrigin::Browser { origin: Some(o) } => {
                    tokens::origin_allowed(&g.domain, store.id, channel, o).await
                }
                _ => false,
            };
            super::inspect::refused_operation(log, &body);
            return Err(refuse(g, refusal, &origin, readable, log));
        }
    };
    log.update(|f| {
        f.token_id = Some(authorized.token.claims.jti.clone());
        f.kind = Some(authorized.grant.kind.as_str());
        f.decision = Some("allow");
        // A reporting rehearsal's verdict is recorded with the request.
        f.reason = authorized.grant.would_refuse.map(|(reason, _)| reason);
    });
    Ok(Admitted {
        client_ip: client_ip(headers, trusted, peer),
        storefront,
        origin,
        authorized,
        body,
    })
}

/// No `X-Correlation-Id`, or one that is a UUID.
fn correlation_id_ok(headers: &HeaderMap) -> bool {
    headers.get(&CORRELATION_ID).is_none_or(|raw| {
        raw.to_str()
            .ok()
            .and_then(|v| uuid::Uuid::parse_str(v).ok())
            .is_some()
    })
}

/// `Authorization: Bearer {token}`.
fn bearer(headers: &HeaderMap) -> Option<&str> {
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

async fn parse_body(body: Body) -> Result<GraphqlBody, Response> {
    let bytes = read_bounded(body, MAX_BODY).await.map_err(|e| match e {
        BodyError::TooLarge => gql_error(
            StatusCode::PAYLOAD_TOO_LARGE,
            "The request body is larger than 100 KiB.",
        ),
        BodyError::Unreadable(_) => gql_error(
            StatusCode::BAD_REQUEST,
            "The request body could not be read.",
        ),
    })?;
    storefront_auth_core::graphql_request::parse_body(&bytes)
        .map_err(|e| gql_error(StatusCode::BAD_REQUEST, e.message()))
}

fn refuse(
    g: &Graphql,
    refusal: Refusal,
    origin: &RequestOrigin,
    readable: bool,
    log: &RequestLog,
) -> Response {
    let (mut response, reason, token) = match refusal {
        Refusal::Unauthorized(f) => (
            gql_error(StatusCode::UNAUTHORIZED, f.message()),
            f.reason(),
            None,
        ),
        Refusal::Forbidden(f, token) => (
            gql_error(StatusCode::FORBIDDEN, &f.message(g.domain.schedule())),
            f.reason(),
            Some(token),
        ),
        Refusal::Unavailable => (unavailable(), "unavailable", None),
    };
    log.update(|f| {
        f.decision = Some("deny");
        f.reason = Some(reason);
        if let Some(t) = &token {
            f.token_id = Some(t.claims.jti.clone());
            f.kind = t.claims.kind().map(|k| k.as_str());
        }
    });
    if let (RequestOrigin::Browser { origin: Some(o) }, true) = (origin, readable) {
        cors::allow(&mut response, o);
    }
    response
}
