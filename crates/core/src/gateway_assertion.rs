//! Gateway mode's identity assertion (issue 21, docs/GATEWAY.md): what the gateway tells the
//! operator's upstream about a request it admitted, as one short-lived ES256 JWT of its own
//! type and audience, in place of every identity header the client sent. Pure: the caller
//! signs with its assertion key ring and caches the result per identity.

use serde::Serialize;

use crate::keys::SigningKey;

/// The JWS `typ` header: an upstream's verifier must insist on it, so no other JWT this server
/// signs (an access token) can pass for an assertion.
pub const ASSERTION_TYP: &str = "storefront-auth-assertion+jwt";
/// The `iss` claim.
pub const ASSERTION_ISSUER: &str = "storefront-auth";
/// The request header the assertion travels in.
pub const ASSERTION_HEADER: &str = "x-storefront-auth-assertion";

/// How the request's customer was resolved (SPEC §5.4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CustomerSource {
    /// A browser's storefront session cookie.
    Session,
    /// `X-Bc-Customer-Access-Token` from a server.
    CustomerAccessToken,
    /// A customer impersonation token's `X-Bc-Customer-Id`.
    Impersonation,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct AssertedCustomer {
    pub id: i64,
    pub source: CustomerSource,
}

/// The client's token, as far as the upstream needs it: never the token itself.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct AssertedToken {
    /// `storefront`, `customer_impersonation` or `private`.
    pub kind: &'static str,
    /// The token's `jti`.
    pub id: String,
    /// A private token's scopes; empty for the kinds that are not scope-checked.
    pub scopes: Vec<String>,
}

/// Everything an assertion says about a request: the key of its cache.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Identity {
    pub store_hash: String,
    pub channel_id: i64,
    pub customer: Option<AssertedCustomer>,
    pub token: AssertedToken,
    /// Was the request a browser's (SPEC §5.1)?
    pub browser: bool,
}

#[derive(Serialize)]
struct Claims<'a> {
    iss: &'static str,
    aud: &'a str,
    iat: i64,
    exp: i64,
    #[serde(flatten)]
    identity: &'a Identity,
}

/// The assertion of `identity` for `audience`, valid from `now` for `lifetime_secs`.
pub fn sign(
    identity: &Identity,
    audience: &str,
    now: i64,
    lifetime_secs: i64,
    key: &SigningKey,
) -> Option<String> {
    let claims = Claims {
        iss: ASSERTION_ISSUER,
        aud: audience,
        iat: now,
        exp: now.saturating_add(lifetime_secs),
        identity,
    };
    crate::token::sign_compact(ASSERTION_TYP, &serde_json::to_vec(&claims).ok()?, key)
}

/// One sample for an operator's verifier tests: its name, whether a correct verifier accepts
/// it, and the assertion.
pub struct Sample {
    pub name: &'static str,
    pub valid: bool,
    pub assertion: String,
}

/// The claims of `identity` for `audience`, issued at `iat`, as JSON.
fn payload(identity: &Identity, audience: &str, iat: i64, lifetime_secs: i64) -> Option<Vec<u8>> {
    serde_json::to_vec(&Claims {
        iss: ASSERTION_ISSUER,
        aud: audience,
        iat,
        exp: iat.saturating_add(lifetime_secs),
        identity,
    })
    .ok()
}

/// A valid assertion of `identity` and hostile ones a correct verifier must refuse: another
/// audience, expired, not yet valid, `alg: none`, signed by a key not in the JWKS (`stranger`),
/// the type of an access token, a payload changed after signing.
pub fn samples(
    identity: &Identity,
    audience: &str,
    now: i64,
    lifetime_secs: i64,
    key: &SigningKey,
    stranger: &SigningKey,
) -> Option<Vec<Sample>> {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;
    let b64 = |bytes: &[u8]| URL_SAFE_NO_PAD.encode(bytes);
    let signed =
        |aud: &str, iat: i64, key: &SigningKey| sign(identity, aud, iat, lifetime_secs, key);
    let valid = signed(audience, now, key)?;
    let claims = payload(identity, audience, now, lifetime_secs)?;
    let none_header = format!(r#"{{"typ":"{ASSERTION_TYP}","alg":"none"}}"#);
    let alg_none = format!("{}.{}.", b64(none_header.as_bytes()), b64(&claims));
    let mut changed = identity.clone();
    changed.customer = Some(AssertedCustomer {
        id: identity.customer.as_ref().map_or(1, |c| c.id + 1),
        source: CustomerSource::Impersonation,
    });
    let (header, _) = valid.split_once('.')?;
    let signature = valid.rsplit('.').next()?;
    let changed = b64(&payload(&changed, audience, now, lifetime_secs)?);
    let tampered = format!("{header}.{changed}.{signature}");
    let long_ago = now - 2 * lifetime_secs - 3600;
    let sample = |name, valid, assertion| Sample {
        name,
        valid,
        assertion,
    };
    Some(vec![
        sample("valid", true, valid.clone()),
        sample(
            "wrong_audience",
            false,
            signed("https://not-this-upstream.invalid", now, key)?,
        ),
        sample("expired", false, signed(audience, long_ago, key)?),
        sample("not_yet_valid", false, signed(audience, now + 3600, key)?),
        sample("alg_none", false, alg_none),
        sample("unknown_key", false, signed(audience, now, stranger)?),
        sample(
            "access_token_type",
            false,
            crate::token::sign_compact("JWT", &claims, key)?,
        ),
        sample("tampered", false, tampered),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;

    #[test]
    fn an_assertion_names_its_type_audience_and_identity_and_verifies() {
        let key = SigningKey::generate().expect("key");
        let identity = Identity {
            store_hash: "abc".into(),
            channel_id: 1,
            customer: Some(AssertedCustomer {
                id: 7,
                source: CustomerSource::CustomerAccessToken,
            }),
            token: AssertedToken {
                kind: "private",
                id: "jti-1".into(),
                scopes: vec!["Customer".into()],
            },
            browser: false,
        };
        let jwt = sign(&identity, "https://shop.internal", 1_000, 60, &key).expect("signed");
        let parts: Vec<&str> = jwt.split('.').collect();
        let json = |s: &str| -> serde_json::Value {
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(s).expect("b64")).expect("json")
        };
        let header = json(parts[0]);
        assert_eq!(header["typ"], ASSERTION_TYP);
        assert_eq!(header["alg"], "ES256");
        assert_eq!(header["kid"], key.kid());
        let claims = json(parts[1]);
        assert_eq!(claims["aud"], "https://shop.internal");
        assert_eq!(claims["iss"], ASSERTION_ISSUER);
        assert_eq!(claims["exp"], 1_060);
        assert_eq!(claims["customer"]["source"], "customer_access_token");
        assert_eq!(claims["token"]["scopes"][0], "Customer");
        let vk = key.verifying_key().expect("vk");
        let signed = format!("{}.{}", parts[0], parts[1]);
        let sig = URL_SAFE_NO_PAD.decode(parts[2]).expect("sig");
        aws_lc_rs::signature::UnparsedPublicKey::new(
            &aws_lc_rs::signature::ECDSA_P256_SHA256_FIXED,
            vk.point(),
        )
        .verify(signed.as_bytes(), &sig)
        .expect("verifies");
    }
}
