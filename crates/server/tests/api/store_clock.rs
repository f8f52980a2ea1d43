//! A store's own simulated clock over HTTP and the CLI (issue 19): it drives everything time
//! decides for that store (token issuance and expiry, both cut-offs, CAT lifetimes, the
//! Customer Login `iat` window, `/v2/time`) and nothing of any other store; every change is
//! recorded; bad changes are refused and change nothing.

use std::time::Duration;

use reqwest::Method;
use serde_json::{json, Value};
use storefront_auth_core::clock::format_rfc3339;

use crate::helpers::{decode, message, Resp, TestApp, JANE, NOW};

const QUERY: &str = "{ site { settings { storeName } } }";
const CUSTOMER: &str = "{ customer { email } }";
const JUNE_2026: i64 = 1_780_272_000; // 2026-06-01
const APRIL_2027: i64 = 1_806_537_600; // 2027-04-01

async fn time_of(app: &TestApp) -> i64 {
    let r = app.mgmt(Method::GET, "/v2/time", None).await;
    r.body["time"].as_i64().expect("time")
}

/// A GraphQL request to another store's storefront host.
async fn gql_at(app: &TestApp, hash: &str, token: &str) -> Resp {
    let host = format!("store-{hash}.localhost");
    app.gql(Some(token), QUERY, &[("Host", &host)]).await
}

fn cli_ok(app: &TestApp, args: &[&str]) -> String {
    let out = app.cli(args);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{args:?}: {err}");
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// Waits (up to 3 s) until this server reads the store's time near `want`: a change made by
/// another process reaches it within a second.
async fn wait_for_time(app: &TestApp, want: i64) {
    let mut got = time_of(app).await;
    for _ in 0..30 {
        if near(got, want) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        got = time_of(app).await;
    }
    panic!("the store's time is {got}, not near {want}");
}

fn near(got: i64, want: i64) -> bool {
    (got - want).abs() <= 5
}

async fn set_clock(app: &TestApp, body: Value) -> Resp {
    let r = app
        .mgmt(Method::PUT, "/v3/storefront/clock", Some(body))
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    r
}

#[tokio::test]
async fn a_store_clock_moves_that_store_alone_and_is_recorded() {
    let app = TestApp::spawn().await;
    // Another store, whose storefront token was made in June 2026 on its own clock (the CLI).
    cli_ok(
        &app,
        &["stores", "create", "--hash", "other", "--name", "Other"],
    );
    let shown = cli_ok(
        &app,
        &["stores", "clock", "--store", "other", "--at", "2026-06-01"],
    );
    assert!(shown.contains("its own clock"), "{shown}");
    let other_old = cli_ok(
        &app,
        &[
            "tokens",
            "create",
            "--store",
            "other",
            "--kind",
            "storefront",
        ],
    );
    assert!(near(
        decode(&other_old).1["iat"].as_i64().expect("iat"),
        JUNE_2026
    ));
    let shown = cli_ok(&app, &["stores", "clock", "--store", "other", "--real"]);
    assert!(shown.contains("(the process clock)"), "{shown}");

    // The demo store goes to June 2026: tokens are issued on its time, and an expiry that
    // has passed for the process but not for the store is accepted.
    let r = set_clock(&app, json!({ "at": "2026-06-01" })).await;
    let data = &r.body["data"];
    assert_eq!(data["simulated"], true);
    assert!(
        near(data["now_unix"].as_i64().expect("now"), JUNE_2026),
        "{data}"
    );
    assert!(near(time_of(&app).await, JUNE_2026));
    let old = app.storefront_token(&[]).await;
    assert!(near(
        decode(&old).1["iat"].as_i64().expect("iat"),
        JUNE_2026
    ));
    let short = app
        .token_with(
            "api-token-private",
            json!({ "channel_id": 1, "expires_at": JUNE_2026 + 86_400, "scopes": ["Unauthenticated"] }),
        )
        .await;
    assert_eq!(app.gql(Some(&short), QUERY, &[]).await.status, 200);

    // April 2027 for the demo store only: its storefront token is refused server-to-server
    // and its short private token has expired; the other store, on the process clock
    // (2026-11-22), still takes its own old storefront token.
    set_clock(&app, json!({ "at": "2027-04-01" })).await;
    let r = app.gql(Some(&old), QUERY, &[]).await;
    assert_eq!(r.status, 403, "{:?}", r.body);
    assert_eq!(
        message(&r),
        "Request not allowed: storefront tokens can no longer be used for server-to-server requests. Use a private token."
    );
    let r = app.gql(Some(&short), QUERY, &[]).await;
    assert_eq!(r.status, 401, "{:?}", r.body);
    let r = gql_at(&app, "other", &other_old).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert!(r.header("deprecation").is_some());

    // Back on the process clock: the demo store's old token works again.
    let r = app.mgmt(Method::DELETE, "/v3/storefront/clock", None).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.body["data"]["simulated"], false);
    assert_eq!(r.body["data"]["now_unix"], NOW);
    assert_eq!(time_of(&app).await, NOW);
    assert_eq!(app.gql(Some(&old), QUERY, &[]).await.status, 200);

    // Every change is recorded, newest first, with who made it and the times around it.
    let r = app.mgmt(Method::GET, "/v3/storefront/clock", None).await;
    let changes = r.body["data"]["changes"]
        .as_array()
        .expect("changes")
        .clone();
    assert_eq!(changes.len(), 3, "{changes:?}");
    let by = format!("account:{}", app.creds.client_id);
    assert!(changes.iter().all(|c| c["changed_by"] == by.as_str()));
    assert_eq!(changes[0]["to"], format_rfc3339(NOW));
    assert_eq!(changes[0]["offset_from_real_seconds"], Value::Null);
    assert_eq!(changes[1]["to"], "2027-04-01T00:00:00Z");
    assert_eq!(changes[2]["from"], format_rfc3339(NOW));
    assert_eq!(changes[2]["to"], "2026-06-01T00:00:00Z");
    let shown = cli_ok(&app, &["stores", "clock", "--store", "other", "--json"]);
    let other: Value = serde_json::from_str(&shown).expect("json");
    let other_changes = other["changes"].as_array().expect("changes");
    assert_eq!(other_changes.len(), 2);
    assert!(other_changes.iter().all(|c| c["changed_by"] == "cli"));
}

#[tokio::test]
async fn a_store_clock_drives_cat_lifetimes_and_the_login_jwt_window() {
    let app = TestApp::spawn().await;
    let private = app.private_token(&["Unauthenticated", "Customer"]).await;
    let cat = app.login_cat(&private, JANE).await;
    let with_cat = [
        ("X-Bc-Customer-Access-Token", cat.as_str()),
        ("X-Bc-Error-On-Invalid-Customer-Access-Token", "true"),
    ];
    let r = app.gql(Some(&private), CUSTOMER, &with_cat).await;
    assert_eq!(r.body["data"]["customer"]["email"], JANE, "{:?}", r.body);

    // A day later on the store's clock the CAT still works; eight days later (its lifetime
    // is seven) it does not. The command line is another process: this server follows
    // within a second.
    let tomorrow = format_rfc3339(NOW + 86_400);
    cli_ok(
        &app,
        &["stores", "clock", "--store", "demo", "--at", &tomorrow],
    );
    wait_for_time(&app, NOW + 86_400).await;
    let r = app.gql(Some(&private), CUSTOMER, &with_cat).await;
    assert_eq!(r.body["data"]["customer"]["email"], JANE, "{:?}", r.body);
    cli_ok(
        &app,
        &["stores", "clock", "--store", "demo", "--advance", "7d"],
    );
    wait_for_time(&app, NOW + 8 * 86_400).await;
    let r = app.gql(Some(&private), CUSTOMER, &with_cat).await;
    assert_eq!(
        r.body["errors"][0]["extensions"]["code"], "INVALID_CUSTOMER_ACCESS_TOKEN",
        "{:?}",
        r.body
    );
    // The Customer Login JWT's iat is judged against the store's time, not the process's.
    let visit = |jwt: String| {
        let url = app.url(&format!("/login/token/{jwt}"));
        let client = app.client.clone();
        async move { client.get(url).send().await.expect("send") }
    };
    let stale = visit(app.login_jwt(json!({ "iat": NOW }))).await;
    assert_eq!(
        stale.headers()["location"],
        "/login.php?error=invalid_login"
    );
    let fresh = visit(app.login_jwt(json!({ "iat": time_of(&app).await }))).await;
    assert_eq!(fresh.status(), 302);
    assert_eq!(fresh.headers()["location"], "/account.php");
    assert!(fresh.headers().get("set-cookie").is_some());
}

#[tokio::test]
async fn a_bad_clock_change_is_refused_and_changes_nothing() {
    let app = TestApp::spawn().await;
    for (body, field) in [
        (json!({ "at": "someday" }), "at:invalid"),
        (json!({ "at": 1_806_537_600 }), "at:invalid"),
        (json!({ "advance": "1y" }), "advance:invalid"),
        (json!({ "advance": 1.5 }), "advance:invalid"),
        (json!({ "at": "2027-04-01", "advance": "1d" }), "at:invalid"),
        (json!({}), "at:invalid"),
        (json!({ "at": "2027-04-01", "mode": "x" }), "mode:unknown"),
        (json!({ "advance": "-99999d" }), "advance:out_of_range"),
        (
            json!({ "at": "9999-12-31T23:59:59Z", "advance": null }),
            "at:invalid",
        ),
    ] {
        let r = app
            .mgmt(Method::PUT, "/v3/storefront/clock", Some(body.clone()))
            .await;
        assert_eq!(r.status, 422, "{body}: {:?}", r.body);
        assert!(r.body["errors"][field].is_string(), "{body}: {:?}", r.body);
    }
    let r = app
        .mgmt(Method::PUT, "/v3/storefront/clock", Some(json!(["at"])))
        .await;
    assert_eq!(r.status, 400, "{:?}", r.body);
    for args in [
        vec!["--advance", "soon"],
        vec!["--at", "2027-04-01", "--advance", "1d"],
        vec!["--at", "2027-04-01", "--real"],
        vec!["--at", "10000-01-01"],
    ] {
        let mut all = vec!["stores", "clock", "--store", "demo"];
        all.extend(args.iter());
        assert!(!app.cli(&all).status.success(), "{all:?}");
    }
    let out = app.cli(&["stores", "clock", "--store", "nosuch"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("no store with hash"));

    // Nothing was changed or recorded.
    let r = app.mgmt(Method::GET, "/v3/storefront/clock", None).await;
    assert_eq!(r.body["data"]["simulated"], false, "{:?}", r.body);
    assert_eq!(r.body["data"]["changes"], json!([]));
    assert_eq!(time_of(&app).await, NOW);

    // The latest second a store may show is accepted; the scope is needed.
    let r = set_clock(&app, json!({ "at": "9999-12-31T23:59:00Z" })).await;
    assert_eq!(r.body["data"]["simulated"], true);
    let account = crate::management::account(&app, &["store_v2_products"]);
    let token = account["access_token"].as_str().expect("token");
    for method in [Method::GET, Method::PUT, Method::DELETE] {
        let body = (method == Method::PUT).then(|| json!({ "advance": "1d" }));
        let r = app
            .mgmt_as(token, method.clone(), "/v3/storefront/clock", body)
            .await;
        assert_eq!(r.status, 403, "{method}: {:?}", r.body);
    }
}

/// Two instances on PostgreSQL: a change made through one is followed by the other within a
/// second, and concurrent advances through both add up (the store's row is locked).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn instances_share_a_store_clock_and_concurrent_advances_add_up() {
    use crate::process::{fresh_schema, postgres_base, ServerProcess};
    let url = fresh_schema(&postgres_base());
    let a = ServerProcess::start(&["--database-url", url.as_str()], &[]);
    let token = a.value("access_token:");
    let b = ServerProcess::start(&["--database-url", url.as_str()], &[]);
    let client = reqwest::Client::new();
    let call = |base: String, method: Method, path: &str, body: Option<Value>| {
        let req = client
            .request(method, format!("{base}/stores/demo{path}"))
            .header("X-Auth-Token", &token);
        let req = match body {
            Some(b) => req.json(&b),
            None => req,
        };
        async move {
            let r = req.send().await.expect("send");
            (
                r.status().as_u16(),
                r.json::<Value>().await.unwrap_or(Value::Null),
            )
        }
    };
    let time_at = |base: String| {
        let f = call(base, Method::GET, "/v2/time", None);
        async move { f.await.1["time"].as_i64().expect("time") }
    };

    let (status, _) = call(
        a.base.clone(),
        Method::PUT,
        "/v3/storefront/clock",
        Some(json!({ "at": "2027-04-01" })),
    )
    .await;
    assert_eq!(status, 200);
    let started = std::time::Instant::now();
    while !near(time_at(b.base.clone()).await, APRIL_2027) {
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "B did not follow A's change"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    let advances = (0..10).map(|i| {
        let base = if i % 2 == 0 {
            a.base.clone()
        } else {
            b.base.clone()
        };
        tokio::spawn(call(
            base,
            Method::PUT,
            "/v3/storefront/clock",
            Some(json!({ "advance": "1h" })),
        ))
    });
    for done in advances.collect::<Vec<_>>() {
        assert_eq!(done.await.expect("join").0, 200);
    }
    let (_, shown) = call(b.base.clone(), Method::GET, "/v3/storefront/clock", None).await;
    let now = shown["data"]["now_unix"].as_i64().expect("now");
    assert!(near(now, APRIL_2027 + 10 * 3_600), "{shown}");
    assert_eq!(shown["data"]["changes"].as_array().map(Vec::len), Some(11));
    // Each instance's requests follow the last change within a second, whichever made it.
    for base in [&a.base, &b.base] {
        let started = std::time::Instant::now();
        while !near(time_at(base.clone()).await, APRIL_2027 + 10 * 3_600) {
            assert!(
                started.elapsed() < Duration::from_secs(2),
                "{base} did not follow"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}
