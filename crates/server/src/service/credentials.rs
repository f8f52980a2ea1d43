//! Where a customer's password is checked (issue 21, `gateway.login`): here, against the
//! stored hash (`local`, the default), or by the operator's own service (`delegate:URL`), for a
//! gateway in front of a commerce backend that keeps its customers' passwords itself.
//!
//! Delegation checks the credentials only. The customer is still the one storefront-auth knows
//! by that email (the session, the customer access token and the assertion name it), so the
//! operator keeps customers in both places, as the local mode also needs; what it no longer
//! copies is password hashes. Every password sign-in goes through here (the GraphQL `login`,
//! the storefront login form), behind the same throttling.
//!
//! The operator's endpoint gets `POST {"store_hash", "email", "password"}` (JSON) and answers
//! 200 for valid credentials, 401 or 403 for invalid ones. Anything else, or no answer within
//! the outbound timeout, is the check being unavailable: the sign-in fails as unavailable and
//! nothing is issued.

use std::time::Duration;

use super::outbound::Outbound;

/// How passwords are checked.
#[derive(Debug)]
pub enum Credentials {
    Local,
    Delegate { url: String, outbound: Outbound },
}

/// The operator's check did not answer yes or no.
#[derive(Debug, thiserror::Error)]
#[error("the operator's credential check: {0}")]
pub struct CheckUnavailable(pub String);

impl Credentials {
    /// From `gateway.login`: `local`, or `delegate:URL` (any address: the operator named it).
    pub fn of(login: &str, timeout: Duration) -> Result<Credentials, String> {
        match login.split_once(':') {
            None if login == "local" => Ok(Credentials::Local),
            Some(("delegate", url)) => {
                let parsed = url::Url::parse(url)
                    .map_err(|_| format!("gateway.login: {url:?} is not a URL"))?;
                let host = parsed.host_str().unwrap_or_default();
                let host = host.trim_matches(['[', ']']).to_string();
                let outbound = Outbound::new(&[host], timeout)?;
                outbound
                    .check(url)
                    .map_err(|e| format!("gateway.login: {e}"))?;
                Ok(Credentials::Delegate {
                    url: url.to_string(),
                    outbound,
                })
            }
            _ => Err(format!(
                "gateway.login is local or delegate:URL, not {login:?}"
            )),
        }
    }

    /// Asks the operator whether `password` is `email`'s in the store `store_hash`.
    pub async fn delegated(
        url: &str,
        outbound: &Outbound,
        store_hash: &str,
        email: &str,
        password: &str,
    ) -> Result<bool, CheckUnavailable> {
        let body =
            serde_json::json!({ "store_hash": store_hash, "email": email, "password": password });
        let answer = outbound
            .post_json(url, &[], body.to_string().into_bytes())
            .await
            .map_err(|e| CheckUnavailable(e.to_string()))?;
        match answer.status {
            200 => Ok(true),
            401 | 403 => Ok(false),
            other => Err(CheckUnavailable(format!("answered {other}"))),
        }
    }
}
