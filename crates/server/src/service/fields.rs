//! A refusal of one input field, as every validation in the domain reports it: the
//! `"{field}:{rule}"` key and its human message (the management API's `errors` object, a
//! CLI's lines, a GraphQL error's message).

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    pub key: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: &str, rule: &str, message: impl Into<String>) -> Self {
        FieldError {
            key: format!("{field}:{rule}"),
            message: message.into(),
        }
    }
}

/// One line per error, `key: message`: how a command line shows them.
pub fn as_lines(errors: &[FieldError]) -> String {
    errors
        .iter()
        .map(|f| format!("{}: {}", f.key, f.message))
        .collect::<Vec<_>>()
        .join("\n")
}
