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

/// The upstream's answer to a stripped document. Its errors and extensions are kept as JSON:
/// every key it sent goes on to the client, its own ones included, only the locations moved.
#[derive(serde::Deserialize, Default)]
struct UpstreamResponse {
    #[serde(default)]
    data: async_graphql::Value,
    #[serde(default)]
    errors: Vec<serde_json::Value>,
    #[serde(default)]
    extensions: serde_json::Map<String, serde_json::Value>,
}

/// As async-graphql writes a response: errors, data, extensions.
#[derive(serde::Serialize)]
struct Restored {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    errors: Vec<serde_json::Value>,
    data: async_graphql::Value,
    #[serde(skip_serializing_if = "serde_json::Map::is_empty")]
    extensions: serde_json::Map<String, serde_json::Value>,
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
    let answer: UpstreamResponse = match upstream {
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
    let mut errors: Vec<serde_json::Value> = denials
        .into_iter()
        .filter_map(|d| serde_json::to_value(denial_error(d)).ok())
        .collect();
    for mut e in answer.errors {
        move_locations(&mut e, stripped);
        errors.push(e);
    }
    let outcome = GraphqlOutcome {
        errors: errors.len().min(u32::MAX as usize) as u32,
        data: data != async_graphql::Value::Null,
        upstream: None,
    };
    let response = Restored {
        errors,
        data,
        extensions: answer.extensions,
    };
    let body = serde_json::to_vec(&response).ok()?;
    Some((Bytes::from(body), outcome))
}

/// An upstream error's `locations` point into what was sent: moved back into the client's
/// document (over the stripped text's insertions).
fn move_locations(error: &mut serde_json::Value, stripped: &Stripped) {
    let Some(locations) = error.get_mut("locations").and_then(|l| l.as_array_mut()) else {
        return;
    };
    for l in locations {
        let at = |k: &str| l.get(k).and_then(serde_json::Value::as_u64);
        if let (Some(line), Some(column)) = (at("line"), at("column")) {
            let (line, column) = stripped.client_position(line as usize, column as usize);
            l["line"] = line.into();
            l["column"] = column.into();
        }
    }
}

/// The built-in executor's error for a denied field instance.
fn denial_error(d: Denial) -> ServerError {
    let path = d.path.into_iter().map(|p| match p {
        PathStep::Key(k) => PathSegment::Field(k),
        PathStep::Index(i) => PathSegment::Index(i),
    });
    scope_error(d.scope, path.collect(), d.location)
}
