//! Store settings over the management API (issue 18): the trusted-proxy secret (SPEC §5.1),
//! a new channel served at once by the instance that created it, and legacy HTTP Basic
//! credentials told what to use instead.

use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::{Resp, TestApp};

const CHANNEL_QUERY: &str = "{ channel { entityId } }";
const SECRET_PATH: &str = "/v3/storefront/trusted-proxy-secret";

async fn as_browser_with_secret(app: &TestApp, token: &str, secret: &str) -> u16 {
    let headers = [
        ("Origin", "https://shop.example"),
        ("X-BC-Trusted-Proxy-Secret", secret),
    ];
    app.gql(Some(token), CHANNEL_QUERY, &headers).await.status
}

#[tokio::test]
async fn the_trusted_proxy_secret_is_set_shown_and_cleared_over_the_management_api() {
    let app = TestApp::spawn().await;
    let private = app.private_token(&["Unauthenticated"]).await;
    let secret = "proxy-secret-0123456789";
    let shown = app.mgmt(Method::GET, SECRET_PATH, None).await;
    assert_eq!(
        (shown.status, &shown.body),
        (200, &json!({ "data": { "configured": false }, "meta": {} }))
    );
    // Before: a browser signal with any secret is a browser request, refused for a private token.
    assert_eq!(as_browser_with_secret(&app, &private, secret).await, 403);

    // Bad bodies are refused, field by field, and change nothing.
    let refusals = [
        (json!({}), "secret:required"),
        (json!({ "secret": "short" }), "secret:invalid"),
        (
            json!({ "secret": "has spaces in it, too many" }),
            "secret:invalid",
        ),
        (json!({ "secret": "x".repeat(300) }), "secret:invalid"),
        (
            json!({ "secret": 12345678901234567_i64 }),
            "secret:required",
        ),
        (json!({ "secret": secret, "extra": 1 }), "extra:unknown"),
    ];
    for (body, key) in refusals {
        let r = app.mgmt(Method::PUT, SECRET_PATH, Some(body.clone())).await;
        assert_eq!(r.status, 422, "{body}: {:?}", r.body);
        assert!(r.body["errors"][key].is_string(), "{body}: {:?}", r.body);
        assert!(
            !r.body.to_string().contains(secret),
            "the secret is never echoed"
        );
    }
    assert_eq!(
        app.mgmt(Method::GET, SECRET_PATH, None).await.body["data"]["configured"],
        false
    );

    let set = app
        .mgmt(Method::PUT, SECRET_PATH, Some(json!({ "secret": secret })))
        .await;
    assert_eq!(
        (set.status, &set.body),
        (200, &json!({ "data": { "configured": true }, "meta": {} }))
    );
    assert!(!set.body.to_string().contains(secret));
    // At once on this instance (no wait for the directory's refresh).
    assert_eq!(as_browser_with_secret(&app, &private, secret).await, 200);
    assert_eq!(
        as_browser_with_secret(&app, &private, "wrong-secret-0123456789").await,
        403
    );
    assert_eq!(
        app.mgmt(Method::GET, SECRET_PATH, None).await.body["data"]["configured"],
        true
    );
    // Only a digest is stored.
    let stored = app
        .store()
        .await
        .store_by_hash("demo")
        .await
        .expect("read")
        .expect("store");
    let digest = stored.trusted_proxy_secret_digest.expect("digest");
    assert!(!digest.contains(secret) && digest.len() == 64);

    let cleared = app.mgmt(Method::DELETE, SECRET_PATH, None).await;
    assert_eq!(
        (cleared.status, &cleared.body),
        (200, &json!({ "data": { "configured": false }, "meta": {} }))
    );
    assert_eq!(as_browser_with_secret(&app, &private, secret).await, 403);
}

#[tokio::test]
async fn the_trusted_proxy_secret_needs_the_storefront_api_scope() {
    let app = TestApp::spawn().await;
    let out = app.cli(&[
        "accounts",
        "create",
        "--store",
        "demo",
        "--scope",
        "store_v2_products",
        "--json",
    ]);
    assert!(out.status.success(), "{out:?}");
    let created: Value = serde_json::from_slice(&out.stdout).expect("json");
    let token = created["access_token"].as_str().expect("token");
    for method in [Method::GET, Method::PUT, Method::DELETE] {
        let body = (method == Method::PUT).then(|| json!({ "secret": "proxy-secret-0123456789" }));
        let r = app.mgmt_as(token, method.clone(), SECRET_PATH, body).await;
        assert_eq!(r.status, 403, "{method}");
    }
}

#[tokio::test]
async fn a_new_channel_is_served_at_once_by_the_instance_that_created_it() {
    let app = TestApp::spawn().await;
    let every_channel = app
        .token_with(
            "api-token-private",
            json!({ "channel_ids": [], "expires_at": 2_147_483_647, "scopes": ["Unauthenticated"] }),
        )
        .await;
    let on = |host: &'static str| {
        let (app, token) = (&app, every_channel.clone());
        async move {
            app.gql(Some(&token), CHANNEL_QUERY, &[("Host", host)])
                .await
        }
    };
    // The instance has just served this store: its directory holds the store's channels.
    assert_eq!(on("store-demo.localhost").await.status, 200);
    let unknown = on("store-demo-3.localhost").await;
    assert_eq!(unknown.status, 404, "{:?}", unknown.body);

    let created = app
        .mgmt(
            Method::POST,
            "/v3/channels",
            Some(json!({ "name": "Wholesale", "site_url": "https://wholesale.example" })),
        )
        .await;
    assert_eq!(created.status, 200, "{:?}", created.body);
    assert_eq!(created.body["data"]["id"], 3);
    let r = on("store-demo-3.localhost").await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.body["data"]["channel"]["entityId"], 3);
}

#[tokio::test]
async fn legacy_basic_credentials_are_told_to_use_x_auth_token() {
    let app = TestApp::spawn().await;
    let r = Resp::from(
        app.client
            .get(app.url("/stores/demo/v2/time"))
            .basic_auth("legacy-user", Some("0123456789abcdef"))
            .send()
            .await
            .expect("send"),
    )
    .await;
    assert_eq!(r.status, 401);
    assert_eq!(r.body["status"], 401);
    let title = r.body["title"].as_str().expect("title");
    assert!(
        title.contains("no longer supported") && title.contains("X-Auth-Token"),
        "{title}"
    );
    assert!(r.header("X-Rate-Limit-Requests-Left").is_some());
    // A valid X-Auth-Token beside it still authenticates; nothing at all is a plain 401.
    let ok = Resp::from(
        app.client
            .get(app.url("/stores/demo/v2/time"))
            .basic_auth("legacy-user", Some("x"))
            .header("X-Auth-Token", &app.creds.access_token)
            .send()
            .await
            .expect("send"),
    )
    .await;
    assert_eq!(ok.status, 200);
    let none = Resp::from(
        app.client
            .get(app.url("/stores/demo/v2/time"))
            .send()
            .await
            .expect("send"),
    )
    .await;
    assert_eq!(none.status, 401);
    assert!(!none.body["title"]
        .as_str()
        .unwrap_or_default()
        .contains("Basic"));
}
