//! One connection to the upstream, HTTP/1.1 or HTTP/2, driven by its own task until it closes.
//!
//! HTTP/1.1 carries one call at a time per connection, so every call pays a write and a read
//! of its own. HTTP/2 (`gateway.upstream_protocol = "http2"`: prior knowledge over `http`,
//! ALPN `h2` over `https`) carries all the calls on one shared connection, and under load the
//! frames of many calls share each write and each read.

use axum::body::Body;
use axum::http::{Request, Response};
use hyper::body::Incoming;
use hyper::client::conn::{http1, http2};
use hyper_util::rt::{TokioExecutor, TokioIo};

use crate::config::gateway::UpstreamProtocol as Protocol;

/// The sending half of a connection; an HTTP/2 one is cloned for every call it carries.
pub enum Sender {
    Http1(http1::SendRequest<Body>),
    Http2(http2::SendRequest<Body>),
}

impl Sender {
    /// Another sender on the same connection: HTTP/2 only (an HTTP/1.1 connection carries one
    /// call at a time).
    pub fn share(&self) -> Option<Sender> {
        match self {
            Sender::Http1(_) => None,
            Sender::Http2(s) => Some(Sender::Http2(s.clone())),
        }
    }

    pub fn is_closed(&self) -> bool {
        match self {
            Sender::Http1(s) => s.is_closed(),
            Sender::Http2(s) => s.is_closed(),
        }
    }

    /// Waits until the connection takes a call: the HTTP/1.1 one is idle, the HTTP/2 one below
    /// the upstream's limit of concurrent streams.
    pub async fn ready(&mut self) -> hyper::Result<()> {
        match self {
            Sender::Http1(s) => s.ready().await,
            Sender::Http2(s) => s.ready().await,
        }
    }

    pub async fn send(&mut self, request: Request<Body>) -> hyper::Result<Response<Incoming>> {
        match self {
            Sender::Http1(s) => s.send_request(request).await,
            Sender::Http2(s) => s.send_request(request).await,
        }
    }
}

/// A connection over `io` speaking `protocol`, its task spawned.
pub async fn handshake<Io>(io: Io, protocol: Protocol) -> hyper::Result<Sender>
where
    Io: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let io = TokioIo::new(io);
    match protocol {
        Protocol::Http1 => {
            let (sender, connection) = http1::handshake(io).await?;
            tokio::spawn(async move {
                let _ = connection.await;
            });
            Ok(Sender::Http1(sender))
        }
        Protocol::Http2 => {
            // One stream until the upstream's SETTINGS say how many it takes: hyper assumes
            // 100 before that, and an upstream that takes fewer would refuse the rest of a
            // first burst of calls.
            let (sender, connection) = http2::Builder::new(TokioExecutor::new())
                .initial_max_send_streams(1)
                .handshake(io)
                .await?;
            tokio::spawn(async move {
                let _ = connection.await;
            });
            Ok(Sender::Http2(sender))
        }
    }
}
