//! Authentication and revocation (issue 15, classes 8–16): no token outlives its revocation or
//! its key, throttles and the one-device rule hold under concurrency, and no header trick
//! changes what a request is.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::{json, Value};

use super::{concurrently, first_error};
use crate::helpers::{decode, message, TestApp, JANE, LOGIN, NOW, PASSWORD};

const CHANNEL: &str = "{ channel { entityId } }";
const SITE: &str = "http://localhost:4000";
const STRICT: (&str, &str) = ("X-Bc-Error-On-Invalid-Customer-Access-Token", "true");

/// Class 8: the other encoding of a token's signature (`s` → `n − s`) is refused, so a
/// revocation cannot be dodged by presenting it.
#[tokio::test]
async fn c08_the_other_signature_encoding_is_refused_and_revocation_holds() {
    let app = TestApp::spawn().await;
    let token = app.private_token(&["Unauthenticated"]).await;
    let (head_and_payload, sig) = token.rsplit_once('.').expect("jwt");
    let mut raw = URL_SAFE_NO_PAD.decode(sig).expect("b64");
    storefront_auth_core::ecdsa::flip_s(&mut raw);
    let twin = format!("{head_and_payload}.{}", URL_SAFE_NO_PAD.encode(&raw));
    assert_ne!(twin, token);
    assert_eq!(app.gql(Some(&token), CHANNEL, &[]).await.status, 200);
    let r = app.gql(Some(&twin), CHANNEL, &[]).await;
    assert_eq!(
        (r.status, message(&r).as_str()),
        (401, "GraphQL invalid credentials. JWT signature is invalid")
    );
    assert_eq!(app.revoke(&token).await.status, 200);
    for t in [&token, &twin] {
        assert_eq!(app.gql(Some(t), CHANNEL, &[]).await.status, 401);
    }
}

/// Class 9: retiring a key stops the tokens it signed on the instance that has them cached.
#[tokio::test]
async fn c09_a_retired_key_takes_its_cached_tokens_with_it() {
    let app = TestApp::spawn().await;
    let token = app.private_token(&["Unauthenticated"]).await;
    let old_kid = decode(&token).0["kid"].as_str().expect("kid").to_string();
    for _ in 0..2 {
        assert_eq!(app.gql(Some(&token), CHANNEL, &[]).await.status, 200);
    }
    assert!(app.cli(&["keys", "rotate"]).status.success());
    let retired = app.cli(&["keys", "retire", &old_kid]);
    assert!(retired.status.success(), "{retired:?}");
    let started = std::time::Instant::now();
    loop {
        let r = app.gql(Some(&token), CHANNEL, &[]).await;
        if r.status == 401 {
            assert_eq!(
                message(&r),
                "GraphQL invalid credentials. JWT signature is invalid"
            );
            break;
        }
        assert!(
            started.elapsed() < std::time::Duration::from_millis(1_200),
            "a token of a retired key still answered {}",
            r.status
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

/// Class 10: 300 concurrent guesses get no more password checks than the throttle allows, and
/// the right password among them does not sign in.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn c10_the_login_throttle_holds_under_a_concurrent_burst() {
    let app = TestApp::spawn().await;
    let token = app.private_token(&["Unauthenticated", "Customer"]).await;
    let (client, url) = (app.client.clone(), app.url("/graphql"));
    let outcomes = concurrently((0..300).collect(), 100, move |i: usize| {
        let (client, url, token) = (client.clone(), url.clone(), token.clone());
        async move {
            let password = if i == 60 {
                PASSWORD.to_string()
            } else {
                format!("guess-{i}")
            };
            let r: Value = client
                .post(url)
                .bearer_auth(token)
                .json(&json!({ "query": LOGIN, "variables": { "email": JANE, "password": password } }))
                .send()
                .await
                .expect("send")
                .json()
                .await
                .expect("json");
            r
        }
    })
    .await;
    let checked = outcomes
        .iter()
        .filter(|r| first_error(r) == "Invalid credentials")
        .count();
    let throttled = outcomes
        .iter()
        .filter(|r| first_error(r).starts_with("Too many failed login attempts"))
        .count();
    let signed_in = outcomes
        .iter()
        .filter(|r| !r["data"]["login"].is_null())
        .count();
    assert!(checked <= 10, "{checked} passwords were checked");
    assert_eq!(checked + throttled + signed_in, 300);
    assert!(signed_in <= 1);
    if signed_in == 0 {
        assert!(throttled >= 290);
    }
}

/// Class 11: a customer access token presented as the `SHOP_TOKEN` cookie signs nobody in, on
/// GraphQL, the pages or the Current Customer API.
#[tokio::test]
async fn c11_a_customer_access_token_is_not_a_session_cookie() {
    let app = TestApp::spawn().await;
    let private = app.private_token(&["Unauthenticated", "Customer"]).await;
    let cat = app.login_cat(&private, JANE).await;
    let me = app
        .gql(
            Some(&private),
            "{ customer { email } }",
            &[("X-Bc-Customer-Access-Token", &cat)],
        )
        .await;
    assert_eq!(me.body["data"]["customer"]["email"], JANE);
    let storefront = app.storefront_token(&[SITE]).await;
    let cookie = format!("SHOP_TOKEN={cat}");
    let r = app
        .gql(
            Some(&storefront),
            "{ customer { email } }",
            &[("Origin", SITE), ("Cookie", &cookie)],
        )
        .await;
    assert_eq!(r.body["data"]["customer"], Value::Null, "{:?}", r.body);
    let (status, headers, _) = app.page("/account.php", Some(&cookie)).await;
    assert_eq!(status, 302);
    assert_eq!(headers["location"], "/login.php");
    let r = app
        .client
        .get(app.url(&format!(
            "/customer/current.jwt?app_client_id={}",
            app.creds.client_id
        )))
        .header("Cookie", &cookie)
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 404);
}

/// Class 12: a Customer Login JWT whose `iat` is chosen to overflow the window check is
/// refused, on the Customer Login API and on GraphQL.
#[tokio::test]
async fn c12_an_overflowing_login_jwt_iat_is_refused() {
    let app = TestApp::spawn().await;
    for iat in [i64::MIN + NOW, i64::MIN, i64::MAX, NOW - 31] {
        let jwt = app.login_jwt(json!({ "iat": iat }));
        let r = app
            .client
            .get(app.url(&format!("/login/token/{jwt}")))
            .send()
            .await
            .expect("send");
        assert_eq!(r.status(), 302, "iat {iat}");
        assert_eq!(r.headers()["location"], "/login.php?error=invalid_login");
        assert!(r.headers().get("set-cookie").is_none(), "iat {iat}");
        let token = app.private_token(&["Customer"]).await;
        let q = "mutation($j: String!) { loginWithCustomerLoginJwt(jwt: $j) { redirectTo } }";
        let r = app
            .gql_body(
                Some(&token),
                json!({ "query": q, "variables": { "j": jwt } }),
                &[],
            )
            .await;
        assert_eq!(
            first_error(&r.body),
            "Invalid customer login JWT",
            "iat {iat}"
        );
    }
}

/// Class 13: a field selected through an interface fragment needs what the object it lands on
/// needs: a Customer-only token cannot read `Product.id` through `... on Node`.
#[tokio::test]
async fn c13_interface_fragments_cannot_hide_a_field() {
    let app = TestApp::spawn().await;
    let both = app.private_token(&["Unauthenticated", "Customer"]).await;
    let cat = app.login_cat(&both, JANE).await;
    let headers = [("X-Bc-Customer-Access-Token", cat.as_str())];
    let create = "mutation { wishlist { createWishlist(input: { name: \"W\", isPublic: false, items: [{ productEntityId: 1 }] }) { result { entityId } } } }";
    assert!(app.gql(Some(&both), create, &headers).await.body["errors"].is_null());
    let customer_only = app.private_token(&["Customer"]).await;
    let inline = "{ customer { wishlists { edges { node { items { edges { node { entityId product { ... on Node { id } } } } } } } } } }";
    let named = "{ customer { wishlists { edges { node { items { edges { node { entityId product { ...N } } } } } } } } } fragment N on Node { id }";
    for q in [inline, named] {
        let r = app.gql(Some(&customer_only), q, &headers).await;
        let item = &r.body["data"]["customer"]["wishlists"]["edges"][0]["node"]["items"]["edges"]
            [0]["node"];
        assert!(item["entityId"].is_i64(), "{:?}", r.body);
        assert_eq!(item["product"], Value::Null, "{:?}", r.body);
        assert_eq!(
            r.body["errors"][0]["extensions"]["code"],
            "INSUFFICIENT_ACCESS_SCOPE"
        );
        assert_eq!(
            r.body["errors"][0]["extensions"]["requiredScopes"],
            json!(["Unauthenticated"])
        );
        let path = r.body["errors"][0]["path"].as_array().expect("path");
        assert_eq!(path.last(), Some(&json!("id")), "{path:?}");
        // Explain agrees: the document needs Unauthenticated too.
        let explained = app
            .client
            .post(app.url("/graphql/explain"))
            .bearer_auth(&customer_only)
            .json(&json!({ "query": q }))
            .send()
            .await
            .expect("send")
            .json::<Value>()
            .await
            .expect("json");
        assert_eq!(
            explained["data"]["missingScopes"],
            json!(["Unauthenticated"])
        );
    }
}

/// Class 14: an `Origin` that is not readable text still makes the request a browser's.
#[tokio::test]
async fn c14_an_unreadable_origin_is_still_a_browser() {
    let app = TestApp::spawn().await;
    let origin =
        reqwest::header::HeaderValue::from_bytes(b"https://\xc3\xa9.example").expect("obs-text");
    let send = |token: String, path: &'static str| {
        let (client, url, origin) = (app.client.clone(), app.url(path), origin.clone());
        async move {
            let r = client
                .post(url)
                .bearer_auth(token)
                .header("Origin", origin)
                .json(&json!({ "query": CHANNEL }))
                .send()
                .await
                .expect("send");
            let status = r.status().as_u16();
            (status, r.json::<Value>().await.unwrap_or(Value::Null))
        }
    };
    let private = app.private_token(&["Unauthenticated"]).await;
    let (status, body) = send(private, "/graphql").await;
    assert_eq!(status, 403);
    assert!(
        first_error(&body).contains("using a private token"),
        "{body}"
    );
    let storefront = app.storefront_token(&[SITE]).await;
    let (status, body) = send(storefront, "/graphql").await;
    assert_eq!(status, 403);
    assert!(
        first_error(&body).starts_with("'Origin' header invalid"),
        "{body}"
    );
    let (status, _) = send(String::new(), "/api/storefront/carts").await;
    assert_eq!(
        status, 403,
        "the REST Storefront API treats it as another origin"
    );
}

/// Class 15: a server that adds `Sec-Fetch-Site` or a session cookie, and no `Origin`, is not
/// a browser the cut-off lets through.
#[tokio::test]
async fn c15_pretending_to_be_a_browser_does_not_dodge_the_cutoff() {
    let app = TestApp::spawn().await;
    let storefront = app.storefront_token(&[SITE]).await;
    let r = app.gql(Some(&storefront), CHANNEL, &[]).await;
    assert_eq!(r.status, 403);
    assert!(
        message(&r).contains("created after 2026-06-30"),
        "{:?}",
        r.body
    );
    for disguise in [
        ("Sec-Fetch-Site", "same-origin"),
        ("Sec-Fetch-Dest", "empty"),
        ("Cookie", "SHOP_TOKEN=0123"),
    ] {
        let r = app.gql(Some(&storefront), CHANNEL, &[disguise]).await;
        assert_eq!(r.status, 403, "{disguise:?}");
        assert!(
            message(&r).starts_with("'Origin' header invalid"),
            "{disguise:?}: {:?}",
            r.body
        );
    }
    let r = app
        .gql(
            Some(&storefront),
            CHANNEL,
            &[("Origin", SITE), ("Sec-Fetch-Site", "same-origin")],
        )
        .await;
    assert_eq!(r.status, 200, "a real browser on the storefront's origin");
}

/// Class 16: concurrent sign-ins of one customer leave exactly one signed in.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn c16_one_device_holds_under_concurrent_logins() {
    let app = TestApp::spawn().await;
    let token = app.private_token(&["Unauthenticated", "Customer"]).await;
    let (client, url) = (app.client.clone(), app.url("/graphql"));
    let cats = {
        let token = token.clone();
        // Eight at once: within the failed-login throttle's ten attempts in flight.
        concurrently((0..8).collect(), 8, move |_: usize| {
            let (client, url, token) = (client.clone(), url.clone(), token.clone());
            async move {
                let r: Value = client
                    .post(url)
                    .bearer_auth(token)
                    .json(&json!({ "query": LOGIN, "variables": { "email": JANE, "password": PASSWORD } }))
                    .send()
                    .await
                    .expect("send")
                    .json()
                    .await
                    .expect("json");
                r["data"]["login"]["customerAccessToken"]["value"]
                    .as_str()
                    .map(String::from)
            }
        })
        .await
    };
    let cats: Vec<String> = cats.into_iter().flatten().collect();
    assert_eq!(cats.len(), 8, "every sign-in succeeded in turn");
    let mut live = 0;
    for cat in &cats {
        let r = app
            .gql(
                Some(&token),
                "{ customer { email } }",
                &[("X-Bc-Customer-Access-Token", cat), STRICT],
            )
            .await;
        if r.body["data"]["customer"]["email"] == JANE {
            live += 1;
        }
    }
    assert_eq!(live, 1, "exactly one device stays signed in");
}
