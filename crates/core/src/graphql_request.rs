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
}
