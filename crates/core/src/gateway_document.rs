//! What gateway mode must know about a document before it goes upstream (issue 21): the root
//! fields its operation selects (the sign-in mutations are answered here, never upstream) and
//! whether it asks for what the gateway does not support (`@defer`, `@stream`). Pure; works
//! on documents the analysis already accepted, and stays bounded on any other.

use async_graphql_parser::types::{ExecutableDocument, Selection, SelectionSet};

use crate::analysis::{select_operation, AnalysisError};

/// Fragment nesting followed at most (the analysis refuses deeper documents first).
const MAX_NESTING: usize = 64;
/// Directives the gateway refuses: incremental delivery it cannot restore scope denials in.
pub const UNSUPPORTED_DIRECTIVES: [&str; 2] = ["defer", "stream"];

/// The names of the root fields the operation selects, through fragments, in document order.
pub fn root_fields<'d>(
    doc: &'d ExecutableDocument,
    operation: Option<&str>,
) -> Result<Vec<&'d str>, AnalysisError> {
    let (_, op) = select_operation(doc, operation)?;
    let mut out = Vec::new();
    roots(doc, &op.node.selection_set.node, &mut out, 0)?;
    Ok(out)
}

fn roots<'d>(
    doc: &'d ExecutableDocument,
    set: &'d SelectionSet,
    out: &mut Vec<&'d str>,
    nesting: usize,
) -> Result<(), AnalysisError> {
    if nesting > MAX_NESTING {
        return Err(AnalysisError::TooDeep);
    }
    for item in &set.items {
        match &item.node {
            Selection::Field(f) => out.push(f.node.name.node.as_str()),
            Selection::InlineFragment(i) => {
                roots(doc, &i.node.selection_set.node, out, nesting + 1)?;
            }
            Selection::FragmentSpread(s) => {
                let name = s.node.fragment_name.node.as_str();
                let fragment = doc
                    .fragments
                    .get(name)
                    .ok_or_else(|| AnalysisError::UnknownFragment(name.to_string()))?;
                roots(doc, &fragment.node.selection_set.node, out, nesting + 1)?;
            }
        }
    }
    Ok(())
}

/// Why async-graphql would not run any operation of `doc` for the requested `operation`, in
/// its words (gateway mode answers what built-in mode answers): a name that names none (an
/// anonymous operation has no name), or no name where several operations are.
pub fn operation_refusal(doc: &ExecutableDocument, operation: Option<&str>) -> Option<String> {
    use async_graphql_parser::types::DocumentOperations;
    match (&doc.operations, operation) {
        (DocumentOperations::Multiple(ops), Some(name)) if ops.contains_key(name) => None,
        (_, Some(name)) => Some(format!(r#"Unknown operation named "{name}""#)),
        (DocumentOperations::Multiple(ops), None) if ops.len() != 1 => {
            Some("Operation name required in request.".into())
        }
        (_, None) => None,
    }
}

/// The first unsupported directive the document uses anywhere (operations and fragments),
/// found without recursion.
pub fn unsupported_directive(doc: &ExecutableDocument) -> Option<&'static str> {
    let mut sets: Vec<&SelectionSet> = doc
        .operations
        .iter()
        .map(|(_, op)| &op.node.selection_set.node)
        .chain(doc.fragments.values().map(|f| &f.node.selection_set.node))
        .collect();
    while let Some(set) = sets.pop() {
        for item in &set.items {
            let (directives, inner) = match &item.node {
                Selection::Field(f) => (&f.node.directives, Some(&f.node.selection_set.node)),
                Selection::InlineFragment(i) => {
                    (&i.node.directives, Some(&i.node.selection_set.node))
                }
                Selection::FragmentSpread(s) => (&s.node.directives, None),
            };
            for d in directives {
                let name = d.node.name.node.as_str();
                if let Some(found) = UNSUPPORTED_DIRECTIVES.iter().find(|u| **u == name) {
                    return Some(found);
                }
            }
            sets.extend(inner);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(q: &str) -> ExecutableDocument {
        async_graphql_parser::parse_query(q).expect("parses")
    }

    #[test]
    fn root_fields_are_found_through_fragments() {
        let d = doc("mutation M { ...F ... on Mutation { logout { result } } } fragment F on Mutation { a: login(email: \"x\", password: \"y\") { result } }");
        assert_eq!(root_fields(&d, None).expect("ok"), ["login", "logout"]);
        let d = doc("query A { site { id } } query B { customer { id } }");
        assert_eq!(root_fields(&d, Some("B")).expect("ok"), ["customer"]);
        assert!(root_fields(&d, None).is_err());
        let d = doc("{ ...Missing }");
        assert!(matches!(
            root_fields(&d, None),
            Err(AnalysisError::UnknownFragment(_))
        ));
    }

    #[test]
    fn operations_are_chosen_as_async_graphql_chooses_them() {
        let single = doc("{ a }");
        assert_eq!(operation_refusal(&single, None), None);
        assert_eq!(
            operation_refusal(&single, Some("A")).as_deref(),
            Some(r#"Unknown operation named "A""#)
        );
        let two = doc("query A { a } query B { b }");
        assert_eq!(operation_refusal(&two, Some("B")), None);
        assert_eq!(
            operation_refusal(&two, None).as_deref(),
            Some("Operation name required in request.")
        );
        assert_eq!(operation_refusal(&doc("query A { a }"), None), None);
    }

    #[test]
    fn defer_and_stream_are_found_anywhere() {
        assert_eq!(unsupported_directive(&doc("{ site { id } }")), None);
        assert_eq!(
            unsupported_directive(&doc("{ site { ... @defer { id } } }")),
            Some("defer")
        );
        assert_eq!(
            unsupported_directive(&doc(
                "{ a } fragment F on Site { list @stream(initialCount: 1) { id } }"
            )),
            Some("stream")
        );
        assert_eq!(
            unsupported_directive(&doc("{ site { id @include(if: true) } }")),
            None
        );
    }
}
