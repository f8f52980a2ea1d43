//! `POST /graphql` (SPEC §5): admission, the limits of §5.8, execution with the request's
//! customer context and scope guard, and the response headers.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::extract::Request;
use axum::extract::{ConnectInfo, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use serde_json::json;
use storefront_auth_core::analysis::{check_limits, AnalysisError, LimitExceeded};
use storefront_auth_core::document::DocumentError;
use storefront_auth_core::RequestOrigin;

use super::customer_context;
use super::documents::{CachedDocument, Prepared};
use super::request::{admit, set_header, unavailable, Admitted};
use super::schema::{Effects, GqlContext};
use super::scope_extension::ScopeGuard;
use super::{cors, host::HostError};
use crate::metrics::Executor;
use crate::request_log::RequestLog;
use crate::state::SharedState;

const COMPLEXITY: HeaderName = HeaderName::from_static("x-bc-graphql-complexity");
const OPERATION_TYPE: HeaderName = HeaderName::from_static("x-bc-graphql-operation-type");
const OPERATION_NAME: HeaderName = HeaderName::from_static("x-bc-graphql-operation-name");
const DEPRECATION: HeaderName = HeaderName::from_static("deprecation");
const SUNSET: HeaderName = HeaderName::from_static("sunset");

pub async fn preflight(State(state): State<SharedState>, headers: HeaderMap) -> Response {
    let host = headers
        .get(axum::http::header::HOST)
        .and_then(|v| v.to_str().ok());
    match state.directory.resolve(&state, host).await {
        Ok((entry, channel)) => cors::preflight(&state, entry.store.id, &channel, &headers).await,
        Err(HostError::Unavailable) => unavailable(),
        Err(_) => StatusCode::NO_CONTENT.into_response(),
    }
}

/// SPEC §5.8's limits, from the analysis of the (operation, variables). Other analysis errors
/// (an unknown operation or fragment) are the executor's to report, in GraphQL's words.
fn within_limits(
    analysis: &Result<storefront_auth_core::analysis::Analysis, AnalysisError>,
) -> Result<(), LimitExceeded> {
    match analysis {
        Ok(a) => check_limits(a),
        Err(e) => LimitExceeded::of_error(e).map_or(Ok(()), Err),
    }
}

/// A document refused before it is parsed (too deep) or because it does not parse: as
/// async-graphql reports a syntax error (HTTP 200, `data: null`, the error's position).
fn document_refused(e: &DocumentError) -> Response {
    match e {
        DocumentError::TooDeep(_) => refused(e.to_string()),
        DocumentError::Syntax(syntax) => axum::Json(async_graphql::Response::from_errors(vec![
            async_graphql::ServerError::from(syntax.clone()),
        ]))
        .into_response(),
    }
}

/// A GraphQL-level refusal: HTTP 200 with `data: null` and one error.
fn refused(message: String) -> Response {
    (
        StatusCode::OK,
        axum::Json(json!({ "data": null, "errors": [{ "message": message }] })),
    )
        .into_response()
}

pub async fn execute(
    State(state): State<SharedState>,
    Extension(log): Extension<RequestLog>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    request: Request,
) -> Response {
    // Taken apart rather than extracted: the `HeaderMap` extractor copies every header.
    let (parts, body) = request.into_parts();
    let headers = parts.headers;
    let Admitted {
        client_ip,
        entry,
        channel,
        origin,
        authorized,
        body,
    } = match admit(&state, &headers, peer.ip(), body, &log).await {
        Ok(a) => a,
        Err(response) => return response,
    };
    let kind = authorized.grant.kind;
    let customer = match customer_context::resolve(
        &state,
        &headers,
        kind,
        &origin,
        entry.store.id,
        channel.channel_id,
    )
    .await
    {
        Ok(c) => c,
        Err(refusal) => return refusal.response(),
    };
    let discount_bp = match &customer.customer {
        Some(c) => match crate::service::carts::discount_bp(&state, entry.store.id, c).await {
            Ok(d) => d,
            Err(_) => return unavailable(),
        },
        None => 0,
    };
    let effects = Arc::new(Mutex::new(Effects::default()));
    let gql = GqlContext {
        state: state.clone(),
        store: entry.store.clone(),
        channel,
        customer: customer.customer,
        discount_bp,
        browser: origin.is_browser(),
        client_ip,
        sign_in: customer.sign_in,
        unknown_customer_id: customer.unknown_customer_id,
        strict: customer.strict,
        effects: effects.clone(),
    };
    let no_variables = json!({});
    let variables = match &body.variables {
        Some(v) if !v.is_null() => v,
        _ => &no_variables,
    };
    let executable = state.documents.get_or_parse(&body.query).map(|doc| {
        let prepared = doc.prepare(
            &state.graphql.index,
            body.operation_name.as_deref(),
            variables,
        );
        (doc, prepared)
    });
    let analysis = match &executable {
        Ok((_, p)) => p.analysis.as_ref().ok(),
        Err(_) => None,
    };
    let mut response = match &executable {
        Err(e) => document_refused(e),
        Ok((doc, p)) => match within_limits(&p.analysis) {
            Err(exceeded) => refused(exceeded.to_string()),
            Ok(()) => {
                // A query that needs no scope the token lacks cannot meet a denial.
                let undenied_query = analysis.is_some_and(|a| {
                    a.operation_type == "query"
                        && authorized
                            .grant
                            .scopes
                            .is_none_or(|have| have.contains_all(a.required))
                });
                let (document, prepared) = (doc.clone(), p.clone());
                let operation = Operation {
                    gql,
                    scopes: authorized.grant.scopes,
                    body,
                    document,
                    prepared,
                    undenied_query,
                };
                run(&state, operation).await
            }
        },
    };
    if let Some(cookie) = effects.lock().ok().and_then(|mut e| e.set_cookie.take()) {
        set_header(&mut response, header::SET_COOKIE, &cookie);
    }
    if let Some(a) = analysis {
        let headers = response.headers_mut();
        headers.insert(COMPLEXITY, HeaderValue::from(a.complexity));
        headers.insert(OPERATION_TYPE, HeaderValue::from_static(a.operation_type));
        if let Some(name) = &a.operation_name {
            set_header(&mut response, OPERATION_NAME, name);
        }
    }
    if authorized.grant.deprecated_s2s {
        let (deprecation, sunset) = state.schedule.headers();
        set_header(&mut response, DEPRECATION, &deprecation);
        set_header(&mut response, SUNSET, &sunset);
    }
    if let RequestOrigin::Browser { origin: Some(o) } = &origin {
        cors::allow(&mut response, o);
    }
    state.usage.record(
        &authorized.token.claims.jti,
        origin.is_browser(),
        state.now(),
    );
    response
}

/// A JSON body already serialized, with the header `axum::Json` gives one.
fn json_body(body: impl Into<axum::body::Body>) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        body.into(),
    )
        .into_response()
}

/// An admitted operation within its limits, as it goes to be answered.
struct Operation {
    gql: GqlContext,
    /// The private token's scopes (`None` for kinds that are not scope-checked).
    scopes: Option<storefront_auth_core::ScopeSet>,
    body: super::request::GraphqlBody,
    /// The parsed document and its prepared (operation, variables).
    document: Arc<CachedDocument>,
    prepared: Arc<Prepared>,
    /// A query that needs no scope the token lacks.
    undenied_query: bool,
}

/// Answers the operation. If the token may see none of its root fields, the answer is built
/// from the policy; an undenied query with a compiled plan is answered by the plan. Otherwise
/// async-graphql executes it (`executed`). A document that already produced data with these
/// variables skips validation. Queries have no side effects, so running one twice (the plan,
/// then the executor; or the executor without and then with the field rules) is harmless.
async fn run(state: &SharedState, op: Operation) -> Response {
    let validated = op.prepared.is_validated();
    let name = op.body.operation_name.as_deref();
    if validated {
        let (doc, prepared) = (&op.document.doc, &op.prepared);
        // An undenied query has nothing denied; only others can be wholly denied.
        if let (false, Some(have)) = (op.undenied_query, op.scopes) {
            let index = &state.graphql.index;
            if let Some(answer) = prepared.wholly_denied(doc, index, name, have) {
                state.metrics.executed(Executor::Policy);
                return json_body(answer);
            }
        }
        // A plan answers what it can exactly as the executor would (storefront/plan); when
        // a resolver fails it gives up, and the executor below reports the error.
        if let (true, Some(plan)) = (op.undenied_query, prepared.plan(doc, name)) {
            if let Ok(answer) = plan.execute(&op.gql).await {
                state.metrics.executed(Executor::Plan);
                return json_body(answer);
            }
        }
    }
    // Boxed: the executor's future is about 3 KB; unboxed, every request's future would be as
    // large, plans' and the policy's answers included.
    Box::pin(executed(state, op, validated)).await
}

/// The answer of async-graphql's executor: an undenied query first without the field-rules
/// extension, and only if that result has errors again with the extension.
async fn executed(state: &SharedState, op: Operation, validated: bool) -> Response {
    state.metrics.executed(Executor::AsyncGraphql);
    let Operation {
        gql,
        scopes,
        body,
        document,
        prepared,
        undenied_query,
    } = op;
    let (guarded, unguarded) = (&state.graphql.schema, &state.graphql.unguarded);
    let build = |gql: GqlContext| {
        // With a parsed document the executor never reads the query text.
        let mut request =
            async_graphql::Request::new(String::new()).variables(prepared.variables.clone());
        request.set_parsed_query(document.doc.clone());
        if validated {
            // Our patch of async-graphql (vendor/async-graphql/PATCHES.md).
            request.set_prevalidated();
        }
        let mut request = request.data(gql);
        if let Some(name) = &body.operation_name {
            request = request.operation_name(name.clone());
        }
        if let Some(have) = scopes {
            request = request.data(Arc::new(ScopeGuard { have }));
        }
        request
    };
    let remember = |result: &async_graphql::Response| {
        // Data means the document passed validation (a refused document has none): from now
        // on it is kept, and these variables skip validation.
        if !validated && !matches!(result.data, async_graphql::Value::Null) {
            prepared.mark_validated();
            state.documents.remember(&body.query, &document);
        }
    };
    if undenied_query {
        let result = unguarded.execute(build(gql.clone())).await;
        if result.errors.is_empty() {
            remember(&result);
            return axum::Json(result).into_response();
        }
    }
    let result = guarded.execute(build(gql)).await;
    remember(&result);
    axum::Json(result).into_response()
}
