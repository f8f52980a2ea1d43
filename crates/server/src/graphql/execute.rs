//! `POST /graphql` (SPEC §5) as a pipeline: admit the request (host, body, origin, token),
//! resolve its customer, prepare the document (parse, analyse, SPEC §5.8's limits), answer
//! it (`answer`), and add the response headers.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue};
use axum::response::Response;
use axum::Extension;
use serde_json::json;
use storefront_auth_core::analysis::{check_limits, Analysis, AnalysisError, LimitExceeded};
use storefront_auth_core::clock::format_rfc3339;
use storefront_auth_core::document::DocumentError;
use storefront_auth_core::{RequestOrigin, ScopeSet};

use super::admission::{admit, Admitted, GraphqlBody};
use super::answer::{run, Operation};
use super::documents::{CachedDocument, Prepared};
use super::gateway::forward::{forward, WOULD_DENY};
use super::responses::{context_refused, document_refused, refused, unavailable, GraphqlHost};
use super::schema::request_host::RequestHost;
use super::schema::{Effects, GqlContext};
use super::{cors, customer_headers, Graphql};
use crate::http::headers::set_header;
use crate::http::request_log::{GraphqlOutcome, RequestLog};
use crate::http::storefront_host::StorefrontHost;
use crate::service::authorize::Authorized;
use crate::service::caches::usage::UseSignal;
use crate::service::customer_context;

const COMPLEXITY: HeaderName = HeaderName::from_static("x-bc-graphql-complexity");
const OPERATION_TYPE: HeaderName = HeaderName::from_static("x-bc-graphql-operation-type");
const OPERATION_NAME: HeaderName = HeaderName::from_static("x-bc-graphql-operation-name");
const DEPRECATION: HeaderName = HeaderName::from_static("deprecation");
const SUNSET: HeaderName = HeaderName::from_static("sunset");
/// A reporting rehearsal (issue 19): the rule that the rehearsed date would refuse this
/// request by, and that date.
const REHEARSAL: HeaderName = HeaderName::from_static("x-storefront-auth-would-refuse");

pub async fn execute(
    State(g): State<Graphql>,
    StorefrontHost(storefront, _): StorefrontHost<GraphqlHost>,
    Extension(log): Extension<RequestLog>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    request: Request,
) -> Response {
    // Taken apart rather than extracted: the `HeaderMap` extractor copies every header.
    let (parts, body) = request.into_parts();
    let headers = parts.headers;
    let admitted = match admit(&g, storefront, &headers, peer.ip(), body, &log).await {
        Ok(a) => a,
        Err(response) => return response,
    };
    let gql = match customer(&g, &headers, &admitted).await {
        Ok(gql) => gql,
        Err(response) => return response,
    };
    let effects = gql.effects.clone();
    let prepared = prepare(&g, &admitted.body);
    let analysis = match &prepared {
        Ok((_, p)) => p.analysis.as_ref().ok(),
        Err(_) => None,
    };
    let client_ip = admitted.client_ip;
    super::inspect::scopes(&log, analysis, &admitted.authorized.grant);
    let Admitted {
        origin,
        authorized,
        body,
        ..
    } = admitted;
    let mut response = match &prepared {
        Err(e) => document_refused(e),
        Ok((doc, p)) => match within_limits(&p.analysis) {
            Err(exceeded) => refused(exceeded.to_string()),
            Ok(()) => {
                let op = operation(gql, authorized.grant.scopes, body, analysis, doc, p);
                answer(&g, op, &authorized, analysis, &headers).await
            }
        },
    };
    finish(
        &g,
        &mut response,
        &authorized,
        (&origin, client_ip),
        analysis,
        &effects,
    );
    let named = analysis.and_then(|a| a.operation_name.clone());
    let operation = named.or_else(|| operation_param(parts.uri.query()));
    logged(&log, &response, operation);
    response
}

/// What the request log and the decision inspector keep of the answer.
fn logged(log: &RequestLog, response: &Response, operation: Option<String>) {
    let outcome = response.extensions().get::<GraphqlOutcome>().copied();
    let would_deny = response.headers().get(WOULD_DENY);
    let would_deny = would_deny.and_then(|v| v.to_str().ok()).map(str::to_string);
    log.update(|f| {
        f.operation = operation;
        f.graphql = outcome;
        if let (Some(fields), Some(d)) = (would_deny, f.inspected_mut()) {
            d.would_deny = Some(fields);
        }
    });
}

/// The answer: the built-in executors', or in gateway mode the upstream's.
async fn answer(
    g: &Graphql,
    op: Operation,
    authorized: &Authorized,
    analysis: Option<&Analysis>,
    headers: &HeaderMap,
) -> Response {
    match &g.gateway {
        // Boxed: the upstream call's state is large, and unboxed it would be part of (and
        // copied with) every built-in request's future too.
        Some(gw) => Box::pin(forward(g, gw, op, authorized, analysis, headers)).await,
        None => run(g, op).await,
    }
}

/// The customer the request acts for (SPEC §5.4) and the resolvers' context.
async fn customer(
    g: &Graphql,
    headers: &HeaderMap,
    admitted: &Admitted,
) -> Result<GqlContext, Response> {
    let Admitted {
        storefront, origin, ..
    } = admitted;
    let (store, channel) = (&storefront.entry.store, &storefront.channel);
    // Only a browser's session cookie counts (SPEC §5.4): a server's is not even read.
    let cookie = origin
        .is_browser()
        .then(|| crate::http::cookies::session(headers))
        .flatten();
    let signals = customer_headers::signals(headers, cookie.as_deref());
    let kind = admitted.authorized.grant.kind;
    let customer = customer_context::resolve(
        &g.domain,
        &signals,
        kind,
        origin,
        store.id,
        channel.channel_id,
    )
    .await
    .map_err(|e| context_refused(&e))?;
    let discount_bp = match &customer.customer {
        Some(c) => crate::service::customers::discount_bp(&g.domain, store.id, c)
            .await
            .map_err(|_| unavailable())?,
        None => 0,
    };
    Ok(GqlContext {
        domain: g.domain.clone(),
        cookies: g.cookies,
        store: store.clone(),
        channel: channel.clone(),
        customer: customer.customer,
        discount_bp,
        browser: origin.is_browser(),
        host: RequestHost::new(headers.get(header::HOST).cloned()),
        client_ip: admitted.client_ip,
        sign_in: customer.sign_in,
        unknown_customer_id: customer.unknown_customer_id,
        strict: customer.strict,
        effects: Arc::new(Mutex::new(Effects::default())),
        held: Arc::default(),
    })
}

type Executable = Result<(Arc<CachedDocument>, Arc<Prepared>), DocumentError>;

/// The parsed document (cached) and its analysis for this operation and these variables.
fn prepare(g: &Graphql, body: &GraphqlBody) -> Executable {
    let no_variables = json!({});
    let variables = match &body.variables {
        Some(v) if !v.is_null() => v,
        _ => &no_variables,
    };
    g.documents.get_or_parse(&body.query).map(|doc| {
        let prepared = doc.prepare(&g.index, body.operation_name.as_deref(), variables);
        (doc, prepared)
    })
}

/// Catalyst's `?operation=` (the client's text: cut short; the log line escapes it).
fn operation_param(query: Option<&str>) -> Option<String> {
    let (_, value) =
        url::form_urlencoded::parse(query?.as_bytes()).find(|(k, _)| k == "operation")?;
    Some(crate::logs::truncated(&value, 100).to_string()).filter(|s| !s.is_empty())
}

/// SPEC §5.8's limits, from the analysis of the (operation, variables). Other analysis errors
/// (an unknown operation or fragment) are the executor's to report, in GraphQL's words.
fn within_limits(analysis: &Result<Analysis, AnalysisError>) -> Result<(), LimitExceeded> {
    match analysis {
        Ok(a) => check_limits(a),
        Err(e) => LimitExceeded::of_error(e).map_or(Ok(()), Err),
    }
}

fn operation(
    gql: GqlContext,
    scopes: Option<ScopeSet>,
    body: GraphqlBody,
    analysis: Option<&Analysis>,
    document: &Arc<CachedDocument>,
    prepared: &Arc<Prepared>,
) -> Operation {
    // A query that needs no scope the token lacks cannot meet a denial.
    let undenied_query = analysis.is_some_and(|a| {
        a.operation_type == "query" && scopes.is_none_or(|have| have.contains_all(a.required))
    });
    Operation {
        gql,
        scopes,
        body,
        document: document.clone(),
        prepared: prepared.clone(),
        undenied_query,
    }
}

/// The response headers: the session cookie, the analysis, the deprecation of storefront
/// tokens server-to-server (SPEC §5.3), CORS; and the token's use is counted.
fn finish(
    g: &Graphql,
    response: &mut Response,
    authorized: &Authorized,
    (origin, client_ip): (&RequestOrigin, std::net::IpAddr),
    analysis: Option<&Analysis>,
    effects: &Mutex<Effects>,
) {
    if let Some(cookie) = effects.lock().ok().and_then(|mut e| e.set_cookie.take()) {
        set_header(response, header::SET_COOKIE, &cookie);
    }
    if let Some(a) = analysis {
        let headers = response.headers_mut();
        headers.insert(COMPLEXITY, HeaderValue::from(a.complexity));
        headers.insert(OPERATION_TYPE, HeaderValue::from_static(a.operation_type));
        if let Some(name) = &a.operation_name {
            set_header(response, OPERATION_NAME, name);
        }
    }
    if let Some((reason, at)) = authorized.grant.would_refuse {
        let day = &format_rfc3339(at)[..10];
        set_header(response, REHEARSAL, &format!("{reason}; at={day}"));
    }
    if authorized.grant.deprecated_s2s {
        let (deprecation, sunset) = g.domain.schedule().headers();
        set_header(response, DEPRECATION, &deprecation);
        set_header(response, SUNSET, &sunset);
    }
    if let RequestOrigin::Browser { origin: Some(o) } = origin {
        cors::allow(response, o);
    }
    let signal = UseSignal {
        browser: origin.is_browser(),
        origin: match origin {
            RequestOrigin::Browser { origin } => origin.as_deref(),
            RequestOrigin::ServerToServer => None,
        },
        ip: (!origin.is_browser()).then_some(client_ip),
        operation: analysis.and_then(|a| a.operation_name.as_deref()),
        needs: analysis.map(|a| a.required).unwrap_or_default(),
    };
    g.domain.record_token_use(&authorized.token.claims, &signal);
}
