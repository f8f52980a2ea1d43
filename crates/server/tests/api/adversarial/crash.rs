//! Crash and exhaustion (issue 15, classes 1–4): no request can stop the process, hold a
//! worker for long or grow memory without bound. Classes 5–7 are in `exhaustion`.

use std::time::{Duration, Instant};

use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::{concurrently, first_error, Target};

/// Class 1: values nested 1,000 to 10,000 deep, in every value position, as lists and as
/// objects: every one is refused with a clear error before parsing and the process serves on.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn c01_nested_values_are_refused_and_never_crash_the_process() {
    let mut target = Target::start(&[("STOREFRONT_AUTH_LOG", "warn")]).await;
    type Shape = fn(usize) -> String;
    let list: Shape = |d| format!("{}1{}", "[".repeat(d), "]".repeat(d));
    let object: Shape = |d| format!("{}1{}", "{a:".repeat(d), "}".repeat(d));
    type Position = fn(&str) -> String;
    let argument: Position =
        |v| format!("{{ site {{ products(entityIds: {v}) {{ edges {{ node {{ name }} }} }} }} }}");
    let default: Position = |v| format!("query Q($v: [Int] = {v}) {{ __typename }}");
    let directive: Position = |v| format!("{{ __typename @include(if: {v}) }}");
    let mut cases = Vec::new();
    for depth in 1_000..=10_000usize {
        for shape in [list, object] {
            for position in [argument, default, directive] {
                cases.push((depth, shape, position));
            }
        }
    }
    let (url, token, client) = (
        target.server.url("/graphql"),
        target.token.clone(),
        target.client.clone(),
    );
    let refused = concurrently(cases, 16, move |(depth, shape, position)| {
        let (url, token, client) = (url.clone(), token.clone(), client.clone());
        async move {
            let body = json!({ "query": position(&shape(depth)) });
            let r = client
                .post(&url)
                .bearer_auth(&token)
                .json(&body)
                .send()
                .await
                .expect("send: the server stopped answering");
            let status = r.status().as_u16();
            let body: Value = r.json().await.expect("json");
            (depth, status, body)
        }
    })
    .await;
    for (depth, status, body) in &refused {
        assert_eq!(*status, 200, "depth {depth}: {body}");
        assert_eq!(body["data"], Value::Null, "depth {depth}");
        assert!(
            first_error(body).starts_with("The document nests brackets"),
            "depth {depth}: {body}"
        );
    }
    // `/graphql/explain` parses the same way.
    for depth in (1_000..=10_000).step_by(250) {
        for shape in [list, object] {
            let (status, body) = target
                .post(
                    "/graphql/explain",
                    &json!({ "query": argument(&shape(depth)) }),
                )
                .await;
            assert_eq!(status, 400, "{body}");
            assert!(first_error(&body).starts_with("The document nests brackets"));
        }
    }
    target.serving(Duration::from_secs(1)).await;
    let (status, body) = target
        .post("/graphql", &json!({ "query": "{ channel { entityId } }" }))
        .await;
    assert_eq!(
        (status, &body["data"]["channel"]["entityId"]),
        (200, &json!(1))
    );
}

/// `F0 { ...F1 ...F1 }`, `F1 { ...F2 ...F2 }`, …: 2^n fields in n lines.
fn doubling(n: usize) -> String {
    let mut doc = "query { ...F0 }\n".to_string();
    for i in 0..n {
        doc.push_str(&format!(
            "fragment F{i} on Query {{ ...F{} ...F{} }}\n",
            i + 1,
            i + 1
        ));
    }
    doc.push_str(&format!("fragment F{n} on Query {{ __typename }}\n"));
    doc
}

/// Class 2: fragments that double at every level cost linear work: refused at once with the
/// complexity error, while `/healthz` keeps answering.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn c02_doubling_fragments_are_refused_in_linear_time() {
    let mut target = Target::start(&[("STOREFRONT_AUTH_LOG", "warn")]).await;
    for n in [24usize, 40, 62] {
        let started = Instant::now();
        let (status, body) = target
            .post("/graphql", &json!({ "query": doubling(n) }))
            .await;
        assert!(started.elapsed() < Duration::from_secs(1), "n={n}");
        assert_eq!(status, 200);
        assert!(
            first_error(&body)
                .starts_with("The query is too complex as it has a complexity score of"),
            "n={n}: {body}"
        );
        let (status, body) = target
            .post("/graphql/explain", &json!({ "query": doubling(n) }))
            .await;
        assert_eq!(status, 200, "{body}");
        assert!(body["data"]["complexity"].as_u64().expect("complexity") > 10_000);
    }
    // Many at once: the workers stay free for everyone else.
    let (url, token, client) = (
        target.server.url("/graphql"),
        target.token.clone(),
        target.client.clone(),
    );
    let attacks = tokio::spawn(concurrently((0..64).collect(), 8, move |_| {
        let (url, token, client) = (url.clone(), token.clone(), client.clone());
        async move {
            client
                .post(&url)
                .bearer_auth(&token)
                .json(&json!({ "query": doubling(40) }))
                .send()
                .await
                .expect("send")
                .status()
                .as_u16()
        }
    }));
    for _ in 0..10 {
        target.serving(Duration::from_millis(500)).await;
    }
    assert!(attacks.await.expect("join").iter().all(|s| *s == 200));
}

/// A document of about 100 KB that the limits refuse (complexity over 10,000), distinct per `i`.
fn over_the_limits(i: usize) -> String {
    // 100 × 102 objects (site, products, 50 edges and nodes).
    let heavy: String = (0..100)
        .map(|k| {
            format!("x{i}_{k}: site {{ products(first: 50) {{ edges {{ node {{ name }} }} }} }} ")
        })
        .collect();
    let padding: String = (0..4_000).map(|k| format!("t{k}: __typename ")).collect();
    format!("{{ {heavy} {padding} }}")
}

/// A document of about 100 KB that fails validation, distinct per `i`.
fn invalid(i: usize) -> String {
    let fields: String = (0..3_600)
        .map(|k| format!("b{i}_{k}: nosuchfield "))
        .collect();
    format!("{{ {fields} }}")
}

/// Class 3: refused documents are not kept, large variables are not kept per value, and what
/// is kept is bounded by bytes: memory stays flat whatever a stranger sends.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn c03_caches_keep_only_what_passed_and_stay_within_their_bytes() {
    let target = Target::start(&[("STOREFRONT_AUTH_LOG", "warn")]).await;
    // Warm up what every request allocates once.
    for _ in 0..20 {
        target
            .post("/graphql", &json!({ "query": "{ __typename }" }))
            .await;
    }
    let before = target.rss_kib();
    for i in 0..120 {
        let (status, body) = target
            .post("/graphql", &json!({ "query": over_the_limits(i) }))
            .await;
        assert_eq!(status, 200);
        assert!(first_error(&body).contains("complexity score"), "{body}");
        let (_, body) = target
            .post("/graphql", &json!({ "query": invalid(i) }))
            .await;
        assert!(first_error(&body).contains("nosuchfield"), "{body}");
        let variables = json!({ "v": format!("{i}{}", "x".repeat(97_000)) });
        let (status, body) = target
            .post(
                "/graphql",
                &json!({ "query": "query Q($v: String!) { site { route(path: $v) { node { id } } } }", "variables": variables }),
            )
            .await;
        assert_eq!(
            (status, &body["data"]["site"]["route"]["node"]),
            (200, &Value::Null),
            "{body}"
        );
        assert!(body["errors"].is_null(), "{body}");
    }
    let grown = target.rss_kib().saturating_sub(before);
    assert!(
        grown < 64 * 1024,
        "RSS grew by {grown} KiB over 360 requests of 100 KB"
    );
    let kept = target
        .metric("storefront_auth_cache_entries{cache=\"documents\"}")
        .await;
    assert!(kept <= 2.0, "only the valid document is kept: {kept}");

    // Valid documents are kept, but no more of them than the byte budget holds.
    for i in 0..40 {
        let aliases: String = (0..4_000)
            .map(|k| format!("v{i}_{k}: __typename "))
            .collect();
        let (status, _) = target
            .post("/graphql", &json!({ "query": format!("{{ {aliases} }}") }))
            .await;
        assert_eq!(status, 200);
    }
    let bytes = target
        .metric("storefront_auth_cache_bytes{cache=\"documents\"}")
        .await;
    let entries = target
        .metric("storefront_auth_cache_entries{cache=\"documents\"}")
        .await;
    assert!(bytes <= 128.0 * 1024.0 * 1024.0, "{bytes}");
    assert!(entries < 40.0, "the byte budget evicted some: {entries}");
    let grown = target.rss_kib().saturating_sub(before);
    assert!(grown < 192 * 1024, "RSS grew by {grown} KiB");
}

/// Reads until the peer closes (or `within` passes): how long that took.
async fn closed_within(stream: &mut tokio::net::TcpStream, within: Duration) -> Option<Duration> {
    let started = Instant::now();
    let mut buf = [0u8; 4096];
    loop {
        match tokio::time::timeout(
            within.saturating_sub(started.elapsed()),
            stream.read(&mut buf),
        )
        .await
        {
            Ok(Ok(0)) | Ok(Err(_)) => return Some(started.elapsed()),
            Ok(Ok(_)) => {}
            Err(_) => return None,
        }
    }
}

/// Class 4: half-sent headers, half-sent bodies and idle keep-alive connections are closed in
/// time; one client cannot hold more than its share of connections, and others are served
/// meanwhile; the open-files limit is raised at start.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn c04_stalled_connections_time_out_and_are_capped_per_client() {
    let target = Target::start(&[
        ("STOREFRONT_AUTH_HTTP__HEADER_READ_TIMEOUT_SECS", "2"),
        ("STOREFRONT_AUTH_HTTP__REQUEST_TIMEOUT_SECS", "3"),
        ("STOREFRONT_AUTH_HTTP__MAX_CONNECTIONS_PER_CLIENT", "40"),
    ])
    .await;
    let addr = target.server.base.trim_start_matches("http://").to_string();
    // Half-sent headers. The server's header timer starts when it accepts the connection, so
    // the time is counted from the connect (on a loaded machine the write can come late).
    let connected_at = Instant::now();
    let mut half = tokio::net::TcpStream::connect(&addr)
        .await
        .expect("connect");
    half.write_all(b"POST /graphql HTTP/1.1\r\nHost: x\r\n")
        .await
        .expect("write");
    let took = closed_within(&mut half, Duration::from_secs(6))
        .await
        .map(|_| connected_at.elapsed());
    assert!(
        took.is_some_and(|t| t >= Duration::from_millis(1_500)),
        "{took:?}"
    );
    // A half-sent body: the connection is closed once the request's time is up.
    let mut slow = tokio::net::TcpStream::connect(&addr)
        .await
        .expect("connect");
    let head = format!(
        "POST /graphql HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{{\"query\"",
        target.token
    );
    slow.write_all(head.as_bytes()).await.expect("write");
    let took = closed_within(&mut slow, Duration::from_secs(6)).await;
    assert!(
        took.is_some_and(|t| t >= Duration::from_millis(2_500)),
        "{took:?}"
    );
    // An idle keep-alive connection.
    let mut idle = tokio::net::TcpStream::connect(&addr)
        .await
        .expect("connect");
    idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .expect("write");
    let mut first = vec![0u8; 512];
    let n = idle.read(&mut first).await.expect("read");
    assert!(String::from_utf8_lossy(&first[..n]).starts_with("HTTP/1.1 200"));
    let took = closed_within(&mut idle, Duration::from_secs(6)).await;
    assert!(took.is_some(), "the idle connection was closed");

    // 60 stalled connections from 127.0.0.1: the 41st on are closed at once.
    let mut held = Vec::new();
    for _ in 0..60 {
        held.push(
            tokio::net::TcpStream::connect(&addr)
                .await
                .expect("connect"),
        );
    }
    // All looked at in the same 300 ms (before the header timeout closes the kept ones).
    let checks: Vec<_> = held
        .into_iter()
        .map(|mut stream| {
            tokio::spawn(async move {
                let closed = closed_within(&mut stream, Duration::from_millis(300)).await;
                (closed.is_some(), stream)
            })
        })
        .collect();
    let mut held = Vec::new();
    let mut closed_at_once = 0;
    for c in checks {
        let (closed, stream) = c.await.expect("join");
        closed_at_once += usize::from(closed);
        held.push(stream);
    }
    assert_eq!(closed_at_once, 20, "40 kept, the rest refused");
    // Meanwhile another client (127.0.0.2 is loopback too) is served.
    let other = reqwest::Client::builder()
        .local_address(Some("127.0.0.2".parse().expect("ip")))
        .build()
        .expect("client");
    let r = other
        .get(target.server.url("/healthz"))
        .send()
        .await
        .expect("another client is served");
    assert_eq!(r.status(), 200);
    drop(held);

    let limits =
        std::fs::read_to_string(format!("/proc/{}/limits", target.server.pid())).expect("limits");
    let line = limits
        .lines()
        .find(|l| l.starts_with("Max open files"))
        .expect("open files");
    let numbers: Vec<&str> = line.split_whitespace().skip(3).take(2).collect();
    assert_eq!(
        numbers[0], numbers[1],
        "soft limit raised to the hard one: {line}"
    );
}
