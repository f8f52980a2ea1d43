//! The toy upstream the gateway tests stand the gateway in front of: it records what it
//! receives (headers and body), how many requests it answers at once, and answers as its
//! `Mode` says.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

use crate::helpers::TestApp;

/// How the toy upstream answers.
#[derive(Clone, Debug)]
pub enum Mode {
    Echo,
    /// This `data`, whatever was asked.
    Data(Value),
    /// This whole body, whatever was asked.
    Body(Value),
    Slow(Duration),
    Html,
    Huge,
    NotGraphql,
    Status(u16),
}

#[derive(Clone)]
pub struct Toy {
    pub mode: Arc<Mutex<Mode>>,
    pub received: Arc<Mutex<Vec<(HeaderMap, Value)>>>,
    /// Requests being answered now, and the most there ever were at once.
    pub in_flight: Arc<AtomicUsize>,
    pub peak: Arc<AtomicUsize>,
}

async fn toy_answer(
    axum::extract::State(toy): axum::extract::State<Toy>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let now = toy.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    toy.peak.fetch_max(now, Ordering::SeqCst);
    let response = answer(&toy, headers, body).await;
    toy.in_flight.fetch_sub(1, Ordering::SeqCst);
    response
}

async fn answer(toy: &Toy, headers: HeaderMap, body: Bytes) -> Response {
    let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    toy.received.lock().unwrap().push((headers, body.clone()));
    let mode = toy.mode.lock().unwrap().clone();
    let json = |v: Value| ([("content-type", "application/json")], v.to_string()).into_response();
    match mode {
        Mode::Echo => json(json!({ "data": { "echo": body["query"] } })),
        Mode::Data(data) => json(json!({ "data": data })),
        Mode::Body(body) => json(body),
        Mode::Slow(d) => {
            tokio::time::sleep(d).await;
            json(json!({ "data": { "late": true } }))
        }
        Mode::Html => ([("content-type", "text/html")], "<html>oops</html>").into_response(),
        Mode::Huge => json(json!({ "data": { "blob": "x".repeat(64 * 1024) } })),
        Mode::NotGraphql => json(json!({ "hello": "world" })),
        Mode::Status(s) => (
            StatusCode::from_u16(s).unwrap(),
            [("content-type", "application/json")],
            r#"{"errors":[{"message":"nope"}]}"#,
        )
            .into_response(),
    }
}

/// The toy upstream on a free port; dropped with the test's runtime.
/// Serves `router` on a free loopback port: its `http://addr` base.
pub async fn serve_locally(router: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await });
    base
}

pub async fn toy() -> (Toy, String) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/graphql", listener.local_addr().unwrap());
    (toy_on(listener).await, url)
}

/// The toy upstream on `listener` (a port the test chose).
pub async fn toy_on(listener: tokio::net::TcpListener) -> Toy {
    let toy = Toy {
        mode: Arc::new(Mutex::new(Mode::Echo)),
        received: Arc::default(),
        in_flight: Arc::default(),
        peak: Arc::default(),
    };
    let app = axum::Router::new()
        .route("/graphql", axum::routing::post(toy_answer))
        .with_state(toy.clone());
    tokio::spawn(async move { axum::serve(listener, app).await });
    toy
}

/// The built-in schema's SDL, mapped by the built-in table: the upstream's schema here.
pub fn builtin_sdl(dir: &std::path::Path) -> String {
    let path = dir.join("upstream.graphql");
    std::fs::write(&path, storefront_auth::graphql::schema::build().sdl()).unwrap();
    format!("sdl:{}", path.display())
}

pub async fn gateway(
    upstream: &str,
    tune: impl FnOnce(&mut storefront_auth::config::GatewayConfig),
) -> (TestApp, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let schema = builtin_sdl(dir.path());
    let upstream = upstream.to_string();
    let app = TestApp::spawn_with(move |c| {
        c.gateway.upstream = Some(upstream);
        c.gateway.schema = Some(schema);
        c.gateway.timeout_ms = 400;
        c.gateway.max_response_bytes = 16 * 1024;
        tune(&mut c.gateway);
    })
    .await;
    (app, dir)
}
