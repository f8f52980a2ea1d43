//! HS256 JWTs keyed by an API account's client secret (SPEC §6, §7, §8): verification of
//! Customer Login JWTs and app payloads, signing of Current Customer and callback JWTs.

use aws_lc_rs::hmac;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::Value;

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Hs256Error {
    #[error("not a JWT")]
    Malformed,
    #[error("the algorithm is not HS256")]
    Algorithm,
    #[error("the signature does not match")]
    Signature,
}

/// Signs `claims` with HS256 under `secret`.
pub fn sign(claims: &Value, secret: &[u8]) -> String {
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"HS256","typ":"JWT"}"#);
    let payload = URL_SAFE_NO_PAD.encode(claims.to_string());
    let unsigned = format!("{header}.{payload}");
    let tag = hmac::sign(
        &hmac::Key::new(hmac::HMAC_SHA256, secret),
        unsigned.as_bytes(),
    );
    format!("{unsigned}.{}", URL_SAFE_NO_PAD.encode(tag))
}

/// The claims of `token` without checking the signature (to find the issuer whose secret
/// verifies it). Also checks that the header names HS256.
pub fn peek(token: &str) -> Result<Value, Hs256Error> {
    let mut parts = token.split('.');
    let (Some(h), Some(p), Some(_), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(Hs256Error::Malformed);
    };
    let json = |s: &str| -> Result<Value, Hs256Error> {
        let bytes = URL_SAFE_NO_PAD
            .decode(s.trim_end_matches('='))
            .map_err(|_| Hs256Error::Malformed)?;
        serde_json::from_slice(&bytes).map_err(|_| Hs256Error::Malformed)
    };
    let header = json(h)?;
    if header.get("alg").and_then(Value::as_str) != Some("HS256") {
        return Err(Hs256Error::Algorithm);
    }
    let claims = json(p)?;
    if !claims.is_object() {
        return Err(Hs256Error::Malformed);
    }
    Ok(claims)
}

/// Verifies an HS256 token under `secret` and returns its claims.
pub fn verify(token: &str, secret: &[u8]) -> Result<Value, Hs256Error> {
    let claims = peek(token)?;
    let (unsigned, sig) = token.rsplit_once('.').ok_or(Hs256Error::Malformed)?;
    let sig = URL_SAFE_NO_PAD
        .decode(sig.trim_end_matches('='))
        .map_err(|_| Hs256Error::Signature)?;
    hmac::verify(
        &hmac::Key::new(hmac::HMAC_SHA256, secret),
        unsigned.as_bytes(),
        &sig,
    )
    .map_err(|_| Hs256Error::Signature)?;
    Ok(claims)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn round_trip_and_rejections() {
        let t = sign(&json!({ "a": 1 }), b"secret");
        assert_eq!(verify(&t, b"secret"), Ok(json!({ "a": 1 })));
        assert_eq!(verify(&t, b"other"), Err(Hs256Error::Signature));
        let none = format!(
            "{}.{}.",
            URL_SAFE_NO_PAD.encode(br#"{"alg":"none"}"#),
            URL_SAFE_NO_PAD.encode(br#"{"a":1}"#)
        );
        assert_eq!(verify(&none, b"secret"), Err(Hs256Error::Algorithm));
        assert_eq!(verify("a.b", b"secret"), Err(Hs256Error::Malformed));
        // The docs' example token (signed with an unknown secret) parses.
        let doc = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJ7Y2xpZW50X2lkfSIsImlhdCI6MTUzNTM5MzExMywianRpIjoie3V1aWR9Iiwib3BlcmF0aW9uIjoiY3VzdG9tZXJfbG9naW4iLCJzdG9yZV9oYXNoIjoie3N0b3JlX2hhc2h9IiwiY3VzdG9tZXJfaWQiOjJ9.J-fAtbjRFGdLsT744DhoprFEDqIfVq72HbDzrbFy6Is";
        assert_eq!(peek(doc).expect("peek")["customer_id"], 2);
    }
}
