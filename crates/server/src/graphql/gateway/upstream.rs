//! The gateway's client of the operator's upstream: HTTP/1.1 or HTTP/2 (`connection.rs`; TLS
//! for `https`) to the one configured URL, HTTP/1.1 connections kept for reuse and one HTTP/2
//! connection shared, the whole call (connecting and reading the answer) bounded by the
//! timeout and the answer by `max_response_bytes`.
//!
//! The upstream is the operator's own server, named in the configuration, not a URL a
//! stranger supplies: unlike `service::outbound`, any address is allowed (decided,
//! docs/GATEWAY.md), and its name is resolved at each new connection.

use std::sync::Mutex;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::{header, HeaderMap, HeaderValue, Request};

use super::connection::{handshake, Sender};
use crate::config::gateway::UpstreamProtocol as Protocol;

/// Idle connections kept for reuse, per serving thread.
const MAX_IDLE: usize = 64;

#[derive(Debug, thiserror::Error)]
pub enum UpstreamError {
    #[error("could not connect: {0}")]
    Connect(String),
    /// The connection failed after the request may have been sent.
    #[error("the connection failed: {0}")]
    Exchange(String),
    #[error("no answer within the timeout")]
    Timeout,
    #[error("the answer is larger than the limit")]
    TooLarge,
    #[error("the circuit breaker is open")]
    BreakerOpen,
}

/// The upstream's answer.
#[derive(Debug)]
pub struct UpstreamAnswer {
    pub status: u16,
    pub content_type: Option<HeaderValue>,
    pub body: Bytes,
}

/// Which connection a call takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Attempt {
    /// A query: a kept HTTP/1.1 connection, or the shared HTTP/2 one.
    Query,
    /// A query tried again after its connection failed: a new HTTP/1.1 connection (the kept
    /// ones may all be stale), or the shared HTTP/2 one: the next generation when the call
    /// failed on it (`Shared`), never a connection of its own (refused streams under load would
    /// be a storm of them).
    QueryAgain,
    /// A mutation: a new connection, never one the upstream may have closed meanwhile (it
    /// cannot be tried again). Over HTTP/1.1 it is kept for queries afterwards.
    Mutation,
}

/// The shared HTTP/2 connection and its generation: a call that fails on it retires that
/// generation, so the retry (and every call after) opens the next instead of trying a
/// connection that failed but does not know yet that it is closed. Many calls failing on one
/// generation open one connection.
#[derive(Default)]
struct Shared {
    sender: Option<Sender>,
    generation: u64,
}

pub struct Upstream {
    url: url::Url,
    host: String,
    port: u16,
    /// `Host` as the upstream's URL names it.
    authority: HeaderValue,
    /// `scheme://host[:port]`.
    origin: String,
    /// The request target: the URL's path and query (HTTP/1.1), or the whole URL (HTTP/2,
    /// whose `:scheme` and `:authority` come from it).
    target: axum::http::Uri,
    tls: Option<std::sync::Arc<rustls::ClientConfig>>,
    protocol: Protocol,
    /// HTTP/1.1: idle connections, one list per serving thread (`http::serving`; slot 0 for
    /// any other thread). A call takes its own thread's first, whose connection is driven on
    /// that thread (no wake-up across threads), then another's before opening one.
    idle: Vec<Mutex<Vec<Sender>>>,
    /// HTTP/2: the connection every call shares, and the lock of whoever is opening it (many
    /// calls at once find it closed, one opens the next).
    shared: Mutex<Shared>,
    opening: tokio::sync::Mutex<()>,
    /// Calls in flight at once, at most `gateway.max_connections`: many clients at once never
    /// open more connections to the upstream than that. Waiting for one counts in the timeout.
    in_flight: tokio::sync::Semaphore,
    timeout: Duration,
    max_response: usize,
}

impl std::fmt::Debug for Upstream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Upstream")
            .field("url", &self.url.as_str())
            .finish()
    }
}

impl Upstream {
    /// The client of `config`'s upstream (TLS from `config` when it is https), with at most
    /// `max_connections` calls in flight.
    pub fn of(
        config: &crate::config::GatewayConfig,
        max_connections: usize,
    ) -> Result<Upstream, String> {
        let raw = config
            .upstream
            .as_deref()
            .ok_or("gateway.upstream is not set")?;
        let protocol = config.protocol()?;
        let tls = match raw.starts_with("https:") {
            true => Some(super::tls::client_config(config, protocol)?),
            false => None,
        };
        let timeout = Duration::from_millis(config.timeout_ms);
        Upstream::new(
            raw,
            (protocol, tls),
            timeout,
            config.max_response_bytes,
            max_connections,
        )
    }

    /// The client of the upstream at `raw` speaking `protocol`; `tls` is its TLS configuration
    /// when it is https.
    pub fn new(
        raw: &str,
        (protocol, tls): (Protocol, Option<rustls::ClientConfig>),
        timeout: Duration,
        max_response: usize,
        max_connections: usize,
    ) -> Result<Upstream, String> {
        let url = url::Url::parse(raw).map_err(|e| format!("gateway.upstream: {e}"))?;
        let host = url
            .host_str()
            .ok_or("gateway.upstream has no host")?
            .trim_matches(['[', ']'])
            .to_string();
        let port = url
            .port_or_known_default()
            .ok_or("gateway.upstream has no port")?;
        let authority = match url.port() {
            Some(p) => format!("{}:{p}", url.host_str().unwrap_or_default()),
            None => url.host_str().unwrap_or_default().to_string(),
        };
        let tls = match (url.scheme(), tls) {
            ("https", Some(tls)) => Some(std::sync::Arc::new(tls)),
            ("https", None) => return Err("gateway.upstream is https: TLS is needed".into()),
            _ => None,
        };
        Ok(Upstream {
            authority: HeaderValue::from_str(&authority).map_err(|e| e.to_string())?,
            origin: url.origin().ascii_serialization(),
            target: match protocol {
                Protocol::Http1 => &url[url::Position::BeforePath..url::Position::AfterQuery],
                Protocol::Http2 => &url[..url::Position::AfterQuery],
            }
            .parse()
            .map_err(|e| format!("gateway.upstream: {e}"))?,
            url,
            host,
            port,
            tls,
            protocol,
            idle: (0..crate::http::serving::SLOTS)
                .map(|_| Mutex::new(Vec::new()))
                .collect(),
            shared: Mutex::new(Shared::default()),
            opening: tokio::sync::Mutex::new(()),
            in_flight: tokio::sync::Semaphore::new(max_connections.max(1)),
            timeout,
            max_response,
        })
    }

    /// The URL's origin: the assertion's default audience.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// POSTs `body` (JSON) with `headers` (the allow-listed ones and the assertion), on the
    /// connection `attempt` says.
    pub async fn post(
        &self,
        headers: HeaderMap,
        body: Bytes,
        attempt: Attempt,
    ) -> Result<UpstreamAnswer, UpstreamError> {
        let call = async {
            let _permit = self
                .in_flight
                .acquire()
                .await
                .map_err(|e| UpstreamError::Connect(e.to_string()))?;
            self.exchange(headers, body, attempt).await
        };
        match tokio::time::timeout(self.timeout, call).await {
            Ok(answer) => answer,
            Err(_) => Err(UpstreamError::Timeout),
        }
    }

    async fn exchange(
        &self,
        headers: HeaderMap,
        body: Bytes,
        attempt: Attempt,
    ) -> Result<UpstreamAnswer, UpstreamError> {
        let (mut sender, generation) = match (attempt, self.protocol) {
            (Attempt::Mutation, _) | (Attempt::QueryAgain, Protocol::Http1) => {
                (self.connect_boxed().await?, None)
            }
            (_, Protocol::Http1) => match self.kept().await {
                Some(s) => (s, None),
                None => (self.connect_boxed().await?, None),
            },
            (_, Protocol::Http2) => self.shared().await?,
        };
        let failed = |e: String| {
            if let Some(generation) = generation {
                self.retire(generation);
            }
            UpstreamError::Exchange(e)
        };
        let request = self.request(headers, body)?;
        let response = sender
            .send(request)
            .await
            .map_err(|e| failed(e.to_string()))?;
        let status = response.status().as_u16();
        let content_type = response.headers().get(header::CONTENT_TYPE).cloned();
        let body = axum::body::to_bytes(Body::new(response.into_body()), self.max_response)
            .await
            .map_err(|e| {
                if e.to_string().contains("length limit") {
                    UpstreamError::TooLarge
                } else {
                    failed(e.to_string())
                }
            })?;
        if self.protocol == Protocol::Http1 {
            self.keep(sender);
        }
        Ok(UpstreamAnswer {
            status,
            content_type,
            body,
        })
    }

    /// The POST of `body` with `headers` and the fixed ones.
    fn request(&self, headers: HeaderMap, body: Bytes) -> Result<Request<Body>, UpstreamError> {
        let mut request = Request::post(self.target.clone())
            .body(Body::from(body))
            .map_err(|e| UpstreamError::Exchange(e.to_string()))?;
        *request.headers_mut() = headers;
        let h = request.headers_mut();
        if self.protocol == Protocol::Http1 {
            h.insert(header::HOST, self.authority.clone());
        }
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        h.insert(header::ACCEPT, HeaderValue::from_static("application/json"));
        h.insert(
            header::USER_AGENT,
            HeaderValue::from_static("storefront-auth-gateway"),
        );
        Ok(request)
    }

    /// HTTP/2: the shared connection and its generation, opened when there is none, it
    /// closed or a call failed on it.
    async fn shared(&self) -> Result<(Sender, Option<u64>), UpstreamError> {
        let current = || {
            let shared = self.shared.lock().ok()?;
            let sender = shared.sender.as_ref().filter(|s| !s.is_closed())?.share()?;
            Some((sender, Some(shared.generation)))
        };
        if let Some(found) = current() {
            return Ok(found);
        }
        let _opening = self.opening.lock().await;
        if let Some(found) = current() {
            return Ok(found);
        }
        let sender = self.connect_boxed().await?;
        let mut shared = self
            .shared
            .lock()
            .map_err(|e| UpstreamError::Connect(e.to_string()))?;
        shared.generation += 1;
        shared.sender = sender.share();
        Ok((sender, Some(shared.generation)))
    }

    /// A call failed on the shared connection of `generation`: it is not given to another.
    fn retire(&self, generation: u64) {
        if let Ok(mut shared) = self.shared.lock() {
            if shared.generation == generation {
                shared.sender = None;
            }
        }
    }

    /// HTTP/1.1: a kept connection that is still open and ready, this thread's first.
    async fn kept(&self) -> Option<Sender> {
        let own = crate::http::serving::slot();
        for i in 0..self.idle.len() {
            let slot = (own + i) % self.idle.len();
            while let Some(mut sender) = self.pop_idle(slot) {
                if !sender.is_closed() && sender.ready().await.is_ok() {
                    return Some(sender);
                }
            }
        }
        None
    }

    fn pop_idle(&self, slot: usize) -> Option<Sender> {
        self.idle.get(slot)?.lock().ok()?.pop()
    }

    fn keep(&self, sender: Sender) {
        if let Some(Ok(mut idle)) = self.idle.get(crate::http::serving::slot()).map(Mutex::lock) {
            if idle.len() < MAX_IDLE {
                idle.push(sender);
            }
        }
    }

    /// [`Self::connect`] on the heap: the handshakes' futures (HTTP/2's is large) would
    /// otherwise be part of every call's future, which is moved on each call (callgrind: 10k
    /// more instructions of `memcpy` per gateway request), where a new connection is rare.
    fn connect_boxed(
        &self,
    ) -> std::pin::Pin<
        Box<dyn std::future::Future<Output = Result<Sender, UpstreamError>> + Send + '_>,
    > {
        Box::pin(self.connect())
    }

    async fn connect(&self) -> Result<Sender, UpstreamError> {
        let failed = |e: &dyn std::fmt::Display| UpstreamError::Connect(e.to_string());
        let tcp = tokio::net::TcpStream::connect((self.host.as_str(), self.port))
            .await
            .map_err(|e| failed(&e))?;
        let _ = tcp.set_nodelay(true);
        match &self.tls {
            Some(tls) => {
                let name = rustls::pki_types::ServerName::try_from(self.host.clone())
                    .map_err(|e| failed(&e))?;
                let stream = tokio_rustls::TlsConnector::from(tls.clone())
                    .connect(name, tcp)
                    .await
                    .map_err(|e| failed(&e))?;
                let h2 = stream.get_ref().1.alpn_protocol() == Some(b"h2".as_slice());
                if self.protocol == Protocol::Http2 && !h2 {
                    return Err(failed(&"the upstream did not agree to HTTP/2 (ALPN h2)"));
                }
                handshake(stream, self.protocol)
                    .await
                    .map_err(|e| failed(&e))
            }
            None => handshake(tcp, self.protocol).await.map_err(|e| failed(&e)),
        }
    }
}
