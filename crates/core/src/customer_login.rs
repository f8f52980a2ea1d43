//! The Customer Login JWT (SPEC §6): its claims and every rule that does not need storage.
//! The caller supplies the issuer's account facts and claims the `jti` in the database.

use serde_json::Value;

use crate::hs256::{self, Hs256Error};

pub const LOGIN_SCOPE: &str = "store_v2_customers_login";
pub const DEFAULT_REDIRECT: &str = "/account.php";

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoginClaims {
    pub iss: String,
    pub iat: i64,
    pub jti: String,
    pub store_hash: String,
    pub customer_id: i64,
    pub channel_id: i64,
    pub redirect_to: Option<String>,
    pub request_ip: Option<String>,
}

/// Why a Customer Login JWT was refused (logged, never shown to the browser).
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LoginJwtError {
    #[error("not an HS256 JWT")]
    Malformed,
    #[error("algorithm is not HS256")]
    Algorithm,
    #[error("required claim missing or of the wrong type")]
    MissingClaim,
    #[error("issuer is not an API account of this store with store_v2_customers_login")]
    Issuer,
    #[error("signature does not verify with the issuer's client secret")]
    Signature,
    #[error("operation is not customer_login")]
    Operation,
    #[error("store_hash is not this store")]
    Store,
    #[error("iat is outside the allowed window")]
    IssuedAt,
    #[error("exp has passed")]
    Expired,
    #[error("request_ip does not match the client")]
    RequestIp,
    #[error("jti was already used")]
    Replayed,
    #[error("customer does not exist")]
    UnknownCustomer,
    #[error("channel does not exist")]
    UnknownChannel,
    #[error("redirect_to leaves the storefront")]
    Redirect,
    #[error("the database is unavailable")]
    Unavailable,
}

impl From<Hs256Error> for LoginJwtError {
    fn from(e: Hs256Error) -> Self {
        match e {
            Hs256Error::Malformed => LoginJwtError::Malformed,
            Hs256Error::Algorithm => LoginJwtError::Algorithm,
            Hs256Error::Signature => LoginJwtError::Signature,
        }
    }
}

/// The issuer (`iss`) of a token, to look up whose secret verifies it.
pub fn issuer(token: &str) -> Result<String, LoginJwtError> {
    let claims = hs256::peek(token)?;
    claims
        .get("iss")
        .and_then(Value::as_str)
        .map(String::from)
        .ok_or(LoginJwtError::MissingClaim)
}

/// Verifies the signature with the issuer's secret and checks every claim rule.
pub fn verify(
    token: &str,
    secret: &[u8],
    store_hash: &str,
    now: i64,
    leeway: i64,
    client_ip: Option<&str>,
) -> Result<LoginClaims, LoginJwtError> {
    let c = hs256::verify(token, secret)?;
    let s = |k: &str| c.get(k).and_then(Value::as_str).map(String::from);
    let i = |k: &str| {
        c.get(k).and_then(|v| {
            v.as_i64()
                .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
        })
    };
    let claims = LoginClaims {
        iss: s("iss").ok_or(LoginJwtError::MissingClaim)?,
        iat: i("iat").ok_or(LoginJwtError::MissingClaim)?,
        jti: s("jti")
            .filter(|j| !j.is_empty())
            .ok_or(LoginJwtError::MissingClaim)?,
        store_hash: s("store_hash").ok_or(LoginJwtError::MissingClaim)?,
        customer_id: i("customer_id").ok_or(LoginJwtError::MissingClaim)?,
        channel_id: match c.get("channel_id") {
            None | Some(Value::Null) => 1,
            Some(_) => i("channel_id").ok_or(LoginJwtError::MissingClaim)?,
        },
        redirect_to: s("redirect_to"),
        request_ip: s("request_ip"),
    };
    if s("operation").as_deref() != Some("customer_login") {
        return Err(LoginJwtError::Operation);
    }
    if claims.store_hash != store_hash {
        return Err(LoginJwtError::Store);
    }
    // `abs_diff`: any `iat` a client sends, `i64::MIN + now` included, is compared without
    // overflow.
    if claims.iat.abs_diff(now) > leeway.unsigned_abs() {
        return Err(LoginJwtError::IssuedAt);
    }
    if i("exp").is_some_and(|exp| exp < now) {
        return Err(LoginJwtError::Expired);
    }
    if let Some(ip) = &claims.request_ip {
        if client_ip != Some(ip.as_str()) {
            return Err(LoginJwtError::RequestIp);
        }
    }
    Ok(claims)
}

/// Where to send the browser after sign-in: a path on the storefront, or a URL on the
/// channel's own site. The target is refused if it holds any control character or space
/// (browsers drop tabs and line breaks from URLs, so `/\t/evil.example` would become
/// `//evil.example`) or a backslash (read as `/`), and it is resolved against the channel's
/// origin the way a browser resolves a `Location`, so only what lands on that origin passes.
pub fn safe_redirect(
    redirect_to: Option<&str>,
    site_origin: &str,
) -> Result<String, LoginJwtError> {
    let target = redirect_to.unwrap_or(DEFAULT_REDIRECT);
    if target.is_empty()
        || target
            .chars()
            .any(|c| c.is_control() || c.is_whitespace() || c == '\\')
    {
        return Err(LoginJwtError::Redirect);
    }
    let base = url::Url::parse(site_origin).map_err(|_| LoginJwtError::Redirect)?;
    let landed = base.join(target).map_err(|_| LoginJwtError::Redirect)?;
    if landed.origin() != base.origin() {
        return Err(LoginJwtError::Redirect);
    }
    // A path stays a path (the browser stays on the host it signed in at); anything else
    // must already name the channel's site.
    if target.starts_with('/') && !target.starts_with("//") {
        return Ok(target.to_string());
    }
    match crate::validate::origin_of(target) {
        Some(origin) if origin == site_origin => Ok(target.to_string()),
        _ => Err(LoginJwtError::Redirect),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const NOW: i64 = 1_800_000_000;

    fn token(extra: Value) -> String {
        let mut c = json!({ "iss": "client", "iat": NOW, "jti": "j", "operation": "customer_login", "store_hash": "demo", "customer_id": 2 });
        for (k, v) in extra.as_object().expect("obj") {
            c[k] = v.clone();
        }
        hs256::sign(&c, b"secret")
    }

    #[test]
    fn rules() {
        let ok = verify(&token(json!({})), b"secret", "demo", NOW, 30, None).expect("ok");
        assert_eq!(
            (ok.channel_id, ok.customer_id, ok.redirect_to),
            (1, 2, None)
        );
        let cases = [
            (
                token(json!({ "operation": "other" })),
                LoginJwtError::Operation,
            ),
            (
                token(json!({ "store_hash": "other" })),
                LoginJwtError::Store,
            ),
            (token(json!({ "iat": NOW - 31 })), LoginJwtError::IssuedAt),
            (token(json!({ "iat": NOW + 31 })), LoginJwtError::IssuedAt),
            (
                token(json!({ "iat": i64::MIN + NOW })),
                LoginJwtError::IssuedAt,
            ),
            (token(json!({ "iat": i64::MIN })), LoginJwtError::IssuedAt),
            (token(json!({ "iat": i64::MAX })), LoginJwtError::IssuedAt),
            (token(json!({ "exp": i64::MIN })), LoginJwtError::Expired),
            (token(json!({ "exp": NOW - 1 })), LoginJwtError::Expired),
            (
                token(json!({ "request_ip": "10.0.0.1" })),
                LoginJwtError::RequestIp,
            ),
            (token(json!({ "jti": "" })), LoginJwtError::MissingClaim),
            (
                token(json!({ "customer_id": "x" })),
                LoginJwtError::MissingClaim,
            ),
        ];
        for (t, want) in cases {
            assert_eq!(
                verify(&t, b"secret", "demo", NOW, 30, Some("127.0.0.1")),
                Err(want)
            );
        }
        assert_eq!(
            verify(&token(json!({})), b"wrong", "demo", NOW, 30, None),
            Err(LoginJwtError::Signature)
        );
        let ip = token(json!({ "request_ip": "127.0.0.1", "impersonator_id": 5, "channel_id": 2 }));
        assert_eq!(
            verify(&ip, b"secret", "demo", NOW + 30, 30, Some("127.0.0.1"))
                .expect("ip")
                .channel_id,
            2
        );
        assert_eq!(issuer(&token(json!({}))), Ok("client".into()));
    }

    #[test]
    fn redirects_stay_on_the_storefront() {
        let site = "http://localhost:3000";
        assert_eq!(safe_redirect(None, site), Ok("/account.php".into()));
        assert_eq!(
            safe_redirect(Some("/cart.php?x=1"), site),
            Ok("/cart.php?x=1".into())
        );
        assert_eq!(
            safe_redirect(Some("http://localhost:3000/checkout"), site),
            Ok("http://localhost:3000/checkout".into())
        );
        for bad in [
            "//evil.example/x",
            "https://evil.example/",
            "http://localhost:3001/",
            "javascript:alert(1)",
            "/\\evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "/cart.php\r\nSet-Cookie: x=1",
            "/ /evil.example",
            "http://localhost:3000@evil.example/",
            "HTTP://evil.example",
            "relative/path",
            "",
        ] {
            assert_eq!(
                safe_redirect(Some(bad), site),
                Err(LoginJwtError::Redirect),
                "{bad}"
            );
        }
    }
}
