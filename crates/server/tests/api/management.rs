//! SPEC §3 over HTTP: authentication, scopes, the error envelope for every bad input, rate
//! limits, and the supporting endpoints.

use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::{Resp, TestApp, NOW};

const TYPE: &str = "https://developer.bigcommerce.com/api-docs/getting-started/api-status-codes";

pub(crate) fn account(app: &TestApp, scopes: &[&str]) -> Value {
    let mut args = vec!["accounts", "create", "--store", "demo", "--json"];
    for s in scopes {
        args.push("--scope");
        args.push(s);
    }
    let out = app.cli(&args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("json")
}

#[tokio::test]
async fn unauthenticated_and_foreign_tokens_are_401() {
    let app = TestApp::spawn().await;
    let other = TestApp::spawn().await;
    let anonymous = Resp::from(
        app.client
            .get(app.url("/stores/demo/v2/time"))
            .send()
            .await
            .expect("send"),
    )
    .await;
    let unknown = app
        .mgmt_as("no-such-token", Method::GET, "/v2/time", None)
        .await;
    // The other app's account belongs to a different store (with the same hash, in its own
    // database), so it is unknown here.
    let foreign = app
        .mgmt_as(&other.creds.access_token, Method::GET, "/v2/time", None)
        .await;
    for r in [anonymous, unknown, foreign] {
        assert_eq!(r.status, 401, "{:?}", r.body);
        assert_eq!(r.body["status"], 401);
        assert_eq!(r.body["type"], TYPE);
        assert!(r.header("X-Rate-Limit-Requests-Quota").is_some());
    }
    // A valid account of another store on this server.
    let out = app.cli(&["stores", "create", "--hash", "other", "--name", "Other"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r = app
        .mgmt_as(&app.creds.access_token, Method::GET, "/v2/time", None)
        .await;
    assert_eq!(r.status, 200);
    let r = Resp::from(
        app.client
            .get(app.url("/stores/other/v2/time"))
            .header("X-Auth-Token", &app.creds.access_token)
            .send()
            .await
            .expect("send"),
    )
    .await;
    assert_eq!(r.status, 401);
    // X-Auth-Client is accepted and ignored.
    let r = Resp::from(
        app.client
            .get(app.url("/stores/demo/v2/time"))
            .header("X-Auth-Token", &app.creds.access_token)
            .header("X-Auth-Client", "wrong")
            .send()
            .await
            .expect("send"),
    )
    .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body, json!({ "time": NOW }));
}

#[tokio::test]
async fn missing_scopes_are_403_and_read_only_allows_reads() {
    let app = TestApp::spawn().await;
    let ro = account(
        &app,
        &[
            "store_storefront_api_read_only",
            "store_v2_customers_read_only",
        ],
    );
    let token = ro["access_token"].as_str().expect("token");
    let forbidden = json!({
        "status": 403,
        "title": "You don't have a required scope to access the endpoint",
        "type": TYPE,
        "errors": {}
    });
    for (method, path, body) in [
        (
            Method::POST,
            "/v3/storefront/api-token",
            Some(json!({ "channel_id": 1, "expires_at": 2_147_483_647 })),
        ),
        (
            Method::POST,
            "/v3/storefront/api-token-customer-impersonation",
            Some(json!({ "channel_id": 1, "expires_at": 2_147_483_647 })),
        ),
        (Method::DELETE, "/v3/storefront/api-token", None),
        (Method::GET, "/v3/catalog/products", None),
        (Method::GET, "/v3/channels", None),
        (Method::POST, "/v3/customers", Some(json!([]))),
    ] {
        let r = app.mgmt_as(token, method.clone(), path, body).await;
        assert_eq!(
            (r.status, r.body.clone()),
            (403, forbidden.clone()),
            "{method} {path}"
        );
    }
    for path in [
        "/v3/storefront/api-tokens",
        "/v3/customers",
        "/v2/store",
        "/v2/time",
    ] {
        let r = app.mgmt_as(token, Method::GET, path, None).await;
        assert_eq!(r.status, 200, "{path}: {:?}", r.body);
    }
    // Impersonation tokens need their own scope; the storefront scope is not enough.
    let sf_only = account(&app, &["store_storefront_api"]);
    let r = app
        .mgmt_as(
            sf_only["access_token"].as_str().expect("t"),
            Method::POST,
            "/v3/storefront/api-token-customer-impersonation",
            Some(json!({ "channel_id": 1, "expires_at": 2_147_483_647 })),
        )
        .await;
    assert_eq!(r.status, 403);
}

#[tokio::test]
async fn bad_requests_get_the_envelope() {
    let app = TestApp::spawn().await;
    let path = app.url("/stores/demo/v3/storefront/api-token");
    let send = |req: reqwest::RequestBuilder| async {
        Resp::from(
            req.header("X-Auth-Token", &app.creds.access_token)
                .send()
                .await
                .expect("send"),
        )
        .await
    };

    let r = send(
        app.client
            .post(&path)
            .header("Content-Type", "application/json")
            .body("{\"expires_at\":"),
    )
    .await;
    assert_eq!(
        (r.status, r.body["status"].clone(), r.body["type"].clone()),
        (400, json!(400), json!(TYPE))
    );

    let r = send(
        app.client
            .post(&path)
            .header("Content-Type", "text/plain")
            .body("{}"),
    )
    .await;
    assert_eq!((r.status, r.body["status"].clone()), (415, json!(415)));
    let r = send(app.client.post(&path).body("{}")).await;
    assert_eq!(r.status, 415);

    let big = format!(
        "{{\"expires_at\":2147483647,\"channel_id\":1,\"pad\":\"{}\"}}",
        "x".repeat(1024 * 1024 + 10)
    );
    let r = send(
        app.client
            .post(&path)
            .header("Content-Type", "application/json")
            .body(big),
    )
    .await;
    assert_eq!(
        (r.status, r.body["status"].clone(), r.body["type"].clone()),
        (413, json!(413), json!(TYPE))
    );

    for p in [
        "/stores/demo/v3/storefront/api-token/",
        "/stores/demo/v3/nothing",
        "/nothing",
    ] {
        let r = send(app.client.get(app.url(p))).await;
        assert_eq!(
            (r.status, r.body["status"].clone(), r.body["type"].clone()),
            (404, json!(404), json!(TYPE)),
            "{p}"
        );
        // The management API's own 404s carry its rate-limit headers (SPEC §3).
        let under_api = p.starts_with("/stores/");
        assert_eq!(
            r.header("X-Rate-Limit-Requests-Left").is_some(),
            under_api,
            "{p}"
        );
    }
    let r = send(app.client.put(&path)).await;
    assert_eq!((r.status, r.body["status"].clone()), (405, json!(405)));
    for name in [
        "X-Rate-Limit-Time-Window-Ms",
        "X-Rate-Limit-Time-Reset-Ms",
        "X-Rate-Limit-Requests-Quota",
        "X-Rate-Limit-Requests-Left",
    ] {
        assert!(r.header(name).is_some(), "405 without {name}");
    }
    assert!(app.inventory().await.is_empty(), "nothing was issued");
}

#[tokio::test]
async fn rate_limit_headers_and_429() {
    let app = TestApp::spawn_with(|c| {
        c.rate_limit.quota = 3;
        c.rate_limit.window_ms = 60_000;
    })
    .await;
    let mut lefts = Vec::new();
    for _ in 0..3 {
        let r = app.mgmt(Method::GET, "/v2/time", None).await;
        assert_eq!(r.status, 200);
        assert_eq!(r.header("X-Rate-Limit-Requests-Quota"), Some("3"));
        assert_eq!(r.header("X-Rate-Limit-Time-Window-Ms"), Some("60000"));
        assert!(r.header("X-Rate-Limit-Time-Reset-Ms").is_some());
        lefts.push(
            r.header("X-Rate-Limit-Requests-Left")
                .expect("left")
                .to_string(),
        );
    }
    assert_eq!(lefts, vec!["2", "1", "0"]);
    let r = app.mgmt(Method::GET, "/v2/time", None).await;
    assert_eq!((r.status, r.body["status"].clone()), (429, json!(429)));
    let retry: u64 = r
        .header("X-Retry-After")
        .expect("retry")
        .parse()
        .expect("int");
    assert!((1..=60).contains(&retry));
}

#[tokio::test]
async fn supporting_endpoints() {
    let app = TestApp::spawn().await;
    let store = app.mgmt(Method::GET, "/v2/store", None).await;
    assert_eq!(store.body["hash"], "demo");
    assert_eq!(store.body["store_id"], app.creds.store_id);
    assert_eq!(
        store.body["channels"].as_array().expect("channels").len(),
        2
    );

    let r = app
        .mgmt(
            Method::POST,
            "/v3/channels",
            Some(json!({ "name": "Third", "site_url": "https://third.example" })),
        )
        .await;
    assert_eq!(
        (r.status, r.body["data"]["id"].clone()),
        (200, json!(3)),
        "{:?}",
        r.body
    );
    let r = app
        .mgmt(Method::POST, "/v3/channels", Some(json!({ "name": "Bad" })))
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body["errors"].get("site_url:required").is_some());
    let r = app.mgmt(Method::GET, "/v3/channels", None).await;
    assert_eq!(r.body["data"].as_array().expect("arr").len(), 3);
    // The new channel is usable for tokens at once.
    let r = app
        .create_token(
            "api-token",
            json!({ "channel_id": 3, "expires_at": 2_147_483_647 }),
        )
        .await;
    assert_eq!(r.status, 200);

    let new = json!([{ "email": "new@example.com", "first_name": "New", "last_name": "Person", "authentication": { "new_password": "s3cret-pass" } }]);
    let r = app
        .mgmt(Method::POST, "/v3/customers", Some(new.clone()))
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let created = &r.body["data"][0];
    assert_eq!(created["email"], "new@example.com");
    assert!(
        !r.body.to_string().contains("s3cret-pass"),
        "the password is never echoed"
    );
    let r = app.mgmt(Method::POST, "/v3/customers", Some(new)).await;
    assert_eq!(r.status, 422);
    assert!(
        r.body["errors"].get("0.email:already_in_use").is_some(),
        "{:?}",
        r.body
    );
    let r = app
        .mgmt(Method::POST, "/v3/customers", Some(json!([
            { "email": "ok@example.com", "first_name": "A", "last_name": "B", "authentication": { "new_password": "long enough" } },
            { "email": "nope", "first_name": "", "last_name": "B", "authentication": { "new_password": "short" } }
        ])))
        .await;
    assert_eq!(r.status, 422);
    for key in [
        "1.email:invalid",
        "1.first_name:required",
        "1.authentication.new_password:too_short",
    ] {
        assert!(r.body["errors"].get(key).is_some(), "{key}: {:?}", r.body);
    }
    let list = app.mgmt(Method::GET, "/v3/customers", None).await;
    let emails: Vec<&str> = list.body["data"]
        .as_array()
        .expect("arr")
        .iter()
        .map(|c| c["email"].as_str().expect("email"))
        .collect();
    assert!(emails.contains(&"new@example.com"));
    assert!(
        !emails.contains(&"ok@example.com"),
        "a refused batch writes nothing"
    );
    assert!(!list.body.to_string().contains("password"));

    let r = app.mgmt(Method::POST, "/v3/catalog/products", Some(json!({ "name": "Mug", "sku": "MUG", "price": 12.5, "weight": 1, "type": "physical" }))).await;
    assert_eq!(
        (r.status, r.body["data"]["price"].clone()),
        (200, json!(12.5)),
        "{:?}",
        r.body
    );
    let r = app
        .mgmt(
            Method::POST,
            "/v3/catalog/products",
            Some(json!({ "name": "Mug 2", "sku": "MUG", "price": 1 })),
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body["errors"].get("sku:already_in_use").is_some());
    let r = app
        .mgmt(
            Method::POST,
            "/v3/catalog/products",
            Some(json!({ "sku": "X", "price": -1 })),
        )
        .await;
    assert!(
        r.body["errors"].get("name:required").is_some()
            && r.body["errors"].get("price:required").is_some()
    );
    let r = app.mgmt(Method::GET, "/v3/catalog/products", None).await;
    assert_eq!(r.body["data"].as_array().expect("arr").len(), 5);
}

/// A product made through the API is on the storefront from the next request, even when the
/// storefront read the catalog a moment before (the server holds a store's catalog for a
/// second; its own writes drop what it holds).
#[tokio::test]
async fn a_product_made_through_the_api_is_on_the_storefront_at_once() {
    let app = TestApp::spawn().await;
    let token = app.private_token(&["Unauthenticated"]).await;
    let listing = "{ site { products(first: 50) { edges { node { name } } } } }";
    let names = |r: &Resp| r.body["data"]["site"]["products"]["edges"].to_string();
    let before = app.gql(Some(&token), listing, &[]).await;
    assert!(!names(&before).contains("Fresh Mug"), "{:?}", before.body);

    let made = app.made_product("Fresh Mug", "FRESH-MUG", 3).await;
    let id = made["id"].as_i64().expect("id");

    let after = app.gql(Some(&token), listing, &[]).await;
    assert!(names(&after).contains("Fresh Mug"), "{:?}", after.body);
    let query = "{ site { route(path: \"/fresh-mug/\") { node { ... on Product { entityId } } } \
                 product(sku: \"FRESH-MUG\") { entityId name } } }";
    let r = app.gql(Some(&token), query, &[]).await;
    assert_eq!(
        (
            r.body["data"]["site"]["route"]["node"]["entityId"].as_i64(),
            r.body["data"]["site"]["product"]["entityId"].as_i64(),
            r.body["data"]["site"]["product"]["name"].clone(),
        ),
        (Some(id), Some(id), json!("Fresh Mug")),
        "{:?}",
        r.body
    );
}

#[tokio::test]
async fn operations_endpoints() {
    let app = TestApp::spawn().await;
    let r = Resp::from(
        app.client
            .get(app.url("/healthz"))
            .send()
            .await
            .expect("send"),
    )
    .await;
    assert_eq!(r.status, 200);
    let r = Resp::from(
        app.client
            .get(app.url("/readyz"))
            .send()
            .await
            .expect("send"),
    )
    .await;
    assert_eq!((r.status, r.body["status"].clone()), (200, json!("ready")));
    app.mgmt(Method::GET, "/v2/time", None).await;
    let metrics = app.metrics().await;
    assert!(
        metrics.contains("storefront_auth_requests_total{surface=\"management\""),
        "{metrics}"
    );
    assert!(metrics.contains("storefront_auth_request_duration_seconds_bucket"));
    assert!(metrics.contains("storefront_auth_token_cache_hit_ratio"));
}
