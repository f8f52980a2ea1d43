//! Exhaustion by work (issue 15, classes 5–7): what a request costs matches the work it
//! asks for, origins are found by index whatever their number, and floods of registrations
//! are throttled.

use std::time::{Duration, Instant};

use serde_json::{json, Value};

use super::{concurrently, first_error};
use crate::helpers::{TestApp, JANE};

/// Class 5: `site.route` is an indexed look-up whatever the catalog's size, and a wishlist's
/// items come a page at a time, as the complexity score counts them.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn c05_costs_match_the_work() {
    let app = TestApp::spawn().await;
    let token = app.private_token(&["Unauthenticated", "Customer"]).await;
    let store = app.store().await;
    let store_id = app.creds.store_id;
    // More products than the catalog cache holds: look-ups go to the database's index.
    concurrently((0..10_001).collect(), 16, move |i: usize| {
        let store = store.clone();
        async move {
            let name = format!("Bulk Product {i}");
            let sku = format!("BULK-{i}");
            store
                .create_product(
                    storefront_auth_store::NewProduct {
                        store_id,
                        name: &name,
                        sku: &sku,
                        price_cents: 100,
                    },
                    0,
                )
                .await
                .expect("product");
        }
    })
    .await;
    // Those rows went in behind the server's back, and the server may still hold the catalog
    // the seed read (for up to a second). One more product through the API, as a merchant
    // adds one, makes it drop that: from here on look-ups go to the database's index.
    app.made_product("Bulk Product Last", "BULK-LAST", 1).await;
    let aliases: String = (0..100)
        .map(|k| {
            format!("r{k}: route(path: \"/bulk-product-{}/\") {{ node {{ ... on Product {{ name }} }} }} ", k * 97)
        })
        .collect();
    let started = Instant::now();
    let r = app
        .gql(Some(&token), &format!("{{ site {{ {aliases} }} }}"), &[])
        .await;
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(r.status, 200);
    assert_eq!(
        r.body["data"]["site"]["r99"]["node"]["name"],
        format!("Bulk Product {}", 99 * 97),
        "{:?}",
        r.body["errors"]
    );

    let cat = app.login_cat(&token, JANE).await;
    let items: Vec<Value> = (0..60).map(|_| json!({ "productEntityId": 1 })).collect();
    let r = app
        .gql_body(
            Some(&token),
            json!({ "query": "mutation($i: [WishlistItemInput!]) { wishlist { createWishlist(input: { name: \"Big\", isPublic: false, items: $i }) { result { entityId } } } }", "variables": { "i": items } }),
            &[("X-Bc-Customer-Access-Token", &cat)],
        )
        .await;
    assert!(r.body["errors"].is_null(), "{:?}", r.body);
    let page = |args: &str| {
        format!("{{ customer {{ wishlists {{ edges {{ node {{ items{args} {{ edges {{ node {{ entityId }} }} }} }} }} }} }} }}")
    };
    let count = |r: &crate::helpers::Resp| {
        r.body["data"]["customer"]["wishlists"]["edges"][0]["node"]["items"]["edges"]
            .as_array()
            .map(Vec::len)
    };
    let headers = [("X-Bc-Customer-Access-Token", cat.as_str())];
    let r = app.gql(Some(&token), &page(""), &headers).await;
    assert_eq!(count(&r), Some(10), "{:?}", r.body);
    let r = app.gql(Some(&token), &page("(first: 50)"), &headers).await;
    assert_eq!(count(&r), Some(50), "{:?}", r.body);
    // Objects: customer 1 + wishlists 1 + 10 × (edges, node, items) + 10 × 50 × (edges, node)
    assert_eq!(r.header("x-bc-graphql-complexity"), Some("1032"));
    let r = app.gql(Some(&token), &page("(first: 51)"), &headers).await;
    assert!(first_error(&r.body).contains("at most 50"), "{:?}", r.body);
    // A wishlist holds at most 500 items.
    let many: Vec<Value> = (0..501).map(|_| json!({ "productEntityId": 1 })).collect();
    let r = app
        .gql_body(
            Some(&token),
            json!({ "query": "mutation($i: [WishlistItemInput!]) { wishlist { createWishlist(input: { name: \"Huge\", isPublic: false, items: $i }) { result { entityId } } } }", "variables": { "i": many } }),
            &headers,
        )
        .await;
    assert_eq!(
        first_error(&r.body),
        "A wishlist holds at most 500 items.",
        "{:?}",
        r.body
    );
}

/// Class 6: a token-less request (or preflight) with an `Origin` is one exact, indexed look-up:
/// no pattern, no case folding, fast whatever the number of tokens.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn c06_allowed_origins_are_looked_up_exactly_by_index() {
    let app = TestApp::spawn().await;
    let store = app.store().await;
    let token = |i: usize, channel: i64| storefront_auth_store::IssuedToken {
        jti: format!("bulk-{i}"),
        store_id: app.creds.store_id,
        kind: "storefront".into(),
        channels: vec![channel],
        origins: vec![format!("https://shop{}.example", i % 1_000)],
        scopes: None,
        subject: "BC".into(),
        sub_type: 0,
        issued_at: 0,
        expires_at: 2_147_483_647,
        revoked_at: None,
        last_used_at: None,
        s2s_uses: 0,
        browser_uses: 0,
    };
    let bulk: Vec<_> = (0..50_000).map(|i| token(i, 2)).collect();
    for chunk in bulk.chunks(5_000) {
        store.insert_tokens(chunk).await.expect("tokens");
    }
    store
        .insert_tokens(&[token(50_000, 1)])
        .await
        .expect("channel 1 token");
    // shop0.example is allowed on channel 1 (by the last token); nothing else is.
    let refusal = |origin: &'static str| {
        let (client, url) = (app.client.clone(), app.url("/graphql"));
        async move {
            let r = client
                .post(url)
                .header("Origin", origin)
                .json(&json!({ "query": "{ __typename }" }))
                .send()
                .await
                .expect("send");
            (
                r.status().as_u16(),
                r.headers()
                    .get("access-control-allow-origin")
                    .map(|v| v.to_str().unwrap_or("").to_string()),
            )
        }
    };
    assert_eq!(
        refusal("https://shop0.example").await,
        (401, Some("https://shop0.example".to_string()))
    );
    for foreign in [
        "https://SHOP0.example",
        "https://shop0%example",
        "https://shop_.example",
        "https://%",
        "%",
        "https://shop1.example",
    ] {
        assert_eq!(refusal(foreign).await, (401, None), "{foreign}");
        let r = app
            .client
            .request(reqwest::Method::OPTIONS, app.url("/graphql"))
            .header("Origin", foreign)
            .header("Access-Control-Request-Method", "POST")
            .send()
            .await
            .expect("preflight");
        assert!(
            r.headers().get("access-control-allow-origin").is_none(),
            "{foreign}"
        );
    }
    let mut took = Vec::new();
    for _ in 0..100 {
        let started = Instant::now();
        refusal("https://shop0.example").await;
        took.push(started.elapsed());
    }
    took.sort();
    assert!(
        took[50] < Duration::from_millis(15),
        "median {:?}",
        took[50]
    );
}

/// Class 7: `registerCustomer` with the public token is throttled per client IP, even in a
/// concurrent burst; with `customers.conceal_registered_emails`, a taken email answers like a
/// new one and the account is left as it was.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn c07_registration_floods_are_throttled_and_emails_can_be_concealed() {
    let app = TestApp::spawn_with(|c| c.customers.max_registrations_per_ip = 10).await;
    let public = app.page_token().await;
    let (client, url) = (app.client.clone(), app.url("/graphql"));
    let register = move |email: String| {
        let (client, url, public) = (client.clone(), url.clone(), public.clone());
        async move {
            let q = "mutation($e: String!) { customer { registerCustomer(input: { firstName: \"A\", lastName: \"B\", email: $e, password: \"Password1!\" }) { customer { email } errors { ... on CustomerRegistrationError { message } ... on EmailAlreadyInUseError { message } } } } }";
            let r: Value = client
                .post(url)
                .bearer_auth(public)
                .header("Origin", "http://localhost:4000")
                .json(&json!({ "query": q, "variables": { "e": email } }))
                .send()
                .await
                .expect("send")
                .json()
                .await
                .expect("json");
            r["data"]["customer"]["registerCustomer"].clone()
        }
    };
    let outcomes = concurrently((0..40).collect(), 40, move |i: usize| {
        register(format!("flood{i}@example.com"))
    })
    .await;
    let created = outcomes.iter().filter(|o| !o["customer"].is_null()).count();
    let throttled = outcomes
        .iter()
        .filter(|o| {
            o["errors"][0]["message"]
                .as_str()
                .is_some_and(|m| m.starts_with("Too many registrations from this address"))
        })
        .count();
    assert_eq!((created, throttled), (10, 30), "{outcomes:?}");

    let concealing = TestApp::spawn_with(|c| c.customers.conceal_registered_emails = true).await;
    let token = concealing
        .private_token(&["Unauthenticated", "Customer"])
        .await;
    let q = "mutation($e: String!, $p: String!) { customer { registerCustomer(input: { firstName: \"A\", lastName: \"B\", email: $e, password: $p }) { customer { email } errors { ... on EmailAlreadyInUseError { message } } } } }";
    let taken = concealing
        .gql_body(
            Some(&token),
            json!({ "query": q, "variables": { "e": JANE, "p": "Another1!" } }),
            &[],
        )
        .await;
    let fresh = concealing
        .gql_body(
            Some(&token),
            json!({ "query": q, "variables": { "e": "new@example.com", "p": "Another1!" } }),
            &[],
        )
        .await;
    assert_eq!(taken.body, fresh.body, "the answers tell nothing apart");
    assert_eq!(
        taken.body["data"]["customer"]["registerCustomer"],
        json!({ "customer": null, "errors": [] })
    );
    // Jane's account is untouched: her password still signs her in.
    assert!(!concealing.login_cat(&token, JANE).await.is_empty());
}
