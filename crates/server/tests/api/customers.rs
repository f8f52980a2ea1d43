//! SPEC §5.4 and §5.7 over HTTP: customer access tokens, the session cookie, one device,
//! logout everywhere, impersonation, the failed-login throttle and registration.

use serde_json::{json, Value};

use crate::helpers::{message, TestApp, JANE, LOGIN, PASSWORD, VIP};

const ME: &str = "{ customer { entityId email firstName customerGroupId } site { product(entityId: 1) { prices { price { value } basePrice { value } } } } }";
pub(crate) const STRICT: (&str, &str) = ("X-Bc-Error-On-Invalid-Customer-Access-Token", "true");

fn invalid_cat() -> Value {
    json!({ "data": null, "errors": [{ "message": "Invalid customer access token", "extensions": { "code": "INVALID_CUSTOMER_ACCESS_TOKEN" } }] })
}

#[tokio::test]
async fn server_to_server_login_returns_a_cat_that_shows_the_customer_and_prices() {
    let app = TestApp::spawn().await;
    let token = app.private_token(&["Unauthenticated", "Customer"]).await;
    let r = app
        .gql_body(
            Some(&token),
            json!({ "query": LOGIN, "variables": { "email": VIP, "password": PASSWORD } }),
            &[],
        )
        .await;
    let login = &r.body["data"]["login"];
    assert_eq!(login["result"], "success");
    assert_eq!(login["customer"]["email"], VIP);
    let cat = login["customerAccessToken"]["value"].as_str().expect("cat");
    let (hex, expiry) = cat.split_once('_').expect("format");
    assert_eq!(hex.len(), 64);
    assert!(hex.bytes().all(|b| b.is_ascii_hexdigit()));
    let expiry: i64 = expiry.parse().expect("expiry");
    assert_eq!(expiry, crate::helpers::NOW + 7 * 24 * 3600);
    assert_eq!(
        login["customerAccessToken"]["expiresAt"],
        storefront_auth_core::clock::format_rfc3339(expiry)
    );

    let me = app
        .gql(
            Some(&token),
            ME,
            &[("X-Bc-Customer-Access-Token", cat), STRICT],
        )
        .await;
    assert_eq!(me.body["data"]["customer"]["email"], VIP);
    assert!(
        me.body["data"]["customer"]["customerGroupId"]
            .as_i64()
            .expect("group")
            > 0
    );
    // The VIP group's 10 % discount: 109.00 -> 98.10.
    assert_eq!(
        me.body["data"]["site"]["product"]["prices"]["price"]["value"],
        98.1
    );
    assert_eq!(
        me.body["data"]["site"]["product"]["prices"]["basePrice"]["value"],
        109.0
    );
    let guest = app.gql(Some(&token), ME, &[]).await;
    assert_eq!(guest.body["data"]["customer"], Value::Null);
    assert_eq!(
        guest.body["data"]["site"]["product"]["prices"]["price"]["value"],
        109.0
    );
}

#[tokio::test]
async fn one_device_and_logout_everywhere() {
    let app = TestApp::spawn().await;
    let token = app.private_token(&["Unauthenticated", "Customer"]).await;
    let first = app.login_cat(&token, JANE).await;
    let second = app.login_cat(&token, JANE).await;
    let r = app
        .gql(
            Some(&token),
            ME,
            &[("X-Bc-Customer-Access-Token", &first), STRICT],
        )
        .await;
    assert_eq!(
        (r.status, r.body.clone()),
        (200, invalid_cat()),
        "a new login ends the earlier CAT"
    );
    // Without the opt-in header an invalid CAT means a guest.
    let r = app
        .gql(Some(&token), ME, &[("X-Bc-Customer-Access-Token", &first)])
        .await;
    assert_eq!(r.body["data"]["customer"], Value::Null);
    let r = app
        .gql(
            Some(&token),
            ME,
            &[("X-Bc-Customer-Access-Token", &second), STRICT],
        )
        .await;
    assert_eq!(r.body["data"]["customer"]["email"], JANE);

    let out = app.gql(Some(&token), "mutation { logout { result cartUnassignResult { cart { entityId } errors { message } } } }", &[("X-Bc-Customer-Access-Token", &second)]).await;
    assert_eq!(
        out.body["data"]["logout"],
        json!({ "result": "success", "cartUnassignResult": { "cart": null, "errors": [] } })
    );
    for cat in [&first, &second] {
        let r = app
            .gql(
                Some(&token),
                ME,
                &[("X-Bc-Customer-Access-Token", cat), STRICT],
            )
            .await;
        assert_eq!(r.body, invalid_cat());
    }
    // Malformed and expired CATs are invalid too.
    let r = app
        .gql(
            Some(&token),
            ME,
            &[("X-Bc-Customer-Access-Token", "garbage"), STRICT],
        )
        .await;
    assert_eq!(r.body, invalid_cat());
    let third = app.login_cat(&token, JANE).await;
    app.set_now(crate::helpers::NOW + 7 * 24 * 3600 + 1);
    let r = app
        .gql(
            Some(&token),
            ME,
            &[("X-Bc-Customer-Access-Token", &third), STRICT],
        )
        .await;
    assert_eq!(r.body, invalid_cat());
}

#[tokio::test]
async fn a_cat_is_bound_to_its_channel() {
    let app = TestApp::spawn().await;
    let token = app.token_with("api-token-private", json!({ "channel_ids": [], "expires_at": 2_147_483_647, "scopes": ["Unauthenticated", "Customer"] })).await;
    let cat = app.login_cat(&token, JANE).await;
    let r = app
        .gql(
            Some(&token),
            ME,
            &[
                ("X-Bc-Customer-Access-Token", &cat),
                STRICT,
                ("Host", "store-demo-2.localhost"),
            ],
        )
        .await;
    assert_eq!(r.body, invalid_cat());
}

#[tokio::test]
async fn browser_login_sets_an_http_only_cookie_instead() {
    let app = TestApp::spawn().await;
    let sf = app.storefront_token(&["https://shop.example"]).await;
    let origin = ("Origin", "https://shop.example");
    let r = app
        .gql_body(
            Some(&sf),
            json!({ "query": LOGIN, "variables": { "email": JANE, "password": PASSWORD } }),
            &[origin],
        )
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body["data"]["login"]["customer"]["email"], JANE);
    assert_eq!(r.body["data"]["login"]["customerAccessToken"], Value::Null);
    assert_eq!(
        r.body["errors"][0]["message"],
        "Customer access token was requested in the body, but it's only returned for server-to-server requests. For browser requests it's set as an httpOnly cookie instead."
    );
    assert_eq!(
        r.body["errors"][0]["path"],
        json!(["login", "customerAccessToken"])
    );
    let set_cookie = r.header("set-cookie").expect("cookie").to_string();
    assert!(
        set_cookie.starts_with("SHOP_TOKEN=")
            && set_cookie.contains("HttpOnly")
            && set_cookie.contains("SameSite=Lax"),
        "{set_cookie}"
    );
    let cookie = set_cookie.split(';').next().expect("pair").to_string();

    let me = app.gql(Some(&sf), ME, &[origin, ("Cookie", &cookie)]).await;
    assert_eq!(me.body["data"]["customer"]["email"], JANE);
    // Not selecting the token means no error.
    let r = app.gql_body(Some(&sf), json!({ "query": "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { customer { email } } }", "variables": { "e": JANE, "p": PASSWORD } }), &[origin]).await;
    assert!(r.body.get("errors").is_none(), "{:?}", r.body);
    // That second browser login ended the first cookie session (one device).
    let me = app.gql(Some(&sf), ME, &[origin, ("Cookie", &cookie)]).await;
    assert_eq!(me.body["data"]["customer"], Value::Null);
    let new_cookie = r
        .header("set-cookie")
        .expect("cookie")
        .split(';')
        .next()
        .expect("pair")
        .to_string();
    let out = app
        .gql(
            Some(&sf),
            "mutation { logout { result } }",
            &[origin, ("Cookie", &new_cookie)],
        )
        .await;
    assert!(out
        .header("set-cookie")
        .expect("cleared")
        .contains("Max-Age=0"));
    let me = app
        .gql(Some(&sf), ME, &[origin, ("Cookie", &new_cookie)])
        .await;
    assert_eq!(me.body["data"]["customer"], Value::Null);
}

#[tokio::test]
async fn where_each_customer_header_is_refused() {
    let app = TestApp::spawn().await;
    let private = app.private_token(&["Unauthenticated", "Customer"]).await;
    let cit = app.impersonation_token().await;
    let cat = app.login_cat(&private, JANE).await;
    let r = app
        .gql(
            Some(&private),
            ME,
            &[
                ("X-Bc-Customer-Access-Token", &cat),
                ("Origin", "http://localhost:4000"),
            ],
        )
        .await;
    // A private token from a browser is refused before the CAT is looked at; a storefront token
    // from the storefront's own page reaches the CAT rule.
    assert_eq!(r.status, 403);
    let sf = app.storefront_token(&[]).await;
    let r = app
        .gql(
            Some(&sf),
            ME,
            &[
                ("X-Bc-Customer-Access-Token", &cat),
                ("Origin", "http://localhost:4000"),
            ],
        )
        .await;
    assert_eq!((r.status, message(&r)), (403, "Request not allowed: customer access tokens are only accepted on server-to-server requests".to_string()));
    let r = app
        .gql(Some(&cit), ME, &[("X-Bc-Customer-Access-Token", &cat)])
        .await;
    assert_eq!(r.status, 400);
    let r = app
        .gql(Some(&private), ME, &[("X-Bc-Customer-Id", "1")])
        .await;
    assert_eq!(
        (r.status, message(&r)),
        (
            400,
            "X-Bc-Customer-Id is only accepted with a customer impersonation token.".to_string()
        )
    );
}

#[tokio::test]
async fn impersonation_sees_any_customer_by_id() {
    let app = TestApp::spawn().await;
    let cit = app.impersonation_token().await;
    for (id, email) in [("1", JANE), ("2", VIP)] {
        let r = app.gql(Some(&cit), ME, &[("X-Bc-Customer-Id", id)]).await;
        assert_eq!(r.body["data"]["customer"]["email"], email, "{:?}", r.body);
    }
    let r = app
        .gql(Some(&cit), ME, &[("X-Bc-Customer-Id", "999")])
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body["data"]["customer"], Value::Null);
    assert_eq!(
        r.body["errors"][0]["message"],
        "No customer with id 999 exists in this store."
    );
    assert_eq!(r.body["errors"][0]["path"], json!(["customer"]));
    assert_eq!(
        app.gql(Some(&cit), ME, &[("X-Bc-Customer-Id", "x")])
            .await
            .status,
        400
    );
}

#[tokio::test]
async fn wrong_email_and_wrong_password_look_the_same() {
    let app = TestApp::spawn().await;
    let token = app.private_token(&["Unauthenticated", "Customer"]).await;
    let attempt = |email: &'static str, password: &'static str| {
        let token = token.clone();
        let app = &app;
        async move {
            let started = std::time::Instant::now();
            let r = app.gql_body(Some(&token), json!({ "query": LOGIN, "variables": { "email": email, "password": password } }), &[]).await;
            (r, started.elapsed().as_secs_f64())
        }
    };
    let (unknown, t_unknown) = attempt("nobody@example.com", PASSWORD).await;
    let (wrong, t_wrong) = attempt(JANE, "not-the-password").await;
    let expected = json!({ "data": null, "errors": [{ "message": "Invalid credentials", "locations": [{ "line": 1, "column": 55 }], "path": ["login"] }] });
    assert_eq!(unknown.body, expected);
    assert_eq!(wrong.body, expected);
    // Both run one Argon2 verification; allow generous noise.
    let ratio = t_unknown / t_wrong;
    assert!(
        (0.25..4.0).contains(&ratio),
        "unknown {t_unknown:.3}s vs wrong {t_wrong:.3}s"
    );
}

#[tokio::test]
async fn failed_login_throttle_engages_and_releases() {
    let app = TestApp::spawn_with(|c| {
        c.customers.max_failed_logins = 3;
        c.customers.failed_login_window_secs = 60;
    })
    .await;
    let token = app.private_token(&["Unauthenticated", "Customer"]).await;
    let try_login = |password: &'static str| {
        app.gql_body(
            Some(&token),
            json!({ "query": LOGIN, "variables": { "email": JANE, "password": password } }),
            &[],
        )
    };
    for _ in 0..3 {
        assert_eq!(message(&try_login("wrong").await), "Invalid credentials");
    }
    let r = try_login(PASSWORD).await;
    assert_eq!(
        message(&r),
        "Too many failed login attempts. Try again in 60 seconds.",
        "even the right password waits"
    );
    app.set_now(crate::helpers::NOW + 30);
    assert_eq!(
        message(&try_login(PASSWORD).await),
        "Too many failed login attempts. Try again in 30 seconds."
    );
    app.set_now(crate::helpers::NOW + 61);
    let r = try_login(PASSWORD).await;
    assert_eq!(
        r.body["data"]["login"]["customer"]["email"], JANE,
        "{:?}",
        r.body
    );
    // The per-IP limit covers other emails from the same client.
    for _ in 0..3 {
        app.gql_body(Some(&token), json!({ "query": LOGIN, "variables": { "email": "x@example.com", "password": "nope" } }), &[]).await;
    }
    let r = app
        .gql_body(
            Some(&token),
            json!({ "query": LOGIN, "variables": { "email": VIP, "password": PASSWORD } }),
            &[],
        )
        .await;
    assert!(
        message(&r).starts_with("Too many failed login attempts."),
        "{:?}",
        r.body
    );
    // It survives a restart (it lives in the database).
    let app = app.restart().await;
    let token = app.private_token(&["Unauthenticated", "Customer"]).await;
    let r = app
        .gql_body(
            Some(&token),
            json!({ "query": LOGIN, "variables": { "email": VIP, "password": PASSWORD } }),
            &[],
        )
        .await;
    assert!(
        message(&r).starts_with("Too many failed login attempts."),
        "{:?}",
        r.body
    );
}

#[tokio::test]
async fn login_needs_the_customer_scope() {
    let app = TestApp::spawn().await;
    let token = app.private_token(&["Unauthenticated"]).await;
    let r = app
        .gql_body(
            Some(&token),
            json!({ "query": LOGIN, "variables": { "email": JANE, "password": PASSWORD } }),
            &[],
        )
        .await;
    assert_eq!(r.body["data"], Value::Null);
    assert_eq!(
        r.body["errors"][0]["extensions"]["code"],
        "INSUFFICIENT_ACCESS_SCOPE"
    );
    assert_eq!(
        r.body["errors"][0]["extensions"]["requiredScopes"],
        json!(["Customer"])
    );
}

#[tokio::test]
async fn register_customer_and_its_typed_errors() {
    let app = TestApp::spawn().await;
    let token = app.private_token(&["Unauthenticated", "Customer"]).await;
    let register = "mutation($input: RegisterCustomerInput!) { customer { registerCustomer(input: $input) { customer { email firstName } errors { __typename ... on EmailAlreadyInUseError { message } ... on ValidationError { message path } } } } }";
    let input = |email: &str, password: &str| json!({ "input": { "firstName": "Ada", "lastName": "Lovelace", "email": email, "password": password } });
    let r = app
        .gql_body(
            Some(&token),
            json!({ "query": register, "variables": input("ada@example.com", "analytical") }),
            &[],
        )
        .await;
    assert_eq!(
        r.body["data"]["customer"]["registerCustomer"],
        json!({ "customer": { "email": "ada@example.com", "firstName": "Ada" }, "errors": [] })
    );
    let r = app
        .gql_body(
            Some(&token),
            json!({ "query": register, "variables": input("ADA@example.com", "analytical") }),
            &[],
        )
        .await;
    assert_eq!(
        r.body["data"]["customer"]["registerCustomer"],
        json!({ "customer": null, "errors": [{ "__typename": "EmailAlreadyInUseError", "message": "The email address is already in use." }] })
    );
    let r = app
        .gql_body(
            Some(&token),
            json!({ "query": register, "variables": input("not-an-email", "short") }),
            &[],
        )
        .await;
    let errors = r.body["data"]["customer"]["registerCustomer"]["errors"]
        .as_array()
        .expect("errors")
        .clone();
    assert_eq!(errors.len(), 2);
    assert!(errors.iter().all(|e| e["__typename"] == "ValidationError"));
    // The new customer can sign in.
    let cat = app.gql_body(Some(&token), json!({ "query": LOGIN, "variables": { "email": "ada@example.com", "password": "analytical" } }), &[]).await;
    assert_eq!(
        cat.body["data"]["login"]["customer"]["email"],
        "ada@example.com"
    );
}

/// SPEC §5.7, §6 and the configuration: the lifetime of CATs and session cookies, and the
/// Customer Login JWT's `iat` leeway, are the operator's to set.
#[tokio::test]
async fn session_lifetime_and_login_jwt_leeway_are_configurable() {
    let app = TestApp::spawn_with(|c| {
        c.customers.session_lifetime_secs = 120;
        c.customers.login_jwt_leeway_secs = 5;
    })
    .await;
    let token = app.private_token(&["Unauthenticated", "Customer"]).await;
    let r = app
        .gql_body(
            Some(&token),
            json!({ "query": LOGIN, "variables": { "email": JANE, "password": PASSWORD } }),
            &[],
        )
        .await;
    let cat = r.body["data"]["login"]["customerAccessToken"]["value"]
        .as_str()
        .expect("cat")
        .to_string();
    assert!(
        cat.ends_with(&format!("_{}", crate::helpers::NOW + 120)),
        "{cat}"
    );
    let me = |cat: String| {
        let (app, token) = (&app, token.clone());
        async move {
            app.gql(
                Some(&token),
                "{ customer { email } }",
                &[("X-Bc-Customer-Access-Token", &cat), STRICT],
            )
            .await
        }
    };
    app.set_now(crate::helpers::NOW + 120);
    assert_eq!(
        me(cat.clone()).await.body["data"]["customer"]["email"],
        JANE
    );
    app.set_now(crate::helpers::NOW + 121);
    assert_eq!(me(cat).await.body, invalid_cat());
    // The browser's session cookie lives as long.
    let storefront = app.storefront_token(&["http://localhost:4000"]).await;
    let r = app
        .client
        .post(app.url("/graphql"))
        .bearer_auth(&storefront)
        .header("Origin", "http://localhost:4000")
        .json(&json!({ "query": "mutation { login(email: \"jane@example.com\", password: \"Password1!\") { result } }" }))
        .send()
        .await
        .expect("login");
    let cookie = r.headers()["set-cookie"]
        .to_str()
        .expect("cookie")
        .to_string();
    assert!(cookie.contains("Max-Age=120"), "{cookie}");
    // iat within 5 s of now is accepted; 6 s off is not.
    let now = crate::helpers::NOW + 121;
    for (iat, signs_in) in [
        (now - 5, true),
        (now + 5, true),
        (now - 6, false),
        (now + 6, false),
    ] {
        let jwt = app.login_jwt(json!({ "iat": iat }));
        let r = app
            .client
            .get(app.url(&format!("/login/token/{jwt}")))
            .send()
            .await
            .expect("sso");
        assert_eq!(
            r.headers()["location"] == "/account.php",
            signs_in,
            "iat {} s from now",
            iat - now
        );
    }
}
