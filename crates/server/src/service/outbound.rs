//! Calls this server makes to other servers (SPEC §11): app callbacks today, provider APIs
//! later. A URL must be HTTPS to a public address; plain HTTP, loopback, private, link-local
//! and metadata addresses are reachable only for hosts the operator's development allow-list
//! (`outbound.allow`) names. Names are resolved once, every address is vetted, and the
//! connection goes to the vetted address (a second resolution cannot swap it); redirects are
//! never followed.

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use storefront_auth_core::net::{is_public, Allowed};

#[derive(Debug, thiserror::Error)]
pub enum OutboundError {
    #[error("{0} is not an absolute http(s) URL without credentials or fragment")]
    Url(String),
    #[error("{0} must use https")]
    PlainHttp(String),
    #[error("{host} resolves to {ip}, which outbound calls may not reach (loopback, private, link-local or metadata address)")]
    Blocked { host: String, ip: IpAddr },
    #[error("{0} could not be resolved")]
    Resolve(String),
    #[error("request to {host} failed: {why}")]
    Request { host: String, why: String },
}

/// The rules every outbound call follows.
#[derive(Clone, Debug)]
pub struct Outbound {
    allow: Vec<Allowed>,
    timeout: Duration,
}

/// A URL that passed the static checks: its host and port.
#[derive(Debug)]
pub struct Target {
    pub url: url::Url,
    pub host: String,
    pub port: u16,
}

impl Outbound {
    pub fn new(allow: &[String], timeout: Duration) -> Result<Self, String> {
        let allow = allow
            .iter()
            .map(|a| Allowed::parse(a))
            .collect::<Result<_, _>>()?;
        Ok(Outbound { allow, timeout })
    }

    fn host_allowed(&self, host: &str) -> bool {
        self.allow.iter().any(|a| a.names_host(host))
    }

    fn address_allowed(&self, host: &str, ip: IpAddr) -> bool {
        is_public(ip) || self.host_allowed(host) || self.allow.iter().any(|a| a.contains(ip))
    }

    /// The checks that need no resolution: the URL's shape, HTTPS unless the host is allowed,
    /// and a literal address's range. For registration time and before every call.
    pub fn check(&self, raw: &str) -> Result<Target, OutboundError> {
        let bad = || OutboundError::Url(safe_for_logs(raw));
        let url = url::Url::parse(raw).map_err(|_| bad())?;
        let host = url.host_str().filter(|h| !h.is_empty()).ok_or_else(bad)?;
        let host = host.trim_matches(['[', ']']).to_ascii_lowercase();
        if !matches!(url.scheme(), "http" | "https")
            || !url.username().is_empty()
            || url.password().is_some()
            || url.fragment().is_some()
        {
            return Err(bad());
        }
        let literal = host.parse::<IpAddr>().ok();
        let allowed = self.host_allowed(&host)
            || literal.is_some_and(|ip| self.allow.iter().any(|a| a.contains(ip)));
        if url.scheme() == "http" && !allowed {
            return Err(OutboundError::PlainHttp(host));
        }
        if let Some(ip) = literal {
            if !self.address_allowed(&host, ip) {
                return Err(OutboundError::Blocked { host, ip });
            }
        }
        let port = url.port_or_known_default().ok_or_else(bad)?;
        Ok(Target { url, host, port })
    }

    /// A `GET` of `raw`; returns the HTTP status. Redirects are answers, not followed.
    pub async fn get(&self, raw: &str) -> Result<u16, OutboundError> {
        let target = self.check(raw)?;
        let addr = self.vetted_address(&target).await?;
        let failed = |e: reqwest::Error| OutboundError::Request {
            host: target.host.clone(),
            why: without_url(&e),
        };
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(self.timeout)
            .resolve(&target.host, addr)
            .build()
            .map_err(failed)?;
        let response = client
            .get(target.url.clone())
            .send()
            .await
            .map_err(failed)?;
        Ok(response.status().as_u16())
    }

    /// Resolves the host once and vets every address it has; the first is the one called.
    async fn vetted_address(&self, target: &Target) -> Result<SocketAddr, OutboundError> {
        let addrs: Vec<SocketAddr> = tokio::net::lookup_host((target.host.as_str(), target.port))
            .await
            .map_err(|_| OutboundError::Resolve(target.host.clone()))?
            .collect();
        if let Some(blocked) = addrs
            .iter()
            .find(|a| !self.address_allowed(&target.host, a.ip()))
        {
            return Err(OutboundError::Blocked {
                host: target.host.clone(),
                ip: blocked.ip(),
            });
        }
        addrs
            .first()
            .copied()
            .ok_or_else(|| OutboundError::Resolve(target.host.clone()))
    }
}

/// A URL as it may appear in a log line or an error: scheme, host and path, never the query
/// (callback URLs carry signed payloads and codes there).
pub fn safe_for_logs(raw: &str) -> String {
    let cut = raw.find(['?', '#']).unwrap_or(raw.len());
    crate::request_log::escaped(&raw[..cut.min(256)])
}

/// A reqwest error's text without the URL it names (which may carry a signed payload).
fn without_url(e: &reqwest::Error) -> String {
    let mut text = e.to_string();
    if let Some(url) = e.url() {
        text = text.replace(url.as_str(), "");
    }
    if e.is_timeout() {
        "timed out".into()
    } else if e.is_connect() {
        "could not connect".into()
    } else {
        crate::request_log::escaped(&text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outbound(allow: &[&str]) -> Outbound {
        let allow: Vec<String> = allow.iter().map(|s| s.to_string()).collect();
        Outbound::new(&allow, Duration::from_secs(1)).expect("valid allow-list")
    }

    #[test]
    fn urls_need_https_and_public_addresses_unless_allowed() {
        let strict = outbound(&[]);
        assert!(strict.check("https://app.example.com/auth?x=1").is_ok());
        for bad in [
            "http://app.example.com/auth",
            "https://127.0.0.1/auth",
            "https://169.254.169.254/latest/meta-data",
            "https://[::1]:8443/",
            "https://[::ffff:10.0.0.1]/",
            "https://user:pass@app.example.com/",
            "https://app.example.com/#frag",
            "ftp://app.example.com/",
            "not a url",
        ] {
            assert!(strict.check(bad).is_err(), "{bad}");
        }
        let dev = outbound(&["127.0.0.1", "localhost"]);
        assert!(dev.check("http://127.0.0.1:4000/auth").is_ok());
        assert!(dev.check("http://localhost:4000/auth").is_ok());
        assert!(dev.check("http://10.0.0.1/auth").is_err());
        assert!(matches!(
            dev.check("https://169.254.169.254/"),
            Err(OutboundError::Blocked { .. })
        ));
    }

    #[tokio::test]
    async fn names_are_resolved_and_every_address_vetted() {
        let strict = outbound(&[]);
        // `localhost` resolves to loopback: refused before any connection.
        assert!(matches!(
            strict.get("https://localhost:1/").await,
            Err(OutboundError::Blocked { .. })
        ));
        assert!(outbound(&["localhost"])
            .check("https://localhost:1/")
            .is_ok());
    }

    #[test]
    fn logs_never_see_the_query() {
        assert_eq!(
            safe_for_logs("https://app.example/cb?signed_payload_jwt=secret"),
            "https://app.example/cb"
        );
    }
}
