//! The two-hop limit of this HTTP stack on this machine: a minimal reverse proxy that forwards
//! each `POST /graphql` to one upstream over kept-alive HTTP/1.1 connections and returns its
//! answer, with no auth and no checks. Scenario 9's gateway does this hop and everything the
//! token model adds; this measures the hop alone, so that bench/run can say how much of
//! scenario 9's distance from the baseline is the second hop and how much is the gateway.
//!
//!   passthrough --listen ADDR --upstream http://HOST:PORT/graphql

use std::sync::{Arc, Mutex};

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{header, HeaderValue, Request, Response, StatusCode};
use axum::routing::post;
use axum::Router;
use hyper::client::conn::http1::SendRequest;
use hyper_util::rt::TokioIo;

struct Upstream {
    addr: String,
    path: String,
    idle: Mutex<Vec<SendRequest<Body>>>,
}

impl Upstream {
    /// An idle kept connection, or a new one driven by a task of its own (hyper's usual way).
    async fn connection(&self) -> anyhow::Result<SendRequest<Body>> {
        while let Some(sender) = self.idle.lock().map_err(|_| anyhow::anyhow!("lock"))?.pop() {
            if !sender.is_closed() {
                return Ok(sender);
            }
        }
        let stream = tokio::net::TcpStream::connect(&self.addr).await?;
        stream.set_nodelay(true)?;
        let (sender, connection) =
            hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
        tokio::spawn(connection);
        Ok(sender)
    }

    async fn forward(&self, body: Bytes) -> anyhow::Result<Response<Body>> {
        let mut sender = self.connection().await?;
        sender.ready().await?;
        let request = Request::post(self.path.as_str())
            .header(header::HOST, HeaderValue::from_str(&self.addr)?)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body))?;
        let answer = sender.send_request(request).await?;
        let status = answer.status();
        let content_type = answer.headers().get(header::CONTENT_TYPE).cloned();
        let bytes = axum::body::to_bytes(Body::new(answer.into_body()), 8 << 20).await?;
        if let Ok(mut idle) = self.idle.lock() {
            idle.push(sender);
        }
        let mut response = Response::new(Body::from(bytes));
        *response.status_mut() = status;
        if let Some(v) = content_type {
            response.headers_mut().insert(header::CONTENT_TYPE, v);
        }
        Ok(response)
    }
}

async fn graphql(State(upstream): State<Arc<Upstream>>, body: Bytes) -> Response<Body> {
    match upstream.forward(body).await {
        Ok(response) => response,
        Err(e) => {
            let mut response = Response::new(Body::from(e.to_string()));
            *response.status_mut() = StatusCode::BAD_GATEWAY;
            response
        }
    }
}

fn arg(name: &str) -> Option<String> {
    std::env::args().skip_while(|a| a != name).nth(1)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let listen = arg("--listen").unwrap_or_else(|| "127.0.0.1:0".into());
    let target = arg("--upstream").ok_or_else(|| anyhow::anyhow!("--upstream URL"))?;
    let rest = target
        .strip_prefix("http://")
        .ok_or_else(|| anyhow::anyhow!("--upstream must be http://HOST:PORT/PATH"))?;
    let (addr, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let upstream = Arc::new(Upstream {
        addr: addr.to_string(),
        path: if path.is_empty() { "/" } else { path }.to_string(),
        idle: Mutex::new(Vec::new()),
    });
    let app = Router::new()
        .route("/graphql", post(graphql))
        .with_state(upstream);
    let listener = tokio::net::TcpListener::bind(&listen).await?;
    println!("passthrough listening on http://{}", listener.local_addr()?);
    axum::serve(listener, app).await?;
    Ok(())
}
