//! Reading a GraphQL document a stranger sent (SPEC §11): its brackets are counted before the
//! parser sees it, so no document, however deeply it nests values or selections, can make
//! parsing recurse without bound. Every surface parses documents here (`/graphql`,
//! `/graphql/explain`, `scopes explain`).

use async_graphql_parser::types::ExecutableDocument;

/// Brackets (`{`, `[`, `(`) nested deeper than this are refused before parsing. The depth
/// limit of 16 field levels needs 17 selection sets; arguments and the deepest input objects
/// of the schema add fewer than 10. (The parser itself refuses past
/// `async_graphql_parser::MAX_NESTING`, and bounds values and selection sets on its own.)
pub const MAX_NESTING: usize = 64;

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DocumentError {
    #[error("The document nests brackets {0} levels deep; at most {MAX_NESTING} are allowed.")]
    TooDeep(usize),
    /// The parser's own error (its message and position are GraphQL's syntax error).
    #[error("{0}")]
    Syntax(async_graphql_parser::Error),
}

/// Parses `text` as an executable document, refusing deep nesting first.
pub fn parse(text: &str) -> Result<ExecutableDocument, DocumentError> {
    let depth = async_graphql_parser::nesting_depth(text);
    if depth > MAX_NESTING {
        return Err(DocumentError::TooDeep(depth));
    }
    async_graphql_parser::parse_query(text).map_err(DocumentError::Syntax)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_nesting_is_refused_in_every_position_before_parsing() {
        for depth in [65usize, 1_000, 2_500, 10_000, 100_000] {
            let list = format!("{}1{}", "[".repeat(depth), "]".repeat(depth));
            let object = format!("{}1{}", "{a:".repeat(depth), "}".repeat(depth));
            for value in [&list, &object] {
                for doc in [
                    format!("{{ a(x: {value}) }}"),
                    format!("query($v: In = {value}) {{ a }}"),
                    format!("{{ a @d(x: {value}) }}"),
                    "{ a ".repeat(depth),
                ] {
                    let refused = parse(&doc);
                    assert!(
                        matches!(refused, Err(DocumentError::TooDeep(n)) if n > MAX_NESTING),
                        "depth {depth}: {refused:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn real_documents_parse() {
        let doc = "query Q($a: [[Int!]] = [[1]]) { site { products(first: 2) { edges { node { name } } } } }";
        assert!(parse(doc).is_ok());
        assert!(matches!(parse("{ a "), Err(DocumentError::Syntax(_))));
    }
}
