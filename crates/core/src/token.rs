//! Storefront API tokens (SPEC §4): the claim set, the three kinds, ES256 signing and the
//! verification that classifies every malformed input (SPEC §5.2 steps 2–5).

use aws_lc_rs::signature::{UnparsedPublicKey, ECDSA_P256_SHA256_FIXED};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::{Deserialize, Deserializer, Serialize};

use crate::keys::{KeyRing, SigningKey};
use crate::scope::{Scope, ScopeSet};

/// `token_type` claim values. 1 and 2 are BigCommerce's; 3 is ours for private tokens.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TokenKind {
    Storefront,
    CustomerImpersonation,
    Private,
}

impl TokenKind {
    pub const ALL: [TokenKind; 3] = [
        TokenKind::Storefront,
        TokenKind::CustomerImpersonation,
        TokenKind::Private,
    ];

    pub fn code(self) -> i64 {
        match self {
            TokenKind::Storefront => 1,
            TokenKind::CustomerImpersonation => 2,
            TokenKind::Private => 3,
        }
    }

    pub fn from_code(code: i64) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            TokenKind::Storefront => "storefront",
            TokenKind::CustomerImpersonation => "customer_impersonation",
            TokenKind::Private => "private",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// `sub_type`: 0 for tokens the platform mints itself, 2 for tokens an API account created.
pub const SUB_TYPE_PLATFORM: i64 = 0;
pub const SUB_TYPE_API_ACCOUNT: i64 = 2;

/// The claims, in the alphabetical order BigCommerce emits them (serde keeps field order).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Claims {
    /// Channel ids; empty means every channel of the store. Older tokens carry a bare integer.
    #[serde(deserialize_with = "int_or_array")]
    pub cid: Vec<i64>,
    #[serde(default)]
    pub cors: Vec<String>,
    /// Expires at (unix s). There is no `exp`.
    pub eat: i64,
    pub iat: i64,
    pub iss: String,
    pub jti: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scopes: Option<Vec<String>>,
    pub sid: i64,
    pub sub: String,
    pub sub_type: i64,
    pub token_type: i64,
}

fn int_or_array<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<i64>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Cid {
        One(i64),
        Many(Vec<i64>),
    }
    Ok(match Cid::deserialize(d)? {
        Cid::One(c) => vec![c],
        Cid::Many(v) => v,
    })
}

impl Claims {
    pub fn kind(&self) -> Option<TokenKind> {
        TokenKind::from_code(self.token_type)
    }

    /// The private-token scope set; `None` for kinds that are not scope-checked.
    pub fn scope_set(&self) -> Option<ScopeSet> {
        self.scopes
            .as_ref()
            .map(|names| names.iter().filter_map(|n| Scope::parse(n)).collect())
    }

    pub fn allows_channel(&self, channel: i64) -> bool {
        self.cid.is_empty() || self.cid.contains(&channel)
    }
}

/// Why a string is not a token we issued (SPEC §5.2 steps 2–5).
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    #[error("not three base64url segments")]
    NotJwt,
    #[error("a segment is not base64-encoded JSON")]
    NoValidJson,
    #[error("JSON without the expected header or claims")]
    UnknownFormat,
    #[error("algorithm, key id or signature rejected")]
    BadSignature,
}

#[derive(Deserialize)]
struct Header {
    alg: String,
    #[serde(default)]
    kid: Option<String>,
}

/// Signs `claims` with ES256 under `key`; the header names the key by `kid`.
pub fn sign(claims: &Claims, key: &SigningKey) -> Option<String> {
    sign_compact("JWT", &serde_json::to_vec(claims).ok()?, key)
}

/// A compact JWS of `payload` (JSON) signed with ES256 under `key`, its header naming `typ`
/// and the key's `kid`. `typ` is a constant of ours (no quoting needed).
pub fn sign_compact(typ: &str, payload: &[u8], key: &SigningKey) -> Option<String> {
    let header = format!(r#"{{"typ":"{typ}","alg":"ES256","kid":"{}"}}"#, key.kid());
    let mut out = String::with_capacity(400);
    out.push_str(&URL_SAFE_NO_PAD.encode(header));
    out.push('.');
    out.push_str(&URL_SAFE_NO_PAD.encode(payload));
    let sig = key.sign(out.as_bytes())?;
    out.push('.');
    out.push_str(&URL_SAFE_NO_PAD.encode(sig));
    Some(out)
}

/// Splits a compact JWS into its three segments, checking only the alphabet.
pub fn segments(token: &str) -> Result<[&str; 3], VerifyError> {
    // Only the count decides "not a JWT" (SPEC §5.2 step 2): a segment that is not base64url
    // fails later, as "no valid Json" (header, claims) or "signature is invalid" (an empty or
    // undecodable signature, as `alg: none` tokens carry).
    let mut parts = token.split('.');
    match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some(h), Some(p), Some(s), None) => Ok([h, p, s]),
        _ => Err(VerifyError::NotJwt),
    }
}

/// Decodes and parses the claims without checking the signature (for `tokens inspect` and for
/// finding the token a revocation names). Validity must still be established by `verify`.
pub fn decode_unverified(token: &str) -> Result<Claims, VerifyError> {
    let [_, p, _] = segments(token)?;
    parse_json::<Claims>(p)
}

fn parse_json<T: serde::de::DeserializeOwned>(segment: &str) -> Result<T, VerifyError> {
    let bytes = URL_SAFE_NO_PAD
        .decode(segment)
        .map_err(|_| VerifyError::NoValidJson)?;
    let value: serde_json::Value =
        serde_json::from_slice(&bytes).map_err(|_| VerifyError::NoValidJson)?;
    serde_json::from_value(value).map_err(|_| VerifyError::UnknownFormat)
}

/// Verifies the structure, the algorithm, the key and the signature. Expiry, revocation and
/// the store/channel binding are the policy's business (`policy::authorize`), in SPEC order.
pub fn verify(token: &str, keys: &KeyRing) -> Result<Claims, VerifyError> {
    verify_with_kid(token, keys).map(|(claims, _)| claims)
}

/// `verify`, also naming the key that verified the token.
pub fn verify_with_kid(token: &str, keys: &KeyRing) -> Result<(Claims, String), VerifyError> {
    let [h, p, s] = segments(token)?;
    let header: Header = parse_json(h)?;
    let claims: Claims = parse_json(p)?;
    if claims.kind().is_none() || claims.iss != "BC" {
        return Err(VerifyError::UnknownFormat);
    }
    if let Some(names) = &claims.scopes {
        if names.iter().any(|n| Scope::parse(n).is_none()) {
            return Err(VerifyError::UnknownFormat);
        }
    }
    // Only ES256 under one of our kids: `none`, HS256 keyed with the public key and foreign
    // keys all end here.
    if header.alg != "ES256" {
        return Err(VerifyError::BadSignature);
    }
    let Some((kid, key)) = header
        .kid
        .and_then(|kid| keys.verifier(&kid).map(|key| (kid, key)))
    else {
        return Err(VerifyError::BadSignature);
    };
    let sig = URL_SAFE_NO_PAD
        .decode(s)
        .map_err(|_| VerifyError::BadSignature)?;
    // One valid string per token: the high-`s` twin of a signature is refused (but for
    // tokens issued before signatures were made canonical).
    if !crate::ecdsa::is_low_s(&sig) && !keys.accepts_high_s(claims.iat) {
        return Err(VerifyError::BadSignature);
    }
    let signed_len = h.len() + 1 + p.len();
    UnparsedPublicKey::new(&ECDSA_P256_SHA256_FIXED, key.point())
        .verify(&token.as_bytes()[..signed_len], &sig)
        .map_err(|_| VerifyError::BadSignature)?;
    Ok((claims, kid))
}

#[cfg(test)]
mod tests;
