//! The hosted checkout and session sync over HTTP (issue 18 §2, SPEC §12): a headless session
//! (private token + CAT) makes a checkout link, the link lands a browser signed in on this
//! server's checkout, the checkout is shipped, billed and paid with the test card, and the
//! order shows on the confirmation page and in `customer.orders`. Links are single use, short
//! lived, bound to their cart, and carry a sign-in only while it lives.

use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::{Resp, TestApp, JANE, PASSWORD};

/// Catalyst's checkout redirect, analytics input included.
const REDIRECT: &str = "mutation($id: String!) { cart { createCartRedirectUrls(input: { cartEntityId: $id, analytics: { initiator: { visitId: \"v\", visitorId: \"w\" }, request: { url: \"https://shop.example/cart\", userAgent: \"test\" }, consent: { analytics: true, functional: true, targeting: false } } }) { errors { ... on NotFoundError { __typename } } redirectUrls { redirectedCheckoutUrl embeddedCheckoutUrl } } } }";
const ORDERS: &str = "{ customer { orders { edges { node { entityId status { value } } } } } }";

pub(crate) struct Opened {
    pub status: u16,
    pub location: String,
    /// The `SHOP_TOKEN=…` pair, when the link signed the browser in.
    pub cookie: Option<String>,
    pub body: String,
}

/// The `title` of a REST refusal.
pub(crate) fn title(r: &Resp) -> String {
    r.body["title"].as_str().unwrap_or_default().to_string()
}

pub(crate) fn address() -> Value {
    json!({ "email": "jane@example.com", "firstName": "Jane", "lastName": "Doe", "address1": "500 Market St",
        "city": "San Francisco", "stateOrProvince": "CA", "countryCode": "US", "postalCode": "94105" })
}

impl TestApp {
    /// A headless session: a private token, Jane's CAT, and her cart of one product 1.
    pub(crate) async fn headless_jane(&self) -> (String, String, String) {
        let token = self.private_token(&["Unauthenticated", "Customer"]).await;
        let jane = self.login_cat(&token, JANE).await;
        let line = json!([{ "productEntityId": 1, "quantity": 1 }]);
        let cart = self.create_cart(&token, Some(&jane), line).await;
        (token, jane, cart)
    }

    /// A hosted checkout link for `cart`, as a path on this server.
    pub(crate) async fn checkout_link(&self, token: &str, cat: Option<&str>, cart: &str) -> String {
        let r = self
            .cart_op(token, cat, REDIRECT, json!({ "id": cart }))
            .await;
        let urls = &r.body["data"]["cart"]["createCartRedirectUrls"]["redirectUrls"];
        let url = urls["redirectedCheckoutUrl"]
            .as_str()
            .unwrap_or_else(|| panic!("{:?}", r.body));
        assert_eq!(
            urls["embeddedCheckoutUrl"].as_str().unwrap(),
            url.replace("action=", "embedded=1&action=")
        );
        url.strip_prefix(&self.base)
            .expect("on this server")
            .to_string()
    }

    pub(crate) async fn open_link(&self, path: &str) -> Opened {
        let r = self.client.get(self.url(path)).send().await.expect("send");
        let header = |n: &str| r.headers().get(n).map(|v| v.to_str().unwrap().to_string());
        let (location, set) = (header("location").unwrap_or_default(), header("set-cookie"));
        if let Some(s) = &set {
            assert!(s.contains("HttpOnly") && s.contains("SameSite=Lax"), "{s}");
        }
        let cookie = set.map(|s| s.split(';').next().unwrap().to_string());
        let status = r.status().as_u16();
        Opened {
            status,
            location,
            cookie,
            body: r.text().await.unwrap(),
        }
    }

    /// `POST /checkout/payment` as the page's script sends it.
    pub(crate) async fn hosted_pay(&self, cookie: Option<&str>, id: &str, card: &str) -> Resp {
        let body = json!({ "checkoutId": id, "cardNumber": card, "cardholderName": "Jane Doe" });
        self.rest(
            Method::POST,
            "/checkout/payment",
            cookie,
            Some(&self.base),
            Some(body),
        )
        .await
    }

    /// Ships every line of checkout `id` to `address()`, bills it there, and chooses `option`.
    pub(crate) async fn ship_and_bill(
        &self,
        cookie: Option<&str>,
        id: &str,
        option: &str,
    ) -> Value {
        let own = Some(self.base.as_str());
        let path = format!("/api/storefront/checkouts/{id}");
        let r = self.rest(Method::GET, &path, cookie, own, None).await;
        assert_eq!(r.status, 200, "{:?}", r.body);
        let lines: Vec<Value> = r.body["cart"]["lineItems"]["physicalItems"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| json!({ "itemId": l["id"], "quantity": l["quantity"] }))
            .collect();
        let shipped = json!([{ "address": address(), "lineItems": lines }]);
        let r = self
            .rest(
                Method::POST,
                &format!("{path}/consignments"),
                cookie,
                own,
                Some(shipped),
            )
            .await;
        assert_eq!(r.status, 200, "{:?}", r.body);
        let consignment = r.body["consignments"][0]["id"]
            .as_str()
            .unwrap()
            .to_string();
        let r = self
            .rest(
                Method::POST,
                &format!("{path}/billing-address"),
                cookie,
                own,
                Some(address()),
            )
            .await;
        assert_eq!(r.status, 200, "{:?}", r.body);
        let chosen = json!({ "shippingOptionId": option });
        let r = self
            .rest(
                Method::PUT,
                &format!("{path}/consignments/{consignment}"),
                cookie,
                own,
                Some(chosen),
            )
            .await;
        assert_eq!(r.status, 200, "{:?}", r.body);
        r.body
    }
}

#[tokio::test]
async fn a_headless_session_lands_signed_in_on_the_hosted_checkout_pays_and_sees_its_order() {
    let app = TestApp::spawn().await;
    let (token, jane, cart) = app.headless_jane().await;
    let link = app.checkout_link(&token, Some(&jane), &cart).await;
    assert!(
        link.starts_with(&format!("/cart.php?action=loadInCheckout&id={cart}&token=")),
        "{link}"
    );

    let opened = app.open_link(&link).await;
    assert_eq!(
        (opened.status, opened.location.as_str()),
        (303, format!("/checkout?id={cart}").as_str()),
        "{}",
        opened.body
    );
    let cookie = opened.cookie.expect("signed in by the link");
    // Single use: the same link again lands nowhere and signs nobody in.
    let again = app.open_link(&link).await;
    assert_eq!((again.status, again.cookie), (400, None));
    assert!(
        again
            .body
            .contains("invalid, has expired or was already used"),
        "{}",
        again.body
    );

    let (status, headers, html) = app
        .page(&format!("/checkout?id={cart}"), Some(&cookie))
        .await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("Signed in as Jane"), "{html}");
    assert!(html.contains(&format!(r#"data-checkout-id="{cart}""#)));
    assert!(html.contains(r#"value="jane@example.com""#));
    assert!(headers["content-security-policy"]
        .to_str()
        .unwrap()
        .contains("frame-ancestors 'none'"));
    // The headless session goes on: the link did not sign Jane out there.
    let r = app
        .cart_op(&token, Some(&jane), "{ customer { email } }", json!({}))
        .await;
    assert_eq!(r.body["data"]["customer"]["email"], JANE, "{:?}", r.body);

    let checkout = app.ship_and_bill(Some(&cookie), &cart, "2").await;
    assert_eq!(checkout["grandTotal"], json!(134.0), "{checkout:?}");
    // A declined card leaves the order placed and awaiting payment; a retry pays that order.
    let r = app
        .hosted_pay(Some(&cookie), &cart, "4000 0000 0000 0002")
        .await;
    assert_eq!(r.status, 422, "{:?}", r.body);
    assert_eq!(
        title(&r),
        "The card was declined. Check the number or use another card."
    );
    let declined_order = r.body["orderId"].as_i64().expect("order kept");
    let r = app
        .hosted_pay(Some(&cookie), &cart, "4111 1111 1111 1111")
        .await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    let order = r.body["data"]["orderId"].as_i64().unwrap();
    assert_eq!(order, declined_order);
    let confirmation = format!("/checkout/order-confirmation?id={cart}");
    assert_eq!(r.body["data"]["confirmationUrl"], confirmation.as_str());
    let r = app
        .hosted_pay(Some(&cookie), &cart, "4111111111111111")
        .await;
    assert_eq!(
        (r.status, r.body["orderId"].as_i64()),
        (409, Some(order)),
        "{:?}",
        r.body
    );

    let (status, _, html) = app.page(&confirmation, Some(&cookie)).await;
    assert_eq!(status, 200, "{html}");
    assert!(
        html.contains(&format!(r#"<strong id="order-id">{order}</strong>"#)),
        "{html}"
    );
    assert!(
        html.contains("Awaiting Fulfillment") && html.contains("$134.00"),
        "{html}"
    );
    let (status, headers, _) = app
        .page(&format!("/checkout?id={cart}"), Some(&cookie))
        .await;
    assert_eq!(
        (status, headers["location"].to_str().unwrap()),
        (303, confirmation.as_str())
    );

    // The headless session sees the order, paid.
    let r = app.cart_op(&token, Some(&jane), ORDERS, json!({})).await;
    let edges = r.body["data"]["customer"]["orders"]["edges"]
        .as_array()
        .expect("orders")
        .clone();
    let node = edges
        .iter()
        .find(|e| e["node"]["entityId"] == order)
        .expect("the order")
        .clone();
    assert_eq!(node["node"]["status"]["value"], "AWAITING_FULFILLMENT");

    // Logging out of the headless session ends the checkout's sign-in with it.
    let r = app
        .cart_op(
            &token,
            Some(&jane),
            "mutation { logout { result } }",
            json!({}),
        )
        .await;
    assert_eq!(
        r.body["data"]["logout"]["result"], "success",
        "{:?}",
        r.body
    );
    let (status, _, html) = app.page(&confirmation, Some(&cookie)).await;
    assert_eq!(status, 404, "{html}");
    assert!(html.contains(r#"<a href="/login.php">Sign in</a>"#));
}

#[tokio::test]
async fn a_link_carries_a_sign_in_only_while_it_lives() {
    let app = TestApp::spawn().await;
    let (token, jane, cart) = app.headless_jane().await;
    // Made signed in, opened after that sign-in ended: no sign-in, a clear page.
    let link = app.checkout_link(&token, Some(&jane), &cart).await;
    app.cart_op(
        &token,
        Some(&jane),
        "mutation { logout { result } }",
        json!({}),
    )
    .await;
    let r = app.open_link(&link).await;
    assert_eq!((r.status, r.cookie), (403, None));
    assert!(
        r.body
            .contains("The sign-in this checkout link carried has ended."),
        "{}",
        r.body
    );

    // A new sign-in elsewhere ends the checkout's synced sign-in, as it ends every other.
    let jane = app.login_cat(&token, JANE).await;
    let link = app.checkout_link(&token, Some(&jane), &cart).await;
    let cookie = app.open_link(&link).await.cookie.expect("signed in");
    let (status, _, _) = app.page("/account.php", Some(&cookie)).await;
    assert_eq!(status, 200);
    app.form_login(JANE, PASSWORD)
        .await
        .expect("signed in elsewhere");
    let (status, headers, _) = app.page("/account.php", Some(&cookie)).await;
    assert_eq!(
        (status, headers["location"].to_str().unwrap()),
        (302, "/login.php")
    );

    // The platform's embedded-checkout recipe: a server makes a guest link, and a Customer
    // Login JWT whose redirect_to is that link signs the customer in on the way to it.
    let guest = app
        .create_cart(
            &token,
            None,
            json!([{ "productEntityId": 4, "quantity": 1 }]),
        )
        .await;
    let link = app.checkout_link(&token, None, &guest).await;
    let jwt = app.login_jwt(json!({ "redirect_to": link }));
    let r = app
        .client
        .get(app.url(&format!("/login/token/{jwt}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 302);
    assert_eq!(r.headers()["location"].to_str().unwrap(), link);
    let set = r.headers()["set-cookie"].to_str().unwrap();
    let cookie = set.split(';').next().unwrap().to_string();
    let opened = app.open_link(&link).await;
    assert_eq!(
        (opened.status, opened.location.clone(), opened.cookie),
        (303, format!("/checkout?id={guest}"), None)
    );
    let (status, _, html) = app.page(&opened.location, Some(&cookie)).await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("Signed in as Jane"), "{html}");
}
