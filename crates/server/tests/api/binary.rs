//! The real binary: first start prints the demo credentials once, logs are structured with the
//! correlation id and never a secret, and SIGTERM shuts down gracefully.

use serde_json::{json, Value};

use crate::process::ServerProcess;

#[tokio::test]
async fn serve_prints_credentials_once_logs_safely_and_stops_on_sigterm() {
    let dir = tempfile::tempdir().expect("dir");
    let dir_arg = dir.path().to_str().expect("path").to_string();
    let mut served = ServerProcess::start(
        &["--data-dir", &dir_arg],
        // The logger's own variable sits beside the configuration variables (README).
        &[
            ("STOREFRONT_AUTH_LOG_FORMAT", "json"),
            ("STOREFRONT_AUTH_LOG", "info"),
        ],
    );
    let base = served.base.clone();
    let access_token = served.value("access_token:");
    assert_eq!(served.value("store_hash:"), "demo");

    let client = reqwest::Client::new();
    let jwt = served.private_token(&["Unauthenticated"]).await;
    let jti = crate::helpers::decode(&jwt).1["jti"]
        .as_str()
        .expect("jti")
        .to_string();
    let correlation = "0b7cbd6e-3c4f-4e4e-8d0e-0b1b7f7e2a11";
    let r = client
        .post(format!("{base}/graphql"))
        .bearer_auth(&jwt)
        .header("X-Correlation-Id", correlation)
        .json(&json!({ "query": "{ channel { entityId } }" }))
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 200);
    let line = served.until(correlation);
    let entry: Value = serde_json::from_str(&line).expect("json log line");
    assert_eq!(entry["fields"]["token_id"], jti.as_str());
    assert_eq!(entry["fields"]["kind"], "private");
    assert_eq!(entry["fields"]["decision"], "allow");
    assert_eq!(entry["fields"]["graphql"], "ok");
    assert_eq!(entry["fields"]["graphql_errors"], 0);
    // The operation is named from the document, else from `?operation=`; errors are counted
    // and the request is not logged as a plain success.
    for (url, query, operation) in [
        ("/graphql", "query Shop { channel { nosuch } }", "Shop"),
        (
            "/graphql?operation=Catalyst%20Q",
            "{ channel { nosuch other } }",
            "Catalyst Q",
        ),
    ] {
        let correlation = uuid::Uuid::new_v4().to_string();
        let r = client
            .post(format!("{base}{url}"))
            .bearer_auth(&jwt)
            .header("X-Correlation-Id", &correlation)
            .json(&json!({ "query": query }))
            .send()
            .await
            .expect("send");
        assert_eq!(r.status(), 200);
        let entry: Value = serde_json::from_str(&served.until(&correlation)).expect("json");
        assert_eq!(entry["fields"]["operation"], operation, "{entry}");
        assert_eq!(entry["fields"]["graphql"], "errors", "{entry}");
        let errors = entry["fields"]["graphql_errors"].as_u64().expect("count");
        assert_eq!(errors, if operation == "Shop" { 1 } else { 2 }, "{entry}");
    }

    let (status, lines) = served.terminate();
    assert!(status.success(), "graceful exit on SIGTERM: {status:?}");
    let all = lines.join("\n");
    assert!(!all.contains(&jwt), "a token appeared in the logs");
    assert_eq!(
        all.matches(&access_token).count(),
        1,
        "the access token is printed once, at creation, and never logged"
    );

    let again = ServerProcess::start(&["--data-dir", &dir_arg], &[]);
    let (_, lines) = again.terminate();
    assert!(
        !lines.join("\n").contains("Created the store"),
        "the demo store is created only on an empty database"
    );
}

/// The request line follows `log_format` and `STOREFRONT_AUTH_LOG`, like every other log line.
#[tokio::test]
async fn request_lines_follow_the_log_format_and_filter() {
    let client = reqwest::Client::new();
    for (filter, expect_line) in [("info", true), ("warn", false), ("info,request=off", false)] {
        let dir = tempfile::tempdir().expect("dir");
        let dir_arg = dir.path().to_str().expect("path").to_string();
        let served = ServerProcess::start(
            &["--data-dir", &dir_arg],
            &[
                ("STOREFRONT_AUTH_LOG_FORMAT", "text"),
                ("STOREFRONT_AUTH_LOG", filter),
            ],
        );
        let r = client
            .get(served.url("/healthz?probe=\"x y\""))
            .send()
            .await
            .expect("send");
        assert_eq!(r.status(), 200);
        let (status, lines) = served.terminate();
        assert!(status.success());
        let request_lines: Vec<_> = lines
            .iter()
            .filter(|l| l.contains(" INFO request: "))
            .collect();
        if expect_line {
            assert_eq!(request_lines.len(), 1, "{filter}: {lines:?}");
            let line = request_lines[0];
            assert!(
                line.contains("method=GET path=/healthz status=200 latency_ms="),
                "{line}"
            );
            assert!(line.ends_with("decision=ok reason=\"\""), "{line}");
        } else {
            assert!(request_lines.is_empty(), "{filter}: {request_lines:?}");
        }
    }
}

/// `http.threads` names how many threads serve connections; each connection stays on one of
/// them (named `serve-N`), and many at once are all answered.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connections_are_served_on_the_configured_number_of_threads() {
    let dir = tempfile::tempdir().expect("dir");
    let dir_arg = dir.path().to_str().expect("path").to_string();
    let served = ServerProcess::start(
        &["--data-dir", &dir_arg],
        &[("STOREFRONT_AUTH_HTTP__THREADS", "3")],
    );
    let urls = vec![served.url("/healthz"); 24];
    // A client each: a connection each, all at once.
    let answers = crate::adversarial::concurrently(urls, 24, |url| async move {
        reqwest::Client::new()
            .get(url)
            .send()
            .await
            .map(|r| r.status())
    })
    .await;
    for status in answers {
        assert_eq!(status.expect("answered"), 200);
    }
    let tasks = std::fs::read_dir(format!("/proc/{}/task", served.pid())).expect("tasks");
    let mut serving: Vec<String> = tasks
        .filter_map(|t| std::fs::read_to_string(t.ok()?.path().join("comm")).ok())
        .map(|name| name.trim().to_string())
        .filter(|name| name.starts_with("serve-"))
        .collect();
    serving.sort();
    assert_eq!(serving, ["serve-1", "serve-2", "serve-3"]);
    let (status, _) = served.terminate();
    assert!(status.success());
}
