//! Development mode's state endpoints over HTTP (issue 20): reset brings a store back to its
//! seed exactly (an export before and after compare equal) and ends what came after; an
//! export imports into another server as it was; bad states are refused and change nothing.

use reqwest::Method;
use serde_json::{json, Value};

use crate::dev_mode::{dev, dev_app, gql_on, mgmt_on, new_store, DEV_TOKEN};
use crate::helpers::{Resp, TestApp, JANE, LOGIN, PASSWORD};

async fn export(app: &TestApp, hash: &str) -> Value {
    let path = format!("/_dev/stores/{hash}/export");
    let r = dev(app, Method::GET, &path, Some(DEV_TOKEN), None).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert!(r
        .header("content-disposition")
        .unwrap_or("")
        .contains(&format!("{hash}.state.json")));
    r.body
}

async fn reset(app: &TestApp, hash: &str) -> Resp {
    let path = format!("/_dev/stores/{hash}/reset");
    dev(app, Method::POST, &path, Some(DEV_TOKEN), None).await
}

async fn import(app: &TestApp, state: &Value) -> Resp {
    let path = "/_dev/stores/import";
    dev(
        app,
        Method::POST,
        path,
        Some(DEV_TOKEN),
        Some(state.clone()),
    )
    .await
}

/// Changes a test makes to a store: a customer through the management API, the store's clock,
/// a minted token used once, a sign-in, a cart. Returns the token, the CAT and the cart id.
async fn use_the_store(app: &TestApp, store: &Value) -> (String, String, String) {
    let hash = store["store_hash"].as_str().expect("hash");
    let access = store["api_account"]["access_token"]
        .as_str()
        .expect("token");
    let add = app
        .client
        .post(app.url(&format!("/stores/{hash}/v3/customers")))
        .header("X-Auth-Token", access)
        .json(
            &json!([{ "email": "new@example.com", "first_name": "N", "last_name": "E",
            "authentication": { "new_password": "s3cret-pass" } }]),
        )
        .send()
        .await
        .expect("send");
    let add = Resp::from(add).await;
    assert_eq!(add.status, 200, "{:?}", add.body);
    let clock = app
        .client
        .put(app.url(&format!("/stores/{hash}/v3/storefront/clock")))
        .header("X-Auth-Token", access)
        .json(&json!({ "advance": "30d" }))
        .send()
        .await
        .expect("send");
    assert_eq!(clock.status(), 200);
    let path = format!("/_dev/stores/{hash}/tokens");
    let body = json!({ "kind": "private" });
    let r = dev(app, Method::POST, &path, Some(DEV_TOKEN), Some(body)).await;
    let minted = r.body["data"]["token"].as_str().expect("token").to_string();
    let name = json!({ "query": "{ site { settings { storeName } } }" });
    assert_eq!(gql_on(app, store, &minted, name, &[]).await.status, 200);
    let login = json!({ "query": LOGIN, "variables": { "email": JANE, "password": PASSWORD } });
    let r = gql_on(app, store, &minted, login, &[]).await;
    let cat = r.body["data"]["login"]["customerAccessToken"]["value"]
        .as_str()
        .expect("cat")
        .to_string();
    let first =
        json!({ "query": "{ site { products(first: 1) { edges { node { entityId } } } } }" });
    let r = gql_on(app, store, &minted, first, &[]).await;
    let product = r.body["data"]["site"]["products"]["edges"][0]["node"]["entityId"].clone();
    let add = json!({
        "query": "mutation($l: [CartLineItemInput!]) { cart { createCart(input: { lineItems: $l }) { cart { entityId } } } }",
        "variables": { "l": [{ "productEntityId": product, "quantity": 1 }] },
    });
    let r = gql_on(app, store, &minted, add, &[]).await;
    let cart = r.body["data"]["cart"]["createCart"]["cart"]["entityId"]
        .as_str()
        .expect("cart")
        .to_string();
    (minted, cat, cart)
}

const ME: &str = "{ customer { email } }";
const STRICT: (&str, &str) = ("X-Bc-Error-On-Invalid-Customer-Access-Token", "true");

#[tokio::test]
async fn a_reset_brings_the_store_back_exactly_and_ends_what_came_after() {
    let app = dev_app().await;
    let (store, other) = tokio::join!(new_store(&app), new_store(&app));
    let hash = store["store_hash"].as_str().expect("hash");
    let other_hash = other["store_hash"].as_str().expect("hash");
    let seeded = export(&app, hash).await;
    let other_before = export(&app, other_hash).await;
    let (minted, cat, cart) = use_the_store(&app, &store).await;
    let used = export(&app, hash).await;
    assert_ne!(used, seeded);
    for table in ["customers", "issued_tokens", "customer_sessions", "carts"] {
        let rows = |s: &Value| {
            s["tables"]
                .as_array()
                .and_then(|t| t.iter().find(|t| t["table"] == table))
                .map(|t| t["rows"].as_array().map_or(0, Vec::len))
        };
        assert!(rows(&used) > rows(&seeded), "{table} did not grow");
    }

    let r = reset(&app, hash).await;
    assert_eq!(r.status, 204, "{:?}", r.body);
    assert_eq!(
        export(&app, hash).await,
        seeded,
        "the reset store is its seed"
    );
    assert_eq!(
        export(&app, other_hash).await,
        other_before,
        "another store"
    );

    // The token minted after the seed is refused; the worker's own private token still works.
    let name = json!({ "query": "{ site { settings { storeName } } }" });
    let r = gql_on(&app, &store, &minted, name.clone(), &[]).await;
    assert_eq!(r.status, 401, "{:?}", r.body);
    let own = store["private_token"].as_str().expect("token");
    let r = gql_on(&app, &store, own, name, &[]).await;
    assert_eq!(
        r.body["data"]["site"]["settings"]["storeName"],
        "Demo Store"
    );
    // The sign-in ended, the cart is gone, the clock is the system's again.
    let me = json!({ "query": ME });
    let r = gql_on(
        &app,
        &store,
        own,
        me,
        &[("X-Bc-Customer-Access-Token", &cat), STRICT],
    )
    .await;
    assert_eq!(
        r.body["errors"][0]["extensions"]["code"], "INVALID_CUSTOMER_ACCESS_TOKEN",
        "{:?}",
        r.body
    );
    let q = json!({ "query": "query($id: String) { site { cart(entityId: $id) { entityId } } }",
        "variables": { "id": cart } });
    let r = gql_on(&app, &store, own, q, &[]).await;
    assert_eq!(r.body["data"]["site"]["cart"], Value::Null, "{:?}", r.body);
    let r = mgmt_on(&app, &store, hash, "/v3/storefront/clock").await;
    assert_eq!(r.body["data"]["simulated"], false, "{:?}", r.body);
    // And the seed is still the seed: a second round ends the same way.
    use_the_store(&app, &store).await;
    let r = reset(&app, hash).await;
    assert_eq!(r.status, 204, "{:?}", r.body);
    assert_eq!(export(&app, hash).await, seeded);
}

#[tokio::test]
async fn the_seed_state_can_be_moved_to_now() {
    let app = dev_app().await;
    let store = new_store(&app).await;
    let hash = store["store_hash"].as_str().expect("hash");
    use_the_store(&app, &store).await;
    let path = format!("/_dev/stores/{hash}/seed-state");
    let r = dev(&app, Method::PUT, &path, Some(DEV_TOKEN), None).await;
    assert_eq!(r.status, 204, "{:?}", r.body);
    let kept = export(&app, hash).await;
    let own = store["private_token"].as_str().expect("token");
    let login = json!({ "query": LOGIN, "variables": { "email": JANE, "password": PASSWORD } });
    assert_eq!(gql_on(&app, &store, own, login, &[]).await.status, 200);
    assert_ne!(export(&app, hash).await, kept);
    assert_eq!(reset(&app, hash).await.status, 204);
    assert_eq!(export(&app, hash).await, kept);
}

#[tokio::test]
async fn an_exported_store_is_imported_into_another_server_as_it_was() {
    let ci = dev_app().await;
    let store = new_store(&ci).await;
    let hash = store["store_hash"].as_str().expect("hash");
    use_the_store(&ci, &store).await;
    let state = export(&ci, hash).await;

    let local = dev_app().await;
    let r = import(&local, &state).await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    assert_eq!(r.body["data"]["store_hash"], hash);
    assert_eq!(export(&local, hash).await, state);
    // The same account and the same customers, with their passwords.
    assert_eq!(mgmt_on(&local, &store, hash, "/v2/store").await.status, 200);
    let r = mgmt_on(&local, &store, hash, "/v3/customers").await;
    let emails = r.body["data"]
        .as_array()
        .map(|c| c.iter().map(|c| c["email"].clone()).collect::<Vec<_>>());
    assert!(
        emails
            .unwrap_or_default()
            .contains(&json!("new@example.com")),
        "{:?}",
        r.body
    );
    // Tokens are signed by the server that issued them: here a new one is minted.
    let path = format!("/_dev/stores/{hash}/tokens");
    let r = dev(
        &local,
        Method::POST,
        &path,
        Some(DEV_TOKEN),
        Some(json!({ "kind": "private" })),
    )
    .await;
    let token = r.body["data"]["token"].as_str().expect("token").to_string();
    let login = json!({ "query": LOGIN,
        "variables": { "email": "new@example.com", "password": "s3cret-pass" } });
    let r = gql_on(&local, &store, &token, login, &[]).await;
    assert_eq!(r.body["data"]["login"]["result"], "success", "{:?}", r.body);
    // The import is the store's seed there: a reset returns to it.
    assert_eq!(reset(&local, hash).await.status, 204);
    assert_eq!(export(&local, hash).await, state);
    // Importing again over the store replaces it with the state again.
    assert_eq!(import(&local, &state).await.status, 201);
    assert_eq!(export(&local, hash).await, state);
}

#[tokio::test]
async fn a_bad_state_is_refused_and_changes_nothing() {
    let app = dev_app().await;
    let (store, victim) = tokio::join!(new_store(&app), new_store(&app));
    let hash = store["store_hash"].as_str().expect("hash");
    let victim_hash = victim["store_hash"].as_str().expect("hash");
    let good = export(&app, hash).await;
    let victim_before = export(&app, victim_hash).await;

    // Rows that claim another store's id: an import must not write into another store.
    let mut reaching = good.clone();
    let victim_id = victim["store_id"].clone();
    for t in reaching["tables"].as_array_mut().expect("tables") {
        if t["table"] == "customers" {
            let at = t["columns"]
                .as_array()
                .expect("columns")
                .iter()
                .position(|c| c == "store_id");
            t["rows"][0][at.expect("store_id")] = victim_id.clone();
        }
    }
    let r = import(&app, &reaching).await;
    assert_eq!(r.status, 422, "{:?}", r.body);
    assert!(
        r.body["errors"]["state:invalid"]
            .as_str()
            .unwrap_or("")
            .contains("does not belong"),
        "{:?}",
        r.body
    );
    let mut other_version = good.clone();
    other_version["format"] = json!(99);
    let r = import(&app, &other_version).await;
    assert_eq!(r.status, 422, "{:?}", r.body);
    assert!(r.body["errors"]["state:invalid"]
        .as_str()
        .unwrap_or("")
        .contains("format 99"));
    for (body, status) in [(json!({ "format": 1 }), 400), (json!([1, 2]), 400)] {
        let r = import(&app, &body).await;
        assert_eq!(r.status, status, "{body}: {:?}", r.body);
        assert!(r.body["title"]
            .as_str()
            .unwrap_or("")
            .contains("not an exported store state"));
    }
    let r = Resp::from(
        app.client
            .post(app.url("/_dev/stores/import"))
            .header("X-Dev-Token", DEV_TOKEN)
            .header("Content-Type", "text/plain")
            .body(serde_json::to_vec(&good).expect("json"))
            .send()
            .await
            .expect("send"),
    )
    .await;
    assert_eq!(r.status, 415);
    let huge = vec![b' '; 65 * 1024 * 1024];
    let r = Resp::from(
        app.client
            .post(app.url("/_dev/stores/import"))
            .header("X-Dev-Token", DEV_TOKEN)
            .header("Content-Type", "application/json")
            .body(huge)
            .send()
            .await
            .expect("send"),
    )
    .await;
    assert_eq!(r.status, 413);
    assert_eq!(export(&app, hash).await, good);
    assert_eq!(export(&app, victim_hash).await, victim_before);

    // Unknown stores, and no credential.
    for (method, path) in [
        (Method::GET, "/_dev/stores/nosuch/export"),
        (Method::POST, "/_dev/stores/nosuch/reset"),
        (Method::PUT, "/_dev/stores/nosuch/seed-state"),
    ] {
        let r = dev(&app, method.clone(), path, Some(DEV_TOKEN), None).await;
        assert_eq!(r.status, 404, "{path}");
        let r = dev(&app, method, path, None, None).await;
        assert_eq!(r.status, 401, "{path}");
    }
    let r = dev(&app, Method::POST, "/_dev/stores/import", None, Some(good)).await;
    assert_eq!(r.status, 401);
}
