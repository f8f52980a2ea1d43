//! SPEC §5.1–§5.3 over HTTP: every 401 and 403 message, the deprecation dates on both sides,
//! CORS, revocation on the very next request, host routing.

use base64::Engine;
use serde_json::json;

use crate::helpers::{message, TestApp, NOW};

const CHANNEL_QUERY: &str = "{ channel { entityId } }";

fn b64(s: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s)
}

#[tokio::test]
async fn every_401_message() {
    let app = TestApp::spawn().await;
    let good = app.private_token(&["Unauthenticated"]).await;
    let [h, p, s]: [&str; 3] = good
        .split('.')
        .collect::<Vec<_>>()
        .try_into()
        .expect("3 parts");

    // A token signed by this server for another store (sid mismatch).
    let out = app.cli(&["stores", "create", "--hash", "other", "--name", "Other"]);
    assert!(out.status.success());
    let out = app.cli(&[
        "tokens",
        "create",
        "--store",
        "other",
        "--kind",
        "private",
        "--scope",
        "Unauthenticated",
    ]);
    let foreign = String::from_utf8_lossy(&out.stdout).trim().to_string();
    let channel2 = app
        .token_with(
            "api-token-private",
            json!({ "channel_id": 2, "expires_at": 2_147_483_647, "scopes": ["Unauthenticated"] }),
        )
        .await;
    let revoked = app.private_token(&["Unauthenticated"]).await;
    assert_eq!(app.revoke(&revoked).await.status, 200);
    let expiring = app
        .token_with(
            "api-token-private",
            json!({ "channel_id": 1, "expires_at": NOW + 60, "scopes": ["Unauthenticated"] }),
        )
        .await;

    let cases: Vec<(Option<String>, &str)> = vec![
        (None, "GraphQL credentials were missing. No token was sent."),
        (
            Some("abc".into()),
            "GraphQL invalid credentials. String is not a JWT",
        ),
        (
            Some(format!("{h}.{p}")),
            "GraphQL invalid credentials. String is not a JWT",
        ),
        (
            Some(format!("{h}.{}.{s}", b64("not json"))),
            "GraphQL invalid credentials. JWT has no valid Json",
        ),
        (
            Some("!!!!.@@@@.####".into()),
            "GraphQL invalid credentials. JWT has no valid Json",
        ),
        (
            Some(format!("{h}.{p}.")),
            "GraphQL invalid credentials. JWT signature is invalid",
        ),
        (
            Some(format!("{}.{p}.", b64(r#"{"alg":"none"}"#))),
            "GraphQL invalid credentials. JWT signature is invalid",
        ),
        (
            Some(format!("{h}.{}.{s}", b64(r#"{"hello":1}"#))),
            "GraphQL invalid credentials. JWT has Json of an unknown format",
        ),
        (
            Some(format!("{}.{p}.{s}", b64(r#"{"typ":"JWT","alg":"none"}"#))),
            "GraphQL invalid credentials. JWT signature is invalid",
        ),
        (
            Some(format!("{h}.{p}.{}", b64("x".repeat(64).as_str()))),
            "GraphQL invalid credentials. JWT signature is invalid",
        ),
        (Some(revoked), "Unknown JWT token"),
        (
            Some(foreign),
            "GraphQL invalid credentials. JWT store id doesn't match store id of the URL",
        ),
        (
            Some(channel2),
            "GraphQL invalid credentials. JWT channel id doesn't match channel id of the URL",
        ),
    ];
    for (token, want) in cases {
        let r = app.gql(token.as_deref(), CHANNEL_QUERY, &[]).await;
        assert_eq!(r.status, 401, "{token:?}: {:?}", r.body);
        assert_eq!(
            r.body,
            json!({ "errors": [{ "message": want }] }),
            "{token:?}"
        );
    }
    assert_eq!(
        app.gql(Some(&expiring), CHANNEL_QUERY, &[]).await.status,
        200
    );
    app.set_now(NOW + 61);
    let r = app.gql(Some(&expiring), CHANNEL_QUERY, &[]).await;
    assert_eq!(
        (r.status, message(&r)),
        (
            401,
            "GraphQL invalid credentials. JWT is expired".to_string()
        )
    );
}

#[tokio::test]
async fn browser_rules_per_token_kind() {
    let app = TestApp::spawn().await;
    let storefront = app.storefront_token(&["https://shop.example"]).await;
    let private = app.private_token(&["Unauthenticated"]).await;
    let cit = app.impersonation_token().await;

    let ok = app
        .gql(
            Some(&storefront),
            CHANNEL_QUERY,
            &[("Origin", "https://shop.example")],
        )
        .await;
    assert_eq!(
        (ok.status, ok.body.clone()),
        (200, json!({ "data": { "channel": { "entityId": 1 } } }))
    );
    assert_eq!(
        ok.header("access-control-allow-origin"),
        Some("https://shop.example")
    );
    assert_eq!(ok.header("access-control-allow-credentials"), Some("true"));
    // The channel's own origin is always allowed.
    let own = app
        .gql(
            Some(&storefront),
            CHANNEL_QUERY,
            &[("Origin", "http://localhost:4000")],
        )
        .await;
    assert_eq!(own.status, 200);

    let origin_msg = "'Origin' header invalid: The 'Origin' request header value did not match the allowed origin set in the JWT auth token. Please generate a token that is valid for this origin.";
    let bad = app
        .gql(
            Some(&storefront),
            CHANNEL_QUERY,
            &[("Origin", "https://evil.example")],
        )
        .await;
    assert_eq!((bad.status, message(&bad)), (403, origin_msg.to_string()));
    assert!(
        bad.header("access-control-allow-origin").is_none(),
        "no CORS headers for refused origins"
    );

    let private_msg = "Request not allowed: Detected that request originated from a browser script and is using a private token. Private tokens are not allowed with frontend requests.";
    let cit_msg = "Request not allowed: Detected that request originated from a browser script and is using a customer impersonation jwt token. Customer impersonation tokens are not allowed with frontend requests.";
    for signals in [
        &[("Origin", "http://localhost:4000")][..],
        &[
            ("Sec-Fetch-Site", "same-origin"),
            ("Sec-Fetch-Mode", "cors"),
        ][..],
        &[("Sec-Fetch-Dest", "empty")][..],
        &[("Cookie", "SHOP_TOKEN=abc")][..],
    ] {
        let r = app.gql(Some(&private), CHANNEL_QUERY, signals).await;
        assert_eq!(
            (r.status, message(&r)),
            (403, private_msg.to_string()),
            "{signals:?}"
        );
        let r = app.gql(Some(&cit), CHANNEL_QUERY, signals).await;
        assert_eq!(
            (r.status, message(&r)),
            (403, cit_msg.to_string()),
            "{signals:?}"
        );
    }
    // Server-to-server, both are fine; so is `Sec-Fetch-Mode` alone, which Node's fetch (and
    // so the Catalyst client) sends on every request.
    assert_eq!(
        app.gql(Some(&private), CHANNEL_QUERY, &[]).await.status,
        200
    );
    let node_fetch = [("Sec-Fetch-Mode", "cors")];
    assert_eq!(
        app.gql(Some(&private), CHANNEL_QUERY, &node_fetch)
            .await
            .status,
        200
    );
    assert_eq!(app.gql(Some(&cit), CHANNEL_QUERY, &[]).await.status, 200);
}

/// SPEC §5.1: the operator sets the store's trusted-proxy secret (CLI); a request carrying it
/// is server-to-server whatever else it carries, and its `True-Client-IP` is the client's
/// address (what `request_ip` of a Customer Login JWT is compared with).
#[tokio::test]
async fn trusted_proxy_makes_browser_signals_server_to_server() {
    let app = TestApp::spawn().await;
    let out = app.cli(&[
        "stores",
        "update",
        "--store",
        "demo",
        "--trusted-proxy-secret",
        "short",
    ]);
    assert!(!out.status.success(), "a short secret is refused");
    let secret = "proxy-secret-0123456789";
    let out = app.cli(&[
        "stores",
        "update",
        "--store",
        "demo",
        "--trusted-proxy-secret",
        secret,
    ]);
    assert!(out.status.success(), "{out:?}");
    tokio::time::sleep(std::time::Duration::from_millis(1_200)).await; // directory refresh
    let private = app.private_token(&["Unauthenticated", "Customer"]).await;
    let r = app
        .gql(
            Some(&private),
            CHANNEL_QUERY,
            &[
                ("Origin", "https://shop.example"),
                ("X-BC-Trusted-Proxy-Secret", secret),
            ],
        )
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let r = app
        .gql(
            Some(&private),
            CHANNEL_QUERY,
            &[
                ("Origin", "https://shop.example"),
                ("X-BC-Trusted-Proxy-Secret", "wrong-secret-0123456789"),
            ],
        )
        .await;
    assert_eq!(r.status, 403);
    // True-Client-IP counts only behind the proxy: a login JWT bound to 203.0.113.7 signs
    // in when the proxy vouches for that address, and not when a client merely claims it.
    let q = "mutation($j: String!) { loginWithCustomerLoginJwt(jwt: $j) { redirectTo } }";
    let login = |headers: &'static [(&'static str, &'static str)]| {
        let jwt = app.login_jwt(serde_json::json!({ "request_ip": "203.0.113.7" }));
        let (app, private) = (&app, private.clone());
        async move {
            app.gql_body(
                Some(&private),
                serde_json::json!({ "query": q, "variables": { "j": jwt } }),
                headers,
            )
            .await
        }
    };
    let claimed = login(&[("True-Client-IP", "203.0.113.7")]).await;
    assert_eq!(
        message(&claimed),
        "Invalid customer login JWT",
        "{:?}",
        claimed.body
    );
    let vouched = login(&[
        ("True-Client-IP", "203.0.113.7"),
        ("X-BC-Trusted-Proxy-Secret", "proxy-secret-0123456789"),
    ])
    .await;
    assert_eq!(
        vouched.body["data"]["loginWithCustomerLoginJwt"]["redirectTo"], "/account.php",
        "{:?}",
        vouched.body
    );
    // Cleared: the secret vouches for nothing any more.
    assert!(app
        .cli(&[
            "stores",
            "update",
            "--store",
            "demo",
            "--clear-trusted-proxy-secret"
        ])
        .status
        .success());
    tokio::time::sleep(std::time::Duration::from_millis(1_200)).await;
    let r = app
        .gql(
            Some(&private),
            CHANNEL_QUERY,
            &[
                ("Origin", "https://shop.example"),
                ("X-BC-Trusted-Proxy-Secret", secret),
            ],
        )
        .await;
    assert_eq!(r.status, 403);
}

/// SPEC §5.3: the two dates, the second before, at and after each, on both sides.
#[tokio::test]
async fn storefront_tokens_server_to_server_by_date() {
    let app = TestApp::spawn().await;
    let cutoff = 1_782_863_999; // 2026-06-30T23:59:59Z
    let end = 1_806_537_599; // 2027-03-31T23:59:59Z
    let issue_at = |t: i64| {
        app.set_now(t);
        async { app.storefront_token(&[]).await }
    };
    let before = issue_at(cutoff - 1).await;
    let at = issue_at(cutoff).await;
    let after = issue_at(cutoff + 1).await;
    let created_after = "Request not allowed: storefront tokens created after 2026-06-30 cannot be used for server-to-server requests. Use a private token.";
    let ended = "Request not allowed: storefront tokens can no longer be used for server-to-server requests. Use a private token.";
    for (now, token, want) in [
        (NOW, &before, None),
        (NOW, &at, None),
        (NOW, &after, Some(created_after)),
        (end - 1, &at, None),
        (end, &at, None),
        (end + 1, &at, Some(ended)),
        (end + 1, &after, Some(ended)),
    ] {
        app.set_now(now);
        let r = app.gql(Some(token), CHANNEL_QUERY, &[]).await;
        match want {
            None => {
                assert_eq!(r.status, 200, "now={now}: {:?}", r.body);
                assert_eq!(r.header("deprecation"), Some("@1782864000"));
                assert_eq!(r.header("sunset"), Some("Wed, 31 Mar 2027 23:59:59 GMT"));
            }
            Some(m) => {
                assert_eq!((r.status, message(&r)), (403, m.to_string()), "now={now}");
            }
        }
        // Browser use does not depend on the dates.
        let b = app
            .gql(
                Some(token),
                CHANNEL_QUERY,
                &[("Origin", "http://localhost:4000")],
            )
            .await;
        assert_eq!(b.status, 200);
        assert!(b.header("deprecation").is_none());
    }
}

#[tokio::test]
async fn configured_deprecation_dates_move_the_cutoff() {
    let app = TestApp::spawn_with(|c| {
        c.deprecation.last_s2s_issue = "2027-01-31T23:59:59Z".into();
        c.deprecation.last_s2s_use = "2027-12-31T23:59:59Z".into();
    })
    .await;
    let token = app.storefront_token(&[]).await;
    let r = app.gql(Some(&token), CHANNEL_QUERY, &[]).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("sunset"), Some("Fri, 31 Dec 2027 23:59:59 GMT"));
    app.set_now(1_801_439_999 + 1); // 2027-02-01
    let late = app.storefront_token(&[]).await;
    let r = app.gql(Some(&late), CHANNEL_QUERY, &[]).await;
    assert_eq!(message(&r), "Request not allowed: storefront tokens created after 2027-01-31 cannot be used for server-to-server requests. Use a private token.");
}

#[tokio::test]
async fn cors_preflight() {
    let app = TestApp::spawn().await;
    app.storefront_token(&["https://shop.example"]).await;
    let preflight = |origin: &'static str| {
        app.client
            .request(reqwest::Method::OPTIONS, app.url("/graphql"))
            .header("Origin", origin)
            .header("Access-Control-Request-Method", "POST")
            .header(
                "Access-Control-Request-Headers",
                "authorization, content-type",
            )
            .send()
    };
    for origin in ["https://shop.example", "http://localhost:4000"] {
        let r = preflight(origin).await.expect("send");
        assert_eq!(r.status(), 204);
        assert_eq!(r.headers()["access-control-allow-origin"], origin);
        assert_eq!(r.headers()["access-control-allow-credentials"], "true");
        assert!(r.headers()["access-control-allow-headers"]
            .to_str()
            .expect("h")
            .contains("Authorization"));
    }
    let refused = preflight("https://evil.example").await.expect("send");
    assert!(refused
        .headers()
        .get("access-control-allow-origin")
        .is_none());
    // A revoked token no longer opens its origin.
    let app2 = TestApp::spawn().await;
    let t = app2.storefront_token(&["https://gone.example"]).await;
    app2.revoke(&t).await;
    let r = app2
        .client
        .request(reqwest::Method::OPTIONS, app2.url("/graphql"))
        .header("Origin", "https://gone.example")
        .send()
        .await
        .expect("send");
    assert!(r.headers().get("access-control-allow-origin").is_none());
}

#[tokio::test]
async fn revoked_token_is_refused_on_the_very_next_request() {
    let app = TestApp::spawn().await;
    let token = app.private_token(&["Unauthenticated"]).await;
    for _ in 0..3 {
        assert_eq!(app.gql(Some(&token), CHANNEL_QUERY, &[]).await.status, 200);
    }
    assert_eq!(app.revoke(&token).await.status, 200);
    let r = app.gql(Some(&token), CHANNEL_QUERY, &[]).await;
    assert_eq!(
        (r.status, message(&r)),
        (401, "Unknown JWT token".to_string())
    );
}

#[tokio::test]
async fn revocation_by_another_process_reaches_the_cache_within_a_second() {
    let app = TestApp::spawn().await;
    let token = app.private_token(&["Unauthenticated"]).await;
    assert_eq!(app.gql(Some(&token), CHANNEL_QUERY, &[]).await.status, 200);
    let jti = crate::helpers::decode(&token).1["jti"]
        .as_str()
        .expect("jti")
        .to_string();
    let out = app.cli(&["tokens", "revoke", "--store", "demo", &jti]);
    assert!(out.status.success());
    let started = std::time::Instant::now();
    loop {
        if app.gql(Some(&token), CHANNEL_QUERY, &[]).await.status == 401 {
            break;
        }
        // SPEC §9: within one second of the revocation's acknowledgement.
        assert!(
            started.elapsed() < std::time::Duration::from_millis(1_000),
            "still accepted"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn hosts_route_to_stores_and_channels() {
    let app = TestApp::spawn().await;
    let token = app.token_with("api-token-private", json!({ "channel_ids": [], "expires_at": 2_147_483_647, "scopes": ["Unauthenticated"] })).await;
    for (host, channel) in [
        ("store-demo.localhost", 1),
        ("store-demo-2.localhost:4000", 2),
        ("127.0.0.1", 1),
        ("anything.example", 1),
    ] {
        let r = app
            .gql(
                Some(&token),
                "{ channel { entityId } site { settings { storeHash channelId } } }",
                &[("Host", host)],
            )
            .await;
        assert_eq!(r.status, 200, "{host}: {:?}", r.body);
        assert_eq!(r.body["data"]["channel"]["entityId"], channel, "{host}");
        assert_eq!(r.body["data"]["site"]["settings"]["storeHash"], "demo");
    }
    let r = app
        .gql(
            Some(&token),
            CHANNEL_QUERY,
            &[("Host", "store-nosuch.localhost")],
        )
        .await;
    assert_eq!(r.status, 404);
    let r = app
        .gql(
            Some(&token),
            CHANNEL_QUERY,
            &[("Host", "store-demo-9.localhost")],
        )
        .await;
    assert_eq!(r.status, 404);
    // Catalyst's query string is ignored.
    let r = crate::helpers::Resp::from(
        app.client
            .post(app.url("/graphql?operation=Q&type=query"))
            .bearer_auth(&token)
            .json(&json!({ "query": "query Q { channel { entityId } }" }))
            .send()
            .await
            .expect("send"),
    )
    .await;
    assert_eq!(r.status, 200);
}
