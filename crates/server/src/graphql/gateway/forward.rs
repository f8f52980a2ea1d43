//! The gateway's answer to an admitted operation within its limits: refused here (what the
//! upstream must never see), answered here (the sign-in mutations), or sent upstream with the
//! assertion and the allow-listed headers only, and its answer checked before the client sees
//! it. Failures never show as the client's fault: an upstream that is down, broken or refuses
//! our assertion is a 502, a slow one a 504.

use axum::body::Bytes;
use axum::http::{HeaderMap, HeaderName, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use std::sync::Arc;

use storefront_auth_core::analysis::{Analysis, Stripped};
use storefront_auth_core::gateway_assertion::ASSERTION_HEADER;
use storefront_auth_core::gateway_document::{
    operation_refusal, root_fields, unsupported_directive,
};
use storefront_auth_core::ScopeSet;

use super::breaker::Admission;
use super::denials;
use super::reply::{answer, failure};
use super::upstream::{Attempt, UpstreamAnswer, UpstreamError};
use super::Gateway;
use crate::config::gateway::DeniedMode;
use crate::graphql::answer::{run, Operation};
use crate::graphql::responses::refused;
use crate::graphql::scope_extension::MESSAGE as SCOPE_MESSAGE;
use crate::graphql::Graphql;
use crate::http::headers::set_header;
use crate::http::request_log::GraphqlOutcome;
use crate::metrics::Executor;
use crate::service::authorize::Authorized;

/// The sign-in mutations: the token model itself, answered by this server (issue 21).
const LOCAL_MUTATIONS: [&str; 3] = ["login", "logout", "loginWithCustomerLoginJwt"];
const ASSERTION: HeaderName = HeaderName::from_static(ASSERTION_HEADER);
/// `denied = report`: the fields the document would have seen nulled.
pub const WOULD_DENY: HeaderName = HeaderName::from_static("x-storefront-auth-would-deny");

pub async fn forward(
    g: &Graphql,
    gw: &Gateway,
    op: Operation,
    authorized: &Authorized,
    analysis: Option<&Analysis>,
    client_headers: &HeaderMap,
) -> Response {
    let doc = &op.document.doc;
    let op_type = analysis.map(|a| a.operation_type);
    if op_type == Some("subscription") {
        return refused("Subscriptions are not supported by this gateway.".into());
    }
    if let Some(d) = unsupported_directive(doc) {
        return refused(format!("@{d} is not supported by this gateway."));
    }
    // The sign-in mutations are the built-in schema's, validated and answered by it. SPEC §5.8
    // allows one root field per mutation (checked before this), so one is always an operation
    // of its own.
    if op_type == Some("mutation") {
        let roots = root_fields(doc, op.body.operation_name.as_deref()).unwrap_or_default();
        if roots.iter().any(|f| LOCAL_MUTATIONS.contains(f)) {
            return run(g, op).await;
        }
    }
    let first_time = !op.prepared.is_validated();
    if first_time {
        if let Err(refused) = validate(gw, &op) {
            return *refused;
        }
    }
    let Some(analysis) = analysis else {
        // Valid, yet the analysis could not follow it (it expands past the analysis's work
        // bound): nothing goes upstream that the analysis did not see.
        let why = op.prepared.analysis.as_ref().err().map(ToString::to_string);
        return refused(why.unwrap_or_else(|| "The document cannot be analysed.".into()));
    };
    let (stripped, would_deny) = match denied(g, gw, &op, analysis) {
        Ok(decided) => decided,
        Err(refused) => return *refused,
    };
    if first_time {
        // Valid against the upstream's schema: these variables skip validation from now on,
        // and the document is kept (a validated one already is).
        op.prepared.mark_validated();
        g.documents.remember(&op.body.query, &op.document);
    }
    if let Some(s) = stripped.as_deref().filter(|s| s.nothing_left) {
        // Every root field denied (a denied root mutation among them): nothing to ask.
        return answered_here(g, &op, s);
    }
    let mutation = analysis.operation_type == "mutation";
    let mut response = send(g, gw, &op, authorized, client_headers, mutation, stripped).await;
    if let Some(fields) = would_deny {
        set_header(&mut response, WOULD_DENY, &fields);
    }
    response
}

/// The operation validated against the upstream's schema, and then checked for what this
/// server refuses (SPEC §5.8).
fn validate(gw: &Gateway, op: &Operation) -> Result<(), Box<Response>> {
    let (doc, name) = (&op.document.doc, op.body.operation_name.as_deref());
    let mut errors = gw.validator.validate(doc, &op.prepared.variables, name);
    if errors.is_empty() {
        let refusal = operation_refusal(doc, name);
        errors.extend(refusal.map(|m| async_graphql::ServerError::new(m, None)));
    }
    match errors.is_empty() {
        true => Ok(()),
        false => Err(Box::new(invalid(errors))),
    }
}

/// The document to send in place of the client's, and the would-be denials to name.
type Decided = (Option<Arc<Stripped>>, Option<String>);

/// What `gateway.denied` makes of a document with fields the token may not see: the
/// stripped document to send (`null`), the would-be denials to name (`report`), or the
/// refusal (`reject`, or a document that could not be stripped).
fn denied(
    g: &Graphql,
    gw: &Gateway,
    op: &Operation,
    analysis: &Analysis,
) -> Result<Decided, Box<Response>> {
    let Some(have) = op.scopes.filter(|h| !h.contains_all(analysis.required)) else {
        return Ok((None, None));
    };
    match gw.denied {
        DeniedMode::Reject => Err(Box::new(insufficient_scope(analysis, have))),
        DeniedMode::Report => Ok((None, Some(denials::would_deny(analysis, have)))),
        DeniedMode::Null => {
            let (doc, text) = (&op.document.doc, &op.body.query);
            let name = op.body.operation_name.as_deref();
            match op.prepared.stripped(doc, text, &g.index, name, have) {
                Some(s) => Ok((Some(s), None)),
                None => Err(Box::new(insufficient_scope(analysis, have))),
            }
        }
    }
}

/// A stripped document with nothing left to send: the answer is the restore's alone.
fn answered_here(g: &Graphql, op: &Operation, stripped: &Stripped) -> Response {
    match denials::restored(op, &g.index, stripped, None) {
        Some((body, outcome)) => {
            g.domain.metrics().executed(Executor::Policy);
            let mut response = (
                [(axum::http::header::CONTENT_TYPE, "application/json")],
                body,
            )
                .into_response();
            response.extensions_mut().insert(outcome);
            response
        }
        None => failure(
            StatusCode::INTERNAL_SERVER_ERROR,
            "The answer could not be built.",
        ),
    }
}

/// A document the upstream's schema refuses, answered as built-in mode answers one its schema
/// refuses: async-graphql's errors, no data.
fn invalid(errors: Vec<async_graphql::ServerError>) -> Response {
    let outcome = GraphqlOutcome {
        errors: errors.len().min(u32::MAX as usize) as u32,
        data: false,
        upstream: None,
    };
    let mut response = axum::Json(async_graphql::Response::from_errors(errors)).into_response();
    response.extensions_mut().insert(outcome);
    response
}

/// Sends an operation that may go upstream, with its assertion, and answers from what came
/// back; the call's outcome goes to the metrics and the request log.
async fn send(
    g: &Graphql,
    gw: &Gateway,
    op: &Operation,
    authorized: &Authorized,
    client_headers: &HeaderMap,
    mutation: bool,
    stripped: Option<Arc<Stripped>>,
) -> Response {
    let identity = super::assertion::identity(&op.gql, authorized);
    let assertion = match gw.assertions.header(&g.domain, &gw.keys, identity).await {
        Ok(a) => a,
        Err(e) => {
            tracing::error!(error = %e, "gateway: no assertion could be signed");
            let why = "The gateway could not sign its assertion.";
            return failure(StatusCode::BAD_GATEWAY, why);
        }
    };
    let headers = || {
        let mut headers = allowed_headers(gw, client_headers);
        headers.insert(ASSERTION, assertion.clone());
        headers
    };
    #[derive(serde::Serialize)]
    #[serde(rename_all = "camelCase")]
    struct UpstreamBody<'a> {
        query: &'a str,
        variables: &'a Option<serde_json::Value>,
        operation_name: &'a Option<String>,
    }
    let body = UpstreamBody {
        query: stripped.as_ref().map_or(&op.body.query, |s| &s.query),
        variables: &op.body.variables,
        operation_name: &op.body.operation_name,
    };
    let body = Bytes::from(serde_json::to_vec(&body).unwrap_or_default());
    let started = std::time::Instant::now();
    let mut result = call(gw, headers, body, mutation).await;
    if let (Some(s), Ok(a)) = (&stripped, &mut result) {
        // Anything else is a failure `answer` reports, and its body is not the client's.
        if (200..500).contains(&a.status) {
            if let Some((body, _)) = denials::restored(op, &g.index, s, Some(&a.body)) {
                a.body = body;
            }
        }
    }
    let ms = started.elapsed().as_millis().min(u128::from(u32::MAX)) as u32;
    let (mut response, mut upstream) = answer(gw, result);
    upstream.ms = ms;
    g.domain.metrics().upstream_call(upstream.result, ms);
    g.domain.metrics().executed(Executor::Upstream);
    if let Some(outcome) = response.extensions_mut().get_mut::<GraphqlOutcome>() {
        outcome.upstream = Some(upstream);
    }
    response
}

/// The client's headers the allow-list names; nothing else of the request is copied. Room
/// is made for the assertion and the four headers the upstream client adds, so that the map
/// is allocated once.
fn allowed_headers(gw: &Gateway, client: &HeaderMap) -> HeaderMap {
    let mut out = HeaderMap::with_capacity(gw.forward_headers.len() + 5);
    for name in &gw.forward_headers {
        for value in client.get_all(name) {
            out.append(name.clone(), value.clone());
        }
    }
    out
}

/// One call through the breaker; a query is tried again once when its connection failed (a
/// kept connection the upstream had closed), a mutation never (it may have run). `headers`
/// makes each attempt's headers: the map is built again for a retry, not copied for each call.
async fn call(
    gw: &Gateway,
    headers: impl Fn() -> HeaderMap,
    body: Bytes,
    mutation: bool,
) -> Result<UpstreamAnswer, UpstreamError> {
    let admission = gw.breaker.admit();
    if admission == Admission::Refused {
        return Err(UpstreamError::BreakerOpen);
    }
    let first = match mutation {
        true => Attempt::Mutation,
        false => Attempt::Query,
    };
    let mut result = gw.upstream.post(headers(), body.clone(), first).await;
    let retry = matches!(
        result,
        Err(UpstreamError::Connect(_) | UpstreamError::Exchange(_))
    );
    if retry && !mutation {
        result = gw.upstream.post(headers(), body, Attempt::QueryAgain).await;
    }
    let ok = match &result {
        Ok(a) => a.status < 500,
        Err(UpstreamError::TooLarge | UpstreamError::BreakerOpen) => true,
        Err(_) => false,
    };
    gw.breaker.record(admission, ok);
    result
}

/// `denied = reject`: a document selecting any field the token's scopes do not cover is
/// refused whole, one `INSUFFICIENT_ACCESS_SCOPE` error per missing scope naming the fields
/// that need it. Nothing of it reaches the upstream.
fn insufficient_scope(analysis: &Analysis, have: ScopeSet) -> Response {
    let errors: Vec<_> = analysis
        .fields_by_scope
        .iter()
        .filter(|(scope, _)| !have.contains(**scope))
        .map(|(scope, fields)| {
            json!({
                "message": SCOPE_MESSAGE,
                "extensions": {
                    "code": "INSUFFICIENT_ACCESS_SCOPE",
                    "requiredScopes": [scope.as_str()],
                    "fields": fields,
                }
            })
        })
        .collect();
    let outcome = GraphqlOutcome {
        errors: errors.len().min(u32::MAX as usize) as u32,
        data: false,
        upstream: None,
    };
    let mut response = axum::Json(json!({ "data": null, "errors": errors })).into_response();
    response.extensions_mut().insert(outcome);
    response
}
