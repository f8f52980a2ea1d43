//! Gateway mode's strip (issue 21, `denied = null`): the text of a valid document with every
//! selection a token may not see blanked out, so that nothing denied reaches the upstream (a
//! denied mutation never runs), and a map of what was blanked for the restore
//! (`gateway_restore`) to answer in its place.
//!
//! Blanking overwrites a selection's characters with spaces and keeps line breaks, so every
//! other token keeps its line and column and the upstream's own errors point into the client's
//! document. The few insertions (a `__typename` under a private alias, to keep a selection set
//! that lost every field alive and to tell the restore an abstract value's type) are recorded,
//! and `Stripped::client_position` moves an upstream location back over them.
//!
//! Decisions follow the analysis (`walk::Context`): on the schema field, never the alias, and a
//! field read through an interface or union needs what every type it may be needs. A fragment
//! spread in several places is decided once for its text: blanked when any place denies it.

use std::collections::{HashMap, HashSet};

use async_graphql_parser::types::{ExecutableDocument, Selection, SelectionSet};
use async_graphql_parser::{Pos, Positioned};

use super::strip_text::{other_operations, unused_fragments, unused_variables, Edit};
use super::walk::{Context, MAX_WORK};
use super::{root_of, select_operation, AnalysisError, SchemaIndex};
use crate::gateway_text::Text;
use crate::scope::ScopeSet;

/// The private alias of the `__typename` the strip adds; the restore never shows it.
pub const TYPE_PROBE: &str = "_storefrontAuthType";
const MAX_NESTING: usize = 64;

/// A document ready for the upstream, and what the restore needs to answer for what it lost.
#[derive(Debug, Default)]
pub struct Stripped {
    /// The text to send.
    pub query: String,
    /// Each blanked field, by its position, with the scopes it lacked.
    pub denied: HashMap<Pos, ScopeSet>,
    /// Every root selection was denied: nothing needs the upstream.
    pub nothing_left: bool,
    /// Insertions as (line, column, characters), in the sent text's positions.
    insertions: Vec<(usize, usize, usize)>,
}

impl Stripped {
    /// Where a position of the sent text is in the client's document.
    pub fn client_position(&self, line: usize, column: usize) -> (usize, usize) {
        let shift: usize = self
            .insertions
            .iter()
            .filter(|(l, c, _)| *l == line && *c <= column)
            .map(|(_, _, n)| n)
            .sum();
        (line, column.saturating_sub(shift).max(1))
    }
}

/// The document as it may go upstream for a token holding `have`, or `None` when nothing in
/// the operation is denied (the client's text goes as it is). The document must be valid.
pub fn strip(
    doc: &ExecutableDocument,
    text: &str,
    schema: &SchemaIndex,
    operation: Option<&str>,
    have: ScopeSet,
) -> Result<Option<Stripped>, AnalysisError> {
    let (_, op) = select_operation(doc, operation)?;
    let (_, root) = root_of(schema, op);
    let mut walk = StripWalk {
        doc,
        schema,
        have,
        denied: HashMap::new(),
        sets: HashMap::new(),
        probes: HashSet::new(),
        memo: HashMap::new(),
        work: 0,
    };
    let root_set = &op.node.selection_set;
    walk.set(root_set, &Context::of(schema, root), 0)?;
    if walk.denied.is_empty() {
        return Ok(None);
    }
    let nothing_left = walk.emptied(root_set.pos);
    let text = Text::new(text);
    let mut edit = Edit::default();
    for pos in walk.denied.keys() {
        if let Some(start) = text.offset(*pos) {
            edit.blank(start, text.field_end(start));
        }
    }
    other_operations(doc, op, &text, &mut edit);
    unused_fragments(doc, op, &text, &mut edit);
    unused_variables(doc, op, &text, &mut edit);
    let sets: Vec<Pos> = walk.sets.keys().copied().collect();
    for set in sets {
        if walk.probes.contains(&set) || walk.emptied(set) {
            if let Some(at) = text.offset(set).map(|o| text.after_brace(o)) {
                edit.insert(at, format!(" {TYPE_PROBE}: __typename "));
            }
        }
    }
    let (query, insertions) = edit.apply(&text);
    Ok(Some(Stripped {
        query,
        denied: walk.denied,
        nothing_left,
        insertions,
    }))
}

struct StripWalk<'a> {
    doc: &'a ExecutableDocument,
    schema: &'a SchemaIndex,
    have: ScopeSet,
    denied: HashMap<Pos, ScopeSet>,
    /// Every selection set walked (by position) -> its items' field positions (`None` for a
    /// fragment): a set whose fields were all denied needs something kept in it.
    sets: HashMap<Pos, Vec<Option<Pos>>>,
    /// Selection sets of an abstract type with a denial below: the restore needs their type.
    probes: HashSet<Pos>,
    /// (fragment, context) -> whether anything below it is denied.
    memo: HashMap<(&'a str, Context<'a>), bool>,
    work: usize,
}

impl<'a> StripWalk<'a> {
    fn emptied(&self, set: Pos) -> bool {
        self.sets.get(&set).is_some_and(|items| {
            items
                .iter()
                .all(|i| i.is_some_and(|p| self.denied.contains_key(&p)))
        })
    }

    /// Records the denials in `set` evaluated in `cx`; whether there was any.
    fn set(
        &mut self,
        set: &'a Positioned<SelectionSet>,
        cx: &Context<'a>,
        nesting: usize,
    ) -> Result<bool, AnalysisError> {
        if nesting > MAX_NESTING {
            return Err(AnalysisError::TooDeep);
        }
        let items = set.node.items.iter().map(|i| match &i.node {
            Selection::Field(f) => Some(f.pos),
            _ => None,
        });
        self.sets.entry(set.pos).or_insert_with(|| items.collect());
        let mut found = false;
        for item in &set.node.items {
            self.work += 1;
            if self.work > MAX_WORK {
                return Err(AnalysisError::TooMuchWork);
            }
            found |= match &item.node {
                Selection::Field(f) => self.field(f, cx, nesting)?,
                Selection::InlineFragment(i) => {
                    let inner = match &i.node.type_condition {
                        Some(c) => cx.narrowed(self.schema, &c.node.on.node),
                        None => Some(cx.clone()),
                    };
                    match inner {
                        Some(inner) => self.set(&i.node.selection_set, &inner, nesting + 1)?,
                        None => false,
                    }
                }
                Selection::FragmentSpread(s) => {
                    let name = s.node.fragment_name.node.as_str();
                    let Some(fragment) = self.doc.fragments.get(name) else {
                        return Err(AnalysisError::UnknownFragment(name.to_string()));
                    };
                    let condition = &fragment.node.type_condition.node.on.node;
                    let Some(inner) = cx.narrowed(self.schema, condition) else {
                        continue;
                    };
                    let key = (name, inner);
                    match self.memo.get(&key) {
                        Some(found) => *found,
                        None => {
                            let below =
                                self.set(&fragment.node.selection_set, &key.1, nesting + 1)?;
                            self.memo.insert(key, below);
                            below
                        }
                    }
                }
            };
        }
        Ok(found)
    }

    fn field(
        &mut self,
        f: &'a Positioned<async_graphql_parser::types::Field>,
        cx: &Context<'a>,
        nesting: usize,
    ) -> Result<bool, AnalysisError> {
        let name = f.node.name.node.as_str();
        if name.starts_with("__") {
            return Ok(false);
        }
        let lacking = ScopeSet::from_iter(
            cx.requirement(self.schema, name)
                .iter()
                .filter(|s| !self.have.contains(*s)),
        );
        if !lacking.is_empty() {
            let entry = self.denied.entry(f.pos).or_default();
            entry.extend(lacking.iter());
            return Ok(true);
        }
        let (Some(t), false) = (
            self.schema.field_type(cx.named(), name),
            f.node.selection_set.node.items.is_empty(),
        ) else {
            return Ok(false);
        };
        let below = self.set(&f.node.selection_set, &Context::of(self.schema, t), nesting)?;
        if below && !self.schema.is_object(t) {
            self.probes.insert(f.node.selection_set.pos);
        }
        Ok(below)
    }
}
