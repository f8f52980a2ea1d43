//! Following a document through the schema. Two walks, both bounded whatever the document:
//!
//! - the summary (cost, depth, required scopes) works each fragment out once per place it can
//!   land (`Context`), so fragments that spread the next one twice cost linear work, not 2^n;
//! - the expansion (response paths of denied fields, root response keys) visits fields as the
//!   executor would, and runs only once the summary showed the document within the limits:
//!   every field costs at least 1, so an accepted document expands to at most
//!   `MAX_COMPLEXITY` fields.
//!
//! Both also count every selection they visit and stop past `MAX_WORK`.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::rc::Rc;

use async_graphql_parser::types::{
    Directive, ExecutableDocument, Field, FragmentDefinition, Selection, SelectionSet,
};
use async_graphql_parser::Positioned;
use async_graphql_value::Value;

use super::{AnalysisError, SchemaIndex};
use crate::scope::ScopeSet;

/// Page size assumed for a connection without `first`/`last` (SPEC §5.6: default 10).
const DEFAULT_PAGE: u64 = 10;
/// Bound on fragment nesting, far above any real document, against cycles.
const MAX_NESTING: usize = 64;
/// Selections visited by one walk before it gives up: far above any real document (a
/// Catalyst page's documents visit a few hundred), and a few milliseconds of work.
pub(super) const MAX_WORK: usize = 100_000;

/// Where a selection set is evaluated: the type its fields are looked up on, and the object
/// types the value can be there at run time (one for an object type; the possible types of an
/// interface or union, narrowed by every type condition around it).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(super) struct Context<'a> {
    named: &'a str,
    objects: Rc<[&'a str]>,
}

impl<'a> Context<'a> {
    pub(super) fn of(schema: &'a SchemaIndex, named: &'a str) -> Self {
        let objects = schema.objects(named).iter().map(String::as_str).collect();
        Context { named, objects }
    }

    /// The type the set's fields are looked up on.
    pub(super) fn named(&self) -> &'a str {
        self.named
    }

    /// Inside a fragment on `condition`: `None` when the fragment cannot apply here.
    pub(super) fn narrowed(&self, schema: &'a SchemaIndex, condition: &'a str) -> Option<Self> {
        let allowed = schema.objects(condition);
        let objects: Rc<[&'a str]> = self
            .objects
            .iter()
            .copied()
            .filter(|o| allowed.iter().any(|a| a == o))
            .collect();
        (!objects.is_empty() || condition == self.named).then_some(Context {
            named: condition,
            objects,
        })
    }

    /// The scopes `field` needs here: what each possible object type's field needs (a field
    /// read through an interface or union needs whatever the value may turn out to be).
    pub(super) fn requirement(&self, schema: &SchemaIndex, field: &str) -> ScopeSet {
        let mut set: ScopeSet = schema.requirement(self.named, field).into_iter().collect();
        for object in self.objects.iter() {
            set.extend(schema.requirement(object, field));
        }
        set
    }

    /// `Type.field` coordinates naming where the requirement comes from.
    fn coordinates(&self, schema: &SchemaIndex, field: &str) -> Vec<(crate::Scope, String)> {
        let owners = if self.objects.is_empty() {
            std::slice::from_ref(&self.named)
        } else {
            &self.objects[..]
        };
        owners
            .iter()
            .filter_map(|o| {
                schema
                    .requirement(o, field)
                    .map(|s| (s, format!("{o}.{field}")))
            })
            .collect()
    }
}

pub(super) use super::cost::Cost;

pub(super) struct Walker<'a> {
    pub doc: &'a ExecutableDocument,
    pub schema: &'a SchemaIndex,
    pub variables: &'a serde_json::Value,
    /// Every scope some reachable field needs, with the coordinates that need it.
    pub required: ScopeSet,
    pub coordinates: BTreeSet<(crate::Scope, String)>,
    /// (fragment, context) -> its cost, worked out once.
    memo: HashMap<(&'a str, Context<'a>), Cost>,
    /// Fragments whose root keys were already collected.
    root_fragments: HashSet<&'a str>,
    work: usize,
}

impl<'a> Walker<'a> {
    pub fn new(
        doc: &'a ExecutableDocument,
        schema: &'a SchemaIndex,
        variables: &'a serde_json::Value,
    ) -> Self {
        Walker {
            doc,
            schema,
            variables,
            required: ScopeSet::EMPTY,
            coordinates: BTreeSet::new(),
            memo: HashMap::new(),
            root_fragments: HashSet::new(),
            work: 0,
        }
    }

    fn tick(&mut self) -> Result<(), AnalysisError> {
        self.work += 1;
        if self.work > MAX_WORK {
            return Err(AnalysisError::TooMuchWork);
        }
        Ok(())
    }

    fn fragment(&self, name: &str) -> Result<&'a FragmentDefinition, AnalysisError> {
        self.doc
            .fragments
            .get(name)
            .map(|f| &f.node)
            .ok_or_else(|| AnalysisError::UnknownFragment(name.to_string()))
    }

    /// The cost and depth of `set` evaluated in `cx`.
    pub fn summarize(
        &mut self,
        set: &'a SelectionSet,
        cx: &Context<'a>,
        nesting: usize,
    ) -> Result<Cost, AnalysisError> {
        if nesting > MAX_NESTING {
            return Err(AnalysisError::TooDeep);
        }
        let mut total = Cost::default();
        for sel in &set.items {
            self.tick()?;
            let cost = match &sel.node {
                Selection::Field(f) => {
                    if self.skipped(&f.node.directives) {
                        continue;
                    }
                    self.field(&f.node, cx, nesting)?
                }
                Selection::InlineFragment(i) => {
                    if self.skipped(&i.node.directives) {
                        continue;
                    }
                    let inner = match &i.node.type_condition {
                        Some(c) => match cx.narrowed(self.schema, &c.node.on.node) {
                            Some(inner) => inner,
                            None => continue,
                        },
                        None => cx.clone(),
                    };
                    self.summarize(&i.node.selection_set.node, &inner, nesting + 1)?
                }
                Selection::FragmentSpread(s) => {
                    if self.skipped(&s.node.directives) {
                        continue;
                    }
                    let name = s.node.fragment_name.node.as_str();
                    let fragment = self.fragment(name)?;
                    let Some(inner) =
                        cx.narrowed(self.schema, &fragment.type_condition.node.on.node)
                    else {
                        continue;
                    };
                    let key = (name, inner);
                    match self.memo.get(&key) {
                        Some(cost) => *cost,
                        None => {
                            let cost =
                                self.summarize(&fragment.selection_set.node, &key.1, nesting + 1)?;
                            self.memo.insert(key, cost);
                            cost
                        }
                    }
                }
            };
            total = total.and(cost);
        }
        Ok(total)
    }

    fn field(
        &mut self,
        f: &'a Field,
        cx: &Context<'a>,
        nesting: usize,
    ) -> Result<Cost, AnalysisError> {
        let name = f.name.node.as_str();
        if !name.starts_with("__") {
            self.required
                .extend(cx.requirement(self.schema, name).iter());
            self.coordinates.extend(cx.coordinates(self.schema, name));
        }
        let child = self.schema.field_type(cx.named, name);
        let inner = match child {
            Some(t) if !f.selection_set.node.items.is_empty() => {
                let inner_cx = Context::of(self.schema, t);
                self.summarize(&f.selection_set.node, &inner_cx, nesting)?
            }
            _ => Cost::default(),
        };
        let page = self.page_size(f, child);
        let is_object = !f.selection_set.node.items.is_empty();
        Ok(Cost {
            unit: page.saturating_mul(inner.unit).saturating_add(1),
            objects: page
                .saturating_mul(inner.objects)
                .saturating_add(u64::from(is_object)),
            depth: inner.depth + 1,
        })
    }

    /// `first`/`last` of a paginated field, or the default page size for connections. At
    /// least 1: a field costs something even under `first: 0`, so that the complexity limit
    /// also bounds how many fields a document expands to.
    fn page_size(&self, f: &Field, child_type: Option<&str>) -> u64 {
        let arg = f
            .arguments
            .iter()
            .find(|(n, _)| n.node == "first" || n.node == "last")
            .map(|(_, v)| &v.node);
        match arg.and_then(|v| self.int_value(v)) {
            Some(n) => n.clamp(1, 10_000) as u64,
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
    fn skipped(&self, directives: &[Positioned<Directive>]) -> bool {
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

    /// Distinct response keys at the root (aliases of one field count separately).
    pub fn root_keys(
        &mut self,
        set: &'a SelectionSet,
        keys: &mut BTreeSet<&'a str>,
        nesting: usize,
    ) -> Result<(), AnalysisError> {
        if nesting > MAX_NESTING {
            return Err(AnalysisError::TooDeep);
        }
        for sel in &set.items {
            self.tick()?;
            match &sel.node {
                Selection::Field(f) => {
                    if !f.node.name.node.starts_with("__") {
                        keys.insert(f.node.response_key().node.as_str());
                    }
                }
                Selection::InlineFragment(i) => {
                    self.root_keys(&i.node.selection_set.node, keys, nesting + 1)?
                }
                Selection::FragmentSpread(s) => {
                    // A fragment adds the same keys wherever it is spread: once is enough.
                    let name = s.node.fragment_name.node.as_str();
                    if self.root_fragments.insert(name) {
                        let frag = self.fragment(name)?;
                        self.root_keys(&frag.selection_set.node, keys, nesting + 1)?
                    }
                }
            }
        }
        Ok(())
    }

    /// Response paths (aliases, no list indices) of the outermost fields a token holding
    /// `have` would see nulled, in document order, each once. Run only on documents within the
    /// limits (see the module's documentation).
    pub fn denied(
        &mut self,
        set: &'a SelectionSet,
        cx: &Context<'a>,
        have: ScopeSet,
        path: &mut Vec<String>,
        out: &mut Vec<Vec<String>>,
        nesting: usize,
    ) -> Result<(), AnalysisError> {
        if nesting > MAX_NESTING {
            return Err(AnalysisError::TooDeep);
        }
        for sel in &set.items {
            self.tick()?;
            let (inner_set, inner_cx) = match &sel.node {
                Selection::Field(f) => {
                    if self.skipped(&f.node.directives) {
                        continue;
                    }
                    let name = f.node.name.node.as_str();
                    path.push(f.node.response_key().node.to_string());
                    if !have.contains_all(cx.requirement(self.schema, name)) {
                        if !out.contains(path) {
                            out.push(path.clone());
                        }
                    } else if let Some(t) = self.schema.field_type(cx.named, name) {
                        let inner = Context::of(self.schema, t);
                        self.denied(&f.node.selection_set.node, &inner, have, path, out, nesting)?;
                    }
                    path.pop();
                    continue;
                }
                Selection::InlineFragment(i) => {
                    if self.skipped(&i.node.directives) {
                        continue;
                    }
                    let inner = match &i.node.type_condition {
                        Some(c) => cx.narrowed(self.schema, &c.node.on.node),
                        None => Some(cx.clone()),
                    };
                    (&i.node.selection_set.node, inner)
                }
                Selection::FragmentSpread(s) => {
                    if self.skipped(&s.node.directives) {
                        continue;
                    }
                    let frag = self.fragment(&s.node.fragment_name.node)?;
                    let inner = cx.narrowed(self.schema, &frag.type_condition.node.on.node);
                    (&frag.selection_set.node, inner)
                }
            };
            if let Some(inner_cx) = inner_cx {
                self.denied(inner_set, &inner_cx, have, path, out, nesting + 1)?;
            }
        }
        Ok(())
    }
}
