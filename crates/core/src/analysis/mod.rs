//! Static analysis of a GraphQL document against the schema and the scope table (SPEC §5.5,
//! §5.8), without executing it: which scopes it needs and which fields need each, which fields
//! a token would see nulled, its complexity and depth. Aliases, fragments, inline fragments and
//! variables change none of these answers.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use async_graphql_parser::types::{
    BaseType, DocumentOperations, ExecutableDocument, OperationDefinition, OperationType,
    Selection, SelectionSet, TypeKind, TypeSystemDefinition,
};
use async_graphql_parser::Positioned;
use async_graphql_value::Value;

use crate::scope::{field_requirement, Scope, ScopeSet};

/// Field types of the schema, enough to follow a document through it.
#[derive(Clone, Debug, Default)]
pub struct SchemaIndex {
    /// (parent type, field) -> named return type.
    fields: HashMap<(String, String), String>,
    /// Interface or union -> the object types it may be.
    possible: HashMap<String, Vec<String>>,
    /// Type -> its fields whose type is non-null (`T!`, `[T]!`).
    non_null: HashMap<String, HashSet<String>>,
    query: String,
    mutation: String,
}

impl SchemaIndex {
    pub fn from_sdl(sdl: &str) -> Result<SchemaIndex, String> {
        let doc = async_graphql_parser::parse_schema(sdl).map_err(|e| e.to_string())?;
        let mut index = SchemaIndex {
            query: "Query".into(),
            mutation: "Mutation".into(),
            ..Default::default()
        };
        for def in &doc.definitions {
            match def {
                TypeSystemDefinition::Schema(s) => {
                    if let Some(q) = &s.node.query {
                        index.query = q.node.to_string();
                    }
                    if let Some(m) = &s.node.mutation {
                        index.mutation = m.node.to_string();
                    }
                }
                TypeSystemDefinition::Type(t) => {
                    let name = t.node.name.node.to_string();
                    let fields = match &t.node.kind {
                        TypeKind::Object(o) => {
                            for i in &o.implements {
                                index
                                    .possible
                                    .entry(i.node.to_string())
                                    .or_default()
                                    .push(name.clone());
                            }
                            &o.fields
                        }
                        TypeKind::Interface(i) => &i.fields,
                        TypeKind::Union(u) => {
                            index.possible.insert(
                                name.clone(),
                                u.members.iter().map(|m| m.node.to_string()).collect(),
                            );
                            continue;
                        }
                        _ => continue,
                    };
                    for f in fields {
                        if !f.node.ty.node.nullable {
                            index
                                .non_null
                                .entry(name.clone())
                                .or_default()
                                .insert(f.node.name.node.to_string());
                        }
                        let mut ty = &f.node.ty.node;
                        while let BaseType::List(inner) = &ty.base {
                            ty = inner;
                        }
                        if let BaseType::Named(n) = &ty.base {
                            index.fields.insert(
                                (name.clone(), f.node.name.node.to_string()),
                                n.to_string(),
                            );
                        }
                    }
                }
                TypeSystemDefinition::Directive(_) => {}
            }
        }
        Ok(index)
    }

    fn field_type(&self, parent: &str, field: &str) -> Option<&str> {
        match field {
            "__typename" => Some("String"),
            "__schema" => Some("__Schema"),
            "__type" => Some("__Type"),
            _ => self
                .fields
                .get(&(parent.to_string(), field.to_string()))
                .map(String::as_str),
        }
    }

    /// Does a fragment on `condition` apply inside a selection on `parent`?
    fn applies(&self, condition: &str, parent: &str) -> bool {
        condition == parent
            || self
                .possible
                .get(condition)
                .is_some_and(|p| p.iter().any(|t| t == parent))
            || self
                .possible
                .get(parent)
                .is_some_and(|p| p.iter().any(|t| t == condition))
    }
}

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

/// Page size assumed for a connection without `first`/`last` (SPEC §5.6: default 10).
const DEFAULT_PAGE: u64 = 10;
/// Bound on fragment nesting, far above any real document, against cycles and abuse.
const MAX_NESTING: usize = 64;

struct Walker<'a> {
    doc: &'a ExecutableDocument,
    schema: &'a SchemaIndex,
    variables: &'a serde_json::Value,
    out: Analysis,
    /// With a token's scopes: response paths of the outermost fields it would see nulled.
    have: Option<ScopeSet>,
    denied: Vec<Vec<String>>,
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
    let op = match (&doc.operations, operation) {
        (DocumentOperations::Single(op), _) => Some(op),
        (DocumentOperations::Multiple(ops), Some(name)) => ops
            .iter()
            .find(|(n, _)| n.as_str() == name)
            .map(|(_, op)| op),
        (DocumentOperations::Multiple(ops), None) if ops.len() == 1 => ops.values().next(),
        _ => None,
    };
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

pub fn analyze(
    doc: &ExecutableDocument,
    schema: &SchemaIndex,
    operation: Option<&str>,
    variables: &serde_json::Value,
) -> Result<Analysis, AnalysisError> {
    run(doc, schema, operation, variables, None).map(|(a, _)| a)
}

/// The response paths (aliases, no list indices) of the outermost fields a token holding
/// `have` would see nulled with INSUFFICIENT_ACCESS_SCOPE, assuming every object exists.
pub fn denied_paths(
    doc: &ExecutableDocument,
    schema: &SchemaIndex,
    operation: Option<&str>,
    variables: &serde_json::Value,
    have: ScopeSet,
) -> Result<Vec<Vec<String>>, AnalysisError> {
    run(doc, schema, operation, variables, Some(have)).map(|(_, d)| d)
}

/// The operation a request runs, with its name: the named one, or the only one.
fn select_operation<'d>(
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
        let required = field_requirement(root, name).filter(|s| !have.contains(*s))?;
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

fn run(
    doc: &ExecutableDocument,
    schema: &SchemaIndex,
    operation: Option<&str>,
    variables: &serde_json::Value,
    have: Option<ScopeSet>,
) -> Result<(Analysis, Vec<Vec<String>>), AnalysisError> {
    let (name, op) = select_operation(doc, operation)?;
    let name = name.map(str::to_string);
    let (op_type, root) = match op.node.ty {
        OperationType::Query => ("query", schema.query.as_str()),
        OperationType::Mutation => ("mutation", schema.mutation.as_str()),
        OperationType::Subscription => ("subscription", "Subscription"),
    };
    let mut w = Walker {
        doc,
        schema,
        variables,
        out: Analysis::default(),
        have,
        denied: Vec::new(),
    };
    w.out.operation_type = op_type;
    w.out.operation_name = name;
    let mut roots = BTreeSet::new();
    w.collect_roots(&op.node.selection_set.node, &mut roots, 0)?;
    w.out.root_fields = roots.len();
    let (complexity, depth) = w.walk(
        &op.node.selection_set.node,
        root,
        1,
        &mut Vec::new(),
        0,
        true,
    )?;
    w.out.complexity = complexity;
    w.out.depth = depth;
    Ok((w.out, w.denied))
}

impl Walker<'_> {
    /// Distinct response keys at the root (aliases of one field count separately).
    fn collect_roots(
        &self,
        set: &SelectionSet,
        keys: &mut BTreeSet<String>,
        nesting: usize,
    ) -> Result<(), AnalysisError> {
        if nesting > MAX_NESTING {
            return Err(AnalysisError::TooDeep);
        }
        for sel in &set.items {
            match &sel.node {
                Selection::Field(f) => {
                    if !f.node.name.node.starts_with("__") {
                        keys.insert(f.node.response_key().node.to_string());
                    }
                }
                Selection::InlineFragment(i) => {
                    self.collect_roots(&i.node.selection_set.node, keys, nesting + 1)?
                }
                Selection::FragmentSpread(s) => {
                    let frag = self.fragment(&s.node.fragment_name.node)?;
                    self.collect_roots(&frag.selection_set.node, keys, nesting + 1)?
                }
            }
        }
        Ok(())
    }

    fn fragment(
        &self,
        name: &str,
    ) -> Result<&async_graphql_parser::types::FragmentDefinition, AnalysisError> {
        self.doc
            .fragments
            .get(name)
            .map(|f| &f.node)
            .ok_or_else(|| AnalysisError::UnknownFragment(name.to_string()))
    }

    /// Returns (complexity, depth) of `set` on `parent`, each field costing `multiplier`.
    fn walk(
        &mut self,
        set: &SelectionSet,
        parent: &str,
        multiplier: u64,
        path: &mut Vec<String>,
        nesting: usize,
        allowed: bool,
    ) -> Result<(u64, usize), AnalysisError> {
        if nesting > MAX_NESTING {
            return Err(AnalysisError::TooDeep);
        }
        let mut cost = 0u64;
        let mut depth = 0usize;
        for sel in &set.items {
            let (c, d) = match &sel.node {
                Selection::Field(f) => self.field(f, parent, multiplier, path, nesting, allowed)?,
                Selection::InlineFragment(i) => {
                    let on = i
                        .node
                        .type_condition
                        .as_ref()
                        .map(|t| t.node.on.node.to_string());
                    let inner_parent = on.clone().unwrap_or_else(|| parent.to_string());
                    let applies = on.is_none_or(|c| self.schema.applies(&c, parent));
                    if !applies || self.skipped(&i.node.directives) {
                        continue;
                    }
                    self.walk(
                        &i.node.selection_set.node,
                        &inner_parent,
                        multiplier,
                        path,
                        nesting + 1,
                        allowed,
                    )?
                }
                Selection::FragmentSpread(s) => {
                    if self.skipped(&s.node.directives) {
                        continue;
                    }
                    let frag = self.fragment(&s.node.fragment_name.node)?;
                    let on = frag.type_condition.node.on.node.to_string();
                    if !self.schema.applies(&on, parent) {
                        continue;
                    }
                    let selection = frag.selection_set.node.clone();
                    self.walk(&selection, &on, multiplier, path, nesting + 1, allowed)?
                }
            };
            cost = cost.saturating_add(c);
            depth = depth.max(d);
        }
        Ok((cost, depth))
    }

    fn field(
        &mut self,
        f: &Positioned<async_graphql_parser::types::Field>,
        parent: &str,
        multiplier: u64,
        path: &mut Vec<String>,
        nesting: usize,
        allowed: bool,
    ) -> Result<(u64, usize), AnalysisError> {
        if self.skipped(&f.node.directives) {
            return Ok((0, 0));
        }
        let name = f.node.name.node.as_str();
        let requirement = field_requirement(parent, name);
        if let Some(scope) = requirement {
            self.out.required.insert(scope);
            self.out
                .fields_by_scope
                .entry(scope)
                .or_default()
                .insert(format!("{parent}.{name}"));
        }
        path.push(f.node.response_key().node.to_string());
        let denied_here = allowed
            && matches!((self.have, requirement), (Some(have), Some(s)) if !have.contains(s));
        if denied_here {
            self.denied.push(path.clone());
        }
        let child_type = self.schema.field_type(parent, name).map(str::to_string);
        let page = self.page_size(f, child_type.as_deref());
        let (c, d) = match child_type {
            Some(t) if !f.node.selection_set.node.items.is_empty() => self.walk(
                &f.node.selection_set.node,
                &t,
                multiplier.saturating_mul(page),
                path,
                nesting + 1,
                allowed && !denied_here,
            )?,
            _ => (0, 0),
        };
        path.pop();
        Ok((multiplier.saturating_add(c), d + 1))
    }

    /// `first`/`last` of a paginated field, or the default page size for connections.
    fn page_size(
        &self,
        f: &Positioned<async_graphql_parser::types::Field>,
        child_type: Option<&str>,
    ) -> u64 {
        let arg = f
            .node
            .arguments
            .iter()
            .find(|(n, _)| n.node == "first" || n.node == "last")
            .map(|(_, v)| &v.node);
        match arg.and_then(|v| self.int_value(v)) {
            Some(n) => n.clamp(0, 10_000) as u64,
            None if child_type.is_some_and(|t| t.ends_with("Connection")) => DEFAULT_PAGE,
            None => 1,
        }
    }

    fn int_value(&self, v: &Value) -> Option<i64> {
        match v {
            Value::Number(n) => n.as_i64(),
            Value::Variable(name) => self
                .variables
                .get(name.as_str())
                .and_then(serde_json::Value::as_i64),
            _ => None,
        }
    }

    fn bool_value(&self, v: &Value) -> Option<bool> {
        match v {
            Value::Boolean(b) => Some(*b),
            Value::Variable(name) => self
                .variables
                .get(name.as_str())
                .and_then(serde_json::Value::as_bool),
            _ => None,
        }
    }

    /// `@skip(if: true)` or `@include(if: false)` with a known value. An unknown value keeps
    /// the field: the analysis never under-reports.
    fn skipped(&self, directives: &[Positioned<async_graphql_parser::types::Directive>]) -> bool {
        directives.iter().any(|d| {
            let cond = d
                .node
                .get_argument("if")
                .and_then(|v| self.bool_value(&v.node));
            match d.node.name.node.as_str() {
                "skip" => cond == Some(true),
                "include" => cond == Some(false),
                _ => false,
            }
        })
    }
}

#[cfg(test)]
mod tests;
