//! The text side of the strip (`strip`): blanking and inserting on the client's text, and
//! what GraphQL would refuse once selections are gone (other operations, fragments no longer
//! spread, variables no longer used), blanked too.

use std::collections::{BTreeMap, HashSet};

use async_graphql_parser::types::{
    ExecutableDocument, OperationDefinition, Selection, SelectionSet,
};
use async_graphql_parser::{Pos, Positioned};
use async_graphql_value::Value;

use crate::gateway_text::Text;

/// Blanked spans and insertions on a text, applied together. Spans are kept merged and
/// sorted, so asking whether an offset is blanked and applying everything stay near-linear
/// however many selections a document loses (a 100 KB document can lose thousands).
#[derive(Default)]
pub(super) struct Edit {
    /// Start -> end of disjoint blanked spans.
    blanks: BTreeMap<usize, usize>,
    inserts: Vec<(usize, String)>,
}

impl Edit {
    pub(super) fn blank(&mut self, start: usize, end: usize) {
        let (mut start, mut end) = (start, end);
        if let Some((&s, &e)) = self.blanks.range(..=start).next_back() {
            if e >= start {
                (start, end) = (s, end.max(e));
            }
        }
        let covered: Vec<usize> = self.blanks.range(start..=end).map(|(s, _)| *s).collect();
        for s in covered {
            if let Some(e) = self.blanks.remove(&s) {
                end = end.max(e);
            }
        }
        self.blanks.insert(start, end);
    }

    pub(super) fn insert(&mut self, at: usize, text: String) {
        self.inserts.push((at, text));
    }

    pub(super) fn blanked(&self, at: usize) -> bool {
        self.blanks
            .range(..=at)
            .next_back()
            .is_some_and(|(_, &end)| at < end)
    }

    /// The edited text and where its insertions are in it (line, column, characters).
    pub(super) fn apply(mut self, text: &Text) -> (String, Vec<(usize, usize, usize)>) {
        let src = text.as_str();
        let mut inserts: Vec<(usize, String)> = std::mem::take(&mut self.inserts)
            .into_iter()
            .filter(|(at, _)| !self.blanked(*at))
            .collect();
        inserts.sort_by_key(|(at, _)| *at);
        let mut out = String::with_capacity(src.len() + inserts.len() * 32);
        let mut placed = Vec::with_capacity(inserts.len());
        let mut next_insert = inserts.iter().peekable();
        let mut spans = self.blanks.iter().peekable();
        for (i, ch) in src.char_indices() {
            while let Some((_, s)) = next_insert.next_if(|(at, _)| *at == i) {
                let pos = text.position(i);
                placed.push((pos.line, pos.column, s.chars().count()));
                out.push_str(s);
            }
            while spans.next_if(|(_, &end)| end <= i).is_some() {}
            let blanked = spans.peek().is_some_and(|(&start, _)| start <= i);
            match ch {
                '\n' | '\r' => out.push(ch),
                _ if blanked => out.push(' '),
                _ => out.push(ch),
            }
        }
        (out, shifted(placed))
    }
}

/// Insertions on one line shift the ones after them: positions in the sent text.
fn shifted(mut placed: Vec<(usize, usize, usize)>) -> Vec<(usize, usize, usize)> {
    placed.sort();
    let mut out = Vec::with_capacity(placed.len());
    let (mut line_of_sum, mut sum) = (0, 0);
    for (line, column, n) in placed {
        if line != line_of_sum {
            (line_of_sum, sum) = (line, 0);
        }
        out.push((line, column + sum, n));
        sum += n;
    }
    out
}

/// The operations the request does not run go nowhere: blanked.
pub(super) fn other_operations(
    doc: &ExecutableDocument,
    op: &Positioned<OperationDefinition>,
    text: &Text,
    edit: &mut Edit,
) {
    for (_, other) in doc.operations.iter() {
        if other.pos != op.pos {
            if let Some(start) = text.offset(other.pos) {
                edit.blank(start, text.definition_end(start));
            }
        }
    }
}

/// Fragment definitions no longer spread from the operation are blanked (GraphQL refuses a
/// document with an unused fragment).
pub(super) fn unused_fragments(
    doc: &ExecutableDocument,
    op: &Positioned<OperationDefinition>,
    text: &Text,
    edit: &mut Edit,
) {
    let mut used: HashSet<&str> = HashSet::new();
    let mut sets = vec![&op.node.selection_set];
    while let Some(set) = sets.pop() {
        for item in &set.node.items {
            let live = text.offset(item.pos).is_some_and(|o| !edit.blanked(o));
            match &item.node {
                Selection::Field(f) if live => sets.push(&f.node.selection_set),
                Selection::InlineFragment(i) if live => sets.push(&i.node.selection_set),
                Selection::FragmentSpread(s) if live => {
                    let name = s.node.fragment_name.node.as_str();
                    if let (true, Some(f)) = (used.insert(name), doc.fragments.get(name)) {
                        sets.push(&f.node.selection_set);
                    }
                }
                _ => {}
            }
        }
    }
    for (name, fragment) in &doc.fragments {
        if !used.contains(name.as_str()) {
            if let Some(start) = text.offset(fragment.pos) {
                edit.blank(start, text.definition_end(start));
            }
        }
    }
}

/// Variable definitions no longer used are blanked (GraphQL refuses an unused variable), and
/// the parentheses with them when none is left.
pub(super) fn unused_variables(
    doc: &ExecutableDocument,
    op: &Positioned<OperationDefinition>,
    text: &Text,
    edit: &mut Edit,
) {
    let defs = &op.node.variable_definitions;
    if defs.is_empty() {
        return;
    }
    let mut used: HashSet<&str> = HashSet::new();
    let live = |pos: Pos| text.offset(pos).is_some_and(|o| !edit.blanked(o));
    let mut values: Vec<&Positioned<Value>> = Vec::new();
    // The operation's directives and the fragment definitions' (a blanked fragment's are not
    // live, below).
    let fragment_directives = doc.fragments.values().flat_map(|f| &f.node.directives);
    for d in op.node.directives.iter().chain(fragment_directives) {
        values.extend(d.node.arguments.iter().map(|(_, v)| v));
    }
    let sets = std::iter::once(&op.node.selection_set)
        .chain(doc.fragments.values().map(|f| &f.node.selection_set));
    for set in sets {
        collect_arguments(set, &mut values);
    }
    for v in values.into_iter().filter(|v| live(v.pos)) {
        variables_in(&v.node, &mut used);
    }
    let unused: Vec<_> = defs
        .iter()
        .filter(|d| !used.contains(d.node.name.node.as_str()))
        .collect();
    let list = text.offset(op.pos).and_then(|o| text.variable_list(o));
    match list {
        Some((open, close)) if unused.len() == defs.len() => edit.blank(open, close),
        _ => {
            for d in unused {
                if let Some(start) = text.offset(d.pos) {
                    edit.blank(start, text.variable_definition_end(start));
                }
            }
        }
    }
}

/// Every argument value in a selection set (fields' and directives'), nested ones included.
fn collect_arguments<'a>(set: &'a Positioned<SelectionSet>, out: &mut Vec<&'a Positioned<Value>>) {
    let mut sets = vec![set];
    while let Some(set) = sets.pop() {
        for item in &set.node.items {
            let directives = match &item.node {
                Selection::Field(f) => {
                    out.extend(f.node.arguments.iter().map(|(_, v)| v));
                    sets.push(&f.node.selection_set);
                    &f.node.directives
                }
                Selection::InlineFragment(i) => {
                    sets.push(&i.node.selection_set);
                    &i.node.directives
                }
                Selection::FragmentSpread(s) => &s.node.directives,
            };
            for d in directives {
                out.extend(d.node.arguments.iter().map(|(_, v)| v));
            }
        }
    }
}

fn variables_in<'a>(value: &'a Value, out: &mut HashSet<&'a str>) {
    match value {
        Value::Variable(name) => {
            out.insert(name.as_str());
        }
        Value::List(items) => items.iter().for_each(|v| variables_in(v, out)),
        Value::Object(fields) => fields.values().for_each(|v| variables_in(v, out)),
        _ => {}
    }
}
