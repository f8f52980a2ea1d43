//! Answering an admitted operation within its limits: from the policy alone when the token
//! may see none of its root fields, from a compiled plan, or by async-graphql's executor.

use std::sync::Arc;

use crate::http::request_log::GraphqlOutcome;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};

use super::admission::GraphqlBody;
use super::documents::{CachedDocument, Prepared};
use super::schema::GqlContext;
use super::scope_extension::ScopeGuard;
use super::Graphql;
use crate::metrics::Executor;

/// A JSON body already serialized, with the header `axum::Json` gives one.
fn json_body(body: impl Into<axum::body::Body>, outcome: GraphqlOutcome) -> Response {
    let mut response = (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        body.into(),
    )
        .into_response();
    response.extensions_mut().insert(outcome);
    response
}

/// The executor's answer, with what it held for the request log.
fn answered(result: async_graphql::Response) -> Response {
    let outcome = GraphqlOutcome {
        errors: result.errors.len().min(u32::MAX as usize) as u32,
        data: !matches!(result.data, async_graphql::Value::Null),
        upstream: None,
    };
    let mut response = axum::Json(result).into_response();
    response.extensions_mut().insert(outcome);
    response
}

/// An admitted operation within its limits, as it goes to be answered.
pub struct Operation {
    pub gql: GqlContext,
    /// The private token's scopes (`None` for kinds that are not scope-checked).
    pub scopes: Option<storefront_auth_core::ScopeSet>,
    pub body: GraphqlBody,
    /// The parsed document and its prepared (operation, variables).
    pub document: Arc<CachedDocument>,
    pub prepared: Arc<Prepared>,
    /// A query that needs no scope the token lacks.
    pub undenied_query: bool,
}

/// Answers the operation. If the token may see none of its root fields, the answer is built
/// from the policy; an undenied query with a compiled plan is answered by the plan. Otherwise
/// async-graphql executes it (`executed`). A document that already produced data with these
/// variables skips validation. Queries have no side effects, so running one twice (the plan,
/// then the executor; or the executor without and then with the field rules) is harmless.
pub async fn run(g: &Graphql, op: Operation) -> Response {
    let validated = op.prepared.is_validated();
    let name = op.body.operation_name.as_deref();
    if validated {
        let (doc, prepared) = (&op.document.doc, &op.prepared);
        // An undenied query has nothing denied; only others can be wholly denied.
        if let (false, Some(have)) = (op.undenied_query, op.scopes) {
            let index = &g.index;
            if let Some(answer) = prepared.wholly_denied(doc, index, name, have) {
                g.domain.metrics().executed(Executor::Policy);
                // Every root field denied: one error each, data of nulls.
                let roots = op.prepared.analysis.as_ref().map_or(1, |a| a.root_fields);
                let outcome = GraphqlOutcome {
                    errors: roots.clamp(1, u32::MAX as usize) as u32,
                    data: true,
                    upstream: None,
                };
                return json_body(answer, outcome);
            }
        }
        // A plan answers what it can exactly as the executor would (storefront/plan); when
        // a resolver fails it gives up, and the executor below reports the error.
        if let (true, Some(plan)) = (op.undenied_query, prepared.plan(doc, name)) {
            if let Ok(answer) = plan.execute(&op.gql).await {
                g.domain.metrics().executed(Executor::Plan);
                let outcome = GraphqlOutcome {
                    errors: 0,
                    data: true,
                    upstream: None,
                };
                return json_body(answer, outcome);
            }
        }
    }
    // Boxed: the executor's future is about 3 KB; unboxed, every request's future would be as
    // large, plans' and the policy's answers included.
    Box::pin(executed(g, op, validated)).await
}

/// The answer of async-graphql's executor: an undenied query first without the field-rules
/// extension, and only if that result has errors again with the extension.
async fn executed(g: &Graphql, op: Operation, validated: bool) -> Response {
    g.domain.metrics().executed(Executor::AsyncGraphql);
    let Operation {
        gql,
        scopes,
        body,
        document,
        prepared,
        undenied_query,
    } = op;
    let (guarded, unguarded) = (&g.schema, &g.unguarded);
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
            g.documents.remember(&body.query, &document);
        }
    };
    if undenied_query {
        let result = unguarded.execute(build(gql.clone())).await;
        if result.errors.is_empty() {
            remember(&result);
            return answered(result);
        }
    }
    let result = guarded.execute(build(gql)).await;
    remember(&result);
    answered(result)
}
