//! Gateway mode's restore (issue 21, `denied = null`): the answer the client gets when the
//! strip (`analysis::strip`) removed denied selections, built from the upstream's data as the
//! built-in executor with its scope rules would have answered the client's own document.
//!
//! The client's operation is walked over the upstream's data as an executor completes values:
//! fields are collected in document order through fragments (type conditions against the
//! value's type, `@skip`/`@include` against the variables), so keys come out in the executor's
//! order. A blanked field is `null` with one `INSUFFICIENT_ACCESS_SCOPE` denial, whose path has
//! the list indices and aliases of that instance and whose location is the field's name in the
//! client's document. A denied non-null field nulls the nearest nullable field or list item
//! above it, as GraphQL requires and the built-in executor does (`scope_extension`); siblings
//! after it are not looked at, as the executor stops there too. Nothing is written under a
//! null or into an empty list: a denial appears only where an instance exists.

use std::collections::{HashMap, HashSet};

use async_graphql_parser::types::{
    BaseType, Directive, ExecutableDocument, Field, OperationType, Selection, SelectionSet, Type,
};
use async_graphql_parser::{Pos, Positioned};
use async_graphql_value::indexmap::IndexMap;
use async_graphql_value::{ConstValue, Name, Value};

use crate::analysis::{select_operation, AnalysisError, SchemaIndex, TYPE_PROBE};
use crate::scope::{Scope, ScopeSet};

/// One step of a response path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PathStep {
    Key(String),
    Index(usize),
}

/// A denied field instance: the answer's `INSUFFICIENT_ACCESS_SCOPE` error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Denial {
    pub scope: Scope,
    pub path: Vec<PathStep>,
    /// The field's name in the client's document.
    pub location: Pos,
}

/// A denied non-null field on its way up to the nearest nullable place.
struct Bubble(Denial);

/// The client's answer from the upstream's `data` (an empty object when nothing was sent):
/// the data, and the denials in the order the executor records them.
pub fn restore(
    doc: &ExecutableDocument,
    operation: Option<&str>,
    schema: &SchemaIndex,
    variables: &serde_json::Value,
    denied: &HashMap<Pos, ScopeSet>,
    data: &ConstValue,
) -> Result<(ConstValue, Vec<Denial>), AnalysisError> {
    let (_, op) = select_operation(doc, operation)?;
    let root = match op.node.ty {
        OperationType::Query => schema.query_type(),
        OperationType::Mutation => schema.mutation_type(),
        OperationType::Subscription => "Subscription",
    };
    let mut shaper = Shaper {
        doc,
        schema,
        variables,
        denied,
        errors: Vec::new(),
        path: Vec::new(),
    };
    let data = match shaper.object(data, root, &[&op.node.selection_set.node]) {
        Ok(value) => value,
        // Reached `data` itself: the executor reports it before the nulled-in-place ones.
        Err(Bubble(denial)) => {
            shaper.errors.insert(0, denial);
            ConstValue::Null
        }
    };
    Ok((data, shaper.errors))
}

struct Shaper<'a> {
    doc: &'a ExecutableDocument,
    schema: &'a SchemaIndex,
    variables: &'a serde_json::Value,
    denied: &'a HashMap<Pos, ScopeSet>,
    errors: Vec<Denial>,
    path: Vec<PathStep>,
}

type Groups<'a> = IndexMap<&'a str, Vec<&'a Positioned<Field>>>;

impl<'a> Shaper<'a> {
    /// An object value of `static_type` completed with `sets`.
    fn object(
        &mut self,
        value: &ConstValue,
        static_type: &'a str,
        sets: &[&'a SelectionSet],
    ) -> Result<ConstValue, Bubble> {
        let ConstValue::Object(map) = value else {
            return Ok(value.clone());
        };
        let runtime = if self.schema.is_object(static_type) {
            static_type.to_string()
        } else {
            match map.get(TYPE_PROBE).or_else(|| map.get("__typename")) {
                Some(ConstValue::String(t)) => t.clone(),
                // No probe: nothing below was denied (the strip adds one wherever it matters).
                _ => return Ok(value.clone()),
            }
        };
        let mut groups = Groups::new();
        let mut visited = HashSet::new();
        for set in sets {
            self.collect(&runtime, set, &mut groups, &mut visited);
        }
        let mut out = IndexMap::with_capacity(groups.len());
        for (key, fields) in groups {
            self.path.push(PathStep::Key(key.to_string()));
            let completed = self.field(map, &runtime, key, &fields);
            self.path.pop();
            out.insert(Name::new(key), completed?);
        }
        Ok(ConstValue::Object(out))
    }

    /// One response key of an object whose type is `runtime`.
    fn field(
        &mut self,
        map: &IndexMap<Name, ConstValue>,
        runtime: &str,
        key: &str,
        fields: &[&'a Positioned<Field>],
    ) -> Result<ConstValue, Bubble> {
        let first = fields[0];
        let name = first.node.name.node.as_str();
        let upstream = map.get(key);
        if name == "__typename" {
            return Ok(upstream
                .cloned()
                .unwrap_or_else(|| ConstValue::String(runtime.to_string())));
        }
        let ty = self.schema.field_def_type(runtime, name);
        if let Some(lacking) = self.denied.get(&first.pos) {
            let scope = self
                .schema
                .requirement(runtime, name)
                .filter(|s| lacking.contains(*s))
                .or_else(|| lacking.iter().next())
                .unwrap_or(Scope::Unauthenticated);
            let denial = Denial {
                scope,
                path: self.path.clone(),
                location: first.node.name.pos,
            };
            if ty.is_some_and(|t| !t.nullable) {
                return Err(Bubble(denial));
            }
            self.errors.push(denial);
            return Ok(ConstValue::Null);
        }
        let Some(ty) = ty else {
            return Ok(upstream.cloned().unwrap_or(ConstValue::Null));
        };
        let sets: Vec<&'a SelectionSet> = fields
            .iter()
            .map(|f| &f.node.selection_set.node)
            .filter(|s| !s.items.is_empty())
            .collect();
        self.complete(upstream, ty, &sets)
    }

    /// A value of type `ty`; a bubble stops at the first nullable level it reaches.
    fn complete(
        &mut self,
        value: Option<&ConstValue>,
        ty: &'a Type,
        sets: &[&'a SelectionSet],
    ) -> Result<ConstValue, Bubble> {
        let value = match value {
            None | Some(ConstValue::Null) => return Ok(ConstValue::Null),
            Some(v) => v,
        };
        let completed = match (&ty.base, value) {
            (BaseType::List(inner), ConstValue::List(items)) => {
                let mut out = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    self.path.push(PathStep::Index(i));
                    let item = self.complete(Some(item), inner, sets);
                    self.path.pop();
                    out.push(item?);
                }
                Ok(ConstValue::List(out))
            }
            (BaseType::Named(named), _) if !sets.is_empty() => {
                self.object(value, named.as_str(), sets)
            }
            _ => Ok(value.clone()),
        };
        match completed {
            Err(Bubble(denial)) if ty.nullable => {
                self.errors.push(denial);
                Ok(ConstValue::Null)
            }
            other => other,
        }
    }

    /// Collects `set`'s fields for a value of type `runtime` by response key, in document
    /// order (GraphQL's CollectFields).
    fn collect(
        &self,
        runtime: &str,
        set: &'a SelectionSet,
        groups: &mut Groups<'a>,
        visited: &mut HashSet<&'a str>,
    ) {
        for item in &set.items {
            match &item.node {
                Selection::Field(f) if self.included(&f.node.directives) => {
                    let key = f.node.response_key().node.as_str();
                    groups.entry(key).or_default().push(f);
                }
                Selection::InlineFragment(i) if self.included(&i.node.directives) => {
                    let applies = match &i.node.type_condition {
                        Some(c) => self.applies(runtime, &c.node.on.node),
                        None => true,
                    };
                    if applies {
                        self.collect(runtime, &i.node.selection_set.node, groups, visited);
                    }
                }
                Selection::FragmentSpread(s) if self.included(&s.node.directives) => {
                    let name = s.node.fragment_name.node.as_str();
                    let Some(fragment) = self.doc.fragments.get(name) else {
                        continue;
                    };
                    if !visited.insert(name)
                        || !self.applies(runtime, &fragment.node.type_condition.node.on.node)
                    {
                        continue;
                    }
                    self.collect(runtime, &fragment.node.selection_set.node, groups, visited);
                }
                _ => {}
            }
        }
    }

    fn applies(&self, runtime: &str, condition: &str) -> bool {
        condition == runtime || self.schema.objects(condition).iter().any(|o| o == runtime)
    }

    /// `@skip` and `@include` against the request's variables.
    fn included(&self, directives: &[Positioned<Directive>]) -> bool {
        directives.iter().all(|d| {
            let value = d.node.get_argument("if").map(|v| match &v.node {
                Value::Boolean(b) => *b,
                Value::Variable(n) => self.variables.get(n.as_str()) == Some(&true.into()),
                _ => false,
            });
            match d.node.name.node.as_str() {
                "skip" => value != Some(true),
                "include" => value != Some(false),
                _ => true,
            }
        })
    }
}

#[cfg(test)]
#[path = "gateway_restore_tests.rs"]
mod tests;
