//! What `/graphql` and `/graphql/explain` share: reading the body, finding the storefront,
//! classifying the caller and authorizing the token, with SPEC's exact error responses.

use axum::body::Body;
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use storefront_auth_core::policy::Target;
use storefront_auth_core::request::RequestSignals;
use storefront_auth_core::secret::{digests_equal, sha256_hex};
use storefront_auth_core::RequestOrigin;
use storefront_auth_store::Channel;

use super::auth::{self, Authorized, Refusal};
use super::cors;
use super::host::{HostError, StoreEntry};
use crate::request_log::RequestLog;
use crate::state::AppState;

pub const MAX_BODY: usize = 100 * 1024;

// Parsed once: a header looked up or set by a string is parsed on every use.
pub const CORRELATION_ID: HeaderName = HeaderName::from_static("x-correlation-id");
const TRUSTED_PROXY_SECRET: HeaderName = HeaderName::from_static("x-bc-trusted-proxy-secret");
const TRUE_CLIENT_IP: HeaderName = HeaderName::from_static("true-client-ip");

/// `{"errors":[{"message": …}]}` with a status.
pub fn gql_error(status: StatusCode, message: &str) -> Response {
    (
        status,
        axum::Json(json!({ "errors": [{ "message": message }] })),
    )
        .into_response()
}

/// 503: the database is away (what failed is logged, never sent).
pub fn unavailable() -> Response {
    gql_error(
        StatusCode::SERVICE_UNAVAILABLE,
        "The service is temporarily unavailable; retry shortly.",
    )
}

pub use storefront_auth_core::graphql_request::GraphqlBody;

/// A request that passed every check before execution.
pub struct Admitted {
    /// The client's IP: the peer, or `True-Client-IP` behind a trusted proxy.
    pub client_ip: std::net::IpAddr,
    pub entry: std::sync::Arc<StoreEntry>,
    pub channel: std::sync::Arc<Channel>,
    pub origin: RequestOrigin,
    pub authorized: Authorized,
    pub body: GraphqlBody,
}

/// Reads and checks everything up to the token decision. `Err` is the response to send.
pub async fn admit(
    state: &AppState,
    headers: &HeaderMap,
    peer: std::net::IpAddr,
    body: Body,
    log: &RequestLog,
) -> Result<Admitted, Response> {
    if let Some(raw) = headers.get(&CORRELATION_ID) {
        if raw
            .to_str()
            .ok()
            .and_then(|v| uuid::Uuid::parse_str(v).ok())
            .is_none()
        {
            return Err(gql_error(
                StatusCode::BAD_REQUEST,
                "X-Correlation-Id must be a UUID (8-4-4-4-12 hexadecimal digits).",
            ));
        }
    }
    let host = headers
        .get(axum::http::header::HOST)
        .and_then(|v| v.to_str().ok());
    let (entry, channel) = state
        .directory
        .resolve(state, host)
        .await
        .map_err(|e| match e {
            HostError::UnknownStore => {
                gql_error(StatusCode::NOT_FOUND, "No storefront answers at this host.")
            }
            HostError::UnknownChannel => {
                gql_error(StatusCode::NOT_FOUND, "This store has no such channel.")
            }
            HostError::Unavailable => unavailable(),
        })?;
    let body = parse_body(body).await?;
    let trusted = trusted_proxy(headers, entry.store.trusted_proxy_secret_digest.as_deref());
    let origin = classify(headers, trusted);
    let channel_origin = cors::channel_origin(&channel);
    let target = Target {
        store_id: entry.store.id,
        channel_id: channel.channel_id,
        channel_origin,
    };
    let authorized = match auth::authorize(state, headers, &target, &origin).await {
        Ok(a) => a,
        Err(refusal) => {
            // An origin the preflight lets through may read why it was refused (for example
            // that private tokens are not for browsers); other origins learn nothing.
            let readable = match &origin {
                RequestOrigin::Browser { origin: Some(o) } => {
                    channel_origin == Some(o.as_str())
                        // Only a well-formed origin is looked up (exactly, by index).
                        || storefront_auth_core::validate::check_origin(o).is_ok() && state
                            .store
                            .storefront_origin_allowed(
                                entry.store.id,
                                channel.channel_id,
                                o,
                                state.now(),
                            )
                            .await
                            .unwrap_or(false)
                }
                _ => false,
            };
            return Err(refuse(state, refusal, &origin, readable, log));
        }
    };
    log.update(|f| {
        f.token_id = Some(authorized.token.claims.jti.clone());
        f.kind = Some(authorized.grant.kind.as_str());
        f.decision = Some("allow");
    });
    Ok(Admitted {
        client_ip: client_ip(headers, trusted, peer),
        entry,
        channel,
        origin,
        authorized,
        body,
    })
}

async fn parse_body(body: Body) -> Result<GraphqlBody, Response> {
    let bytes = axum::body::to_bytes(body, MAX_BODY).await.map_err(|e| {
        if e.to_string().contains("length limit exceeded") {
            gql_error(
                StatusCode::PAYLOAD_TOO_LARGE,
                "The request body is larger than 100 KiB.",
            )
        } else {
            gql_error(
                StatusCode::BAD_REQUEST,
                "The request body could not be read.",
            )
        }
    })?;
    storefront_auth_core::graphql_request::parse_body(&bytes)
        .map_err(|e| gql_error(StatusCode::BAD_REQUEST, e.message()))
}

/// Does the request carry the store's `X-BC-Trusted-Proxy-Secret`?
pub fn trusted_proxy(headers: &HeaderMap, proxy_secret_digest: Option<&str>) -> bool {
    let given = headers
        .get(&TRUSTED_PROXY_SECRET)
        .and_then(|v| v.to_str().ok());
    match (proxy_secret_digest, given) {
        (Some(expected), Some(given)) => digests_equal(expected, &sha256_hex(given.as_bytes())),
        _ => false,
    }
}

/// The client's IP: `True-Client-IP` when a trusted proxy vouches for it, else the peer.
pub fn client_ip(
    headers: &HeaderMap,
    trusted_proxy: bool,
    peer: std::net::IpAddr,
) -> std::net::IpAddr {
    let forwarded = headers
        .get(&TRUE_CLIENT_IP)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<std::net::IpAddr>().ok());
    match (trusted_proxy, forwarded) {
        (true, Some(ip)) => ip,
        _ => peer,
    }
}

pub fn classify(headers: &HeaderMap, trusted_proxy: bool) -> RequestOrigin {
    let has_session_cookie = crate::cookies::session(headers).is_some();
    RequestOrigin::classify(RequestSignals {
        // Any `Origin`, readable or not, makes the request a browser's (fail closed): an
        // unreadable one is kept lossily, so it can only fail to match an allowed origin.
        origin: headers
            .get(axum::http::header::ORIGIN)
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned()),
        has_sec_fetch: headers
            .keys()
            .any(|k| storefront_auth_core::request::is_browser_fetch_metadata(k.as_str())),
        has_session_cookie,
        trusted_proxy,
    })
}

fn refuse(
    state: &AppState,
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
            gql_error(StatusCode::FORBIDDEN, &f.message(&state.schedule)),
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

pub fn set_header(response: &mut Response, name: HeaderName, value: &str) {
    if let Ok(v) = HeaderValue::from_str(value) {
        response.headers_mut().insert(name, v);
    }
}
