//! SPEC §6 and §7 over HTTP: the Customer Login API (every rule has a failing case) and the
//! Current Customer API.

use serde_json::{json, Value};

use crate::helpers::{Resp, TestApp, JANE, NOW};

const FAILURE: &str = "/login.php?error=invalid_login";

async fn visit(app: &TestApp, jwt: &str) -> Resp {
    Resp::from(
        app.client
            .get(app.url(&format!("/login/token/{jwt}")))
            .send()
            .await
            .expect("send"),
    )
    .await
}

#[tokio::test]
async fn a_valid_jwt_signs_in_with_a_cookie_and_redirects() {
    let app = TestApp::spawn().await;
    let r = visit(
        &app,
        &app.login_jwt(json!({ "redirect_to": "/cart.php", "impersonator_id": 9 })),
    )
    .await;
    assert_eq!(r.status, 302);
    assert_eq!(r.header("location"), Some("/cart.php"));
    let cookie = r.header("set-cookie").expect("cookie").to_string();
    assert!(
        cookie.starts_with("SHOP_TOKEN=") && cookie.contains("HttpOnly"),
        "{cookie}"
    );
    let pair = cookie.split(';').next().expect("pair").to_string();

    // The session shows the customer to the storefront's own page, and to apps.
    let sf = app.storefront_token(&[]).await;
    let me = app
        .gql(
            Some(&sf),
            "{ customer { email } }",
            &[("Origin", "http://localhost:4000"), ("Cookie", &pair)],
        )
        .await;
    assert_eq!(me.body["data"]["customer"]["email"], JANE);
    let jwt = app
        .client
        .get(app.url(&format!(
            "/customer/current.jwt?app_client_id={}",
            app.creds.client_id
        )))
        .header("Cookie", &pair)
        .send()
        .await
        .expect("send");
    assert_eq!(jwt.status(), 200);
    let jwt = jwt.text().await.expect("text");
    let claims = storefront_auth_core::hs256::verify(&jwt, app.creds.client_secret.as_bytes())
        .expect("verifies with the app's secret");
    assert_eq!(
        claims["customer"],
        json!({ "id": 1, "email": JANE, "group_id": "0" })
    );
    assert_eq!(claims["iss"], "bc/apps");
    assert_eq!(claims["sub"], "demo");
    assert_eq!(claims["aud"], app.creds.client_id.as_str());
    assert_eq!(claims["operation"], "current_customer");
    assert_eq!(claims["version"], 1);
    assert_eq!(claims["store_hash"], "demo");
    assert_eq!(
        claims["exp"].as_i64().expect("exp") - claims["iat"].as_i64().expect("iat"),
        900
    );

    let default = visit(&app, &app.login_jwt(json!({}))).await;
    assert_eq!(default.header("location"), Some("/account.php"));
    let absolute = visit(
        &app,
        &app.login_jwt(json!({ "redirect_to": "http://localhost:4000/checkout" })),
    )
    .await;
    assert_eq!(
        absolute.header("location"),
        Some("http://localhost:4000/checkout")
    );
}

#[tokio::test]
async fn every_rule_has_a_failing_case() {
    let app = TestApp::spawn().await;
    // Another store's account, with the login scope.
    assert!(app
        .cli(&["stores", "create", "--hash", "other", "--name", "Other"])
        .status
        .success());
    let out = app.cli(&[
        "accounts",
        "create",
        "--store",
        "other",
        "--scope",
        "store_v2_customers_login",
        "--json",
    ]);
    let other: Value = serde_json::from_slice(&out.stdout).expect("json");
    let foreign = storefront_auth_core::hs256::sign(
        &json!({ "iss": other["client_id"], "iat": NOW, "jti": "f", "operation": "customer_login", "store_hash": "demo", "customer_id": 1 }),
        other["client_secret"].as_str().expect("secret").as_bytes(),
    );
    // An account of this store without the login scope.
    let out = app.cli(&[
        "accounts",
        "create",
        "--store",
        "demo",
        "--scope",
        "store_v2_customers",
        "--json",
    ]);
    let unscoped: Value = serde_json::from_slice(&out.stdout).expect("json");
    let no_scope = storefront_auth_core::hs256::sign(
        &json!({ "iss": unscoped["client_id"], "iat": NOW, "jti": "n", "operation": "customer_login", "store_hash": "demo", "customer_id": 1 }),
        unscoped["client_secret"]
            .as_str()
            .expect("secret")
            .as_bytes(),
    );
    let wrong_secret = storefront_auth_core::hs256::sign(
        &json!({ "iss": app.creds.client_id, "iat": NOW, "jti": "w", "operation": "customer_login", "store_hash": "demo", "customer_id": 1 }),
        b"not-the-secret",
    );
    let none = {
        use base64::Engine;
        let e = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
        format!(
            "{}.{}.",
            e(r#"{"alg":"none","typ":"JWT"}"#),
            e(&format!(
                r#"{{"iss":"{}","iat":{NOW},"jti":"x","operation":"customer_login","store_hash":"demo","customer_id":1}}"#,
                app.creds.client_id
            ))
        )
    };
    let cases = [
        ("iat too old", app.login_jwt(json!({ "iat": NOW - 31 }))),
        (
            "iat in the future",
            app.login_jwt(json!({ "iat": NOW + 31 })),
        ),
        ("expired exp", app.login_jwt(json!({ "exp": NOW - 1 }))),
        ("wrong secret", wrong_secret),
        ("alg none", none),
        (
            "wrong operation",
            app.login_jwt(json!({ "operation": "customer_logout" })),
        ),
        (
            "store_hash of another store",
            app.login_jwt(json!({ "store_hash": "other" })),
        ),
        ("issuer of another store", foreign),
        ("issuer without the login scope", no_scope),
        (
            "unknown customer",
            app.login_jwt(json!({ "customer_id": 999 })),
        ),
        ("unknown channel", app.login_jwt(json!({ "channel_id": 9 }))),
        (
            "request_ip mismatch",
            app.login_jwt(json!({ "request_ip": "203.0.113.9" })),
        ),
        (
            "off-site redirect",
            app.login_jwt(json!({ "redirect_to": "https://evil.example/" })),
        ),
        (
            "protocol-relative redirect",
            app.login_jwt(json!({ "redirect_to": "//evil.example/" })),
        ),
        ("missing jti", app.login_jwt(json!({ "jti": null }))),
        ("not a JWT", "garbage".to_string()),
    ];
    for (case, jwt) in cases {
        let r = visit(&app, &jwt).await;
        assert_eq!(
            (r.status, r.header("location")),
            (302, Some(FAILURE)),
            "{case}"
        );
        assert!(r.header("set-cookie").is_none(), "{case}");
    }
    // A matching request_ip and a 30-second-old iat are fine.
    let ok = visit(
        &app,
        &app.login_jwt(json!({ "request_ip": "127.0.0.1", "iat": NOW - 30 })),
    )
    .await;
    assert_eq!(ok.header("location"), Some("/account.php"));
}

#[tokio::test]
async fn a_jti_is_single_use_even_under_concurrent_requests() {
    let app = TestApp::spawn().await;
    let jwt = app.login_jwt(json!({}));
    let first = visit(&app, &jwt).await;
    assert_eq!(first.header("location"), Some("/account.php"));
    let replay = visit(&app, &jwt).await;
    assert_eq!(replay.header("location"), Some(FAILURE));

    let racing = app.login_jwt(json!({}));
    let attempts = (0..8).map(|_| {
        let client = app.client.clone();
        let url = app.url(&format!("/login/token/{racing}"));
        tokio::spawn(async move {
            client
                .get(url)
                .send()
                .await
                .expect("send")
                .headers()
                .get("location")
                .and_then(|v| v.to_str().ok())
                .map(String::from)
        })
    });
    let mut successes = 0;
    for a in attempts {
        if a.await.expect("join").as_deref() == Some("/account.php") {
            successes += 1;
        }
    }
    assert_eq!(
        successes, 1,
        "exactly one of eight concurrent uses succeeds"
    );
}

#[tokio::test]
async fn graphql_login_with_a_customer_login_jwt() {
    let app = TestApp::spawn().await;
    let token = app.private_token(&["Unauthenticated", "Customer"]).await;
    let m = "mutation($jwt: String!) { loginWithCustomerLoginJwt(jwt: $jwt) { redirectTo customer { email } customerAccessToken { value } } }";
    let jwt = app.login_jwt(json!({ "redirect_to": "/wishlist.php" }));
    let r = app
        .gql_body(
            Some(&token),
            json!({ "query": m, "variables": { "jwt": jwt } }),
            &[],
        )
        .await;
    let result = &r.body["data"]["loginWithCustomerLoginJwt"];
    assert_eq!(result["redirectTo"], "/wishlist.php");
    assert_eq!(result["customer"]["email"], JANE);
    let cat = result["customerAccessToken"]["value"]
        .as_str()
        .expect("cat");
    let me = app
        .gql(
            Some(&token),
            "{ customer { email } }",
            &[("X-Bc-Customer-Access-Token", cat)],
        )
        .await;
    assert_eq!(me.body["data"]["customer"]["email"], JANE);
    // The same JWT again is a replay.
    let r = app
        .gql_body(
            Some(&token),
            json!({ "query": m, "variables": { "jwt": jwt } }),
            &[],
        )
        .await;
    assert_eq!(r.body["errors"][0]["message"], "Invalid customer login JWT");
}

#[tokio::test]
async fn current_customer_errors() {
    let app = TestApp::spawn().await;
    let get = |q: String, cookie: Option<String>| {
        let mut req = app
            .client
            .get(app.url(&format!("/customer/current.jwt{q}")));
        if let Some(c) = cookie {
            req = req.header("Cookie", c);
        }
        async move { Resp::from(req.send().await.expect("send")).await }
    };
    assert_eq!(
        get(format!("?app_client_id={}", app.creds.client_id), None)
            .await
            .status,
        404,
        "guest"
    );
    let r = visit(&app, &app.login_jwt(json!({}))).await;
    let pair = r
        .header("set-cookie")
        .expect("cookie")
        .split(';')
        .next()
        .expect("pair")
        .to_string();
    assert_eq!(
        get(String::new(), Some(pair.clone())).await.status,
        400,
        "missing app_client_id"
    );
    assert_eq!(
        get("?app_client_id=nope".into(), Some(pair.clone()))
            .await
            .status,
        400,
        "unknown app"
    );
    assert_eq!(
        get(
            format!("?app_client_id={}", app.creds.client_id),
            Some("SHOP_TOKEN=forged".into())
        )
        .await
        .status,
        404
    );
    assert_eq!(
        get(
            format!("?app_client_id={}", app.creds.client_id),
            Some(pair)
        )
        .await
        .status,
        200
    );
}
