//! A full app install (SPEC §8) driven by a small app server of the test's own: auth callback
//! → code exchange, load with a verified signed_payload_jwt, uninstall revoking the token.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::routing::get;
use serde_json::{json, Value};
use storefront_auth_core::hs256;

use crate::helpers::TestApp;

#[derive(Default)]
struct AppSide {
    server: String,
    client_id: String,
    client_secret: String,
    redirect_uri: String,
    codes: Vec<String>,
    grant: Option<Value>,
    loads: Vec<Value>,
    uninstalls: Vec<Value>,
}

type Shared = Arc<Mutex<AppSide>>;

/// What any app does on /auth: exchange the code, form-encoded (as the Python client does).
async fn auth(
    State(s): State<Shared>,
    Query(q): Query<HashMap<String, String>>,
) -> (StatusCode, String) {
    let (server, form) = {
        let mut a = s.lock().unwrap();
        a.codes.push(q["code"].clone());
        let form = vec![
            ("client_id", a.client_id.clone()),
            ("client_secret", a.client_secret.clone()),
            ("code", q["code"].clone()),
            ("scope", q["scope"].clone()),
            ("grant_type", "authorization_code".into()),
            ("redirect_uri", a.redirect_uri.clone()),
            ("context", q["context"].clone()),
        ];
        (a.server.clone(), form)
    };
    let body = form
        .iter()
        .map(|(k, v)| format!("{k}={}", v.replace('/', "%2F").replace(' ', "+")))
        .collect::<Vec<_>>()
        .join("&");
    let r = reqwest::Client::new()
        .post(format!("{server}/oauth2/token"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let grant: Value = r.json().await.unwrap();
    if status != 200 {
        return (StatusCode::BAD_GATEWAY, grant.to_string());
    }
    s.lock().unwrap().grant = Some(grant);
    (StatusCode::OK, "installed".into())
}

/// Verifies a signed_payload_jwt the way the client libraries do: HS256 with the client
/// secret, aud = client id, unexpired.
fn verify(s: &Shared, q: &HashMap<String, String>) -> Result<Value, StatusCode> {
    let a = s.lock().unwrap();
    let jwt = q.get("signed_payload_jwt").ok_or(StatusCode::BAD_REQUEST)?;
    let claims =
        hs256::verify(jwt, a.client_secret.as_bytes()).map_err(|_| StatusCode::UNAUTHORIZED)?;
    let ok = claims["aud"] == a.client_id.as_str()
        && claims["iss"] == "bc"
        && claims["sub"] == "stores/demo"
        && claims["exp"].as_i64().unwrap() == claims["iat"].as_i64().unwrap() + 86_400;
    ok.then_some(claims).ok_or(StatusCode::UNAUTHORIZED)
}

async fn load(State(s): State<Shared>, Query(q): Query<HashMap<String, String>>) -> StatusCode {
    match verify(&s, &q) {
        Ok(c) => {
            s.lock().unwrap().loads.push(c);
            StatusCode::OK
        }
        Err(e) => e,
    }
}

async fn uninstall(
    State(s): State<Shared>,
    Query(q): Query<HashMap<String, String>>,
) -> StatusCode {
    match verify(&s, &q) {
        Ok(c) => {
            s.lock().unwrap().uninstalls.push(c);
            StatusCode::OK
        }
        Err(e) => e,
    }
}

/// Tells the app side who it is once it is registered.
fn configure(shared: &Shared, app: &TestApp, base: &str, client_id: &str, secret: &Value) {
    let mut a = shared.lock().unwrap();
    a.server = app.base.clone();
    a.client_id = client_id.to_string();
    a.client_secret = secret.as_str().unwrap().to_string();
    a.redirect_uri = format!("{base}/auth");
}

/// Starts the test's app server; returns its state and base URL.
async fn app_side() -> (Shared, String) {
    let shared: Shared = Arc::default();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let router = axum::Router::new()
        .route("/auth", get(auth))
        .route("/load", get(load))
        .route("/uninstall", get(uninstall))
        .with_state(shared.clone());
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    (shared, base)
}

async fn exchange(app: &TestApp, body: Value) -> (u16, Value) {
    let r = app
        .client
        .post(app.url("/oauth2/token"))
        .json(&body)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.json().await.unwrap())
}

#[tokio::test]
async fn an_app_installs_loads_and_uninstalls_and_its_token_has_exactly_the_granted_scopes() {
    let app = TestApp::spawn().await;
    let (shared, base) = app_side().await;

    let r = app
        .mgmt(reqwest::Method::POST, "/v3/apps", Some(json!({
            "name": "Test app", "auth_callback": format!("{base}/auth"), "load_callback": format!("{base}/load"),
            "uninstall_callback": format!("{base}/uninstall"),
            "scopes": ["store_v2_products_read_only", "store_channel_settings"] })))
        .await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    let client_id = r.body["data"]["client_id"].as_str().unwrap().to_string();
    configure(
        &shared,
        &app,
        &base,
        &client_id,
        &r.body["data"]["client_secret"],
    );
    // Bad registrations are refused with the field named.
    let r = app
        .mgmt(reqwest::Method::POST, "/v3/apps", Some(json!({ "name": "x", "auth_callback": "ftp://x", "load_callback": "http://x", "scopes": ["a"] })))
        .await;
    assert_eq!(r.status, 422);
    assert!(
        r.body["errors"]["auth_callback:invalid"].is_string(),
        "{:?}",
        r.body
    );

    // Install: the control panel sends the browser to the auth callback.
    let r = app
        .mgmt(
            reqwest::Method::POST,
            &format!("/v3/apps/{client_id}/install"),
            None,
        )
        .await;
    assert_eq!(r.status, 302);
    let location = r.header("location").unwrap().to_string();
    assert!(
        location.starts_with(&format!("{base}/auth?account_uuid=")),
        "{location}"
    );
    assert!(
        location.contains(
            "&context=stores%2Fdemo&scope=store_v2_products_read_only+store_channel_settings"
        ),
        "{location}"
    );
    let r = reqwest::get(&location).await.unwrap();
    assert_eq!(r.status().as_u16(), 200, "{}", r.text().await.unwrap());
    let grant = shared.lock().unwrap().grant.clone().unwrap();
    assert_eq!(
        grant["scope"],
        "store_v2_products_read_only store_channel_settings"
    );
    assert_eq!(grant["context"], "stores/demo");
    assert!(
        grant["account_uuid"].is_string()
            && grant["user"]["email"].is_string()
            && grant["owner"]["id"].is_number()
    );
    let token = grant["access_token"].as_str().unwrap().to_string();

    // Exactly the granted scopes.
    let as_app =
        |m: reqwest::Method, p: &'static str, b: Option<Value>| app.mgmt_as(&token, m, p, b);
    assert_eq!(
        as_app(reqwest::Method::GET, "/v3/catalog/products", None)
            .await
            .status,
        200
    );
    assert_eq!(
        as_app(reqwest::Method::GET, "/v3/channels", None)
            .await
            .status,
        200
    );
    let r = as_app(
        reqwest::Method::POST,
        "/v3/catalog/products",
        Some(json!({ "name": "X", "sku": "X-1", "price": 1 })),
    )
    .await;
    assert_eq!(r.status, 403, "read-only products: {:?}", r.body);
    assert_eq!(
        as_app(reqwest::Method::GET, "/v3/customers", None)
            .await
            .status,
        403
    );
    assert_eq!(
        as_app(
            reqwest::Method::POST,
            "/v3/storefront/api-token-private",
            Some(json!({}))
        )
        .await
        .status,
        403
    );

    // The code was single use; a replay (JSON this time) is refused.
    let (code, secret) = {
        let a = shared.lock().unwrap();
        (a.codes[0].clone(), a.client_secret.clone())
    };
    let body = |code: &str, redirect: &str| {
        json!({ "client_id": client_id, "client_secret": secret, "code": code,
        "scope": "store_v2_products_read_only store_channel_settings", "grant_type": "authorization_code",
        "redirect_uri": redirect, "context": "stores/demo" })
    };
    let (status, err) = exchange(&app, body(&code, &format!("{base}/auth"))).await;
    assert_eq!(
        (status, err["error"].as_str()),
        (400, Some("invalid_grant")),
        "{err:?}"
    );

    // A fresh code with a wrong redirect_uri is refused without using the code up.
    let r = app
        .mgmt(
            reqwest::Method::POST,
            &format!("/v3/apps/{client_id}/install"),
            None,
        )
        .await;
    let location = r.header("location").unwrap().to_string();
    let fresh = location
        .split("code=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap()
        .to_string();
    let (status, err) = exchange(&app, body(&fresh, "https://evil.example/auth")).await;
    assert_eq!(status, 400);
    assert_eq!(
        err["error_description"],
        "Parameter redirect_uri does not match registered URI"
    );
    let mut wrong_secret = body(&fresh, &format!("{base}/auth"));
    wrong_secret["client_secret"] = json!("nope");
    assert_eq!(exchange(&app, wrong_secret).await.0, 401);
    // Ten minutes later the code has expired.
    app.set_now(crate::helpers::NOW + 601);
    let (status, _) = exchange(&app, body(&fresh, &format!("{base}/auth"))).await;
    assert_eq!(status, 400);
    app.set_now(crate::helpers::NOW);
    let (status, regrant) = exchange(&app, body(&fresh, &format!("{base}/auth"))).await;
    assert_eq!(status, 200, "{regrant:?}");
    let token = regrant["access_token"].as_str().unwrap().to_string();
    assert_eq!(
        app.mgmt_as(&token, reqwest::Method::GET, "/v3/channels", None)
            .await
            .status,
        200
    );

    // Load: the browser is sent to the load callback with a JWT the app verifies.
    let r = app
        .mgmt(
            reqwest::Method::GET,
            &format!("/v3/apps/{client_id}/load"),
            None,
        )
        .await;
    assert_eq!(r.status, 302);
    let location = r.header("location").unwrap().to_string();
    assert_eq!(
        reqwest::get(&location).await.unwrap().status().as_u16(),
        200
    );
    assert_eq!(shared.lock().unwrap().loads.len(), 1);
    let tampered = format!("{}x", location);
    assert_eq!(
        reqwest::get(&tampered).await.unwrap().status().as_u16(),
        401,
        "the app's check is real"
    );

    // Uninstall revokes the token at once and tells the app.
    let r = app
        .mgmt(
            reqwest::Method::DELETE,
            &format!("/v3/apps/{client_id}"),
            None,
        )
        .await;
    assert_eq!(r.status, 204, "{:?}", r.body);
    assert_eq!(shared.lock().unwrap().uninstalls.len(), 1);
    assert_eq!(
        app.mgmt_as(&token, reqwest::Method::GET, "/v3/channels", None)
            .await
            .status,
        401
    );
    let r = app
        .mgmt(
            reqwest::Method::DELETE,
            &format!("/v3/apps/{client_id}"),
            None,
        )
        .await;
    assert_eq!(r.status, 409);
    let r = app
        .mgmt(
            reqwest::Method::GET,
            &format!("/v3/apps/{client_id}/load"),
            None,
        )
        .await;
    assert_eq!(r.status, 409);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cli_registers_installs_and_uninstalls_an_app() {
    let app = TestApp::spawn().await;
    let (shared, base) = app_side().await;
    let out = app.cli(&[
        "apps",
        "register",
        "--name",
        "CLI app",
        "--auth-callback",
        &format!("{base}/auth"),
        "--load-callback",
        &format!("{base}/load"),
        "--uninstall-callback",
        &format!("{base}/uninstall"),
        "--scope",
        "store_v2_customers_read_only",
        "--json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let registered: Value = serde_json::from_slice(&out.stdout).unwrap();
    let client_id = registered["client_id"].as_str().unwrap().to_string();
    configure(
        &shared,
        &app,
        &base,
        &client_id,
        &registered["client_secret"],
    );
    // The server itself calls the auth callback; the app exchanges the code with the server.
    let out = tokio::task::spawn_blocking({
        let (app_cli, id) = (app.cli_command(), client_id.clone());
        move || app_cli(&["apps", "install", "--store", "demo", &id])
    })
    .await
    .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let token = shared.lock().unwrap().grant.clone().unwrap()["access_token"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        app.mgmt_as(&token, reqwest::Method::GET, "/v3/customers", None)
            .await
            .status,
        200
    );
    assert_eq!(
        app.mgmt_as(&token, reqwest::Method::GET, "/v3/channels", None)
            .await
            .status,
        403
    );
    // An unknown app is a clear error.
    let out = app.cli(&["apps", "install", "--store", "demo", "nope"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no app with client id"));
    let out = app.cli(&["apps", "uninstall", "--store", "demo", &client_id]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        app.mgmt_as(&token, reqwest::Method::GET, "/v3/customers", None)
            .await
            .status,
        401
    );
    assert_eq!(shared.lock().unwrap().uninstalls.len(), 1);
}
