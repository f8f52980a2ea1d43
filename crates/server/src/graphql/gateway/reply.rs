//! The client's answer from what the upstream sent back (or did not): its GraphQL response
//! as sent, or the gateway's own 502 or 504, and how the call went.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::upstream::{UpstreamAnswer, UpstreamError};
use super::Gateway;
use crate::http::request_log::{GraphqlOutcome, UpstreamOutcome};

/// The client's answer from the upstream's: its JSON as sent when it is a GraphQL response,
/// a 502 or 504 otherwise; and how the call went.
pub fn answer(
    gw: &Gateway,
    result: Result<UpstreamAnswer, UpstreamError>,
) -> (Response, UpstreamOutcome) {
    let upstream = gw.upstream.origin();
    let outcome = |result: &'static str, status: u16| UpstreamOutcome {
        result,
        status,
        ms: 0,
    };
    let a = match result {
        Ok(a) => a,
        Err(e) => return failed(upstream, e),
    };
    if a.status == 401 || a.status == 403 {
        tracing::error!(%upstream, status = a.status, "gateway: the upstream refused the gateway's assertion (check its verifier: JWKS, audience, type)");
        let r = failure(
            StatusCode::BAD_GATEWAY,
            "The upstream GraphQL server refused the gateway.",
        );
        return (r, outcome("refused_assertion", a.status));
    }
    let graphql = match (a.status, graphql_outcome(&a)) {
        (200..=499, Some(graphql)) => graphql,
        (status, _) => {
            tracing::warn!(%upstream, status, "gateway: the upstream's answer is not a GraphQL response");
            let r = failure(
                StatusCode::BAD_GATEWAY,
                "The upstream GraphQL server's answer is not a GraphQL response.",
            );
            let result = if status >= 500 {
                "server_error"
            } else {
                "not_graphql"
            };
            return (r, outcome(result, status));
        }
    };
    let status = StatusCode::from_u16(a.status).unwrap_or(StatusCode::OK);
    let mut response = (
        status,
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        a.body,
    )
        .into_response();
    response.extensions_mut().insert(graphql);
    (response, outcome("ok", a.status))
}

/// The outcome of a GraphQL response body (a JSON object with `data` or `errors`), read without
/// building it; `None` for anything else.
fn graphql_outcome(a: &UpstreamAnswer) -> Option<GraphqlOutcome> {
    use serde::de::IgnoredAny;
    #[derive(serde::Deserialize)]
    struct Shape {
        #[serde(default)]
        data: Option<IgnoredAny>,
        #[serde(default)]
        errors: Option<Vec<IgnoredAny>>,
    }
    let json = a.content_type.as_ref().is_some_and(|c| {
        let c = c.as_bytes();
        let starts = |p: &str| {
            c.get(..p.len())
                .is_some_and(|h| h.eq_ignore_ascii_case(p.as_bytes()))
        };
        starts("application/json") || starts("application/graphql-response+json")
    });
    let shape: Shape = serde_json::from_slice(&a.body).ok().filter(|_| json)?;
    if shape.data.is_none() && shape.errors.is_none() {
        // Data may be null only next to errors; an object with neither is not a response.
        return None;
    }
    Some(GraphqlOutcome {
        errors: shape
            .errors
            .map_or(0, |e| e.len().min(u32::MAX as usize) as u32),
        data: shape.data.is_some(),
        upstream: None,
    })
}

/// The gateway's own failure: the status and one error with a code a client can branch on.
pub fn failure(status: StatusCode, message: &str) -> Response {
    let code = match status {
        StatusCode::GATEWAY_TIMEOUT => "UPSTREAM_TIMEOUT",
        _ => "UPSTREAM_UNAVAILABLE",
    };
    let body =
        json!({ "data": null, "errors": [{ "message": message, "extensions": { "code": code } }] });
    let mut response = (status, axum::Json(body)).into_response();
    response.extensions_mut().insert(GraphqlOutcome {
        errors: 1,
        data: false,
        upstream: None,
    });
    response
}

/// The answer when no response came back: 504 for a timeout, 502 otherwise.
fn failed(upstream: &str, e: UpstreamError) -> (Response, UpstreamOutcome) {
    let (status, result, message) = match e {
        UpstreamError::Timeout => (
            StatusCode::GATEWAY_TIMEOUT,
            "timeout",
            "The upstream GraphQL server did not answer in time.",
        ),
        UpstreamError::TooLarge => (
            StatusCode::BAD_GATEWAY,
            "too_large",
            "The upstream GraphQL server's answer is too large.",
        ),
        UpstreamError::BreakerOpen => (
            StatusCode::BAD_GATEWAY,
            "breaker_open",
            "The upstream GraphQL server could not be reached.",
        ),
        UpstreamError::Connect(_) | UpstreamError::Exchange(_) => (
            StatusCode::BAD_GATEWAY,
            "unreachable",
            "The upstream GraphQL server could not be reached.",
        ),
    };
    tracing::warn!(%upstream, error = %e, result, "gateway: no answer from the upstream");
    let outcome = UpstreamOutcome {
        result,
        status: 0,
        ms: 0,
    };
    (failure(status, message), outcome)
}
