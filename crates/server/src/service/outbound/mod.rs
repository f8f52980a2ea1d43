//! Calls this server makes to other servers (SPEC §11): app callbacks and provider APIs. A URL
//! must be HTTPS to a public address; plain HTTP, loopback, private, link-local and metadata
//! addresses are reachable only for hosts the operator's development allow-list
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
pub(crate) fn tls_config() -> Result<rustls::ClientConfig, String> {
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

    /// How long one call may take.
    pub fn timeout(&self) -> Duration {
        self.timeout
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
        let call = Call {
            method: hyper::Method::GET,
            headers: &[],
            body: Vec::new(),
        };
        self.call(raw, call).await.map(|a| a.status)
    }

    /// A `POST` of a JSON body to `raw` with `headers`: the answer's status and body (at most
    /// `MAX_ANSWER` bytes; a longer body is a failed call). Redirects are answers.
    pub async fn post_json(
        &self,
        raw: &str,
        headers: &[(&'static str, String)],
        body: Vec<u8>,
    ) -> Result<Answer, OutboundError> {
        let call = Call {
            method: hyper::Method::POST,
            headers,
            body,
        };
        self.call(raw, call).await
    }

    /// Checks `raw`, resolves and vets it, and makes the call within the timeout (which
    /// covers connecting, sending and reading the whole answer).
    async fn call(&self, raw: &str, call: Call<'_>) -> Result<Answer, OutboundError> {
        let target = self.check(raw)?;
        let addr = self.vetted_address(&target).await?;
        match tokio::time::timeout(self.timeout, self.send(&target, addr, call)).await {
            Ok(answer) => answer,
            Err(_) => Err(OutboundError::Request {
                host: target.host,
                why: "timed out".into(),
            }),
        }
    }

    /// One request over a connection to `addr` (the vetted address, never resolved again),
    /// TLS for `https` with the host's name.
    async fn send(
        &self,
        target: &Target,
        addr: SocketAddr,
        call: Call<'_>,
    ) -> Result<Answer, OutboundError> {
        let failed = |why: &dyn std::fmt::Display| OutboundError::Request {
            host: target.host.clone(),
            why: crate::logs::escaped(&why.to_string()),
        };
        let tcp = tokio::net::TcpStream::connect(addr)
            .await
            .map_err(|_| failed(&"could not connect"))?;
        let request = call.request(target).map_err(|e| failed(&e))?;
        let answer = if target.url.scheme() == "https" {
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
        answer.map_err(|e| failed(&e))
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

/// The most of an answer's body an outbound call reads.
pub const MAX_ANSWER: usize = 1 << 20;

/// Another server's answer: its status and body.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub body: Vec<u8>,
}

/// A request to make: method, extra headers, body (JSON when not empty).
struct Call<'a> {
    method: hyper::Method,
    headers: &'a [(&'static str, String)],
    body: Vec<u8>,
}

impl Call<'_> {
    fn request(self, target: &Target) -> Result<hyper::Request<axum::body::Body>, String> {
        let path = &target.url[url::Position::BeforePath..url::Position::AfterQuery];
        let host = match target.url.port() {
            Some(port) => format!("{}:{port}", target.url.host_str().unwrap_or_default()),
            None => target.url.host_str().unwrap_or_default().to_string(),
        };
        let mut request = hyper::Request::builder()
            .method(self.method)
            .uri(path)
            .header(hyper::header::HOST, host)
            .header(hyper::header::USER_AGENT, "storefront-auth");
        if !self.body.is_empty() {
            request = request
                .header(hyper::header::CONTENT_TYPE, "application/json")
                .header(hyper::header::ACCEPT, "application/json");
        }
        for (name, value) in self.headers {
            request = request.header(*name, value.as_str());
        }
        request
            .body(axum::body::Body::from(self.body))
            .map_err(|e| e.to_string())
    }
}

/// Sends one HTTP/1.1 request on `io` and reads the answer (its body bounded).
async fn exchange<Io>(io: Io, request: hyper::Request<axum::body::Body>) -> Result<Answer, String>
where
    Io: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let (mut sender, connection) =
        hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(io))
            .await
            .map_err(|e| e.to_string())?;
    let driving = tokio::spawn(connection);
    let answer = async {
        let response = sender
            .send_request(request)
            .await
            .map_err(|e| e.to_string())?;
        let status = response.status().as_u16();
        let body = axum::body::to_bytes(axum::body::Body::new(response.into_body()), MAX_ANSWER)
            .await
            .map_err(|_| format!("the answer is larger than {MAX_ANSWER} bytes or was cut off"))?;
        Ok(Answer {
            status,
            body: body.to_vec(),
        })
    }
    .await;
    driving.abort();
    answer
}

#[cfg(test)]
mod tests;
