//! Gateway mode's scope map (issue 21): an operator's GraphQL schema (its SDL) and a source of
//! scope decisions give every object type and root field its requirement, with BigCommerce's
//! owning-type semantics (`scope`): a type's scope is what each of its fields needs, a field
//! may declare its own, the root types' fields each declare theirs. Pure: the caller reads the
//! files.
//!
//! The sources: today's built-in table (`scope::TYPE_SCOPES`, `NEUTRAL_TYPES`,
//! `FIELD_SCOPES`), a table the operator writes, or a directive in the SDL
//! (`@NAME(scope: "Customer")` on a type or a field; `"none"` makes it neutral). What the
//! map cannot decide is listed: object types with no decision (`unmapped`), decisions that
//! disagree (`conflicts`) and decisions about types or fields the schema does not have
//! (`unknown`).

use std::collections::BTreeMap;

use async_graphql_parser::types::{TypeKind, TypeSystemDefinition};
use async_graphql_value::ConstValue;

use crate::scope::{Scope, FIELD_SCOPES, NEUTRAL_TYPES, TYPE_SCOPES};

/// What a type or field needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Requirement {
    Neutral,
    Scope(Scope),
}

impl Requirement {
    /// `"none"` or a scope's name.
    pub fn parse(s: &str) -> Option<Requirement> {
        match s {
            "none" => Some(Requirement::Neutral),
            other => Scope::parse(other).map(Requirement::Scope),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Requirement::Neutral => "none",
            Requirement::Scope(s) => s.as_str(),
        }
    }
}

/// Where the decisions come from.
#[derive(Clone, Debug)]
pub enum ScopeSource {
    /// Today's built-in table, the reference.
    Builtin,
    /// An operator's table: types and `Type.field`s with their requirement.
    Table {
        types: Vec<(String, Requirement)>,
        fields: Vec<(String, Requirement)>,
    },
    /// A directive of this name in the SDL.
    Directive(String),
}

/// Every decision, and what could not be decided.
#[derive(Debug, Default)]
pub struct ScopeMap {
    /// Object types and the requirement of their fields.
    pub types: BTreeMap<String, Requirement>,
    /// `Type.field` decisions that differ from their type's (every root field is one).
    pub fields: BTreeMap<String, Requirement>,
    /// Object types (or root fields) with no decision.
    pub unmapped: Vec<String>,
    /// A type or field given two different requirements.
    pub conflicts: Vec<String>,
    /// Decisions about a type or field the schema does not have.
    pub unknown: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum MapError {
    #[error("the schema is not valid SDL: {0}")]
    Sdl(String),
    #[error("{0}")]
    Directive(String),
}

/// The schema's object types and their fields; the root types' names.
struct Objects {
    fields: BTreeMap<String, Vec<String>>,
    roots: Vec<String>,
    /// Decisions the SDL's directive states: (type or `Type.field`, requirement).
    stated: Vec<(String, Requirement)>,
}

fn objects(sdl: &str, directive: Option<&str>) -> Result<Objects, MapError> {
    let doc = async_graphql_parser::parse_schema(sdl).map_err(|e| MapError::Sdl(e.to_string()))?;
    let mut out = Objects {
        fields: BTreeMap::new(),
        roots: Vec::new(),
        stated: Vec::new(),
    };
    let mut named_roots = Vec::new();
    for definition in &doc.definitions {
        match definition {
            TypeSystemDefinition::Schema(s) => {
                let s = &s.node;
                named_roots.extend(
                    [&s.query, &s.mutation]
                        .into_iter()
                        .flatten()
                        .map(|n| n.node.to_string()),
                );
            }
            TypeSystemDefinition::Type(t) => {
                let t = &t.node;
                let TypeKind::Object(object) = &t.kind else {
                    continue;
                };
                let name = t.name.node.to_string();
                if let Some(d) = directive {
                    for r in stated(d, &name, t.directives.iter().map(|d| &d.node))? {
                        out.stated.push((name.clone(), r));
                    }
                }
                let fields = out.fields.entry(name.clone()).or_default();
                for f in &object.fields {
                    let field = f.node.name.node.to_string();
                    if let Some(d) = directive {
                        let at = format!("{name}.{field}");
                        for r in stated(d, &at, f.node.directives.iter().map(|d| &d.node))? {
                            out.stated.push((at.clone(), r));
                        }
                    }
                    fields.push(field);
                }
            }
            TypeSystemDefinition::Directive(_) => {}
        }
    }
    out.roots = match named_roots.is_empty() {
        true => ["Query", "Mutation"]
            .into_iter()
            .filter(|r| out.fields.contains_key(*r))
            .map(String::from)
            .collect(),
        false => named_roots,
    };
    Ok(out)
}

/// The requirements the directive `name` states on one type or field.
fn stated<'a>(
    name: &str,
    at: &str,
    directives: impl Iterator<Item = &'a async_graphql_parser::types::ConstDirective>,
) -> Result<Vec<Requirement>, MapError> {
    let mut out = Vec::new();
    for d in directives.filter(|d| d.name.node.as_str() == name) {
        let value = d
            .arguments
            .iter()
            .find(|(arg, _)| arg.node.as_str() == "scope")
            .map(|(_, v)| &v.node);
        let text = match value {
            Some(ConstValue::String(s)) => s.as_str(),
            Some(ConstValue::Enum(e)) => e.as_str(),
            _ => "",
        };
        let requirement = Requirement::parse(text).ok_or_else(|| {
            MapError::Directive(format!(
                "{at}: @{name} needs scope: \"Unauthenticated\", \"Customer\", \"B2B\" or \"none\""
            ))
        })?;
        out.push(requirement);
    }
    Ok(out)
}

/// The decisions a source states, before they meet the schema.
fn decisions(source: &ScopeSource, objects: &Objects) -> Vec<(String, Requirement)> {
    match source {
        ScopeSource::Builtin => {
            let types = TYPE_SCOPES
                .iter()
                .map(|(t, s)| (t.to_string(), Requirement::Scope(*s)));
            let neutral = NEUTRAL_TYPES
                .iter()
                .map(|t| (t.to_string(), Requirement::Neutral));
            let fields = FIELD_SCOPES.iter().map(|(t, f, s)| {
                (
                    format!("{t}.{f}"),
                    s.map_or(Requirement::Neutral, Requirement::Scope),
                )
            });
            types.chain(neutral).chain(fields).collect()
        }
        ScopeSource::Table { types, fields } => types.iter().chain(fields).cloned().collect(),
        ScopeSource::Directive(_) => objects.stated.clone(),
    }
}

/// The map of `sdl` under `source`.
pub fn build(sdl: &str, source: &ScopeSource) -> Result<ScopeMap, MapError> {
    let directive = match source {
        ScopeSource::Directive(name) => Some(name.as_str()),
        _ => None,
    };
    let objects = objects(sdl, directive)?;
    let mut map = ScopeMap::default();
    for (at, requirement) in decisions(source, &objects) {
        let known = match at.split_once('.') {
            Some((t, f)) => objects
                .fields
                .get(t)
                .is_some_and(|fs| fs.iter().any(|x| x == f)),
            None => objects.fields.contains_key(&at),
        };
        if !known {
            map.unknown.push(at);
            continue;
        }
        let decided = match at.contains('.') {
            true => &mut map.fields,
            false => &mut map.types,
        };
        match decided.get(&at) {
            Some(before) if *before != requirement => map.conflicts.push(format!(
                "{at}: {} and {}",
                before.as_str(),
                requirement.as_str()
            )),
            _ => {
                decided.insert(at, requirement);
            }
        }
    }
    for (name, fields) in &objects.fields {
        if objects.roots.contains(name) {
            let open = fields.iter().map(|f| format!("{name}.{f}"));
            map.unmapped
                .extend(open.filter(|at| !map.fields.contains_key(at)));
        } else if !map.types.contains_key(name) {
            map.unmapped.push(name.clone());
        }
    }
    map.unknown.sort();
    map.unknown.dedup();
    Ok(map)
}

impl ScopeMap {
    /// What `Type.field` needs: its own decision, else its type's; `None` when neutral or
    /// undecided (introspection is always neutral).
    pub fn requirement(&self, type_name: &str, field: &str) -> Option<Scope> {
        if field.starts_with("__") || type_name.starts_with("__") {
            return None;
        }
        let own = self.fields.get(&format!("{type_name}.{field}"));
        match own.or_else(|| self.types.get(type_name)) {
            Some(Requirement::Scope(s)) => Some(*s),
            _ => None,
        }
    }

    /// The report `storefront-auth gateway check` prints: each decision, then what is
    /// unmapped, in conflict or unknown.
    pub fn report(&self) -> String {
        let mut out = String::new();
        for (name, r) in &self.types {
            out.push_str(&format!("type  {name}: {}\n", r.as_str()));
        }
        for (at, r) in &self.fields {
            out.push_str(&format!("field {at}: {}\n", r.as_str()));
        }
        for (what, list) in [
            ("unmapped", &self.unmapped),
            ("conflict", &self.conflicts),
            ("unknown", &self.unknown),
        ] {
            for item in list {
                out.push_str(&format!("{what}: {item}\n"));
            }
        }
        out.push_str(&format!(
            "{} types, {} field decisions, {} unmapped, {} conflicts, {} unknown\n",
            self.types.len(),
            self.fields.len(),
            self.unmapped.len(),
            self.conflicts.len(),
            self.unknown.len()
        ));
        out
    }
}

#[cfg(test)]
#[path = "gateway_scopes_tests.rs"]
mod tests;
