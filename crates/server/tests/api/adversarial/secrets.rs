//! Secrets (issue 15, classes 21–25): the server keeps its secrets out of cookies without
//! `Secure`, logs, world-readable files, other tenants and `Debug`.

use std::sync::Arc;

use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::outbound::register;
use crate::helpers::{TestApp, JANE, PASSWORD};
use crate::process::ServerProcess;

const SITE: &str = "http://localhost:4000";

/// Every `Set-Cookie` of a response.
fn set_cookies(headers: &reqwest::header::HeaderMap) -> Vec<String> {
    headers
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap_or("").to_string())
        .collect()
}

/// Class 21: every session cookie is `Secure` and responses carry HSTS when browsers reach
/// the server over TLS (behind a TLS proxy, or `--dev-tls` itself).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn c21_session_cookies_are_secure_under_tls() {
    for tls in [false, true] {
        let app = TestApp::spawn_with(|c| c.behind_tls_proxy = tls).await;
        let mut cookies = Vec::new();
        let storefront = app.storefront_token(&[SITE]).await;
        let r = app
            .client
            .post(app.url("/graphql"))
            .bearer_auth(&storefront)
            .header("Origin", SITE)
            .json(&json!({ "query": "mutation { login(email: \"jane@example.com\", password: \"Password1!\") { result } }" }))
            .send()
            .await
            .expect("login");
        assert_eq!(r.headers().contains_key("strict-transport-security"), tls);
        cookies.extend(set_cookies(r.headers()));
        let jwt = app.login_jwt(json!({}));
        let r = app
            .client
            .get(app.url(&format!("/login/token/{jwt}")))
            .send()
            .await
            .expect("sso");
        cookies.extend(set_cookies(r.headers()));
        let r = app
            .client
            .post(app.url("/login.php"))
            .form(&[("email", JANE), ("password", PASSWORD)])
            .send()
            .await
            .expect("form");
        cookies.extend(set_cookies(r.headers()));
        let r = app
            .client
            .post(app.url("/api/storefront/carts"))
            .json(&json!({ "lineItems": [{ "productId": 1, "quantity": 1 }] }))
            .send()
            .await
            .expect("rest");
        cookies.extend(set_cookies(r.headers()));
        assert_eq!(cookies.len(), 4, "{cookies:?}");
        for c in &cookies {
            assert_eq!(c.contains("; Secure"), tls, "{c}");
            assert!(c.contains("HttpOnly") && c.contains("SameSite=Lax"), "{c}");
        }
    }

    // The server's own TLS: the development certificate, a raw HTTPS request.
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().to_str().expect("path").to_string();
    let server = ServerProcess::start_serving(&["--data-dir", &path], &["--dev-tls"], &[]);
    let secret = server.value("client_secret:");
    let client_id = server.value("client_id:");
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("time")
        .as_secs() as i64;
    let jwt = storefront_auth_core::hs256::sign(
        &json!({ "iss": client_id, "iat": now, "jti": "tls-1", "operation": "customer_login",
                 "store_hash": "demo", "customer_id": 1 }),
        secret.as_bytes(),
    );
    let ca = std::fs::read(dir.path().join("dev-tls/ca.pem")).expect("ca");
    let mut roots = rustls::RootCertStore::empty();
    use rustls::pki_types::pem::PemObject;
    for cert in rustls::pki_types::CertificateDer::pem_slice_iter(&ca) {
        roots.add(cert.expect("pem")).expect("root");
    }
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::aws_lc_rs::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .expect("versions")
    .with_root_certificates(roots)
    .with_no_client_auth();
    let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
    let addr = server.base.trim_start_matches("https://").to_string();
    let tcp = tokio::net::TcpStream::connect(&addr)
        .await
        .expect("connect");
    let name = rustls::pki_types::ServerName::try_from("localhost").expect("name");
    let mut tls = connector.connect(name, tcp).await.expect("handshake");
    let request =
        format!("GET /login/token/{jwt} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    tls.write_all(request.as_bytes()).await.expect("write");
    let mut answer = String::new();
    let _ = tls.read_to_string(&mut answer).await;
    let lower = answer.to_ascii_lowercase();
    assert!(lower.starts_with("http/1.1 302"), "{answer}");
    assert!(
        lower.contains("strict-transport-security: max-age="),
        "{answer}"
    );
    let cookie = lower
        .lines()
        .find(|l| l.starts_with("set-cookie: shop_token="))
        .expect("session cookie");
    assert!(cookie.contains("; secure"), "{cookie}");
}

/// Class 22: a login link's JWT, a callback's signed payload and a client's text never reach
/// the logs as they are.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn c22_secrets_and_client_strings_never_reach_the_logs_raw() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().to_str().expect("path").to_string();
    let mut server =
        ServerProcess::start(&["--data-dir", &path], &[("STOREFRONT_AUTH_LOG", "info")]);
    let access = server.value("access_token:");
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzZWNyZXQiOiJsb2dpbi1saW5rIn0.c2lnbmF0dXJlLXNlY3JldA";
    client
        .get(server.url(&format!("/login/token/{jwt}")))
        .send()
        .await
        .expect("sso");
    let private: Value = client
        .post(server.url("/stores/demo/v3/storefront/api-token-private"))
        .header("X-Auth-Token", &access)
        .json(
            &json!({ "channel_id": 1, "expires_at": 2_147_483_647, "scopes": ["Unauthenticated"] }),
        )
        .send()
        .await
        .expect("token")
        .json()
        .await
        .expect("json");
    let token = private["data"]["token"].as_str().expect("token");
    let forged = "https://x/\n2026-12-01T00:00:00.000000Z  INFO forged: yes\u{1b}[31mred";
    let q = "mutation($u: URL!) { analytics { visitStartedEvent(input: { commonInput: { request: { url: $u, userAgent: \"t\" } } }) { executed } } }";
    let r: Value = client
        .post(server.url("/graphql"))
        .bearer_auth(token)
        .json(&json!({ "query": q, "variables": { "u": forged } }))
        .send()
        .await
        .expect("analytics")
        .json()
        .await
        .expect("json");
    assert_eq!(
        r["data"]["analytics"]["visitStartedEvent"]["executed"], true,
        "{r}"
    );
    // An app whose uninstall callback fails: the failure is logged without the payload.
    let app: Value = client
        .post(server.url("/stores/demo/v3/apps"))
        .header("X-Auth-Token", &access)
        .json(&json!({ "name": "Gone", "auth_callback": "http://127.0.0.1:9/auth", "load_callback": "http://127.0.0.1:9/load", "uninstall_callback": "http://127.0.0.1:9/uninstall", "scopes": ["store_v2_products"] }))
        .send()
        .await
        .expect("app")
        .json()
        .await
        .expect("json");
    let (id, secret) = (
        app["data"]["client_id"].as_str().expect("id"),
        app["data"]["client_secret"].as_str().expect("secret"),
    );
    let install = client
        .post(server.url(&format!("/stores/demo/v3/apps/{id}/install")))
        .header("X-Auth-Token", &access)
        .send()
        .await
        .expect("install");
    let location = install.headers()["location"]
        .to_str()
        .expect("location")
        .to_string();
    let code = location
        .split("code=")
        .nth(1)
        .and_then(|c| c.split('&').next())
        .expect("code");
    let grant = client
        .post(server.url("/oauth2/token"))
        .json(&json!({ "client_id": id, "client_secret": secret, "code": code, "grant_type": "authorization_code",
                       "redirect_uri": "http://127.0.0.1:9/auth", "context": "stores/demo" }))
        .send()
        .await
        .expect("exchange");
    assert_eq!(grant.status(), 200);
    let gone = client
        .delete(server.url(&format!("/stores/demo/v3/apps/{id}")))
        .header("X-Auth-Token", &access)
        .send()
        .await
        .expect("uninstall");
    assert_eq!(gone.status(), 204);
    server.until("uninstall callback failed");
    let (_, lines) = server.terminate();
    let all = lines.join("\n");
    assert!(!all.contains(jwt), "the login JWT was logged");
    assert!(all.contains("/login/token/[redacted]"));
    assert!(
        !all.contains("signed_payload"),
        "a callback's payload was logged"
    );
    assert!(!all.contains('\u{1b}'), "a terminal escape reached the log");
    assert!(
        !lines
            .iter()
            .any(|l| l.starts_with("2026-12-01T00:00:00.000000Z  INFO forged")),
        "a client forged a log line"
    );
    assert!(all.contains("visit started"));
}

/// Class 23: the data directory and the database are the server user's alone, and the payment
/// token key is sealed with the master key.
#[tokio::test]
async fn c23_data_files_are_private_and_the_pat_key_sealed() {
    use std::os::unix::fs::PermissionsExt;
    let master = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    let app = TestApp::spawn_with(|c| {
        c.database_url = None;
        c.master_key = Some(master.into());
    })
    .await;
    let token = app.private_token(&["Unauthenticated", "Customer"]).await;
    let jane = app.login_cat(&token, JANE).await;
    let cart = app
        .create_cart(
            &token,
            Some(&jane),
            json!([{ "productEntityId": 1, "quantity": 1 }]),
        )
        .await;
    let r = app
        .cart_op(
            &token,
            Some(&jane),
            crate::commerce::COMPLETE,
            json!({ "id": cart }),
        )
        .await;
    let pat = r.body["data"]["checkout"]["completeCheckout"]["paymentAccessToken"]
        .as_str()
        .expect("pat")
        .to_string();
    let mode = |p: std::path::PathBuf| {
        std::fs::metadata(&p)
            .unwrap_or_else(|e| panic!("{}: {e}", p.display()))
            .permissions()
            .mode()
            & 0o777
    };
    let dir = app.data_dir();
    assert_eq!(mode(dir.clone()), 0o700);
    for file in [
        "storefront-auth.db",
        "storefront-auth.db-wal",
        "storefront-auth.db-shm",
    ] {
        assert_eq!(mode(dir.join(file)), 0o600, "{file}");
    }
    let store = app.store().await;
    let stored = store
        .server_value("payments_hs256")
        .await
        .expect("read")
        .expect("key");
    assert!(stored.starts_with("sealed:v1:"), "{stored}");
    let r = app.pay("demo", &pat, "4111111111111111").await;
    assert_eq!(r.status, 201, "the sealed key still verifies: {:?}", r.body);
}

/// Class 24: a store's app is its own: another store neither lists, installs nor signs with it.
#[tokio::test]
async fn c24_apps_stay_with_the_store_that_registered_them() {
    let app = TestApp::spawn().await;
    let (status, body) = register(&app, "http://127.0.0.1:9/auth", None).await;
    assert_eq!(status, 201);
    let mine = body["data"]["client_id"].as_str().expect("id").to_string();
    assert!(app
        .cli(&["stores", "create", "--hash", "other", "--name", "Other"])
        .status
        .success());
    let out = app.cli(&[
        "accounts",
        "create",
        "--store",
        "other",
        "--all-scopes",
        "--json",
    ]);
    assert!(out.status.success(), "{out:?}");
    let account: Value = serde_json::from_slice(&out.stdout).expect("json");
    let other = account["access_token"].as_str().expect("token").to_string();
    let listed = app
        .client
        .get(app.url("/stores/other/v3/apps"))
        .header("X-Auth-Token", &other)
        .send()
        .await
        .expect("list")
        .json::<Value>()
        .await
        .expect("json");
    assert!(!listed.to_string().contains(&mine), "{listed}");
    let r = app
        .client
        .post(app.url(&format!("/stores/other/v3/apps/{mine}/install")))
        .header("X-Auth-Token", &other)
        .send()
        .await
        .expect("install");
    assert_eq!(r.status(), 404);
    let r = app
        .client
        .get(app.url(&format!("/customer/current.jwt?app_client_id={mine}")))
        .header("Host", "store-other.localhost")
        .send()
        .await
        .expect("current");
    assert_eq!(r.status(), 400);
    // The operator's apps (the CLI's) are published to every store.
    let out = app.cli(&[
        "apps",
        "register",
        "--name",
        "Public",
        "--auth-callback",
        "http://127.0.0.1:9/a",
        "--load-callback",
        "http://127.0.0.1:9/l",
        "--scope",
        "store_v2_products",
        "--json",
    ]);
    let public: Value = serde_json::from_slice(&out.stdout).expect("json");
    let public_id = public["client_id"].as_str().expect("id");
    let listed = app
        .client
        .get(app.url("/stores/other/v3/apps"))
        .header("X-Auth-Token", &other)
        .send()
        .await
        .expect("list")
        .json::<Value>()
        .await
        .expect("json");
    assert!(listed.to_string().contains(public_id));
}

/// Class 25: nothing that holds a secret prints it through `Debug`.
#[tokio::test]
async fn c25_debug_output_shows_no_secret() {
    let master = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    let app = TestApp::spawn_with(|c| c.master_key = Some(master.into())).await;
    let store = app.store().await;
    let mut config = app.config.clone();
    config.database_url = Some("postgres://user:hunter2@db.example/x".into());
    let customer = store
        .customer_by_email(app.creds.store_id, JANE)
        .await
        .expect("read")
        .expect("jane");
    let keys = store.keys().await.expect("keys");
    let registration = storefront_auth::service::registration::Registration {
        email: "a@b.c".into(),
        password: "my-secret-password".into(),
        ..Default::default()
    };
    let shown = format!("{config:?} {customer:?} {keys:?} {registration:?}");
    for secret in [
        master,
        "hunter2",
        customer.password_hash.as_str(),
        keys[0].private_key.as_str(),
        "my-secret-password",
    ] {
        assert!(!shown.contains(secret), "Debug printed a secret: {secret}");
    }
    // A customer access token shows its expiry only.
    let token = app.private_token(&["Customer"]).await;
    let cat = app.login_cat(&token, JANE).await;
    let value = storefront_auth::graphql::schema::auth::CustomerAccessToken {
        value: cat.clone(),
        expires_at: storefront_auth::graphql::schema::scalars::DateTime::from_unix(0),
    };
    assert!(!format!("{value:?}").contains(&cat));
}
