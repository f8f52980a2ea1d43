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
#[derive(Clone)]
pub struct Outbound {
    allow: Vec<Allowed>,
    timeout: Duration,
    /// TLS for HTTPS calls: the operating system's root certificates, aws-lc's cryptography.
    tls: std::sync::Arc<rustls::ClientConfig>,
}

impl std::fmt::Debug for Outbound {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Outbound")
            .field("allow", &self.allow)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

/// A TLS client configuration trusting the system's root certificates (those it can read).
fn tls_config() -> Result<rustls::ClientConfig, String> {
    let mut roots = rustls::RootCertStore::empty();
    let found = rustls_native_certs::load_native_certs();
    for cert in found.certs {
        let _ = roots.add(cert);
    }
    rustls::ClientConfig::builder_with_provider(std::sync::Arc::new(
        rustls::crypto::aws_lc_rs::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map(|b| b.with_root_certificates(roots).with_no_client_auth())
    .map_err(|e| e.to_string())
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
        Ok(Outbound {
            allow,
            timeout,
            tls: std::sync::Arc::new(tls_config()?),
        })
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
        match tokio::time::timeout(self.timeout, self.send(&target, addr)).await {
            Ok(answer) => answer,
            Err(_) => Err(OutboundError::Request {
                host: target.host,
                why: "timed out".into(),
            }),
        }
    }

    /// One request over a connection to `addr` (the vetted address, never resolved again),
    /// TLS for `https` with the host's name.
    async fn send(&self, target: &Target, addr: SocketAddr) -> Result<u16, OutboundError> {
        let failed = |why: &dyn std::fmt::Display| OutboundError::Request {
            host: target.host.clone(),
            why: crate::logs::escaped(&why.to_string()),
        };
        let tcp = tokio::net::TcpStream::connect(addr)
            .await
            .map_err(|_| failed(&"could not connect"))?;
        let path = &target.url[url::Position::BeforePath..url::Position::AfterQuery];
        let host = match target.url.port() {
            Some(port) => format!("{}:{port}", target.url.host_str().unwrap_or_default()),
            None => target.url.host_str().unwrap_or_default().to_string(),
        };
        let request = hyper::Request::get(path)
            .header(hyper::header::HOST, host)
            .header(hyper::header::USER_AGENT, "storefront-auth")
            .body(axum::body::Body::empty())
            .map_err(|e| failed(&e))?;
        let status = if target.url.scheme() == "https" {
            let name = rustls::pki_types::ServerName::try_from(target.host.clone())
                .map_err(|e| failed(&e))?;
            let tls = tokio_rustls::TlsConnector::from(self.tls.clone())
                .connect(name, tcp)
                .await
                .map_err(|e| failed(&e))?;
            exchange(tls, request).await
        } else {
            exchange(tcp, request).await
        };
        status.map_err(|e| failed(&e))
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
    crate::logs::escaped(&raw[..cut.min(256)])
}

/// Sends one HTTP/1.1 request on `io` and returns the answer's status.
async fn exchange<Io>(
    io: Io,
    request: hyper::Request<axum::body::Body>,
) -> Result<u16, hyper::Error>
where
    Io: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let (mut sender, connection) =
        hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(io)).await?;
    let driving = tokio::spawn(connection);
    let answer = sender.send_request(request).await;
    driving.abort();
    Ok(answer?.status().as_u16())
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

    /// HTTPS end to end: a local TLS server (its certificate trusted for the test), reached
    /// through the allow-list; a redirect is reported, not followed.
    #[tokio::test]
    async fn https_calls_verify_the_certificate_and_report_redirects() {
        let key = rcgen::KeyPair::generate().expect("key");
        let cert = rcgen::CertificateParams::new(vec!["localhost".to_string()])
            .expect("params")
            .self_signed(&key)
            .expect("cert");
        let server =
            crate::http::tls::server_config(cert.pem().as_bytes(), key.serialize_pem().as_bytes())
                .expect("server config");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let port = listener.local_addr().expect("addr").port();
        tokio::spawn(async move {
            let acceptor = tokio_rustls::TlsAcceptor::from(server);
            while let Ok((tcp, _)) = listener.accept().await {
                let acceptor = acceptor.clone();
                tokio::spawn(async move {
                    use tokio::io::{AsyncReadExt, AsyncWriteExt};
                    let Ok(mut tls) = acceptor.accept(tcp).await else {
                        return;
                    };
                    let mut buf = [0u8; 1024];
                    let _ = tls.read(&mut buf).await;
                    let _ = tls
                        .write_all(b"HTTP/1.1 302 Found\r\nlocation: https://example.com/\r\ncontent-length: 0\r\n\r\n")
                        .await;
                });
            }
        });
        let mut roots = rustls::RootCertStore::empty();
        roots.add(cert.der().clone()).expect("root");
        let trusting = Outbound {
            tls: std::sync::Arc::new(
                rustls::ClientConfig::builder_with_provider(std::sync::Arc::new(
                    rustls::crypto::aws_lc_rs::default_provider(),
                ))
                .with_safe_default_protocol_versions()
                .expect("versions")
                .with_root_certificates(roots)
                .with_no_client_auth(),
            ),
            ..outbound(&["localhost"])
        };
        let url = format!("https://localhost:{port}/auth?code=secret");
        assert_eq!(trusting.get(&url).await.expect("answered"), 302);
        // Without the certificate trusted, the call fails (and says so without the query).
        let refused = outbound(&["localhost"]).get(&url).await;
        let why = format!("{:?}", refused.expect_err("untrusted"));
        assert!(!why.contains("secret"), "{why}");
    }

    #[test]
    fn logs_never_see_the_query() {
        assert_eq!(
            safe_for_logs("https://app.example/cb?signed_payload_jwt=secret"),
            "https://app.example/cb"
        );
    }
}
