//! `POST /graphql/explain` (SPEC §5.5): with the same authentication as `/graphql`, says which
//! scopes a document needs, which fields need each, what the calling token lacks, and the
//! document's complexity and depth. Nothing is executed.

use axum::body::Body;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use serde_json::{json, Value};
use storefront_auth_core::analysis::{self, Analysis, SchemaIndex};

use super::admission::{admit, Admitted};
use super::responses::{gql_error, GraphqlHost};
use super::Graphql;
use crate::http::request_log::RequestLog;
use crate::http::storefront_host::StorefrontHost;

/// The JSON report shared with `storefront-auth scopes explain`.
pub fn report(a: &Analysis) -> Value {
    let fields: serde_json::Map<String, Value> = a
        .fields_by_scope
        .iter()
        .map(|(s, f)| (s.as_str().to_string(), json!(f)))
        .collect();
    json!({
        "operationType": a.operation_type,
        "operationName": a.operation_name,
        "requiredScopes": a.required.names(),
        "fields": fields,
        "complexity": a.complexity,
        "depth": a.depth,
    })
}

pub fn explain_document(
    index: &SchemaIndex,
    query: &str,
    operation: Option<&str>,
    variables: &Value,
) -> Result<Analysis, String> {
    let doc = storefront_auth_core::document::parse(query).map_err(|e| e.to_string())?;
    let variables = analysis::with_defaults(&doc, operation, variables);
    analysis::analyze(&doc, index, operation, &variables).map_err(|e| e.to_string())
}

pub async fn explain(
    State(g): State<Graphql>,
    StorefrontHost(storefront, _): StorefrontHost<GraphqlHost>,
    Extension(log): Extension<RequestLog>,
    ConnectInfo(peer): ConnectInfo<std::net::SocketAddr>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let Admitted {
        authorized, body, ..
    } = match admit(&g, storefront, &headers, peer.ip(), body, &log).await {
        Ok(a) => a,
        Err(response) => return response,
    };
    let variables = body
        .variables
        .clone()
        .filter(|v| !v.is_null())
        .unwrap_or_else(|| json!({}));
    match explain_document(
        &g.index,
        &body.query,
        body.operation_name.as_deref(),
        &variables,
    ) {
        Ok(a) => {
            let mut out = report(&a);
            if let Some(have) = authorized.grant.scopes {
                let missing: Vec<&str> = a
                    .required
                    .iter()
                    .filter(|s| !have.contains(*s))
                    .map(|s| s.as_str())
                    .collect();
                out["tokenScopes"] = json!(have.names());
                out["missingScopes"] = json!(missing);
            }
            axum::Json(json!({ "data": out })).into_response()
        }
        Err(message) => gql_error(StatusCode::BAD_REQUEST, &message),
    }
}
