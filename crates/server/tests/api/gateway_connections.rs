//! The gateway's connections to its upstream, seen from a raw HTTP/1.1 upstream that counts
//! the connections it accepts: queries reuse kept connections, a mutation always takes a new
//! one, and an upstream that closes its idle connections (a short keep-alive timeout, a
//! restart) costs the client nothing.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use crate::gateway::at_once;
use crate::gateway_toy::gateway;
use crate::helpers::TestApp;

/// A raw upstream: it answers every request with the same GraphQL answer, and closes each
/// connection after `answers_per_connection` answers without saying so first (no
/// `Connection: close`), as an upstream whose keep-alive timeout ran out does.
struct RawUpstream {
    url: String,
    accepted: Arc<AtomicUsize>,
    answered: Arc<AtomicUsize>,
}

async fn raw_upstream(answers_per_connection: usize) -> RawUpstream {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/graphql", listener.local_addr().unwrap());
    let accepted = Arc::new(AtomicUsize::new(0));
    let answered = Arc::new(AtomicUsize::new(0));
    let (a, n) = (accepted.clone(), answered.clone());
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                return;
            };
            a.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(serve(stream, answers_per_connection, n.clone()));
        }
    });
    RawUpstream {
        url,
        accepted,
        answered,
    }
}

/// Answers up to `answers` requests on `stream`, then drops it.
async fn serve(mut stream: TcpStream, answers: usize, answered: Arc<AtomicUsize>) {
    let mut buffer = Vec::new();
    for _ in 0..answers {
        let Some(request_end) = read_request(&mut stream, &mut buffer).await else {
            return;
        };
        buffer.drain(..request_end);
        let body = r#"{"data":{"channel":{"entityId":1}}}"#;
        let response = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
            body.len()
        );
        // Counted before it is written: the client may read it before this task runs again.
        answered.fetch_add(1, Ordering::SeqCst);
        if stream.write_all(response.as_bytes()).await.is_err() {
            return;
        }
    }
}

/// Reads one whole request (head and `content-length` body) into `buffer`: where it ends.
async fn read_request(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Option<usize> {
    let mut chunk = [0u8; 4096];
    loop {
        if let Some(head) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            let text = String::from_utf8_lossy(&buffer[..head]).to_ascii_lowercase();
            let length: usize = text
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .map_or(0, |v| v.trim().parse().unwrap());
            let end = head + 4 + length;
            if buffer.len() >= end {
                return Some(end);
            }
        }
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..n]);
    }
}

const QUERY: &str = "{ channel { entityId } }";
const MUTATION: &str =
    "mutation { cart { createCart(input: {lineItems: []}) { cart { entityId } } } }";

/// Query `i` of a sequence, answered from the upstream.
async fn query(app: &TestApp, token: &str, i: usize) {
    let r = app.gql(Some(token), QUERY, &[]).await;
    assert_eq!(r.status, 200, "query {i}: {:?}", r.body);
    assert_eq!(r.body["data"]["channel"]["entityId"], 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn queries_reuse_kept_connections_and_a_mutation_takes_a_new_one() {
    let upstream = raw_upstream(usize::MAX).await;
    let (app, _dir) = gateway(&upstream.url, |_| {}).await;
    let token = app.private_token(&["Unauthenticated", "Customer"]).await;
    for i in 0..20 {
        query(&app, &token, i).await;
    }
    assert_eq!(
        upstream.accepted.load(Ordering::SeqCst),
        1,
        "one kept connection"
    );
    // Eight clients at once: at most eight connections, kept for the next eight.
    for _ in 0..3 {
        assert_eq!(at_once(&app, &token, 8).await, vec![200; 8]);
    }
    let after_bursts = upstream.accepted.load(Ordering::SeqCst);
    assert!((2..=9).contains(&after_bursts), "{after_bursts}");
    // A mutation is never sent on a kept connection (the upstream may have closed it, and a
    // mutation cannot be tried again); the connection it opened is kept for queries.
    let r = app.gql(Some(&token), MUTATION, &[]).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(upstream.accepted.load(Ordering::SeqCst), after_bursts + 1);
    assert_eq!(upstream.answered.load(Ordering::SeqCst), 20 + 24 + 1);
}

#[tokio::test]
async fn an_upstream_that_closes_idle_connections_costs_the_client_nothing() {
    let upstream = raw_upstream(1).await;
    let (app, _dir) = gateway(&upstream.url, |_| {}).await;
    let token = app.private_token(&["Unauthenticated", "Customer"]).await;
    for i in 0..10 {
        query(&app, &token, i).await;
        if i % 2 == 0 {
            // Time for the upstream's close to arrive, so the gateway finds the kept connection
            // closed before it sends; on odd rounds it may find out only by sending.
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }
    assert_eq!(upstream.answered.load(Ordering::SeqCst), 10);
    assert_eq!(upstream.accepted.load(Ordering::SeqCst), 10);
    let r = app.gql(Some(&token), MUTATION, &[]).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let metrics = app.metrics().await;
    assert!(
        metrics.contains("storefront_auth_gateway_upstream_calls_total{result=\"ok\"} 11"),
        "{metrics}"
    );
}
