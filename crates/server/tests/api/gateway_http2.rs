//! `gateway.upstream_protocol = "http2"`, seen from an HTTP/2 (prior knowledge) upstream that
//! counts the connections it accepts and records what each request arrived as: every query
//! shares one connection, a mutation takes a new one, an upstream that drops its connection
//! costs the client nothing, oversized answers leave the shared connection serving, mutations
//! at once hold no more connections than `gateway.max_connections`, and an upstream that does
//! not speak HTTP/2 is a 502.

use std::convert::Infallible;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, Response, Version};
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo};
use tokio::net::TcpListener;
use tokio::task::JoinSet;

use crate::gateway::{at_once, upstream_unavailable};
use crate::gateway_toy::{gateway, toy};
use crate::helpers::TestApp;

/// What one request arrived as: its version, `:authority`, whether it carried a `Host`
/// header and the assertion.
#[derive(Debug, Clone, PartialEq)]
struct Arrival {
    version: Version,
    authority: Option<String>,
    host_header: bool,
    assertion: bool,
}

struct Http2Upstream {
    url: String,
    accepted: AtomicUsize,
    /// Connections accepted and not yet closed.
    open: AtomicUsize,
    arrivals: Mutex<Vec<Arrival>>,
    /// While set, every answer is `HUGE` bytes long.
    huge: AtomicBool,
    /// How long each answer takes, in milliseconds.
    delay_ms: AtomicU64,
    /// Calls being answered now, on all connections, and the most there ever were at once.
    in_flight: AtomicUsize,
    peak: AtomicUsize,
    /// The tasks serving the open connections: aborting them drops the connections at once,
    /// as a restarted upstream does.
    connections: Mutex<JoinSet<()>>,
}

/// An oversized answer: far above the gateway's `max_response_bytes` (16 KiB in these tests).
const HUGE: usize = 1 << 20;

async fn answer(
    request: Request<Incoming>,
    upstream: Arc<Http2Upstream>,
) -> Result<Response<Body>, Infallible> {
    let now = upstream.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    upstream.peak.fetch_max(now, Ordering::SeqCst);
    let delay = upstream.delay_ms.load(Ordering::SeqCst);
    tokio::time::sleep(Duration::from_millis(delay)).await;
    upstream.in_flight.fetch_sub(1, Ordering::SeqCst);
    upstream.arrivals.lock().unwrap().push(Arrival {
        version: request.version(),
        authority: request.uri().authority().map(|a| a.to_string()),
        host_header: request.headers().contains_key("host"),
        assertion: request
            .headers()
            .contains_key("x-storefront-auth-assertion"),
    });
    let body = if upstream.huge.load(Ordering::SeqCst) {
        Body::from(format!(r#"{{"data":{{"blob":"{}"}}}}"#, "x".repeat(HUGE)))
    } else {
        Body::from(r#"{"data":{"channel":{"entityId":1}}}"#)
    };
    let mut response = Response::new(body);
    response
        .headers_mut()
        .insert("content-type", "application/json".parse().unwrap());
    Ok(response)
}

/// Counts a connection open until its task ends, served out or aborted.
struct OpenConnection(Arc<Http2Upstream>);

impl Drop for OpenConnection {
    fn drop(&mut self) {
        self.0.open.fetch_sub(1, Ordering::SeqCst);
    }
}

/// An HTTP/2 upstream that takes at most `streams` calls at once on a connection.
async fn http2_upstream(streams: u32) -> Arc<Http2Upstream> {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/graphql", listener.local_addr().unwrap());
    let upstream = Arc::new(Http2Upstream {
        url,
        accepted: AtomicUsize::new(0),
        open: AtomicUsize::new(0),
        arrivals: Mutex::default(),
        huge: AtomicBool::new(false),
        delay_ms: AtomicU64::new(0),
        in_flight: AtomicUsize::new(0),
        peak: AtomicUsize::new(0),
        connections: Mutex::new(JoinSet::new()),
    });
    let serving = upstream.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            serving.accepted.fetch_add(1, Ordering::SeqCst);
            serving.open.fetch_add(1, Ordering::SeqCst);
            let state = serving.clone();
            let service = hyper::service::service_fn(move |r| answer(r, state.clone()));
            let open = OpenConnection(serving.clone());
            serving.connections.lock().unwrap().spawn(async move {
                let _open = open;
                let _ = hyper::server::conn::http2::Builder::new(TokioExecutor::new())
                    .max_concurrent_streams(streams)
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    upstream
}

/// A gateway speaking HTTP/2 to `url`, and a private token whose scopes cover `QUERY`.
async fn http2_gateway(url: &str) -> (TestApp, tempfile::TempDir, String) {
    let (app, dir) = gateway(url, |g| g.upstream_protocol = "http2".into()).await;
    let token = app.private_token(&["Unauthenticated", "Customer"]).await;
    (app, dir, token)
}

const QUERY: &str = "{ channel { entityId } }";
const MUTATION: &str =
    "mutation { cart { createCart(input: {lineItems: []}) { cart { entityId } } } }";

async fn query(app: &TestApp, token: &str) {
    let r = app.gql(Some(token), QUERY, &[]).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.body["data"]["channel"]["entityId"], 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn queries_share_one_http2_connection_and_a_mutation_takes_a_new_one() {
    let upstream = http2_upstream(200).await;
    let (app, _dir, token) = http2_gateway(&upstream.url).await;
    for _ in 0..10 {
        query(&app, &token).await;
    }
    // Clients at once share the one connection (HTTP/1.1 would open one each).
    for _ in 0..3 {
        assert_eq!(at_once(&app, &token, 16).await, vec![200; 16]);
    }
    assert_eq!(upstream.accepted.load(Ordering::SeqCst), 1);
    let r = app.gql(Some(&token), MUTATION, &[]).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(upstream.accepted.load(Ordering::SeqCst), 2);

    let arrivals = upstream.arrivals.lock().unwrap().clone();
    assert_eq!(arrivals.len(), 10 + 48 + 1);
    let authority = upstream.url["http://".len()..].trim_end_matches("/graphql");
    for arrival in arrivals {
        assert_eq!(
            arrival,
            Arrival {
                version: Version::HTTP_2,
                authority: Some(authority.to_string()),
                host_header: false,
                assertion: true,
            }
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_http2_upstream_that_drops_its_connection_costs_the_client_nothing() {
    let upstream = http2_upstream(200).await;
    let (app, _dir, token) = http2_gateway(&upstream.url).await;
    for round in 0..4 {
        query(&app, &token).await;
        upstream.connections.lock().unwrap().abort_all();
        if round % 2 == 0 {
            // Time for the close to arrive, so the gateway finds the connection closed before
            // it sends; on odd rounds it may find out only by sending (and tries again).
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }
    query(&app, &token).await;
    let accepted = upstream.accepted.load(Ordering::SeqCst);
    assert!((5..=9).contains(&accepted), "{accepted}");
    let metrics = app.metrics().await;
    assert!(
        metrics.contains("storefront_auth_gateway_upstream_calls_total{result=\"ok\"} 5"),
        "{metrics}"
    );
}

/// More calls at once than the upstream takes streams: the rest wait on the connection (within
/// the timeout) instead of failing or opening more connections.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn calls_beyond_the_upstreams_stream_limit_wait_their_turn() {
    let upstream = http2_upstream(2).await;
    let (app, _dir, token) = http2_gateway(&upstream.url).await;
    for _ in 0..3 {
        assert_eq!(at_once(&app, &token, 24).await, vec![200; 24]);
    }
    assert_eq!(upstream.accepted.load(Ordering::SeqCst), 1);
    assert_eq!(upstream.arrivals.lock().unwrap().len(), 72);
}

/// A refused oversized answer is abandoned mid-stream. Its data must still be given back to
/// the shared connection's flow-control window, or after a few megabytes every call on that
/// connection would wait for a window that never opens (and time out as a 504).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversized_answers_leave_the_shared_connection_serving() {
    let upstream = http2_upstream(100).await;
    let (app, _dir, token) = http2_gateway(&upstream.url).await;
    query(&app, &token).await;
    // 12 MiB offered in all: more than the connection's window (hyper's default is 5 MiB).
    for i in 0..12 {
        upstream.huge.store(true, Ordering::SeqCst);
        let r = app.gql(Some(&token), QUERY, &[]).await;
        assert_eq!(r.status, 502, "answer {i}: {:?}", r.body);
        assert_eq!(
            r.body["errors"][0]["extensions"]["code"], "UPSTREAM_UNAVAILABLE",
            "answer {i}"
        );
        upstream.huge.store(false, Ordering::SeqCst);
        query(&app, &token).await;
    }
    // A burst after them still fits, on the same connection.
    assert_eq!(at_once(&app, &token, 16).await, vec![200; 16]);
    assert_eq!(upstream.accepted.load(Ordering::SeqCst), 1);
    assert!(app
        .metrics()
        .await
        .contains("storefront_auth_gateway_upstream_calls_total{result=\"too_large\"} 12\n"));
}

#[tokio::test]
async fn an_upstream_that_does_not_speak_http2_is_a_502() {
    let (toy, url) = toy().await;
    let (app, _dir, token) = http2_gateway(&url).await;
    for _ in 0..2 {
        upstream_unavailable(&app, &token, QUERY).await;
    }
    assert!(toy.received.lock().unwrap().is_empty());
}

/// `gateway.max_connections` bounds the calls in flight over HTTP/2 too. A mutation never
/// takes the shared connection but opens one of its own, so mutations at once would otherwise
/// be as many connections: the cap holds them to two at a time, the rest wait their turn and
/// are answered, and each mutation's connection closes after its answer (none is kept).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mutations_at_once_over_http2_hold_no_more_connections_than_the_cap() {
    let upstream = http2_upstream(100).await;
    let (app, _dir) = gateway(&upstream.url, |g| {
        g.upstream_protocol = "http2".into();
        g.max_connections = 2;
        g.timeout_ms = 5_000;
    })
    .await;
    let token = app.private_token(&["Unauthenticated", "Customer"]).await;
    upstream.delay_ms.store(100, Ordering::SeqCst);
    let mut calls = JoinSet::new();
    for _ in 0..8 {
        let request = app
            .client
            .post(app.url("/graphql"))
            .bearer_auth(&token)
            .json(&serde_json::json!({ "query": MUTATION }));
        calls.spawn(async move { request.send().await.unwrap().status().as_u16() });
    }
    assert_eq!(calls.join_all().await, vec![200; 8]);
    assert_eq!(upstream.accepted.load(Ordering::SeqCst), 8, "one each");
    assert_eq!(
        upstream.peak.load(Ordering::SeqCst),
        2,
        "two at once, and two were"
    );
    // The gateway lets go of each mutation's connection once its answer is read.
    let mut waited = 0;
    while upstream.open.load(Ordering::SeqCst) > 0 && waited < 100 {
        tokio::time::sleep(Duration::from_millis(20)).await;
        waited += 1;
    }
    assert_eq!(
        upstream.open.load(Ordering::SeqCst),
        0,
        "mutations' connections closed"
    );
    // Queries after them share one new connection, which stays open.
    upstream.delay_ms.store(0, Ordering::SeqCst);
    assert_eq!(at_once(&app, &token, 8).await, vec![200; 8]);
    assert_eq!(upstream.accepted.load(Ordering::SeqCst), 9);
    assert_eq!(upstream.open.load(Ordering::SeqCst), 1);
}
