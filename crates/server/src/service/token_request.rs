//! What a token request may say (SPEC §3.1): every field of a creation body checked, each
//! refusal named by its `{field}:{rule}` key. The management API and the CLI both ask here.

use std::collections::BTreeSet;

use serde_json::{Map, Value};
use storefront_auth_core::token::TokenKind;
use storefront_auth_core::validate::{check_origin, OriginError};
use storefront_auth_core::Scope;

use super::fields::FieldError;

/// What to issue, as `token_request::parse` validated it.
#[derive(Clone, Debug)]
pub struct TokenSpec {
    pub kind: TokenKind,
    /// Empty = every channel of the store, now and later.
    pub channels: Vec<i64>,
    pub origins: Vec<String>,
    pub scopes: Option<Vec<String>>,
    pub expires_at: i64,
    /// The creating API account's client id, or `None` for a platform token (`sub: "BC"`).
    pub subject: Option<String>,
}

/// Validates a creation body into a `TokenSpec`, collecting every field error.
pub fn parse(
    body: &Value,
    kind: TokenKind,
    store_channels: &[i64],
    now: i64,
) -> Result<TokenSpec, Vec<FieldError>> {
    let Some(obj) = body.as_object() else {
        return Err(vec![FieldError::new(
            "body",
            "invalid_type",
            "The request body must be a JSON object.",
        )]);
    };
    let mut errors = Vec::new();
    let mut allowed = vec!["expires_at", "channel_id", "channel_ids"];
    match kind {
        TokenKind::Storefront => allowed.push("allowed_cors_origins"),
        TokenKind::Private => allowed.push("scopes"),
        TokenKind::CustomerImpersonation => {}
    }
    for key in obj.keys() {
        if key == "allowed_cors_origins" && kind != TokenKind::Storefront {
            errors.push(FieldError::new(key, "not_allowed", "allowed_cors_origins is only accepted for storefront tokens; private and customer impersonation tokens cannot be used from browsers."));
        } else if !allowed.contains(&key.as_str()) {
            errors.push(FieldError::new(
                key,
                "unknown_field",
                format!("{key} is not a field of this request."),
            ));
        }
    }
    let expires_at = parse_expires_at(obj, now, &mut errors);
    let channels = parse_channels(obj, store_channels, &mut errors);
    let origins = if kind == TokenKind::Storefront {
        parse_origins(obj, &mut errors)
    } else {
        Vec::new()
    };
    let scopes = if kind == TokenKind::Private {
        Some(parse_scopes(obj, &mut errors))
    } else {
        None
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(TokenSpec {
        kind,
        channels,
        origins,
        scopes,
        expires_at,
        subject: None,
    })
}

fn parse_expires_at(obj: &Map<String, Value>, now: i64, errors: &mut Vec<FieldError>) -> i64 {
    match obj.get("expires_at") {
        None | Some(Value::Null) => errors.push(FieldError::new("expires_at", "required", "expires_at is required: the expiry as unix seconds (e.g. 2147483647 for a long-lived token).")),
        Some(v) => match v.as_i64() {
            None => errors.push(FieldError::new("expires_at", "invalid_type", "expires_at must be an integer number of unix seconds.")),
            Some(t) if t <= now => errors.push(FieldError::new("expires_at", "not_in_future", "expires_at must be in the future.")),
            Some(t) => return t,
        },
    }
    0
}

fn parse_channels(
    obj: &Map<String, Value>,
    store_channels: &[i64],
    errors: &mut Vec<FieldError>,
) -> Vec<i64> {
    let (field, ids) = match requested_channels(obj) {
        Ok(found) => found,
        Err(e) => {
            errors.push(e);
            return Vec::new();
        }
    };
    let unknown: Vec<String> = ids
        .iter()
        .filter(|c| !store_channels.contains(c))
        .map(|c| c.to_string())
        .collect();
    if !unknown.is_empty() {
        errors.push(FieldError::new(
            field,
            "unknown_channel",
            format!(
                "Unknown channel id(s) for this store: {}.",
                unknown.join(", ")
            ),
        ));
    }
    ids
}

fn parse_origins(obj: &Map<String, Value>, errors: &mut Vec<FieldError>) -> Vec<String> {
    let list = match obj.get("allowed_cors_origins") {
        None | Some(Value::Null) => return Vec::new(),
        Some(Value::Array(list)) => list,
        Some(_) => {
            errors.push(FieldError::new(
                "allowed_cors_origins",
                "invalid_type",
                "allowed_cors_origins must be an array of origins.",
            ));
            return Vec::new();
        }
    };
    if list.len() > 2 {
        errors.push(FieldError::new(
            "allowed_cors_origins",
            "max_items",
            "Allowed CORS origins list length should not be greater than 2",
        ));
        return Vec::new();
    }
    let mut out = Vec::new();
    for item in list {
        match item.as_str().map(|s| (s, check_origin(s))) {
            Some((s, Ok(()))) => out.push(s.to_string()),
            Some((_, Err(OriginError::InvalidSuffix))) => errors.push(FieldError::new("allowed_cors_origins", "has_invalid_suffix", "A supplied origin has a trailing slash or other special character following the end of the domain. Please remove any trailing characters in supplied origins.")),
            _ => errors.push(FieldError::new("allowed_cors_origins", "invalid_origin", "Each origin must be scheme://host[:port], such as https://shop.example.")),
        }
    }
    out
}

fn parse_scopes(obj: &Map<String, Value>, errors: &mut Vec<FieldError>) -> Vec<String> {
    let list = match obj.get("scopes") {
        None | Some(Value::Null) => {
            errors.push(FieldError::new(
                "scopes",
                "required",
                "scopes is required: a non-empty list of Unauthenticated, Customer, B2B.",
            ));
            return Vec::new();
        }
        Some(Value::Array(list)) => list,
        Some(_) => {
            errors.push(FieldError::new(
                "scopes",
                "invalid_type",
                "scopes must be an array of scope names.",
            ));
            return Vec::new();
        }
    };
    if list.is_empty() {
        errors.push(FieldError::new(
            "scopes",
            "min_items",
            "scopes must name at least one of Unauthenticated, Customer, B2B.",
        ));
        return Vec::new();
    }
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for item in list {
        match item.as_str().and_then(Scope::parse) {
            None => {
                errors.push(FieldError::new(
                    "scopes",
                    "invalid_value",
                    "Each scope must be one of Unauthenticated, Customer, B2B.",
                ));
                return Vec::new();
            }
            Some(s) if !seen.insert(s) => {
                errors.push(FieldError::new(
                    "scopes",
                    "duplicate",
                    format!("Scope {s} is listed more than once."),
                ));
                return Vec::new();
            }
            Some(s) => out.push(s.as_str().to_string()),
        }
    }
    out
}

/// The channels a body names, by `channel_id` or `channel_ids` (deduplicated, in order), and
/// which field named them.
fn requested_channels(obj: &Map<String, Value>) -> Result<(&'static str, Vec<i64>), FieldError> {
    let single = obj.get("channel_id").filter(|v| !v.is_null());
    let many = obj.get("channel_ids").filter(|v| !v.is_null());
    match (single, many) {
        (Some(_), Some(_)) => Err(FieldError::new(
            "channel_id",
            "mutually_exclusive",
            "Send either channel_id or channel_ids, not both.",
        )),
        (None, None) => Err(FieldError::new(
            "channel_id",
            "required",
            "One of channel_id or channel_ids is required.",
        )),
        (Some(v), None) => match v.as_i64().filter(|c| *c >= 1) {
            Some(c) => Ok(("channel_id", vec![c])),
            None => Err(FieldError::new(
                "channel_id",
                "invalid_type",
                "channel_id must be a positive integer.",
            )),
        },
        (None, Some(v)) => v
            .as_array()
            .and_then(|a| {
                a.iter()
                    .map(|x| x.as_i64().filter(|c| *c >= 1))
                    .collect::<Option<BTreeSet<i64>>>()
            })
            .map(|ids| ("channel_ids", ids.into_iter().collect()))
            .ok_or_else(|| {
                FieldError::new(
                    "channel_ids",
                    "invalid_type",
                    "channel_ids must be an array of positive integers.",
                )
            }),
    }
}
