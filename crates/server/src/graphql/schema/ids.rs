//! Global ids (`id: ID!`): base64 of `Kind:key`, as BigCommerce encodes them.

use async_graphql::ID;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;

pub fn global_id(kind: &str, id: impl std::fmt::Display) -> ID {
    ID(STANDARD.encode(format!("{kind}:{id}")))
}

pub fn parse_global_id(id: &str) -> Option<(String, String)> {
    let raw = String::from_utf8(STANDARD.decode(id).ok()?).ok()?;
    let (kind, rest) = raw.split_once(':')?;
    Some((kind.to_string(), rest.to_string()))
}

/// An option value a variant is picked by (`variants(optionValueIds:)`, search filters).
#[derive(async_graphql::InputObject, Clone, Copy, Debug)]
pub struct OptionValueId {
    pub option_entity_id: i32,
    pub value_entity_id: i32,
}
