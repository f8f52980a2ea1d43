//! Storefront pages, the auto-generated token and the REST Storefront API (SPEC §8), over HTTP.

use serde_json::{json, Value};

use crate::helpers::{decode, message, Resp, TestApp, JANE, NOW, PASSWORD};

const SITE: &str = "http://localhost:4000";

impl TestApp {
    pub(crate) async fn page(
        &self,
        path: &str,
        cookie: Option<&str>,
    ) -> (u16, reqwest::header::HeaderMap, String) {
        let mut req = self.client.get(self.url(path));
        if let Some(c) = cookie {
            req = req.header("Cookie", c);
        }
        let r = req.send().await.expect("send");
        let (status, headers) = (r.status().as_u16(), r.headers().clone());
        (status, headers, r.text().await.expect("text"))
    }

    /// The auto-generated token embedded in the home page.
    pub(crate) async fn page_token(&self) -> String {
        let (status, headers, html) = self.page("/", None).await;
        assert_eq!(status, 200, "{html}");
        assert!(headers["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("script-src 'unsafe-inline'"));
        assert!(!html.contains("<script src"), "no external scripts");
        let start = html.find("const STOREFRONT_TOKEN = \"").expect("token") + 26;
        html[start..].split('"').next().unwrap().to_string()
    }

    pub(crate) async fn rest(
        &self,
        method: reqwest::Method,
        path: &str,
        cookie: Option<&str>,
        origin: Option<&str>,
        body: Option<Value>,
    ) -> Resp {
        let mut req = self.client.request(method, self.url(path));
        if let Some(c) = cookie {
            req = req.header("Cookie", c);
        }
        if let Some(o) = origin {
            req = req.header("Origin", o);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        Resp::from(req.send().await.expect("send")).await
    }

    /// Signs in on /login.php and returns the `SHOP_TOKEN=…` cookie pair.
    pub(crate) async fn form_login(
        &self,
        email: &str,
        password: &str,
    ) -> Result<String, (u16, String)> {
        let r = self
            .client
            .post(self.url("/login.php"))
            .form(&[("email", email), ("password", password)])
            .send()
            .await
            .expect("send");
        let status = r.status().as_u16();
        if status != 303 {
            return Err((status, r.text().await.unwrap()));
        }
        assert_eq!(r.headers()["location"], "/account.php");
        let set = r.headers()["set-cookie"].to_str().unwrap().to_string();
        assert!(
            set.contains("HttpOnly") && set.contains("SameSite=Lax"),
            "{set}"
        );
        Ok(set.split(';').next().unwrap().to_string())
    }
}

const CHANNEL_QUERY: &str = "{ channel { entityId } }";

#[tokio::test]
async fn the_auto_generated_token_is_a_platform_token_for_the_channel_origin_and_rotates() {
    let app = TestApp::spawn().await;
    let token = app.page_token().await;
    let (header, claims) = decode(&token);
    assert_eq!(header["alg"], "ES256");
    assert_eq!(
        (claims["sub"].as_str(), claims["sub_type"].as_i64()),
        (Some("BC"), Some(0))
    );
    assert_eq!(claims["token_type"], 1);
    assert_eq!(claims["cors"], json!([SITE]));
    assert_eq!(claims["cid"], json!([1]));
    assert_eq!(
        claims["eat"].as_i64().unwrap() - claims["iat"].as_i64().unwrap(),
        48 * 3600
    );

    // Accepted from the channel's origin; refused from another; refused server-to-server
    // because it was created after 2026-06-30.
    let r = app
        .gql(Some(&token), CHANNEL_QUERY, &[("Origin", SITE)])
        .await;
    assert_eq!(
        (r.status, &r.body["data"]["channel"]["entityId"]),
        (200, &json!(1)),
        "{:?}",
        r.body
    );
    let r = app
        .gql(
            Some(&token),
            CHANNEL_QUERY,
            &[("Origin", "http://evil.example")],
        )
        .await;
    assert_eq!(r.status, 403);
    assert!(message(&r).starts_with("'Origin' header invalid"));
    let r = app.gql(Some(&token), CHANNEL_QUERY, &[]).await;
    assert_eq!(r.status, 403);
    assert_eq!(message(&r), "Request not allowed: storefront tokens created after 2026-06-30 cannot be used for server-to-server requests. Use a private token.");

    // The same token while 24 h or more remain; a new one once less remains.
    assert_eq!(app.page_token().await, token);
    app.set_now(NOW + 24 * 3600);
    assert_eq!(app.page_token().await, token, "exactly 24 h left: kept");
    app.set_now(NOW + 24 * 3600 + 1);
    let rotated = app.page_token().await;
    assert_ne!(rotated, token);
    assert_eq!(decode(&rotated).1["iat"], NOW + 24 * 3600 + 1);
    assert_eq!(app.page_token().await, rotated, "stable after rotating");
    // Pages rendered before the rotation keep working until their token expires.
    assert_eq!(
        app.gql(Some(&token), CHANNEL_QUERY, &[("Origin", SITE)])
            .await
            .status,
        200
    );
    app.set_now(NOW + 48 * 3600 + 1);
    let r = app
        .gql(Some(&token), CHANNEL_QUERY, &[("Origin", SITE)])
        .await;
    assert_eq!(
        (r.status, message(&r).as_str()),
        (401, "GraphQL invalid credentials. JWT is expired")
    );
    assert_eq!(
        app.gql(Some(&rotated), CHANNEL_QUERY, &[("Origin", SITE)])
            .await
            .status,
        200
    );
    // The tokens are in the inventory as platform tokens; revoking one makes pages rotate.
    let platform: Vec<Value> = app
        .inventory()
        .await
        .into_iter()
        .filter(|t| t["subject"] == "BC")
        .collect();
    assert_eq!(platform.len(), 2, "{platform:?}");
    assert_eq!(app.revoke(&rotated).await.status, 200);
    let fresh = app.page_token().await;
    assert_ne!(fresh, rotated);
    assert_eq!(
        app.gql(Some(&fresh), CHANNEL_QUERY, &[("Origin", SITE)])
            .await
            .status,
        200
    );
}

#[tokio::test]
async fn pages_sign_in_with_the_form_and_show_the_account() {
    let app = TestApp::spawn().await;
    let (status, _, html) = app.page("/", None).await;
    assert_eq!(status, 200);
    assert!(
        html.contains("data-product=\"1\"") && html.contains("Sign in"),
        "{html}"
    );
    let (status, headers, _) = app.page("/account.php", None).await;
    assert_eq!(
        (status, headers["location"].to_str().unwrap()),
        (302, "/login.php")
    );
    let (status, _, html) = app.page("/login.php?error=invalid_login", None).await;
    assert_eq!(status, 200);
    assert!(html.contains("id=\"login-error\""));

    let (status, body) = app.form_login(JANE, "wrong").await.unwrap_err();
    assert_eq!(status, 401);
    assert!(body.contains("Invalid credentials"), "{body}");
    let r = app
        .client
        .post(app.url("/login.php"))
        .header("Origin", "http://evil.example")
        .form(&[("email", JANE), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 403, "cross-origin form post");

    let cookie = app.form_login(JANE, PASSWORD).await.unwrap();
    let (status, _, html) = app.page("/account.php", Some(&cookie)).await;
    assert_eq!(status, 200);
    assert!(html.contains("Jane Doe &lt;jane@example.com&gt;"), "{html}");
    let (status, _, html) = app.page("/cart.php", Some(&cookie)).await;
    assert_eq!(status, 200);
    assert!(html.contains("Signed in as Jane"));

    // What the page's script does: the embedded token + the cookie, from the channel origin.
    let token = app.page_token().await;
    let r = app
        .gql(
            Some(&token),
            "{ customer { email } }",
            &[("Origin", SITE), ("Cookie", &cookie)],
        )
        .await;
    assert_eq!(r.body["data"]["customer"]["email"], JANE, "{:?}", r.body);
    // current.jwt answers for the session.
    let r = app
        .client
        .get(app.url(&format!(
            "/customer/current.jwt?app_client_id={}",
            app.creds.client_id
        )))
        .header("Cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
}

#[tokio::test]
async fn rest_storefront_carts_use_the_session_cookie_and_refuse_cross_origin() {
    let app = TestApp::spawn().await;
    let cookie = app.form_login(JANE, PASSWORD).await.unwrap();
    let own = app.base.clone();
    let lines = json!({ "lineItems": [{ "productId": 1, "quantity": 2 }] });
    let r = app
        .rest(
            reqwest::Method::POST,
            "/api/storefront/carts",
            Some(&cookie),
            Some(&own),
            Some(lines.clone()),
        )
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.body["customerId"], 1);
    let id = r.body["id"].as_str().unwrap().to_string();
    let r = app
        .rest(
            reqwest::Method::POST,
            &format!("/api/storefront/carts/{id}/items"),
            Some(&cookie),
            Some(SITE),
            Some(json!({ "lineItems": [{ "productId": 2, "quantity": 1 }] })),
        )
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(
        r.body["lineItems"]["physicalItems"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    let r = app
        .rest(
            reqwest::Method::GET,
            "/api/storefront/carts",
            Some(&cookie),
            None,
            None,
        )
        .await;
    assert_eq!(r.body[0]["id"], id.as_str());

    // Cross-origin: 403, no CORS headers, nothing changed.
    let r = app
        .rest(
            reqwest::Method::POST,
            "/api/storefront/carts",
            Some(&cookie),
            Some("http://evil.example"),
            Some(lines.clone()),
        )
        .await;
    assert_eq!(r.status, 403, "{:?}", r.body);
    assert!(r.header("access-control-allow-origin").is_none());
    let r = app
        .rest(
            reqwest::Method::DELETE,
            &format!("/api/storefront/carts/{id}"),
            Some(&cookie),
            Some("http://evil.example"),
            None,
        )
        .await;
    assert_eq!(r.status, 403);
    let r = app
        .client
        .request(reqwest::Method::OPTIONS, app.url("/api/storefront/carts"))
        .header("Origin", "http://evil.example")
        .header("Access-Control-Request-Method", "POST")
        .send()
        .await
        .unwrap();
    assert!(r.headers().get("access-control-allow-origin").is_none());
    let r = app
        .rest(
            reqwest::Method::GET,
            &format!("/api/storefront/carts/{id}"),
            Some(&cookie),
            None,
            None,
        )
        .await;
    assert_eq!(
        r.body["lineItems"]["physicalItems"]
            .as_array()
            .unwrap()
            .len(),
        2,
        "unchanged"
    );

    // No cookie: not this session's cart. A guest gets a session of its own.
    let r = app
        .rest(
            reqwest::Method::GET,
            &format!("/api/storefront/carts/{id}"),
            None,
            None,
            None,
        )
        .await;
    assert_eq!(r.status, 404);
    let r = app
        .rest(
            reqwest::Method::POST,
            "/api/storefront/carts",
            None,
            None,
            Some(lines.clone()),
        )
        .await;
    assert_eq!(r.status, 200);
    let guest = r
        .header("set-cookie")
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    assert!(guest.starts_with("SHOP_SESSION_TOKEN="));
    let guest_cart = r.body["id"].as_str().unwrap().to_string();
    let r = app
        .rest(
            reqwest::Method::GET,
            "/api/storefront/carts",
            Some(&guest),
            None,
            None,
        )
        .await;
    assert_eq!(r.body[0]["id"], guest_cart.as_str());
    let r = app
        .rest(
            reqwest::Method::GET,
            &format!("/api/storefront/carts/{guest_cart}"),
            Some(&cookie),
            None,
            None,
        )
        .await;
    assert_eq!(r.status, 404, "another session's cart");
    // Bad bodies are refused.
    let r = app
        .rest(
            reqwest::Method::POST,
            "/api/storefront/carts",
            Some(&cookie),
            None,
            Some(json!({ "lineItems": [{ "productId": 999, "quantity": 1 }] })),
        )
        .await;
    assert_eq!(r.status, 422);
    assert_eq!(r.body["title"], "Product 999 does not exist.");
    let r = app
        .rest(
            reqwest::Method::POST,
            "/api/storefront/carts",
            Some(&cookie),
            None,
            Some(json!({ "items": [] })),
        )
        .await;
    assert_eq!(r.status, 422);

    let r = app
        .rest(
            reqwest::Method::DELETE,
            &format!("/api/storefront/carts/{id}"),
            Some(&cookie),
            Some(&own),
            None,
        )
        .await;
    assert_eq!(r.status, 204);
    let r = app
        .rest(
            reqwest::Method::GET,
            &format!("/api/storefront/carts/{id}"),
            Some(&cookie),
            None,
            None,
        )
        .await;
    assert_eq!(r.status, 404);
}
