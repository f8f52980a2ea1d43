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
use storefront_auth_core::analysis::{Analysis, AnalysisError};
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

pub const MAX_DEPTH: usize = 16;
pub const MAX_COMPLEXITY: u64 = 10_000;

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

/// A GraphQL-level refusal: HTTP 200 with `data: null` and one error.
fn refused(message: String) -> Response {
    (
        StatusCode::OK,
        axum::Json(json!({ "data": null, "errors": [{ "message": message }] })),
    )
        .into_response()
}

/// SPEC §5.8 limits, checked on the parsed document before anything runs.
pub fn check_limits(a: &Analysis) -> Result<(), String> {
    if a.depth > MAX_DEPTH {
        return Err(format!(
            "The query is too deep: its depth is {} and the maximum is {MAX_DEPTH}.",
            a.depth
        ));
    }
    if a.complexity > MAX_COMPLEXITY {
        return Err(format!(
            "The query is too complex as it has a complexity score of {} out of {MAX_COMPLEXITY}. Please remove some elements and try again",
            a.complexity
        ));
    }
    if a.operation_type == "mutation" && a.root_fields > 1 {
        return Err(format!(
            "Only one mutation is allowed per request; this document has {} root mutation fields.",
            a.root_fields
        ));
    }
    Ok(())
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
        Err(response) => return response,
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
    // Parse errors and unknown operations are reported by the executor below, in GraphQL form.
    let executable = state.documents.get_or_parse(&body.query).map(|doc| {
        let prepared = doc.prepare(
            &state.graphql.index,
            body.operation_name.as_deref(),
            variables,
        );
        (doc, prepared)
    });
    let analysis = match &executable {
        Some((_, p)) => p.analysis.as_ref(),
        None => Err(&AnalysisError::NoOperation),
    };
    let limits = match analysis {
        Ok(a) => check_limits(a),
        Err(AnalysisError::TooDeep) => {
            Err("The query nests fragments too deeply or they form a cycle.".to_string())
        }
        Err(_) => Ok(()),
    };
    let analysis = analysis.ok();
    // A query that needs no scope the token lacks cannot meet a denial.
    let undenied_query = analysis.is_some_and(|a| {
        a.operation_type == "query"
            && authorized
                .grant
                .scopes
                .is_none_or(|have| have.contains_all(a.required))
    });
    let mut response = match limits {
        Err(message) => refused(message),
        Ok(()) => {
            let operation = Operation {
                gql,
                scopes: authorized.grant.scopes,
                body,
                executable: executable.clone(),
                undenied_query,
            };
            run(&state, operation).await
        }
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
    /// The parsed document and its prepared (operation, variables); `None` if it does not parse.
    executable: Option<(Arc<CachedDocument>, Arc<Prepared>)>,
    /// A query that needs no scope the token lacks.
    undenied_query: bool,
}

/// Answers the operation. If the token may see none of its root fields, the answer is built
/// from the policy; an undenied query with a compiled plan is answered by the plan. Otherwise
/// async-graphql executes it (`executed`). A document that already produced data with these
/// variables skips validation. Queries have no side effects, so running one twice (the plan,
/// then the executor; or the executor without and then with the field rules) is harmless.
async fn run(state: &SharedState, op: Operation) -> Response {
    let validated = op
        .executable
        .as_ref()
        .is_some_and(|(_, p)| p.is_validated());
    let name = op.body.operation_name.as_deref();
    if let (true, Some((cached, prepared))) = (validated, &op.executable) {
        // An undenied query has nothing denied; only others can be wholly denied.
        if let (false, Some(have)) = (op.undenied_query, op.scopes) {
            let index = &state.graphql.index;
            if let Some(answer) = prepared.wholly_denied(&cached.doc, index, name, have) {
                state.metrics.executed(Executor::Policy);
                return json_body(answer);
            }
        }
        // A plan answers what it can exactly as the executor would (storefront/plan); when
        // a resolver fails it gives up, and the executor below reports the error.
        if let (true, Some(plan)) = (op.undenied_query, prepared.plan(&cached.doc, name)) {
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
        executable,
        undenied_query,
    } = op;
    let (guarded, unguarded) = (&state.graphql.schema, &state.graphql.unguarded);
    let build = |gql: GqlContext| {
        // With a parsed document the executor never reads the query text.
        let mut request = match &executable {
            Some((cached, prepared)) => {
                let mut r = async_graphql::Request::new(String::new())
                    .variables(prepared.variables.clone());
                r.set_parsed_query(cached.doc.clone());
                if validated {
                    // Our patch of async-graphql (vendor/async-graphql/PATCHES.md).
                    r.set_prevalidated();
                }
                r
            }
            None => async_graphql::Request::new(body.query.clone()),
        }
        .data(gql);
        if let Some(name) = &body.operation_name {
            request = request.operation_name(name.clone());
        }
        if let Some(have) = scopes {
            request = request.data(Arc::new(ScopeGuard { have }));
        }
        request
    };
    let remember = |result: &async_graphql::Response| {
        // Data means the document passed validation (a refused document has none).
        if let (false, Some((_, prepared))) = (validated, &executable) {
            if !matches!(result.data, async_graphql::Value::Null) {
                prepared.mark_validated();
            }
        }
    };
    if undenied_query && executable.is_some() {
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
