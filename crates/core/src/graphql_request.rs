//! A GraphQL request's body as a stranger sends it (SPEC §5.8, §11): one JSON object with a
//! `query` string and optional `variables` and `operationName`. Batches are refused. JSON
//! nesting is bounded by serde_json's recursion limit (128), so no body can recurse further.

use serde::Deserialize;
use serde_json::Value;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GraphqlBody {
    pub query: String,
    #[serde(default)]
    pub variables: Option<Value>,
    #[serde(default)]
    pub operation_name: Option<String>,
}

/// Why a body is not one GraphQL request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BodyError {
    /// A JSON array: several operations at once.
    Batch,
    /// JSON of another shape (no `query` string, fields of the wrong types).
    Shape,
    /// Not JSON (or nested deeper than the parser allows).
    NotJson,
}

impl BodyError {
    pub fn message(self) -> &'static str {
        match self {
            BodyError::Batch => "Batched requests are not supported: send one operation per request.",
            BodyError::Shape => "The request body must be an object with a \"query\" string and optional \"variables\" and \"operationName\".",
            BodyError::NotJson => "The request body is not valid JSON.",
        }
    }
}

/// Decodes a request body in one pass: straight into the body type, the error's category
/// saying which refusal applies.
pub fn parse_body(bytes: &[u8]) -> Result<GraphqlBody, BodyError> {
    if bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[') {
        return Err(BodyError::Batch);
    }
    serde_json::from_slice(bytes).map_err(|e| match e.classify() {
        serde_json::error::Category::Data => BodyError::Shape,
        _ => BodyError::NotJson,
    })
}

/// How far into a document [`leading_operation_name`] looks.
const NAME_SCAN_BYTES: usize = 1024;

/// The name of the operation a document starts with (`query Name`, `mutation Name`,
/// `subscription Name`), by a bounded look at its first bytes and no parse: the label of a
/// refused request in the decision inspector, where a refusal must stay cheap for a stranger
/// who sends garbage. Whitespace, commas and `#` comments before it are skipped.
pub fn leading_operation_name(query: &str) -> Option<&str> {
    let head = &query.as_bytes()[..query.len().min(NAME_SCAN_BYTES)];
    let mut i = 0;
    let skip = |mut i: usize| {
        while i < head.len() {
            match head[i] {
                b' ' | b'\t' | b'\n' | b'\r' | b',' => i += 1,
                b'#' => {
                    while i < head.len() && head[i] != b'\n' {
                        i += 1;
                    }
                }
                _ => break,
            }
        }
        i
    };
    let name_end = |start: usize| {
        let mut j = start;
        while j < head.len() && (head[j] == b'_' || head[j].is_ascii_alphanumeric()) {
            j += 1;
        }
        j
    };
    i = skip(i);
    let keyword_end = name_end(i);
    if !matches!(
        &head[i..keyword_end],
        b"query" | b"mutation" | b"subscription"
    ) {
        return None;
    }
    let start = skip(keyword_end);
    let end = name_end(start);
    // A name starts with a letter or `_`, and must not run into the end of the scanned bytes.
    let first = *head.get(start)?;
    if end == start || first.is_ascii_digit() || end == head.len() {
        return None;
    }
    query.get(start..end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies() {
        let ok = parse_body(br#"{"query":"{ a }","variables":{"x":1},"operationName":"Q"}"#)
            .expect("ok");
        assert_eq!(
            (ok.query.as_str(), ok.operation_name.as_deref()),
            ("{ a }", Some("Q"))
        );
        assert_eq!(parse_body(b" [{}]").err(), Some(BodyError::Batch));
        assert_eq!(parse_body(br#"{"query":1}"#).err(), Some(BodyError::Shape));
        assert_eq!(parse_body(b"{").err(), Some(BodyError::NotJson));
        let deep = format!(
            "{{\"query\":\"q\",\"variables\":{}1{}}}",
            "[".repeat(200),
            "]".repeat(200)
        );
        assert_eq!(parse_body(deep.as_bytes()).err(), Some(BodyError::NotJson));
    }

    #[test]
    fn leading_operation_names() {
        let long = format!("query {}", "a".repeat(2000));
        let cases = [
            ("query Home { site { x } }", Some("Home")),
            (
                "  # a comment\n,mutation Login($e: String!) { x }",
                Some("Login"),
            ),
            ("subscription\n\tOn_1{x}", Some("On_1")),
            ("query { x }", None),
            ("{ x }", None),
            ("fragment F on Query { x } query Q { ...F }", None),
            ("query 9Bad { x }", None),
            ("queryX Name { x }", None),
            ("query", None),
            ("query Name", None),
            ("", None),
            (long.as_str(), None),
        ];
        for (doc, want) in cases {
            assert_eq!(leading_operation_name(doc), want, "{doc:.40}");
        }
    }
}
