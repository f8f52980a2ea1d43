//! Static analysis of a GraphQL document against the schema and the scope table (SPEC §5.5,
//! §5.8, §11), without executing it: which scopes it needs and which fields need each, which
//! fields a token would see nulled, its complexity and depth, and whether it is within the
//! limits. Aliases, fragments, inline fragments, interfaces and variables change none of these
//! answers, and no document makes the analysis do more than linear work (`walk`).

mod cost;
mod index;
mod limits;
mod strip;
mod strip_text;
mod walk;

use std::collections::{BTreeMap, BTreeSet};

use async_graphql_parser::types::{
    DocumentOperations, ExecutableDocument, OperationDefinition, OperationType, Selection,
};
use async_graphql_parser::Positioned;

pub use index::SchemaIndex;
pub use limits::{check_limits, LimitExceeded, MAX_COMPLEXITY, MAX_DEPTH};
pub use strip::{strip, Stripped, TYPE_PROBE};
use walk::{Context, Walker};

use crate::scope::{Scope, ScopeSet};

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AnalysisError {
    #[error("the document has no operation")]
    NoOperation,
    #[error("the document has several operations; name the one to run")]
    AmbiguousOperation,
    #[error("unknown operation {0:?}")]
    UnknownOperation(String),
    #[error("unknown fragment {0:?}")]
    UnknownFragment(String),
    #[error("fragments nest too deeply or form a cycle")]
    TooDeep,
    /// The document expands to more selections than any real one (see `walk::MAX_WORK`).
    #[error("the document expands to too many selections")]
    TooMuchWork,
}

/// What a document needs and costs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Analysis {
    pub operation_type: &'static str,
    pub operation_name: Option<String>,
    /// Every scope some selected field needs.
    pub required: ScopeSet,
    /// Scope -> the `Type.field` coordinates that need it.
    pub fields_by_scope: BTreeMap<Scope, BTreeSet<String>>,
    pub root_fields: usize,
    pub depth: usize,
    pub complexity: u64,
}

/// The request's variables with the operation's declared defaults filled in where a variable
/// was not sent (GraphQL spec §6.4.1), so analysis and execution see the same values.
pub fn with_defaults(
    doc: &ExecutableDocument,
    operation: Option<&str>,
    variables: &serde_json::Value,
) -> serde_json::Value {
    let mut out = match variables {
        serde_json::Value::Object(m) => m.clone(),
        _ => serde_json::Map::new(),
    };
    let op = select_operation(doc, operation).ok().map(|(_, op)| op);
    for def in op
        .map(|o| o.node.variable_definitions.as_slice())
        .unwrap_or_default()
    {
        let name = def.node.name.node.to_string();
        if let (false, Some(default)) = (out.contains_key(&name), &def.node.default_value) {
            if let Ok(json) = default.node.clone().into_json() {
                out.insert(name, json);
            }
        }
    }
    serde_json::Value::Object(out)
}

/// What the document needs and costs. `Err(TooMuchWork)` means it is over the limits
/// whatever its exact score (see `check_limits`).
pub fn analyze(
    doc: &ExecutableDocument,
    schema: &SchemaIndex,
    operation: Option<&str>,
    variables: &serde_json::Value,
) -> Result<Analysis, AnalysisError> {
    let (name, op) = select_operation(doc, operation)?;
    let (op_type, root) = root_of(schema, op);
    let mut w = Walker::new(doc, schema, variables);
    let set = &op.node.selection_set.node;
    let cost = w.summarize(set, &Context::of(schema, root), 0)?;
    let mut roots = BTreeSet::new();
    w.root_keys(set, &mut roots, 0)?;
    let mut fields_by_scope: BTreeMap<Scope, BTreeSet<String>> = BTreeMap::new();
    for (scope, coordinate) in std::mem::take(&mut w.coordinates) {
        fields_by_scope.entry(scope).or_default().insert(coordinate);
    }
    Ok(Analysis {
        operation_type: op_type,
        operation_name: name.map(str::to_string),
        required: w.required,
        fields_by_scope,
        root_fields: roots.len(),
        depth: cost.depth,
        complexity: cost.complexity(),
    })
}

/// The response paths (aliases, no list indices) of the outermost fields a token holding
/// `have` would see nulled with INSUFFICIENT_ACCESS_SCOPE, assuming every object exists (a
/// field read through an interface counts as denied when any type it may be is). Documents
/// over the limits are refused first, so this walk stays small.
pub fn denied_paths(
    doc: &ExecutableDocument,
    schema: &SchemaIndex,
    operation: Option<&str>,
    variables: &serde_json::Value,
    have: ScopeSet,
) -> Result<Vec<Vec<String>>, AnalysisError> {
    let analysis = analyze(doc, schema, operation, variables)?;
    if check_limits(&analysis).is_err() {
        return Err(AnalysisError::TooMuchWork);
    }
    let (_, op) = select_operation(doc, operation)?;
    let (_, root) = root_of(schema, op);
    let mut w = Walker::new(doc, schema, variables);
    let mut out = Vec::new();
    let cx = Context::of(schema, root);
    w.denied(
        &op.node.selection_set.node,
        &cx,
        have,
        &mut Vec::new(),
        &mut out,
        0,
    )?;
    Ok(out)
}

fn root_of<'s>(
    schema: &'s SchemaIndex,
    op: &Positioned<OperationDefinition>,
) -> (&'static str, &'s str) {
    match op.node.ty {
        OperationType::Query => ("query", schema.query.as_str()),
        OperationType::Mutation => ("mutation", schema.mutation.as_str()),
        OperationType::Subscription => ("subscription", "Subscription"),
    }
}

/// The operation a request runs, with its name: the named one, or the only one.
pub(crate) fn select_operation<'d>(
    doc: &'d ExecutableDocument,
    operation: Option<&str>,
) -> Result<(Option<&'d str>, &'d Positioned<OperationDefinition>), AnalysisError> {
    match (&doc.operations, operation) {
        (DocumentOperations::Single(op), _) => Ok((None, op)),
        (DocumentOperations::Multiple(ops), Some(wanted)) => ops
            .iter()
            .find(|(n, _)| n.as_str() == wanted)
            .map(|(n, op)| (Some(n.as_str()), op))
            .ok_or_else(|| AnalysisError::UnknownOperation(wanted.to_string())),
        (DocumentOperations::Multiple(ops), None) if ops.len() == 1 => ops
            .iter()
            .next()
            .map(|(n, op)| (Some(n.as_str()), op))
            .ok_or(AnalysisError::NoOperation),
        (DocumentOperations::Multiple(ops), None) if ops.is_empty() => {
            Err(AnalysisError::NoOperation)
        }
        (DocumentOperations::Multiple(_), None) => Err(AnalysisError::AmbiguousOperation),
    }
}

/// A root field a token may not see (see `wholly_denied`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeniedRoot {
    /// The response key: the alias, or the field's name.
    pub key: String,
    /// Where the field's name is in the document (an error's `locations`).
    pub line: usize,
    pub column: usize,
    pub required: Scope,
}

/// When a token holding `have` may see none of a query's root fields, the answer is known
/// without running anything: every root field null in place, with one INSUFFICIENT_ACCESS_SCOPE
/// error each, in document order. This returns those fields, or `None` when anything else could
/// happen: a field the token may see, a non-null field (its error would null all of `data`), a
/// fragment or directive at the root, a response key used twice, or an operation that is not a
/// query. The document must already have passed validation.
pub fn wholly_denied(
    doc: &ExecutableDocument,
    schema: &SchemaIndex,
    operation: Option<&str>,
    have: ScopeSet,
) -> Option<Vec<DeniedRoot>> {
    let (_, op) = select_operation(doc, operation).ok()?;
    if op.node.ty != OperationType::Query {
        return None;
    }
    let root = schema.query.as_str();
    let mut denied: Vec<DeniedRoot> = Vec::new();
    for sel in &op.node.selection_set.node.items {
        let Selection::Field(f) = &sel.node else {
            return None;
        };
        let name = f.node.name.node.as_str();
        let key = f.node.response_key().node.as_str();
        let required = schema
            .requirement(root, name)
            .filter(|s| !have.contains(*s))?;
        if !f.node.directives.is_empty()
            || schema.non_null.get(root).is_some_and(|f| f.contains(name))
            || denied.iter().any(|d| d.key == key)
        {
            return None;
        }
        denied.push(DeniedRoot {
            key: key.to_string(),
            line: f.node.name.pos.line,
            column: f.node.name.pos.column,
            required,
        });
    }
    (!denied.is_empty()).then_some(denied)
}

#[cfg(test)]
mod tests;
