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
    let header = format!(r#"{{"typ":"JWT","alg":"ES256","kid":"{}"}}"#, key.kid());
    let payload = serde_json::to_vec(claims).ok()?;
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
    let mut parts = token.split('.');
    let (Some(h), Some(p), Some(s), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(VerifyError::NotJwt);
    };
    let b64url = |seg: &str| {
        !seg.is_empty()
            && seg
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    };
    if !(b64url(h) && b64url(p) && b64url(s)) {
        return Err(VerifyError::NotJwt);
    }
    Ok([h, p, s])
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
mod tests {
    use super::*;
    use aws_lc_rs::hmac;

    fn claims() -> Claims {
        Claims {
            cid: vec![1],
            cors: vec!["http://localhost:3000".into()],
            eat: 2_147_483_647,
            iat: 1_700_000_000,
            iss: "BC".into(),
            jti: "00000000-0000-4000-8000-000000000000".into(),
            scopes: None,
            sid: 1_000_001,
            sub: "abcdefghijklmnopqrstuvwxyz01234".into(),
            sub_type: SUB_TYPE_API_ACCOUNT,
            token_type: 1,
        }
    }

    fn ring() -> (SigningKey, KeyRing) {
        let key = SigningKey::generate().expect("key");
        let vk = key.verifying_key().expect("vk");
        let again =
            SigningKey::from_pkcs8(&hex::decode(hex::encode(key_pkcs8(&key))).expect("hex"))
                .expect("again");
        (again, KeyRing::new(Some(key), vec![vk]))
    }

    fn key_pkcs8(key: &SigningKey) -> Vec<u8> {
        let stored = key.to_stored(None);
        base64::engine::general_purpose::STANDARD
            .decode(stored.trim_start_matches("plain:"))
            .expect("b64")
    }

    fn b64(s: &str) -> String {
        URL_SAFE_NO_PAD.encode(s)
    }

    #[test]
    fn signs_with_the_documented_header_and_sorted_claims() {
        let (key, ring) = ring();
        let token = sign(&claims(), &key).expect("sign");
        let [h, p, s] = segments(&token).expect("segments");
        let header = String::from_utf8(URL_SAFE_NO_PAD.decode(h).expect("h")).expect("utf8");
        assert_eq!(
            header,
            format!(r#"{{"typ":"JWT","alg":"ES256","kid":"{}"}}"#, key.kid())
        );
        let payload = String::from_utf8(URL_SAFE_NO_PAD.decode(p).expect("p")).expect("utf8");
        assert!(payload
            .starts_with(r#"{"cid":[1],"cors":["http://localhost:3000"],"eat":2147483647,"iat":"#));
        assert_eq!(URL_SAFE_NO_PAD.decode(s).expect("s").len(), 64);
        assert_eq!(verify(&token, &ring), Ok(claims()));
    }

    #[test]
    fn accepts_a_bare_integer_cid() {
        let (key, ring) = ring();
        let token = sign(&claims(), &key).expect("sign");
        let [h, _, _] = segments(&token).expect("segments");
        let payload = serde_json::to_string(&claims())
            .expect("json")
            .replace(r#""cid":[1]"#, r#""cid":1"#);
        let unsigned = format!("{h}.{}", b64(&payload));
        let sig = key.sign(unsigned.as_bytes()).expect("sig");
        let token = format!("{unsigned}.{}", URL_SAFE_NO_PAD.encode(sig));
        assert_eq!(verify(&token, &ring).expect("verify").cid, vec![1]);
    }

    #[test]
    fn rejects_each_malformation_with_its_reason() {
        let (key, ring) = ring();
        let good = sign(&claims(), &key).expect("sign");
        let [h, p, s] = segments(&good).expect("segments");
        let pub_point = ring.verifier(key.kid()).expect("vk").point().to_vec();
        let hs_with_public_key = {
            let hh = b64(&format!(
                r#"{{"typ":"JWT","alg":"HS256","kid":"{}"}}"#,
                key.kid()
            ));
            let unsigned = format!("{hh}.{p}");
            let tag = hmac::sign(
                &hmac::Key::new(hmac::HMAC_SHA256, &pub_point),
                unsigned.as_bytes(),
            );
            format!("{unsigned}.{}", URL_SAFE_NO_PAD.encode(tag))
        };
        let other = SigningKey::generate().expect("other");
        let cases: Vec<(String, VerifyError)> = vec![
            ("abc".into(), VerifyError::NotJwt),
            ("a.b".into(), VerifyError::NotJwt),
            (format!("{good}.x"), VerifyError::NotJwt),
            (format!("{h}..{s}"), VerifyError::NotJwt),
            (format!("{h}.{p}.{s}=="), VerifyError::NotJwt),
            (
                format!("{}.{p}.{s}", b64("not json")),
                VerifyError::NoValidJson,
            ),
            (
                format!("{h}.{}.{s}", b64("{nope")),
                VerifyError::NoValidJson,
            ),
            (format!("{h}.A.{s}"), VerifyError::NoValidJson),
            (
                format!("{h}.{}.{s}", b64(r#"{"hello":"world"}"#)),
                VerifyError::UnknownFormat,
            ),
            (
                format!("{}.{p}.{s}", b64(r#"{"typ":"JWT"}"#)),
                VerifyError::UnknownFormat,
            ),
            (
                format!("{}.{p}.{s}", b64(r#"{"typ":"JWT","alg":"none"}"#)),
                VerifyError::BadSignature,
            ),
            (
                format!("{}.{p}.AAAA", b64(r#"{"alg":"none"}"#)),
                VerifyError::BadSignature,
            ),
            (hs_with_public_key, VerifyError::BadSignature),
            (
                format!(
                    "{}.{p}.{s}",
                    b64(r#"{"typ":"JWT","alg":"ES256","kid":"unknown"}"#)
                ),
                VerifyError::BadSignature,
            ),
            (
                format!("{}.{p}.{s}", b64(r#"{"typ":"JWT","alg":"ES256"}"#)),
                VerifyError::BadSignature,
            ),
            (
                format!("{h}.{p}.{}", &s[..s.len() - 2]),
                VerifyError::BadSignature,
            ),
            (
                sign(&claims(), &other).expect("other"),
                VerifyError::BadSignature,
            ),
        ];
        for (token, expected) in cases {
            assert_eq!(verify(&token, &ring), Err(expected), "token {token}");
        }
        // A payload changed after signing fails the signature, even though it parses.
        let mut tampered = claims();
        tampered.sid = 42;
        let forged = format!(
            "{h}.{}.{s}",
            b64(&serde_json::to_string(&tampered).expect("json"))
        );
        assert_eq!(verify(&forged, &ring), Err(VerifyError::BadSignature));
    }

    #[test]
    fn only_the_low_s_encoding_of_a_signature_verifies() {
        let (key, ring) = ring();
        for _ in 0..64 {
            let token = sign(&claims(), &key).expect("sign");
            let [h, p, s] = segments(&token).expect("segments");
            let sig = URL_SAFE_NO_PAD.decode(s).expect("sig");
            assert!(crate::ecdsa::is_low_s(&sig), "we sign low-s only");
            // n - s: the same signature's other encoding.
            let mut twin = sig.clone();
            crate::ecdsa::flip_s(&mut twin);
            let twin = format!("{h}.{p}.{}", URL_SAFE_NO_PAD.encode(&twin));
            // It is a valid ECDSA signature, which aws-lc accepts on its own...
            let signed = format!("{h}.{p}");
            let point = ring.verifier(key.kid()).expect("vk").point().to_vec();
            assert!(UnparsedPublicKey::new(&ECDSA_P256_SHA256_FIXED, &point)
                .verify(
                    signed.as_bytes(),
                    &URL_SAFE_NO_PAD
                        .decode(twin.rsplit('.').next().expect("s"))
                        .expect("b64")
                )
                .is_ok());
            // ...and that verification refuses,
            assert_eq!(verify(&twin, &ring), Err(VerifyError::BadSignature));
            assert!(verify(&token, &ring).is_ok());
            // but for tokens issued before signatures were canonical.
            let legacy = ring.clone().with_high_s_issued_before(claims().iat + 1);
            assert!(verify(&twin, &legacy).is_ok());
            let current = ring.clone().with_high_s_issued_before(claims().iat);
            assert_eq!(verify(&twin, &current), Err(VerifyError::BadSignature));
        }
    }

    #[test]
    fn unknown_scope_or_kind_is_unknown_format() {
        let (key, ring) = ring();
        let mut c = claims();
        c.token_type = 9;
        assert_eq!(
            verify(&sign(&c, &key).expect("s"), &ring),
            Err(VerifyError::UnknownFormat)
        );
        let mut c = claims();
        c.scopes = Some(vec!["Admin".into()]);
        assert_eq!(
            verify(&sign(&c, &key).expect("s"), &ring),
            Err(VerifyError::UnknownFormat)
        );
    }
}
