//! The hosted checkout's limits over HTTP (issue 18 §2): links bound to their cart and
//! storefront, short lived and a few per cart; payments it cannot take refused with nothing
//! lost; concurrent opens and payments taking effect once.

use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::{TestApp, JANE, NOW};
use crate::hosted_checkout::{address, title};
#[tokio::test]
async fn checkout_links_are_bound_to_their_cart_short_lived_and_a_few_per_cart() {
    let app = TestApp::spawn().await;
    let token = app.private_token(&["Unauthenticated", "Customer"]).await;
    let guest = app
        .create_cart(
            &token,
            None,
            json!([{ "productEntityId": 4, "quantity": 2 }]),
        )
        .await;
    let other = app
        .create_cart(
            &token,
            None,
            json!([{ "productEntityId": 1, "quantity": 1 }]),
        )
        .await;
    let link = app.checkout_link(&token, None, &guest).await;
    // Another cart's id, a token that is no token, or none: refused, and the link still works.
    let token_of = link.split("token=").nth(1).unwrap().to_string();
    let wrong_cart = format!("/cart.php?action=loadInCheckout&id={other}&token={token_of}");
    for bad in [
        wrong_cart,
        format!("/cart.php?action=loadInCheckout&id={guest}&token=abc"),
        format!("/cart.php?action=loadInCheckout&id={guest}"),
        format!(
            "/cart.php?action=loadInCheckout&id={guest}&token={}",
            "0".repeat(64)
        ),
    ] {
        let r = app.open_link(&bad).await;
        assert_eq!((r.status, r.cookie.as_deref()), (400, None), "{bad}");
        assert!(r.body.contains("invalid, has expired or was already used"));
    }
    // A guest's link lands on the checkout with no sign-in; the guest's checkout page reads.
    let r = app.open_link(&link).await;
    assert_eq!(
        (r.status, r.location, r.cookie),
        (303, format!("/checkout?id={guest}"), None)
    );
    let (status, _, html) = app.page(&format!("/checkout?id={guest}"), None).await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains(r#"<a href="/login.php">Sign in</a>"#));

    // Short lived: a link not opened within its lifetime is refused.
    let late = app.checkout_link(&token, None, &guest).await;
    app.set_now(NOW + 601);
    assert_eq!(app.open_link(&late).await.status, 400);

    // A few per cart: the sixth link drops the first.
    let links = {
        let mut all = Vec::new();
        for _ in 0..6 {
            all.push(app.checkout_link(&token, None, &other).await);
        }
        all
    };
    assert_eq!(app.open_link(&links[0]).await.status, 400);
    assert_eq!(app.open_link(&links[5]).await.status, 303);
    assert_eq!(app.open_link(&links[1]).await.status, 303);

    // The embedded link lands on a checkout only the channel's site may frame.
    let embedded = app
        .checkout_link(&token, None, &guest)
        .await
        .replace("action=", "embedded=1&action=");
    let r = app.open_link(&embedded).await;
    assert_eq!(r.location, format!("/checkout?id={guest}&embedded=1"));
    let (_, headers, _) = app.page(&r.location, None).await;
    let csp = headers["content-security-policy"].to_str().unwrap();
    assert!(
        csp.ends_with("frame-ancestors http://localhost:4000"),
        "{csp}"
    );
}

#[tokio::test]
async fn the_hosted_checkout_refuses_what_it_cannot_take_and_loses_nothing() {
    let app = TestApp::spawn().await;
    let token = app.private_token(&["Unauthenticated", "Customer"]).await;
    let guest = app
        .create_cart(
            &token,
            None,
            json!([{ "productEntityId": 4, "quantity": 2 }]),
        )
        .await;
    let pay = |card: &'static str| app.hosted_pay(None, &guest, card);
    let r = pay("4111111111111111").await;
    assert_eq!(r.status, 422);
    assert_eq!(
        title(&r),
        "Enter a shipping address for every item and choose a shipping option."
    );
    let r = pay("4111-1111").await;
    assert_eq!(
        (r.status, title(&r).as_str()),
        (422, "Enter a card number of 12 to 19 digits.")
    );
    // Someone else's cart, another site, a body without the fields: refused.
    let jane = app.login_cat(&token, JANE).await;
    let hers = app
        .create_cart(
            &token,
            Some(&jane),
            json!([{ "productEntityId": 1, "quantity": 1 }]),
        )
        .await;
    assert_eq!(
        app.hosted_pay(None, &hers, "4111111111111111").await.status,
        404
    );
    let body = json!({ "checkoutId": guest, "cardNumber": "4111111111111111" });
    let r = app
        .rest(
            Method::POST,
            "/checkout/payment",
            None,
            Some("https://evil.example"),
            Some(body),
        )
        .await;
    assert_eq!(r.status, 403);
    let r = app
        .rest(
            Method::POST,
            "/checkout/payment",
            None,
            Some(&app.base),
            Some(json!({ "checkoutId": 1 })),
        )
        .await;
    assert_eq!(r.status, 400, "{:?}", r.body);
    // Shipped but not billed.
    let own = Some(app.base.as_str());
    let path = format!("/api/storefront/checkouts/{guest}");
    let r = app.rest(Method::GET, &path, None, own, None).await;
    let item = r.body["cart"]["lineItems"]["physicalItems"][0]["id"].clone();
    let shipped =
        json!([{ "address": address(), "lineItems": [{ "itemId": item, "quantity": 2 }] }]);
    let r = app
        .rest(
            Method::POST,
            &format!("{path}/consignments"),
            None,
            own,
            Some(shipped),
        )
        .await;
    let consignment = r.body["consignments"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let chosen = json!({ "shippingOptionId": "1" });
    app.rest(
        Method::PUT,
        &format!("{path}/consignments/{consignment}"),
        None,
        own,
        Some(chosen),
    )
    .await;
    let r = pay("4111111111111111").await;
    assert_eq!(
        (r.status, title(&r).as_str()),
        (422, "Enter a billing address with an email address.")
    );
    // Nothing was lost: the checkout is as it was, and no order was placed.
    let r = app.rest(Method::GET, &path, None, own, None).await;
    assert_eq!(
        r.body["cart"]["lineItems"]["physicalItems"][0]["quantity"],
        2
    );
    assert_eq!(
        (r.body["orderId"].clone(), r.body["grandTotal"].clone()),
        (Value::Null, json!(79.9))
    );

    // Pages with no checkout to show say so; /checkout without an id goes to the cart.
    for path in [
        "/checkout?id=nope",
        "/checkout/order-confirmation?id=nope",
        &format!("/checkout?id={hers}"),
    ] {
        let (status, _, html) = app.page(path, None).await;
        assert_eq!(status, 404, "{path}");
        assert!(html.contains(r#"id="checkout-problem""#), "{html}");
    }
    let (status, headers, _) = app.page("/checkout", None).await;
    assert_eq!(
        (status, headers["location"].to_str().unwrap()),
        (303, "/cart.php")
    );
    let (status, _, _) = app
        .page(&format!("/checkout/order-confirmation?id={guest}"), None)
        .await;
    assert_eq!(status, 404, "no order yet");
}

#[tokio::test]
async fn concurrent_opens_and_payments_take_effect_once() {
    let app = TestApp::spawn().await;
    let token = app.private_token(&["Unauthenticated", "Customer"]).await;
    let guest = app
        .create_cart(
            &token,
            None,
            json!([{ "productEntityId": 1, "quantity": 1 }]),
        )
        .await;
    let link = app.checkout_link(&token, None, &guest).await;
    let mut opens = tokio::task::JoinSet::new();
    for _ in 0..8 {
        let (client, url) = (app.client.clone(), app.url(&link));
        opens.spawn(async move {
            client
                .get(url)
                .send()
                .await
                .expect("send")
                .status()
                .as_u16()
        });
    }
    let statuses: Vec<u16> = opens.join_all().await;
    assert_eq!(
        statuses.iter().filter(|s| **s == 303).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 400).count(),
        7,
        "{statuses:?}"
    );

    app.ship_and_bill(None, &guest, "1").await;
    let mut pays = tokio::task::JoinSet::new();
    for _ in 0..4 {
        let (client, url, origin) = (
            app.client.clone(),
            app.url("/checkout/payment"),
            app.base.clone(),
        );
        let body = json!({ "checkoutId": guest, "cardNumber": "4111111111111111" });
        pays.spawn(async move {
            let r = client
                .post(url)
                .header("Origin", origin)
                .json(&body)
                .send()
                .await
                .expect("send");
            (r.status().as_u16(), r.json::<Value>().await.expect("json"))
        });
    }
    let pays: Vec<(u16, Value)> = pays.join_all().await;
    let created: Vec<&Value> = pays.iter().filter(|r| r.0 == 201).map(|r| &r.1).collect();
    assert_eq!(created.len(), 1, "{pays:?}");
    let order = created[0]["data"]["orderId"].as_i64().unwrap();
    for (status, body) in pays.iter().filter(|r| r.0 != 201) {
        assert_eq!(
            (*status, body["orderId"].as_i64()),
            (409, Some(order)),
            "{body:?}"
        );
    }
    let (status, _, html) = app
        .page(&format!("/checkout/order-confirmation?id={guest}"), None)
        .await;
    assert_eq!(status, 200);
    assert!(
        html.contains(&format!(r#"<strong id="order-id">{order}</strong>"#))
            && html.contains("$119.00"),
        "{html}"
    );
}
