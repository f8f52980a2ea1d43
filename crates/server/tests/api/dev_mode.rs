//! Development mode's control API over HTTP (issue 20): absent without `--dev`; only its own
//! credential opens it; isolated stores on demand that never see each other's tokens,
//! customers or carts, and are removed with everything they own; minting without ceremony.

use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::{Resp, TestApp, JANE, LOGIN, PASSWORD};

pub(crate) const DEV_TOKEN: &str = "dev-token-for-the-tests-0123456789";

pub(crate) async fn dev_app() -> TestApp {
    TestApp::spawn_with(|c| {
        c.dev.enabled = true;
        c.dev.token = Some(DEV_TOKEN.into());
        c.dev.allow_shared_database = true;
    })
    .await
}

pub(crate) async fn dev(
    app: &TestApp,
    method: Method,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> Resp {
    let mut req = app.client.request(method, app.url(path));
    if let Some(t) = token {
        req = req.header("X-Dev-Token", t);
    }
    if let Some(b) = body {
        req = req.json(&b);
    }
    Resp::from(req.send().await.expect("send")).await
}

pub(crate) async fn new_store(app: &TestApp) -> Value {
    let r = dev(app, Method::POST, "/_dev/stores", Some(DEV_TOKEN), None).await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    r.body["data"].clone()
}

/// A GraphQL request to `store`'s channel 1 host.
pub(crate) async fn gql_on(
    app: &TestApp,
    store: &Value,
    token: &str,
    query: Value,
    extra: &[(&str, &str)],
) -> Resp {
    let host = store["storefront_hosts"]["1"]
        .as_str()
        .expect("host")
        .to_string();
    let mut headers = vec![("Host", host.as_str())];
    headers.extend_from_slice(extra);
    app.gql_body(Some(token), query, &headers).await
}

pub(crate) async fn mgmt_on(app: &TestApp, store: &Value, hash: &str, path: &str) -> Resp {
    let token = store["api_account"]["access_token"]
        .as_str()
        .expect("token");
    let url = app.url(&format!("/stores/{hash}{path}"));
    Resp::from(
        app.client
            .get(url)
            .header("X-Auth-Token", token)
            .send()
            .await
            .expect("send"),
    )
    .await
}

#[tokio::test]
async fn without_dev_mode_the_control_api_is_not_there() {
    let app = TestApp::spawn().await;
    for (method, path) in [
        (Method::POST, "/_dev/stores"),
        (Method::GET, "/_dev/stores/demo"),
        (Method::GET, "/_dev/"),
    ] {
        let r = dev(&app, method, path, Some(DEV_TOKEN), None).await;
        assert_eq!(r.status, 404, "{path}: {:?}", r.body);
    }
}

#[tokio::test]
async fn only_the_control_api_credential_opens_it() {
    let app = dev_app().await;
    let api_token = app.creds.access_token.clone();
    for token in [
        None,
        Some("wrong-token-0123456789"),
        Some(api_token.as_str()),
    ] {
        for path in ["/_dev/stores", "/_dev/nothing-here"] {
            let r = dev(&app, Method::POST, path, token, None).await;
            assert_eq!(r.status, 401, "{token:?} {path}: {:?}", r.body);
            assert!(r.body["title"]
                .as_str()
                .unwrap_or("")
                .contains("X-Dev-Token"));
        }
    }
    let r = dev(
        &app,
        Method::GET,
        "/_dev/nothing-here",
        Some(DEV_TOKEN),
        None,
    )
    .await;
    assert_eq!(r.status, 404);
    // A store's API account gets nothing of development mode through the management API.
    let r = app.mgmt(Method::POST, "/_dev/stores", None).await;
    assert_eq!(r.status, 404);

    // Configured so, a loopback client needs no credential; a wrong one is still refused.
    let open = TestApp::spawn_with(|c| {
        c.dev.enabled = true;
        c.dev.open_on_loopback = true;
        c.dev.allow_shared_database = true;
    })
    .await;
    assert_eq!(
        dev(&open, Method::POST, "/_dev/stores", None, None)
            .await
            .status,
        201
    );
    let r = dev(
        &open,
        Method::POST,
        "/_dev/stores",
        Some("wrong-token-0123456789"),
        None,
    )
    .await;
    assert_eq!(r.status, 401);
}

#[tokio::test]
async fn isolated_stores_never_see_each_other() {
    let app = dev_app().await;
    let (a, b) = tokio::join!(new_store(&app), new_store(&app));
    let (hash_a, hash_b) = (
        a["store_hash"].as_str().unwrap(),
        b["store_hash"].as_str().unwrap(),
    );
    assert_ne!(hash_a, hash_b);
    assert_eq!(a["customers"][0]["email"], JANE);

    // Each account manages its own store only.
    assert_eq!(mgmt_on(&app, &a, hash_a, "/v2/store").await.status, 200);
    assert_eq!(mgmt_on(&app, &a, hash_b, "/v2/store").await.status, 401);

    // Each private token works on its own store's host only.
    let query = json!({ "query": "{ site { settings { storeName } } }" });
    let (ta, tb) = (
        a["private_token"].as_str().unwrap(),
        b["private_token"].as_str().unwrap(),
    );
    let r = gql_on(&app, &a, ta, query.clone(), &[]).await;
    assert_eq!(
        r.body["data"]["site"]["settings"]["storeName"], "Demo Store",
        "{:?}",
        r.body
    );
    let r = gql_on(&app, &a, tb, query.clone(), &[]).await;
    assert_eq!(r.status, 401, "{:?}", r.body);

    // Customers and their sign-ins: Jane of A is not Jane of B.
    let login = json!({ "query": LOGIN, "variables": { "email": JANE, "password": PASSWORD } });
    let r = gql_on(&app, &a, ta, login, &[]).await;
    let cat = r.body["data"]["login"]["customerAccessToken"]["value"]
        .as_str()
        .expect("cat")
        .to_string();
    let me = json!({ "query": "{ customer { entityId email } }" });
    let strict = ("X-Bc-Error-On-Invalid-Customer-Access-Token", "true");
    let r = gql_on(
        &app,
        &a,
        ta,
        me.clone(),
        &[("X-Bc-Customer-Access-Token", &cat), strict],
    )
    .await;
    assert_eq!(r.body["data"]["customer"]["email"], JANE, "{:?}", r.body);
    let r = gql_on(
        &app,
        &b,
        tb,
        me,
        &[("X-Bc-Customer-Access-Token", &cat), strict],
    )
    .await;
    assert_eq!(
        r.body["errors"][0]["extensions"]["code"], "INVALID_CUSTOMER_ACCESS_TOKEN",
        "{:?}",
        r.body
    );

    // Carts: A's cart is not B's.
    // Its own catalog: product ids are the database's, not the demo store's.
    let first =
        json!({ "query": "{ site { products(first: 1) { edges { node { entityId } } } } }" });
    let r = gql_on(&app, &a, ta, first, &[]).await;
    let product = r.body["data"]["site"]["products"]["edges"][0]["node"]["entityId"].clone();
    let add = json!({
        "query": "mutation($l: [CartLineItemInput!]) { cart { createCart(input: { lineItems: $l }) { cart { entityId } } } }",
        "variables": { "l": [{ "productEntityId": product, "quantity": 1 }] },
    });
    let r = gql_on(&app, &a, ta, add, &[]).await;
    let cart = r.body["data"]["cart"]["createCart"]["cart"]["entityId"]
        .as_str()
        .expect("cart")
        .to_string();
    let read = json!({
        "query": "query($id: String) { site { cart(entityId: $id) { entityId } } }",
        "variables": { "id": cart },
    });
    let r = gql_on(&app, &a, ta, read.clone(), &[]).await;
    assert_eq!(r.body["data"]["site"]["cart"]["entityId"], cart.as_str());
    let r = gql_on(&app, &b, tb, read, &[]).await;
    assert_eq!(r.body["data"]["site"]["cart"], Value::Null, "{:?}", r.body);

    // Token inventories: each lists its own.
    let listed = mgmt_on(&app, &b, hash_b, "/v3/storefront/api-tokens").await;
    let ids: Vec<&str> = listed.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|t| t["id"].as_str())
        .collect();
    assert_eq!(ids.len(), 1, "{ids:?}");
}

#[tokio::test]
async fn a_removed_store_is_gone_with_everything_it_owned() {
    let app = dev_app().await;
    let made = new_store(&app).await;
    let (hash, id) = (
        made["store_hash"].as_str().unwrap(),
        made["store_id"].as_i64().unwrap(),
    );
    let token = made["private_token"].as_str().unwrap();
    let login = json!({ "query": LOGIN, "variables": { "email": JANE, "password": PASSWORD } });
    assert_eq!(gql_on(&app, &made, token, login, &[]).await.status, 200);
    let store = app.store().await;
    assert!(!store.owned_rows(id).await.unwrap().is_empty());

    let r = dev(
        &app,
        Method::DELETE,
        &format!("/_dev/stores/{hash}"),
        Some(DEV_TOKEN),
        None,
    )
    .await;
    assert_eq!(r.status, 204, "{:?}", r.body);
    assert_eq!(store.owned_rows(id).await.unwrap(), vec![]);
    assert_eq!(mgmt_on(&app, &made, hash, "/v2/store").await.status, 401);
    let r = gql_on(
        &app,
        &made,
        token,
        json!({ "query": "{ site { settings { storeName } } }" }),
        &[],
    )
    .await;
    assert_eq!(r.status, 404, "{:?}", r.body);
    let r = dev(
        &app,
        Method::DELETE,
        &format!("/_dev/stores/{hash}"),
        Some(DEV_TOKEN),
        None,
    )
    .await;
    assert_eq!(r.status, 404);
    // The demo store, and the rest of the database, are untouched; the default store stays.
    assert_eq!(
        app.gql(
            Some(&app.private_token(&["Unauthenticated"]).await),
            "{ site { settings { storeName } } }",
            &[]
        )
        .await
        .status,
        200
    );
    let r = dev(
        &app,
        Method::DELETE,
        "/_dev/stores/demo",
        Some(DEV_TOKEN),
        None,
    )
    .await;
    assert_eq!(r.status, 409, "{:?}", r.body);
}

#[tokio::test]
async fn any_token_and_a_customer_access_token_are_one_call() {
    let app = dev_app().await;
    let made = new_store(&app).await;
    let hash = made["store_hash"].as_str().unwrap();
    let mint = |path: &'static str, body: Value| {
        let url = format!("/_dev/stores/{hash}/{path}");
        let app = &app;
        async move { dev(app, Method::POST, &url, Some(DEV_TOKEN), Some(body)).await }
    };
    let query = json!({ "query": "{ site { settings { storeName } } }" });

    let r = mint("tokens", json!({ "kind": "private" })).await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    let private = r.body["data"]["token"].as_str().unwrap().to_string();
    assert_eq!(
        gql_on(&app, &made, &private, query.clone(), &[])
            .await
            .status,
        200
    );

    let r = mint(
        "tokens",
        json!({ "kind": "storefront", "allowed_cors_origins": ["https://shop.example"] }),
    )
    .await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    let storefront = r.body["data"]["token"].as_str().unwrap().to_string();
    let browser = [
        ("Origin", "https://shop.example"),
        ("Sec-Fetch-Mode", "cors"),
    ];
    assert_eq!(
        gql_on(&app, &made, &storefront, query.clone(), &browser)
            .await
            .status,
        200
    );

    let r = mint("tokens", json!({ "kind": "customer_impersonation" })).await;
    assert_eq!(r.status, 201, "{:?}", r.body);

    let r = mint("customer-access-tokens", json!({ "email": JANE })).await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    let cat = r.body["data"]["value"].as_str().unwrap().to_string();
    let me = json!({ "query": "{ customer { entityId email } }" });
    let r = gql_on(
        &app,
        &made,
        &private,
        me,
        &[("X-Bc-Customer-Access-Token", &cat)],
    )
    .await;
    assert_eq!(r.body["data"]["customer"]["email"], JANE, "{:?}", r.body);
    let by_id = mint(
        "customer-access-tokens",
        json!({ "customer_id": r.body["data"]["customer"]["entityId"].as_i64().unwrap_or(1) }),
    )
    .await;
    assert_eq!(by_id.status, 201, "{:?}", by_id.body);

    // Refusals: each names the field; nothing is minted.
    for (path, body, field) in [
        ("tokens", json!({ "kind": "root" }), "kind:invalid"),
        ("tokens", json!({}), "kind:invalid"),
        (
            "tokens",
            json!({ "kind": "private", "scopes": ["Everything"] }),
            "",
        ),
        ("tokens", json!({ "kind": "private", "channel_id": 99 }), ""),
        (
            "customer-access-tokens",
            json!({ "email": "nobody@example.com" }),
            "customer_id:not_found",
        ),
        (
            "customer-access-tokens",
            json!({ "customer_id": "one" }),
            "customer_id:invalid",
        ),
        (
            "customer-access-tokens",
            json!({ "customer_id": 1, "email": JANE }),
            "customer_id:invalid",
        ),
        (
            "customer-access-tokens",
            json!({ "email": JANE, "channel_id": 9 }),
            "channel_id:not_found",
        ),
    ] {
        let r = mint(path, body.clone()).await;
        assert_eq!(r.status, 422, "{body}: {:?}", r.body);
        if !field.is_empty() {
            assert!(r.body["errors"][field].is_string(), "{body}: {:?}", r.body);
        }
    }
    let r = dev(
        &app,
        Method::POST,
        "/_dev/stores/nosuch/tokens",
        Some(DEV_TOKEN),
        Some(json!({ "kind": "private" })),
    )
    .await;
    assert_eq!(r.status, 404);
    let listed = mgmt_on(&app, &made, hash, "/v3/storefront/api-tokens").await;
    assert_eq!(
        listed.body["data"].as_array().map(Vec::len),
        Some(4),
        "the store's own and three minted"
    );
}

#[tokio::test]
async fn serve_dev_prints_its_credential_and_refuses_a_shared_database() {
    let dir = tempfile::tempdir().expect("dir");
    let data = dir.path().to_str().unwrap();
    let server =
        crate::process::ServerProcess::start_serving(&["--data-dir", data], &["--dev"], &[]);
    let line = server
        .seen
        .iter()
        .find(|l| l.contains("control API is under /_dev/"))
        .expect("the credential is printed")
        .clone();
    let token = line
        .rsplit("X-Dev-Token: ")
        .next()
        .unwrap()
        .trim_end_matches(')');
    assert_eq!(token.len(), 48, "{line}");
    let client = reqwest::Client::new();
    let post = |t: Option<&str>| {
        let mut req = client.post(server.url("/_dev/stores"));
        if let Some(t) = t {
            req = req.header("X-Dev-Token", t);
        }
        req.send()
    };
    assert_eq!(post(None).await.expect("send").status(), 401);
    assert_eq!(post(Some(token)).await.expect("send").status(), 201);

    let out = std::process::Command::new(env!("CARGO_BIN_EXE_storefront-auth"))
        .args([
            "--data-dir",
            data,
            "--database-url",
            "postgres://127.0.0.1:1/none",
            "serve",
            "--dev",
        ])
        .env_remove("STOREFRONT_AUTH_CONFIG")
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("development mode (--dev) is refused with database_url"),
        "{err}"
    );
}

#[tokio::test]
async fn a_login_jwt_and_a_pat_are_one_call() {
    let app = dev_app().await;
    let made = new_store(&app).await;
    let hash = made["store_hash"].as_str().unwrap().to_string();
    let path = format!("/_dev/stores/{hash}/login-jwts");
    let body = json!({ "email": JANE, "redirect_to": "/cart.php" });
    let r = dev(&app, Method::POST, &path, Some(DEV_TOKEN), Some(body)).await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    let login = r.body["data"]["login_path"].as_str().unwrap().to_string();
    let host = r.body["data"]["storefront_host"]
        .as_str()
        .unwrap()
        .to_string();
    let visit = || {
        let req = app.client.get(app.url(&login)).header("Host", &host);
        async move { req.send().await.expect("send") }
    };
    let signed_in = visit().await;
    assert_eq!(signed_in.status(), 302);
    assert_eq!(signed_in.headers()["location"], "/cart.php");
    assert!(signed_in.headers().get("set-cookie").is_some());
    // It is a real Customer Login JWT: used once.
    let again = visit().await;
    assert_eq!(
        again.headers()["location"],
        "/login.php?error=invalid_login"
    );
    for (body, field) in [
        (
            json!({ "email": "nobody@example.com" }),
            "customer_id:not_found",
        ),
        (
            json!({ "email": JANE, "channel_id": 7 }),
            "channel_id:not_found",
        ),
        (
            json!({ "email": JANE, "redirect_to": 5 }),
            "redirect_to:invalid",
        ),
    ] {
        let r = dev(
            &app,
            Method::POST,
            &path,
            Some(DEV_TOKEN),
            Some(body.clone()),
        )
        .await;
        assert_eq!(r.status, 422, "{body}: {:?}", r.body);
        assert!(r.body["errors"][field].is_string(), "{body}: {:?}", r.body);
    }

    // A PAT for an order awaiting payment (placed on the demo store) pays it.
    let token = app.private_token(&["Unauthenticated", "Customer"]).await;
    let jane = app.login_cat(&token, JANE).await;
    let line = json!([{ "productEntityId": 1, "quantity": 1 }]);
    let cart = app.create_cart(&token, Some(&jane), line).await;
    let complete = crate::commerce::COMPLETE;
    let r = app
        .cart_op(&token, Some(&jane), complete, json!({ "id": cart }))
        .await;
    let order = r.body["data"]["checkout"]["completeCheckout"]["orderEntityId"].clone();
    let path = "/_dev/stores/demo/payment-access-tokens";
    let r = dev(
        &app,
        Method::POST,
        path,
        Some(DEV_TOKEN),
        Some(json!({ "order_id": order })),
    )
    .await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    let pat = r.body["data"]["id"].as_str().unwrap().to_string();
    let paid = app.pay("demo", &pat, "4111111111111111").await;
    assert!(paid.status < 300, "{:?}", paid.body);
    for (body, field) in [
        (json!({ "order_id": order }), "order_id:not_payable"),
        (json!({ "order_id": 999_999 }), "order_id:not_found"),
        (json!({ "order_id": "1" }), "order_id:invalid"),
    ] {
        let r = dev(
            &app,
            Method::POST,
            path,
            Some(DEV_TOKEN),
            Some(body.clone()),
        )
        .await;
        assert_eq!(r.status, 422, "{body}: {:?}", r.body);
        assert!(r.body["errors"][field].is_string(), "{body}: {:?}", r.body);
    }
}
