//! Gateway mode (issue 21): the server in front of a toy upstream that records what it
//! receives. Denied fields and mutations never arrive, the client's identity headers never
//! arrive, the assertion verifies against the published JWKS, and a hostile upstream (slow,
//! dead, HTML, huge, wrong JSON, refusing) gets its documented answer while the gateway keeps
//! serving.

use std::sync::atomic::Ordering;
use std::time::Duration;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::{json, Value};

use crate::gateway_toy::{gateway, toy, toy_on, Mode};
use crate::helpers::{TestApp, JANE};

fn b64json(s: &str) -> Value {
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(s).unwrap()).unwrap()
}

/// The JWKS the gateway publishes for its assertions.
async fn jwks(app: &TestApp) -> Value {
    app.client
        .get(app.url("/.well-known/storefront-auth-assertion-jwks.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

#[tokio::test]
async fn the_upstream_gets_the_assertion_and_the_allow_list_never_the_clients_identity() {
    let (toy, url) = toy().await;
    let (app, _dir) = gateway(&url, |_| {}).await;
    let token = app.private_token(&["Unauthenticated", "Customer"]).await;
    let cat = app.login_cat(&token, JANE).await;
    assert!(
        toy.received.lock().unwrap().is_empty(),
        "login is answered here"
    );
    let query = "query Q { site { settings { storeName } } customer { entityId } }";
    let spoofed = [
        ("X-Bc-Customer-Access-Token", cat.as_str()),
        ("Cookie", "SHOP_SESSION_TOKEN=stolen"),
        ("X-Forwarded-For", "6.6.6.6"),
        ("True-Client-IP", "6.6.6.6"),
        ("X-Bc-Trusted-Proxy-Secret", "guess"),
        ("X-Storefront-Auth-Assertion", "forged"),
        ("Accept-Language", "fr-CA"),
    ];
    let r = app.gql(Some(&token), query, &spoofed).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(
        r.body["data"]["echo"], query,
        "the upstream's answer as sent"
    );
    assert_eq!(r.header("x-bc-graphql-operation-name"), Some("Q"));
    let received = toy.received.lock().unwrap().clone();
    assert_eq!(received.len(), 1);
    let (headers, body) = &received[0];
    assert_eq!(body["query"], query);
    for never in [
        "authorization",
        "cookie",
        "x-bc-customer-access-token",
        "x-forwarded-for",
        "true-client-ip",
        "x-bc-trusted-proxy-secret",
    ] {
        assert!(headers.get(never).is_none(), "{never} reached the upstream");
    }
    assert_eq!(headers["accept-language"], "fr-CA", "allow-listed");
    let assertions: Vec<_> = headers
        .get_all("x-storefront-auth-assertion")
        .iter()
        .collect();
    assert_eq!(assertions.len(), 1, "only the gateway's assertion");
    let audience = url.trim_end_matches("/graphql");
    let jwt = assertions[0].to_str().unwrap();
    let claims = strict_verify(jwt, &jwks(&app).await, audience, unix_now())
        .expect("the assertion verifies against the published JWKS");
    let token_claims = crate::helpers::decode(&token).1;
    assert_eq!(claims["iss"], "storefront-auth");
    assert_eq!(claims["store_hash"], "demo");
    assert_eq!(claims["channel_id"], 1);
    assert_eq!(claims["browser"], false);
    assert_eq!(claims["token"]["kind"], "private");
    assert_eq!(claims["token"]["id"], token_claims["jti"]);
    assert_eq!(
        claims["token"]["scopes"],
        json!(["Unauthenticated", "Customer"])
    );
    assert_eq!(claims["customer"]["source"], "customer_access_token");
    assert!(claims["customer"]["id"].as_i64().is_some());
    let lifetime = claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap();
    assert_eq!(lifetime, 60);

    // The same identity again: the same assertion (kept, not signed per request).
    app.gql(Some(&token), query, &spoofed).await;
    let again = toy.received.lock().unwrap()[1].0["x-storefront-auth-assertion"].clone();
    assert_eq!(again, assertions[0]);
}

#[tokio::test]
async fn under_reject_denied_documents_never_reach_the_upstream() {
    let (toy, url) = toy().await;
    let (app, _dir) = gateway(&url, |c| c.denied = "reject".into()).await;
    let token = app.private_token(&["Unauthenticated"]).await;
    let r = app
        .gql(
            Some(&token),
            "{ site { settings { storeName } } c: customer { entityId } }",
            &[],
        )
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body["data"], Value::Null);
    let error = &r.body["errors"][0];
    assert_eq!(error["extensions"]["code"], "INSUFFICIENT_ACCESS_SCOPE");
    assert_eq!(error["extensions"]["requiredScopes"], json!(["Customer"]));
    assert_eq!(
        error["extensions"]["fields"],
        json!(["Customer.entityId", "Query.customer"])
    );
    let mutation = "mutation { customer { updateCustomer(input: { firstName: \"X\" }) { errors { __typename } } } }";
    let r = app.gql(Some(&token), mutation, &[]).await;
    assert_eq!(
        r.body["errors"][0]["extensions"]["code"], "INSUFFICIENT_ACCESS_SCOPE",
        "{:?}",
        r.body
    );
    // Unsupported shapes are refused here too.
    for (doc, expected) in [
        ("subscription { x }", "Subscriptions are not supported"),
        ("{ site { ... @defer { settings { storeName } } } }", "@defer is not supported"),
        (
            "mutation { logout { result } cart { createCart(input: {lineItems: []}) { cart { entityId } } } }",
            "Only one mutation is allowed per request",
        ),
    ] {
        let r = app.gql(Some(&token), doc, &[]).await;
        assert!(crate::helpers::message(&r).contains(expected), "{doc}: {:?}", r.body);
    }
    let batch = json!([{ "query": "{ site { settings { storeName } } }" }]);
    let req = app
        .client
        .post(app.url("/graphql"))
        .bearer_auth(&token)
        .json(&batch);
    let r = crate::helpers::Resp::from(req.send().await.unwrap()).await;
    assert_eq!(r.status, 400);
    assert!(crate::helpers::message(&r).starts_with("Batched requests are not supported"));
    assert!(
        toy.received.lock().unwrap().is_empty(),
        "nothing denied or refused went upstream"
    );
    // What the scopes cover goes through.
    let r = app
        .gql(Some(&token), "{ site { settings { storeName } } }", &[])
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(toy.received.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn a_hostile_upstream_gets_its_documented_answer_and_the_gateway_keeps_serving() {
    let (toy, url) = toy().await;
    let (app, _dir) = gateway(&url, |g| g.breaker_failures = 100).await;
    let token = app.private_token(&["Unauthenticated"]).await;
    let query = "{ site { settings { storeName } } }";
    for (mode, status, code) in [
        (
            Mode::Slow(Duration::from_millis(1500)),
            504,
            "UPSTREAM_TIMEOUT",
        ),
        (Mode::Html, 502, "UPSTREAM_UNAVAILABLE"),
        (Mode::Huge, 502, "UPSTREAM_UNAVAILABLE"),
        (Mode::NotGraphql, 502, "UPSTREAM_UNAVAILABLE"),
        (Mode::Status(401), 502, "UPSTREAM_UNAVAILABLE"),
        (Mode::Status(500), 502, "UPSTREAM_UNAVAILABLE"),
    ] {
        *toy.mode.lock().unwrap() = mode.clone();
        let r = app.gql(Some(&token), query, &[]).await;
        assert_eq!(r.status, status, "{mode:?}: {:?}", r.body);
        assert_eq!(r.body["errors"][0]["extensions"]["code"], code, "{mode:?}");
        assert_eq!(r.body["data"], Value::Null);
        *toy.mode.lock().unwrap() = Mode::Echo;
        let r = app.gql(Some(&token), query, &[]).await;
        assert_eq!(r.status, 200, "after {mode:?}: {:?}", r.body);
        assert_eq!(r.body["data"]["echo"], query);
    }
    // An upstream's own GraphQL refusal (a 400 with errors) is passed on as sent.
    *toy.mode.lock().unwrap() = Mode::Status(400);
    let r = app.gql(Some(&token), query, &[]).await;
    assert_eq!(
        (r.status, crate::helpers::message(&r)),
        (400, "nope".to_string())
    );

    // Each failure is counted by kind in /metrics, with the breaker's state.
    let metrics = app.metrics().await;
    for (result, n) in [
        ("ok", 7),
        ("timeout", 1),
        ("too_large", 1),
        ("not_graphql", 2),
        ("refused_assertion", 1),
        ("server_error", 1),
    ] {
        let line =
            format!("storefront_auth_gateway_upstream_calls_total{{result=\"{result}\"}} {n}\n");
        assert!(metrics.contains(&line), "{line} not in\n{metrics}");
    }
    assert!(metrics.contains("storefront_auth_gateway_breaker_state{state=\"closed\"} 1"));
    assert!(metrics.contains("storefront_auth_graphql_executions_total{executor=\"upstream\"} 13"));
    // And the decision inspector says how the upstream call went.
    let r = app
        .mgmt(
            reqwest::Method::GET,
            "/v3/storefront/decisions?status=504",
            None,
        )
        .await;
    let upstream = r.body["data"][0]["upstream"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(upstream.starts_with("timeout (status 0, "), "{:?}", r.body);
}

#[tokio::test]
async fn a_dead_upstream_is_a_502_and_the_breaker_stops_calling_it_until_a_probe_succeeds() {
    // A dead upstream: it takes each connection and closes it unanswered. The port stays held
    // (a freed port could be taken by a parallel test before the upstream comes back on it).
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let (stop, mut stopped) = tokio::sync::oneshot::channel::<()>();
    let dead = tokio::spawn(async move {
        loop {
            tokio::select! {
                _ = &mut stopped => return listener,
                accepted = listener.accept() => drop(accepted),
            }
        }
    });
    let url = format!("http://127.0.0.1:{port}/graphql");
    let (app, _dir) = gateway(&url, |g| {
        g.breaker_failures = 2;
        g.breaker_open_secs = 1;
    })
    .await;
    let token = app.private_token(&["Unauthenticated"]).await;
    let query = "{ site { settings { storeName } } }";
    for _ in 0..3 {
        upstream_unavailable(&app, &token, query).await;
    }
    // The upstream comes up on that port: the breaker is open, so nothing reaches it yet.
    stop.send(()).unwrap();
    let listener = dead.await.unwrap();
    let toy = toy_on(listener).await;
    let r = app.gql(Some(&token), query, &[]).await;
    assert_eq!(r.status, 502, "still open");
    assert!(toy.received.lock().unwrap().is_empty());
    let metrics = app.metrics().await;
    assert!(
        metrics.contains("storefront_auth_gateway_breaker_state{state=\"open\"} 1"),
        "{metrics}"
    );
    assert!(
        metrics.contains("storefront_auth_gateway_upstream_calls_total{result=\"breaker_open\"} 2"),
        "{metrics}"
    );
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let r = app.gql(Some(&token), query, &[]).await;
    assert_eq!(r.status, 200, "the probe closes it: {:?}", r.body);
    let r = app.gql(Some(&token), query, &[]).await;
    assert_eq!(r.status, 200);
    assert_eq!(toy.received.lock().unwrap().len(), 2);
}

/// What an upstream's verifier should check: type, algorithm, a key of the JWKS, the
/// signature, the audience and the validity window.
fn strict_verify(jwt: &str, jwks: &Value, audience: &str, now: i64) -> Result<Value, String> {
    let parts: Vec<&str> = jwt.split('.').collect();
    let header = b64json(parts[0]);
    if header["typ"] != "storefront-auth-assertion+jwt" || header["alg"] != "ES256" {
        return Err(format!("header {header}"));
    }
    let key = jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["kid"] == header["kid"])
        .ok_or("unknown kid")?;
    let mut point = vec![4u8];
    point.extend(URL_SAFE_NO_PAD.decode(key["x"].as_str().unwrap()).unwrap());
    point.extend(URL_SAFE_NO_PAD.decode(key["y"].as_str().unwrap()).unwrap());
    let signed = format!("{}.{}", parts[0], parts[1]);
    let signature = URL_SAFE_NO_PAD
        .decode(parts[2])
        .map_err(|e| e.to_string())?;
    aws_lc_rs::signature::UnparsedPublicKey::new(
        &aws_lc_rs::signature::ECDSA_P256_SHA256_FIXED,
        &point,
    )
    .verify(signed.as_bytes(), &signature)
    .map_err(|_| "signature")?;
    let claims = b64json(parts[1]);
    if claims["aud"] != audience {
        return Err("audience".into());
    }
    let (iat, exp) = (
        claims["iat"].as_i64().unwrap(),
        claims["exp"].as_i64().unwrap(),
    );
    if iat > now + 60 || exp <= now {
        return Err("time".into());
    }
    Ok(claims)
}

#[tokio::test]
async fn sample_assertions_give_an_operators_verifier_one_to_accept_and_each_attack_to_refuse() {
    let (_toy, url) = toy().await;
    let (app, _dir) = gateway(&url, |_| {}).await;
    let jwks = jwks(&app).await;
    let audience = "https://shop.internal";
    let out = app.cli(&["gateway", "sample-assertions", "--audience", audience]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let samples: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    let now = unix_now();
    let names: Vec<&str> = samples
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "valid",
            "wrong_audience",
            "expired",
            "not_yet_valid",
            "alg_none",
            "unknown_key",
            "access_token_type",
            "tampered"
        ]
    );
    for s in &samples {
        let verdict = strict_verify(s["assertion"].as_str().unwrap(), &jwks, audience, now);
        assert_eq!(
            verdict.is_ok(),
            s["valid"] == true,
            "{}: {verdict:?}",
            s["name"]
        );
    }
    // A new key: the samples are signed with it from now on; the old one still verifies.
    let kid = |samples: &[Value]| {
        let header = samples[0]["assertion"]
            .as_str()
            .unwrap()
            .split('.')
            .next()
            .unwrap();
        b64json(header)["kid"].as_str().unwrap().to_string()
    };
    let kid_before = kid(&samples);
    let out = app.cli(&["gateway", "rotate-key"]);
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success() && text.contains("new assertion signing key"),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = app.cli(&["gateway", "sample-assertions", "--audience", audience]);
    let samples: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    let kid_after = kid(&samples);
    assert_ne!(kid_before, kid_after);
    assert!(text.contains(&kid_after), "{text}");
    // The old key retired: it leaves the JWKS (a server reading the ring now shows it); the
    // last live key and an unknown one cannot be retired.
    let out = app.cli(&["gateway", "retire-key", &kid_before]);
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success() && text.contains("retired assertion key"),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let fresh = app.beside(|_| {}).await;
    let published = self::jwks(&fresh).await;
    let kids: Vec<&Value> = published["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| &k["kid"])
        .collect();
    assert_eq!(kids, vec![&json!(kid_after)]);
    for kid in [kid_after.as_str(), "no-such-kid"] {
        let out = app.cli(&["gateway", "retire-key", kid]);
        assert!(!out.status.success(), "{kid} retired");
    }
    // A kid is base64url and may start with `-` (the random kid above did, one run in 32):
    // it is looked up as a kid, never read as a flag.
    let out = app.cli(&["gateway", "retire-key", "-no-such-kid"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && stderr.contains("unknown key id -no-such-kid"),
        "{stderr}"
    );
    // Without an audience anywhere, the command says what it needs.
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_storefront-auth"))
        .args([
            "--data-dir",
            dir.path().to_str().unwrap(),
            "gateway",
            "sample-assertions",
        ])
        .env_remove("STOREFRONT_AUTH_CONFIG")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("name the audience"));
}

/// `query` is answered 502 `UPSTREAM_UNAVAILABLE`.
pub async fn upstream_unavailable(app: &TestApp, token: &str, query: &str) {
    let r = app.gql(Some(token), query, &[]).await;
    assert_eq!(r.status, 502, "{:?}", r.body);
    assert_eq!(
        r.body["errors"][0]["extensions"]["code"],
        "UPSTREAM_UNAVAILABLE"
    );
}

/// `n` requests for the same document at once: their statuses.
pub async fn at_once(app: &TestApp, token: &str, n: usize) -> Vec<u16> {
    let mut calls = tokio::task::JoinSet::new();
    for _ in 0..n {
        let body = json!({ "query": "{ site { settings { storeName } } }" });
        let req = app
            .client
            .post(app.url("/graphql"))
            .bearer_auth(token)
            .json(&body);
        calls.spawn(async move { req.send().await.unwrap().status().as_u16() });
    }
    calls.join_all().await
}

/// However many clients call at once, at most `gateway.max_connections` calls are in flight to
/// the upstream; the others wait their turn (within the timeout) and are answered.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_clients_never_hold_more_upstream_connections_than_the_cap() {
    let (toy, url) = toy().await;
    let (app, _dir) = gateway(&url, |g| {
        g.max_connections = 2;
        g.timeout_ms = 5_000;
    })
    .await;
    let token = app.private_token(&["Unauthenticated"]).await;
    *toy.mode.lock().unwrap() = Mode::Slow(Duration::from_millis(150));
    assert_eq!(at_once(&app, &token, 8).await, vec![200; 8]);
    assert_eq!(toy.received.lock().unwrap().len(), 8);
    assert_eq!(
        toy.peak.load(Ordering::SeqCst),
        2,
        "at most two at once, and two were"
    );
    // The first is answered in 150 ms; the others would wait past the 200 ms timeout, which
    // counts the wait: the upstream being slow, a 504.
    let (app, _dir) = gateway(&url, |g| {
        g.max_connections = 1;
        g.timeout_ms = 200;
    })
    .await;
    let token = app.private_token(&["Unauthenticated"]).await;
    let mut statuses = at_once(&app, &token, 3).await;
    statuses.sort();
    assert_eq!(statuses, vec![200, 504, 504]);
}

/// The assertion keys are read from the database: while they cannot be read, the JWKS endpoint
/// answers 503 with the API's error body (never an empty key set an upstream could cache), and
/// a request whose assertion cannot be signed is a 502 that never reaches the upstream.
#[tokio::test]
async fn without_its_keys_the_gateway_answers_503_for_the_jwks_and_502_for_queries() {
    let (toy, url) = toy().await;
    let (app, _dir) = gateway(&url, |_| {}).await;
    let token = app.private_token(&["Unauthenticated"]).await;
    // The token is checked (and its check kept) by a document refused here, which signs nothing.
    let r = app.gql(Some(&token), "{ site { noSuchField } }", &[]).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let server = app.server.as_ref().expect("server");
    server.state.domain.close().await;
    let url = app.url("/.well-known/storefront-auth-assertion-jwks.json");
    let r = app.client.get(url).send().await.unwrap();
    assert_eq!(r.status(), 503);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["title"], "The service is temporarily unavailable.");
    assert!(body.get("keys").is_none(), "{body}");
    let r = app
        .gql(Some(&token), "{ site { settings { storeName } } }", &[])
        .await;
    assert_eq!(r.status, 502, "{:?}", r.body);
    assert_eq!(
        r.body["errors"][0]["message"],
        "The gateway could not sign its assertion."
    );
    assert!(toy.received.lock().unwrap().is_empty());
}
