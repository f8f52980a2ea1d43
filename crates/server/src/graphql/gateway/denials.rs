//! `gateway.denied` (issue 21): what a document selecting fields the token's scopes do not
//! cover gets in gateway mode.
//!
//! - `null`, the default and BigCommerce's answer: the denied selections are blanked out of
//!   the text before it goes upstream (`analysis::strip`), and the upstream's answer is
//!   shaped back into the client's document with `null` and one `INSUFFICIENT_ACCESS_SCOPE`
//!   error at every denied instance (`gateway_restore`): the built-in executor's answer.
//! - `reject`: the document is refused whole, before the upstream.
//! - `report`: a dry run. The document goes upstream as it is; the response names what would
//!   have been denied in `X-Storefront-Auth-Would-Deny` (and the decision inspector keeps it).

use async_graphql::{PathSegment, ServerError};
use axum::body::Bytes;
use storefront_auth_core::analysis::{Analysis, SchemaIndex, Stripped};
use storefront_auth_core::gateway_restore::{restore, Denial, PathStep};
use storefront_auth_core::ScopeSet;

use crate::graphql::answer::Operation;
use crate::graphql::scope_extension::scope_error;
use crate::http::request_log::GraphqlOutcome;

/// What a document with denied fields gets (`gateway.denied`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeniedMode {
    Null,
    Reject,
    Report,
}

impl DeniedMode {
    pub fn parse(s: &str) -> Option<DeniedMode> {
        match s {
            "null" => Some(DeniedMode::Null),
            "reject" => Some(DeniedMode::Reject),
            "report" => Some(DeniedMode::Report),
            _ => None,
        }
    }
}

/// `report`: the fields the token would have seen nulled, by the scope they need:
/// `Customer: Query.customer; B2B: Company.users`.
pub fn would_deny(analysis: &Analysis, have: ScopeSet) -> String {
    analysis
        .fields_by_scope
        .iter()
        .filter(|(scope, _)| !have.contains(**scope))
        .map(|(scope, fields)| {
            let fields: Vec<&str> = fields.iter().map(String::as_str).collect();
            format!("{scope}: {}", fields.join(", "))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The client's answer from the upstream's body to a stripped document (`{}` as the data when
/// nothing was sent): the upstream's data shaped by the client's operation, the denials'
/// errors, then the upstream's own errors with their locations moved back into the client's
/// document. `None` when the body is not a GraphQL response (the caller answers 502) or the
/// upstream's data is null (its own errors say why; the body goes as it is).
pub fn restored(
    op: &Operation,
    index: &SchemaIndex,
    stripped: &Stripped,
    upstream: Option<&[u8]>,
) -> Option<(Bytes, GraphqlOutcome)> {
    #[derive(serde::Deserialize, Default)]
    struct UpstreamResponse {
        #[serde(default)]
        data: async_graphql::Value,
        #[serde(default)]
        errors: Vec<ServerError>,
        #[serde(default)]
        extensions: std::collections::BTreeMap<String, async_graphql::Value>,
    }
    let mut answer: UpstreamResponse = match upstream {
        Some(body) => serde_json::from_slice(body).ok()?,
        None => UpstreamResponse {
            data: async_graphql::Value::Object(Default::default()),
            ..Default::default()
        },
    };
    if answer.data == async_graphql::Value::Null {
        return None;
    }
    let name = op.body.operation_name.as_deref();
    let variables = op
        .prepared
        .variables
        .clone()
        .into_value()
        .into_json()
        .ok()?;
    let (data, denials) = restore(
        &op.document.doc,
        name,
        index,
        &variables,
        &stripped.denied,
        &answer.data,
    )
    .ok()?;
    let mut errors: Vec<ServerError> = denials.into_iter().map(denial_error).collect();
    for mut e in answer.errors.drain(..) {
        for l in &mut e.locations {
            (l.line, l.column) = stripped.client_position(l.line, l.column);
        }
        errors.push(e);
    }
    let outcome = GraphqlOutcome {
        errors: errors.len().min(u32::MAX as usize) as u32,
        data: data != async_graphql::Value::Null,
        upstream: None,
    };
    let mut response = async_graphql::Response::new(data);
    response.errors = errors;
    response.extensions = answer.extensions;
    let body = serde_json::to_vec(&response).ok()?;
    Some((Bytes::from(body), outcome))
}

/// The built-in executor's error for a denied field instance.
fn denial_error(d: Denial) -> ServerError {
    let path = d.path.into_iter().map(|p| match p {
        PathStep::Key(k) => PathSegment::Field(k),
        PathStep::Index(i) => PathSegment::Index(i),
    });
    scope_error(d.scope, path.collect(), d.location)
}
