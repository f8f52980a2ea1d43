//! Outbound calls and redirects (issue 15, classes 19–20): the server calls no private
//! address on a stranger's behalf and sends no browser off the storefront. Classes 21–25
//! (secrets) are in `secrets`.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::helpers::TestApp;

/// A TCP listener on loopback that counts connections and answers each with `answer`.
async fn listener(answer: &'static str) -> (u16, Arc<AtomicUsize>) {
    let l = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let port = l.local_addr().expect("addr").port();
    let seen = Arc::new(AtomicUsize::new(0));
    let counter = seen.clone();
    tokio::spawn(async move {
        while let Ok((mut s, _)) = l.accept().await {
            counter.fetch_add(1, Ordering::SeqCst);
            let mut buf = [0u8; 2048];
            let _ = s.read(&mut buf).await;
            let _ = s.write_all(answer.as_bytes()).await;
        }
    });
    (port, seen)
}

/// Registers an app on the demo store through the management API.
pub(super) async fn register(app: &TestApp, auth: &str, uninstall: Option<&str>) -> (u16, Value) {
    let r = app
        .mgmt(
            reqwest::Method::POST,
            "/v3/apps",
            Some(
                json!({ "name": "A", "auth_callback": auth, "load_callback": auth,
                "uninstall_callback": uninstall, "scopes": ["store_v2_products"] }),
            ),
        )
        .await;
    (r.status, r.body)
}

/// Class 19: callbacks to loopback, private, link-local or metadata addresses are refused at
/// registration and never called; redirects are answers, not followed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn c19_callbacks_never_reach_private_addresses_or_follow_redirects() {
    let strict = TestApp::spawn_with(|c| c.outbound.allow.clear()).await;
    let (port, seen) = listener("HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n").await;
    for refused in [
        format!("http://127.0.0.1:{port}/auth"),
        format!("https://127.0.0.1:{port}/auth"),
        "https://169.254.169.254/latest/meta-data".to_string(),
        "https://10.0.0.5/auth".to_string(),
        format!("https://[::ffff:127.0.0.1]:{port}/auth"),
        "http://app.example.com/auth".to_string(),
    ] {
        let (status, body) = register(&strict, &refused, None).await;
        assert_eq!(status, 422, "{refused}: {body}");
    }
    // A name that resolves to loopback passes the static checks but is never called.
    let by_name = format!("https://localhost:{port}/auth");
    let (status, body) = register(&strict, &by_name, Some(&by_name)).await;
    assert_eq!(status, 201, "{body}");
    let client_id = body["data"]["client_id"].as_str().expect("id").to_string();
    let install = std::process::Command::new(env!("CARGO_BIN_EXE_storefront-auth"))
        .arg("--data-dir")
        .arg(strict.data_dir())
        .args(
            strict
                .config
                .database_url
                .as_ref()
                .map(|u| vec!["--database-url".to_string(), u.clone()])
                .unwrap_or_default(),
        )
        .args(["apps", "install", "--store", "demo", &client_id])
        .env_remove("STOREFRONT_AUTH_CONFIG")
        .env("STOREFRONT_AUTH_OUTBOUND__ALLOW", "")
        .output()
        .expect("cli");
    assert!(!install.status.success());
    let said = String::from_utf8_lossy(&install.stderr);
    assert!(
        said.contains("resolves to") && said.contains("may not reach"),
        "{said}"
    );
    // Installed through the browser flow (the app exchanging its code), then uninstalled:
    // the revocation happens, the uninstall callback to loopback is not called.
    let secret = body["data"]["client_secret"]
        .as_str()
        .expect("secret")
        .to_string();
    let r = strict
        .client
        .post(strict.url(&format!("/stores/demo/v3/apps/{client_id}/install")))
        .header("X-Auth-Token", &strict.creds.access_token)
        .send()
        .await
        .expect("install");
    assert_eq!(r.status(), 302);
    let location = r.headers()["location"]
        .to_str()
        .expect("location")
        .to_string();
    let code = location
        .split("code=")
        .nth(1)
        .and_then(|c| c.split('&').next())
        .expect("code");
    let grant = strict
        .client
        .post(strict.url("/oauth2/token"))
        .json(&json!({ "client_id": client_id, "client_secret": secret, "code": code,
            "grant_type": "authorization_code", "redirect_uri": by_name, "context": "stores/demo" }))
        .send()
        .await
        .expect("exchange");
    assert_eq!(grant.status(), 200);
    let installed: Value = grant.json().await.expect("grant");
    let install_token = installed["access_token"]
        .as_str()
        .expect("token")
        .to_string();
    let r = strict
        .client
        .delete(strict.url(&format!("/stores/demo/v3/apps/{client_id}")))
        .header("X-Auth-Token", &strict.creds.access_token)
        .send()
        .await
        .expect("uninstall");
    assert_eq!(r.status(), 204);
    let r = strict
        .client
        .get(strict.url("/stores/demo/v3/catalog/products"))
        .header("X-Auth-Token", &install_token)
        .send()
        .await
        .expect("revoked");
    assert_eq!(r.status(), 401, "the install's token was revoked");
    assert_eq!(
        seen.load(Ordering::SeqCst),
        0,
        "no connection reached loopback"
    );

    // With loopback on the development allow-list, a callback that redirects elsewhere gets
    // its 302 reported, and the redirect's target is never called.
    let (target_port, target_seen) = listener("HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n").await;
    let redirect: &'static str = Box::leak(
        format!("HTTP/1.1 302 Found\r\nlocation: http://127.0.0.1:{target_port}/\r\ncontent-length: 0\r\n\r\n")
            .into_boxed_str(),
    );
    let (redirecting, redirect_seen) = listener(redirect).await;
    let dev = TestApp::spawn().await;
    let (status, body) =
        register(&dev, &format!("http://127.0.0.1:{redirecting}/auth"), None).await;
    assert_eq!(status, 201, "{body}");
    let id = body["data"]["client_id"].as_str().expect("id").to_string();
    let out = dev.cli(&["apps", "install", "--store", "demo", &id]);
    assert!(out.status.success(), "{out:?}");
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("answered HTTP 302"),
        "{out:?}"
    );
    assert_eq!(redirect_seen.load(Ordering::SeqCst), 1);
    assert_eq!(
        target_seen.load(Ordering::SeqCst),
        0,
        "the redirect was not followed"
    );
}

/// Class 20: after a Customer Login JWT, the browser goes to the storefront or nowhere.
#[tokio::test]
async fn c20_login_redirects_stay_on_the_storefront() {
    let app = TestApp::spawn().await;
    let failure = "/login.php?error=invalid_login";
    for (redirect_to, lands) in [
        ("/account.php?tab=1", "/account.php?tab=1"),
        (
            "http://localhost:4000/cart.php",
            "http://localhost:4000/cart.php",
        ),
        ("/\t/evil.example", failure),
        ("/\n/evil.example", failure),
        ("/cart.php\r\nSet-Cookie: a=b", failure),
        ("//evil.example", failure),
        ("/\\evil.example", failure),
        ("https://evil.example/", failure),
        ("http://localhost:4000@evil.example/", failure),
        ("javascript:alert(1)", failure),
    ] {
        let jwt = app.login_jwt(json!({ "redirect_to": redirect_to }));
        let r = app
            .client
            .get(app.url(&format!("/login/token/{jwt}")))
            .send()
            .await
            .expect("send");
        assert_eq!(r.status(), 302, "{redirect_to:?}");
        assert_eq!(
            r.headers().get("location").and_then(|v| v.to_str().ok()),
            Some(lands),
            "{redirect_to:?}"
        );
    }
}
