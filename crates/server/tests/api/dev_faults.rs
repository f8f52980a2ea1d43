//! Development faults over HTTP (issue 20): each kind answers the chosen surface of the chosen
//! store for exactly its requests or its time, marked `X-Storefront-Auth-Fault`; the
//! credential faults let the real pipeline answer; refusals name their field; reset and
//! removal end a store's faults. The real Catalyst client's view is in `real_clients`.

use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::{json, Value};

use crate::dev_mode::{dev, dev_app, gql_on, mgmt_on, new_store, DEV_TOKEN};
use crate::helpers::{Resp, TestApp, JANE, LOGIN, PASSWORD};

const NAME: &str = "{ site { settings { storeName } } }";

fn hash(store: &Value) -> &str {
    store["store_hash"].as_str().expect("hash")
}

async fn add_fault(app: &TestApp, store: &Value, body: Value) -> Resp {
    let path = format!("/_dev/stores/{}/faults", hash(store));
    dev(app, Method::POST, &path, Some(DEV_TOKEN), Some(body)).await
}

async fn fault(app: &TestApp, store: &Value, body: Value) -> Value {
    let r = add_fault(app, store, body).await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    r.body["data"].clone()
}

async fn faults(app: &TestApp, store: &Value) -> Vec<Value> {
    let path = format!("/_dev/stores/{}/faults", hash(store));
    let r = dev(app, Method::GET, &path, Some(DEV_TOKEN), None).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    r.body["data"].as_array().expect("list").clone()
}

fn private_token(store: &Value) -> &str {
    store["private_token"].as_str().expect("private token")
}

async fn name_query(app: &TestApp, store: &Value) -> Resp {
    gql_on(
        app,
        store,
        private_token(store),
        json!({ "query": NAME }),
        &[],
    )
    .await
}

async fn page(app: &TestApp, store: &Value, path: &str) -> Resp {
    let host = store["storefront_hosts"]["1"].as_str().expect("host");
    let r = app.client.get(app.url(path)).header("Host", host);
    Resp::from(r.send().await.expect("send")).await
}

#[tokio::test]
async fn a_rate_limit_answers_exactly_its_requests_of_its_store_and_surface() {
    let app = dev_app().await;
    let (a, b) = (new_store(&app).await, new_store(&app).await);
    let set = fault(
        &app,
        &a,
        json!({ "kind": "rate_limited", "requests": 2, "retry_after_seconds": 7 }),
    )
    .await;
    assert_eq!(
        (set["surface"].as_str(), set["requests_left"].as_u64()),
        (Some("graphql"), Some(2))
    );
    let id = set["id"].to_string();
    for _ in 0..2 {
        // Another store and another surface of this one are not caught.
        assert_eq!(name_query(&app, &b).await.status, 200);
        assert_eq!(mgmt_on(&app, &a, hash(&a), "/v2/store").await.status, 200);
        let r = name_query(&app, &a).await;
        assert_eq!(r.status, 429, "{:?}", r.body);
        assert_eq!(r.header("x-retry-after"), Some("7"));
        assert_eq!(r.header("x-rate-limit-requests-left"), Some("0"));
        assert_eq!(r.header("x-rate-limit-time-reset-ms"), Some("7000"));
        assert!(r.header("x-rate-limit-requests-quota").is_some());
        assert_eq!(r.header("x-storefront-auth-fault"), Some(id.as_str()));
    }
    let r = name_query(&app, &a).await;
    assert_eq!(r.status, 200);
    assert!(r.header("x-storefront-auth-fault").is_none());
    let listed = faults(&app, &a).await;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["applied"], 2);
    assert_eq!(listed[0]["requests_left"], 0);
    assert_eq!(listed[0]["active"], false);
    assert!(faults(&app, &b).await.is_empty());
}

#[tokio::test]
async fn of_many_requests_at_once_a_fault_catches_exactly_its_number() {
    let app = dev_app().await;
    let store = new_store(&app).await;
    fault(
        &app,
        &store,
        json!({ "kind": "server_error", "requests": 5 }),
    )
    .await;
    let host = store["storefront_hosts"]["1"]
        .as_str()
        .expect("host")
        .to_string();
    let mut requests = tokio::task::JoinSet::new();
    for _ in 0..20 {
        let request = app
            .client
            .post(app.url("/graphql"))
            .header("Host", host.clone())
            .bearer_auth(private_token(&store))
            .json(&json!({ "query": NAME }));
        requests.spawn(async move { request.send().await.expect("send").status().as_u16() });
    }
    let answers = requests.join_all().await;
    let failed = answers.iter().filter(|s| **s == 500).count();
    let fine = answers.iter().filter(|s| **s == 200).count();
    assert_eq!((failed, fine), (5, 15));
}

#[tokio::test]
async fn a_server_error_lasts_its_time_and_ends_when_deleted() {
    let app = dev_app().await;
    let store = new_store(&app).await;
    let set = fault(
        &app,
        &store,
        json!({ "kind": "server_error", "status": 503, "surface": "management", "seconds": 60 }),
    )
    .await;
    assert!(set["requests_left"].is_null() && set["ends_at"].as_i64().is_some());
    for _ in 0..3 {
        let r = mgmt_on(&app, &store, hash(&store), "/v2/store").await;
        assert_eq!(r.status, 503, "{:?}", r.body);
        assert_eq!(r.body["status"], 503);
        assert!(r.body["title"]
            .as_str()
            .unwrap_or("")
            .contains("development-mode fault"));
    }
    assert_eq!(name_query(&app, &store).await.status, 200);
    let path = format!("/_dev/stores/{}/faults/{}", hash(&store), set["id"]);
    assert_eq!(
        dev(&app, Method::DELETE, &path, Some(DEV_TOKEN), None)
            .await
            .status,
        204
    );
    assert_eq!(
        dev(&app, Method::DELETE, &path, Some(DEV_TOKEN), None)
            .await
            .status,
        404
    );
    assert_eq!(
        mgmt_on(&app, &store, hash(&store), "/v2/store")
            .await
            .status,
        200
    );

    // Storefront pages and payments have their own faults.
    fault(
        &app,
        &store,
        json!({ "kind": "server_error", "surface": "storefront", "status": 502 }),
    )
    .await;
    assert_eq!(
        mgmt_on(&app, &store, hash(&store), "/v2/store")
            .await
            .status,
        200
    );
    assert_eq!(page(&app, &store, "/login.php").await.status, 502);
    assert_eq!(page(&app, &store, "/login.php").await.status, 200);
    fault(
        &app,
        &store,
        json!({ "kind": "rate_limited", "surface": "payments" }),
    )
    .await;
    let pay = app
        .client
        .post(app.url(&format!("/stores/{}/payments", hash(&store))));
    let r = Resp::from(pay.json(&json!({})).send().await.expect("send")).await;
    assert_eq!(r.status, 429, "{:?}", r.body);
}

#[tokio::test]
async fn latency_delays_the_real_answer() {
    let app = dev_app().await;
    let store = new_store(&app).await;
    fault(&app, &store, json!({ "kind": "latency", "ms": 400 })).await;
    let started = Instant::now();
    let r = name_query(&app, &store).await;
    assert!(started.elapsed() >= Duration::from_millis(400));
    assert_eq!(r.status, 200);
    assert!(r.body["data"]["site"]["settings"]["storeName"].is_string());
    assert!(r.header("x-storefront-auth-fault").is_some());
    let started = Instant::now();
    name_query(&app, &store).await;
    assert!(started.elapsed() < Duration::from_millis(400));
}

#[tokio::test]
async fn credential_faults_are_answered_by_the_real_pipeline() {
    let app = dev_app().await;
    let store = new_store(&app).await;
    let token = private_token(&store).to_string();
    let login = json!({ "query": LOGIN, "variables": { "email": JANE, "password": PASSWORD } });
    let r = gql_on(&app, &store, &token, login, &[]).await;
    let cat = r.body["data"]["login"]["customerAccessToken"]["value"]
        .as_str()
        .expect("cat")
        .to_string();
    let me = || json!({ "query": "{ customer { email } }" });
    let with_cat = [
        ("X-Bc-Customer-Access-Token", cat.as_str()),
        ("X-Bc-Error-On-Invalid-Customer-Access-Token", "true"),
    ];

    fault(
        &app,
        &store,
        json!({ "kind": "invalid_customer_access_token" }),
    )
    .await;
    // A request without a CAT is not caught and does not use the fault up.
    assert_eq!(name_query(&app, &store).await.status, 200);
    let r = gql_on(&app, &store, &token, me(), &with_cat).await;
    assert_eq!(r.status, 200);
    assert_eq!(
        r.body["errors"][0]["extensions"]["code"], "INVALID_CUSTOMER_ACCESS_TOKEN",
        "{:?}",
        r.body
    );
    assert!(r.header("x-storefront-auth-fault").is_some());
    // The customer's real token was not touched.
    let r = gql_on(&app, &store, &token, me(), &with_cat).await;
    assert_eq!(r.body["data"]["customer"]["email"], JANE, "{:?}", r.body);

    fault(&app, &store, json!({ "kind": "revoked_token" })).await;
    let r = name_query(&app, &store).await;
    assert_eq!(r.status, 401);
    assert_eq!(r.body["errors"][0]["message"], "Unknown JWT token");
    assert_eq!(name_query(&app, &store).await.status, 200);

    fault(
        &app,
        &store,
        json!({ "kind": "revoked_token", "surface": "management" }),
    )
    .await;
    assert_eq!(
        mgmt_on(&app, &store, hash(&store), "/v2/store")
            .await
            .status,
        401
    );
    assert_eq!(
        mgmt_on(&app, &store, hash(&store), "/v2/store")
            .await
            .status,
        200
    );
}

#[tokio::test]
async fn bad_faults_are_refused_and_set_nothing() {
    let app = dev_app().await;
    let store = new_store(&app).await;
    for (body, key) in [
        (json!({}), "kind:invalid"),
        (json!({ "kind": "flood" }), "kind:invalid"),
        (
            json!({ "kind": "server_error", "status": 404 }),
            "status:invalid",
        ),
        (json!({ "kind": "server_error", "ms": 10 }), "ms:invalid"),
        (json!({ "kind": "latency" }), "ms:required"),
        (json!({ "kind": "latency", "ms": 600000 }), "ms:invalid"),
        (
            json!({ "kind": "rate_limited", "requests": 0 }),
            "requests:invalid",
        ),
        (
            json!({ "kind": "rate_limited", "seconds": "10" }),
            "seconds:invalid",
        ),
        (
            json!({ "kind": "rate_limited", "request": 3 }),
            "request:unknown",
        ),
        (
            json!({ "kind": "rate_limited", "surface": "ops" }),
            "surface:invalid",
        ),
        (
            json!({ "kind": "invalid_customer_access_token", "surface": "management" }),
            "surface:unsupported",
        ),
        (
            json!({ "kind": "revoked_token", "surface": "payments" }),
            "surface:unsupported",
        ),
        (json!([1]), "body:invalid"),
    ] {
        let r = add_fault(&app, &store, body.clone()).await;
        assert_eq!(r.status, 422, "{body}: {:?}", r.body);
        assert!(r.body["errors"].get(key).is_some(), "{body}: {:?}", r.body);
    }
    assert!(faults(&app, &store).await.is_empty());
    let path = format!("/_dev/stores/{}/faults", hash(&store));
    let no_token = dev(
        &app,
        Method::POST,
        &path,
        None,
        Some(json!({ "kind": "latency", "ms": 1 })),
    )
    .await;
    assert_eq!(no_token.status, 401);
    let r = dev(
        &app,
        Method::POST,
        "/_dev/stores/nosuchstore/faults",
        Some(DEV_TOKEN),
        Some(json!({ "kind": "latency", "ms": 1 })),
    )
    .await;
    assert_eq!(r.status, 404);
    let r = dev(
        &app,
        Method::DELETE,
        &format!("{path}/x"),
        Some(DEV_TOKEN),
        None,
    )
    .await;
    assert_eq!(r.status, 404);
    assert!(faults(&app, &store).await.is_empty());
    assert_eq!(name_query(&app, &store).await.status, 200);
}

#[tokio::test]
async fn a_store_holds_a_bounded_number_of_faults_and_reset_or_removal_ends_them() {
    let app = dev_app().await;
    let store = new_store(&app).await;
    for _ in 0..32 {
        fault(
            &app,
            &store,
            json!({ "kind": "latency", "ms": 1, "surface": "payments" }),
        )
        .await;
    }
    let r = add_fault(&app, &store, json!({ "kind": "latency", "ms": 1 })).await;
    assert_eq!(r.status, 409, "{:?}", r.body);
    let path = format!("/_dev/stores/{}/faults", hash(&store));
    assert_eq!(
        dev(&app, Method::DELETE, &path, Some(DEV_TOKEN), None)
            .await
            .status,
        204
    );
    assert!(faults(&app, &store).await.is_empty());

    fault(
        &app,
        &store,
        json!({ "kind": "server_error", "seconds": 600 }),
    )
    .await;
    let reset = format!("/_dev/stores/{}/reset", hash(&store));
    assert_eq!(
        dev(&app, Method::POST, &reset, Some(DEV_TOKEN), None)
            .await
            .status,
        204
    );
    assert!(faults(&app, &store).await.is_empty());
    assert_eq!(name_query(&app, &store).await.status, 200);

    // A store made again under the same hash (an import) does not inherit removed faults.
    let export = format!("/_dev/stores/{}/export", hash(&store));
    let state = dev(&app, Method::GET, &export, Some(DEV_TOKEN), None)
        .await
        .body;
    fault(
        &app,
        &store,
        json!({ "kind": "server_error", "seconds": 600 }),
    )
    .await;
    let remove = format!("/_dev/stores/{}", hash(&store));
    assert_eq!(
        dev(&app, Method::DELETE, &remove, Some(DEV_TOKEN), None)
            .await
            .status,
        204
    );
    let r = dev(
        &app,
        Method::POST,
        "/_dev/stores/import",
        Some(DEV_TOKEN),
        Some(state),
    )
    .await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    assert!(faults(&app, &store).await.is_empty());
}
