//! SPEC §9: PostgreSQL becomes unreachable (a TCP proxy between the server and the database is
//! cut), requests fail with 503 and nothing wrong is accepted, and service resumes by itself.

use std::time::{Duration, Instant};

use serde_json::json;
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

use crate::helpers::TestApp;
use crate::process::{fresh_schema, postgres_base};

/// Forwards a local port to PostgreSQL until stopped; stopping cuts every open connection.
struct Proxy {
    port: u16,
    task: JoinHandle<()>,
}

impl Proxy {
    async fn start(port: u16) -> Proxy {
        let listener = TcpListener::bind(("127.0.0.1", port))
            .await
            .expect("bind proxy");
        let port = listener.local_addr().expect("addr").port();
        let task = tokio::spawn(async move {
            let mut conns = tokio::task::JoinSet::new();
            while let Ok((mut inbound, _)) = listener.accept().await {
                conns.spawn(async move {
                    if let Ok(mut outbound) = TcpStream::connect("127.0.0.1:5432").await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                    }
                });
            }
        });
        Proxy { port, task }
    }

    fn cut(self) -> u16 {
        // Aborting the task drops the listener and the JoinSet, which aborts every connection.
        self.task.abort();
        self.port
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_outage_gives_503s_and_heals_itself() {
    let base = postgres_base();
    let proxy = Proxy::start(0).await;
    let url = fresh_schema(&base).replace("127.0.0.1:5432", &format!("127.0.0.1:{}", proxy.port));
    assert!(url.contains(&proxy.port.to_string()), "{url}");
    let app = TestApp::spawn_with(|c| c.database_url = Some(url.clone())).await;
    let cached = app.private_token(&["Unauthenticated"]).await;
    let revoked = app.private_token(&["Unauthenticated"]).await;
    let q = "{ channel { entityId } }";
    assert_eq!(app.gql(Some(&cached), q, &[]).await.status, 200);
    assert_eq!(app.gql(Some(&revoked), q, &[]).await.status, 200);
    // Sent twice each: from the second request on, compiled plans answer them.
    let listing = "{ site { products { edges { node { name } } } } }";
    let lookup = "{ site { product(entityId: 1) { name } } }";
    for query in [listing, listing, lookup, lookup] {
        assert_eq!(app.gql(Some(&cached), query, &[]).await.status, 200);
    }
    assert_eq!(app.revoke(&revoked).await.status, 200);
    let uncached = app.private_token(&["Unauthenticated"]).await;

    let port = proxy.cut();
    tokio::time::sleep(Duration::from_millis(200)).await;
    let r = app
        .create_token(
            "api-token-private",
            json!({ "channel_id": 1, "expires_at": 2_147_483_647, "scopes": ["Customer"] }),
        )
        .await;
    assert_eq!(
        (r.status, r.body["status"].clone()),
        (503, json!(503)),
        "{:?}",
        r.body
    );
    assert!(
        !r.body.to_string().contains("5432") && !r.body.to_string().contains("connect"),
        "no internal detail in the body: {:?}",
        r.body
    );
    let r = app.gql(Some(&uncached), q, &[]).await;
    assert_eq!(
        r.status, 503,
        "a token that needs the registry is not accepted blind: {:?}",
        r.body
    );
    let r = app.gql(Some(&revoked), q, &[]).await;
    assert_eq!(r.status, 401, "a revoked token stays refused");
    // Past the catalog's one-second cache: the listing and the product look-up are served
    // from the last catalog read (and its indexes).
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let r = app.gql(Some(&cached), listing, &[]).await;
    assert_eq!(
        (
            r.status,
            &r.body["data"]["site"]["products"]["edges"][0]["node"]["name"]
        ),
        (200, &json!("Orbit Terrarium - Large")),
        "{:?}",
        r.body
    );
    let r = app.gql(Some(&cached), lookup, &[]).await;
    assert_eq!(
        (r.status, &r.body["data"]["site"]["product"]["name"]),
        (200, &json!("Orbit Terrarium - Large")),
        "{:?}",
        r.body
    );
    let ready = app
        .client
        .get(app.url("/readyz"))
        .send()
        .await
        .expect("send");
    assert_eq!(ready.status(), 503);
    // A customer login during the outage is refused (to the login page), never signed in.
    let sso = app
        .client
        .get(app.url(&format!("/login/token/{}", app.login_jwt(json!({})))))
        .send()
        .await
        .expect("send");
    assert_eq!(
        sso.headers().get("location").and_then(|v| v.to_str().ok()),
        Some("/login.php?error=invalid_login")
    );
    assert!(sso.headers().get("set-cookie").is_none());

    let _proxy = Proxy::start(port).await;
    let restarted = Instant::now();
    let started = Instant::now();
    loop {
        let r = app
            .create_token(
                "api-token-private",
                json!({ "channel_id": 1, "expires_at": 2_147_483_647, "scopes": ["Customer"] }),
            )
            .await;
        if r.status == 200 {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "service did not resume: {:?}",
            r.body
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(app.gql(Some(&uncached), q, &[]).await.status, 200);
    let started = Instant::now();
    while app
        .client
        .get(app.url("/readyz"))
        .send()
        .await
        .expect("send")
        .status()
        != 200
    {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "readyz never recovered"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    println!(
        "service (and readiness) resumed {} ms after PostgreSQL came back",
        restarted.elapsed().as_millis()
    );
}

/// What the cookie-only storefront surfaces answer while the database is away: 503 from every
/// page, the REST Storefront API and the Current Customer API; the Customer Login API sends
/// the browser to the login page; never a success, a 404 or a 500.
async fn storefront_surfaces_answer_503(app: &TestApp, session: &str) {
    for path in ["/", "/login.php", "/cart.php", "/account.php"] {
        let (status, _, body) = app.page(path, Some(session)).await;
        assert_eq!(status, 503, "{path}: {body}");
    }
    let r = app
        .client
        .get(app.url("/api/storefront/carts"))
        .header("Cookie", session)
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 503);
    let body: serde_json::Value = r.json().await.expect("envelope");
    assert_eq!(body["status"], 503, "{body}");
    let r = app
        .client
        .post(app.url("/api/storefront/carts"))
        .json(&json!({ "lineItems": [{ "productId": 1, "quantity": 1 }] }))
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 503);
    let r = app
        .client
        .get(app.url(&format!(
            "/customer/current.jwt?app_client_id={}",
            app.creds.client_id
        )))
        .header("Cookie", session)
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 503);
    let r = app
        .client
        .post(app.url("/login.php"))
        .form(&[
            ("email", crate::helpers::JANE),
            ("password", crate::helpers::PASSWORD),
        ])
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 503, "no sign-in during an outage");
}

/// A session cookie of Jane's, made through the login form.
async fn signed_in_cookie(app: &TestApp) -> String {
    let r = app
        .client
        .post(app.url("/login.php"))
        .form(&[
            ("email", crate::helpers::JANE),
            ("password", crate::helpers::PASSWORD),
        ])
        .send()
        .await
        .expect("login");
    assert_eq!(r.status(), 303);
    let cookie = r.headers()["set-cookie"].to_str().expect("cookie");
    cookie.split(';').next().expect("pair").to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn storefront_pages_and_rest_answer_503_while_postgres_is_away() {
    let base = postgres_base();
    let proxy = Proxy::start(0).await;
    let url = fresh_schema(&base).replace("127.0.0.1:5432", &format!("127.0.0.1:{}", proxy.port));
    let app = TestApp::spawn_with(|c| c.database_url = Some(url.clone())).await;
    let session = signed_in_cookie(&app).await;
    let (status, _, _) = app.page("/account.php", Some(&session)).await;
    assert_eq!(status, 200);
    let port = proxy.cut();
    // Past the one-second caches (directory, sign-ins): the database must answer now.
    tokio::time::sleep(Duration::from_millis(1_100)).await;
    storefront_surfaces_answer_503(&app, &session).await;
    let _proxy = Proxy::start(port).await;
    let started = Instant::now();
    while app.page("/account.php", Some(&session)).await.0 != 200 {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "pages never recovered"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test]
async fn storefront_pages_and_rest_answer_503_while_sqlite_is_away() {
    let app = TestApp::spawn_with(|c| c.database_url = None).await;
    let session = signed_in_cookie(&app).await;
    assert_eq!(app.page("/account.php", Some(&session)).await.0, 200);
    // The embedded database's pool closed under the server: every query fails.
    app.server
        .as_ref()
        .expect("server")
        .state
        .domain
        .close()
        .await;
    tokio::time::sleep(Duration::from_millis(1_100)).await;
    storefront_surfaces_answer_503(&app, &session).await;
}
