//! Checkout and payments (SPEC §5.6, §7) over HTTP: completeCheckout → PAT → payment, the
//! customer's orders, every PAT refusal, the PAT's hour, and Catalyst's checkout redirect.

use serde_json::{json, Value};

use crate::commerce::COMPLETE;
use crate::helpers::{message, TestApp, JANE, VIP};

const ORDERS: &str = "{ customer { orders { edges { node { entityId status { value } totalIncTax { value } } } } } }";

#[tokio::test]
async fn checkout_issues_a_pat_that_pays_once_for_its_own_order() {
    let app = TestApp::spawn().await;
    let token = app.private_token(&["Unauthenticated", "Customer"]).await;
    let jane = app.login_cat(&token, JANE).await;
    let cart = app
        .create_cart(
            &token,
            Some(&jane),
            json!([{ "productEntityId": 1, "quantity": 2 }]),
        )
        .await;
    let amount = app.read_cart(&token, Some(&jane), &cart).await["amount"]["value"]
        .as_f64()
        .unwrap();
    let r = app
        .cart_op(&token, Some(&jane), COMPLETE, json!({ "id": cart }))
        .await;
    let done = &r.body["data"]["checkout"]["completeCheckout"];
    let order_id = done["orderEntityId"]
        .as_i64()
        .unwrap_or_else(|| panic!("{:?}", r.body));
    let pat = done["paymentAccessToken"].as_str().unwrap().to_string();
    let (header, claims) = crate::helpers::decode(&pat);
    assert_eq!(header["alg"], "HS256");
    assert_eq!(claims["iss"], "payments.bigcommerce.com");
    assert_eq!(claims["sub"], "demo");
    assert_eq!(
        claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap(),
        3600
    );
    assert_eq!(claims["data"]["order_id"], order_id.to_string());
    assert_eq!(claims["data"]["amount"], (amount * 100.0).round() as i64);
    // A second checkout of the same cart is refused; so is changing the ordered cart.
    let r = app
        .cart_op(&token, Some(&jane), COMPLETE, json!({ "id": cart }))
        .await;
    assert_eq!(
        r.body["data"]["checkout"]["completeCheckout"]["errors"][0]["message"],
        "An order was already placed from this cart."
    );

    // The order is visible to Jane, as INCOMPLETE, from the checkout and in her orders.
    let q = "query($id: String) { site { checkout(entityId: $id) { order { entityId status { value } } } } }";
    let r = app
        .cart_op(&token, Some(&jane), q, json!({ "id": cart }))
        .await;
    assert_eq!(
        r.body["data"]["site"]["checkout"]["order"]["status"]["value"], "INCOMPLETE",
        "{:?}",
        r.body
    );
    // Checkout.order needs the Customer scope: without it the checkout resolves and its order
    // is null with INSUFFICIENT_ACCESS_SCOPE.
    let unauthenticated = app.private_token(&["Unauthenticated"]).await;
    let q2 =
        "query($id: String) { site { checkout(entityId: $id) { entityId order { entityId } } } }";
    let r = app
        .cart_op(&unauthenticated, Some(&jane), q2, json!({ "id": cart }))
        .await;
    assert_eq!(
        r.body["data"]["site"]["checkout"]["entityId"],
        cart.as_str(),
        "{:?}",
        r.body
    );
    assert_eq!(r.body["data"]["site"]["checkout"]["order"], Value::Null);
    assert_eq!(
        r.body["errors"][0]["extensions"]["code"],
        "INSUFFICIENT_ACCESS_SCOPE"
    );
    assert_eq!(
        r.body["errors"][0]["path"],
        json!(["site", "checkout", "order"])
    );
    let r = app.cart_op(&token, Some(&jane), ORDERS, json!({})).await;
    assert_eq!(
        r.body["data"]["customer"]["orders"]["edges"][0]["node"]["entityId"],
        order_id
    );

    // Declined: the PAT is used up, the order still awaits payment.
    let r = app.pay("demo", &pat, "4000000000000002").await;
    assert_eq!(r.status, 422, "{:?}", r.body);
    assert_eq!(r.body["title"], "Payment was declined. Please try again.");
    let r = app.pay("demo", &pat, "4111111111111111").await;
    assert_eq!(r.status, 401, "a used PAT: {:?}", r.body);

    // A fresh PAT from the management API pays.
    let r = app
        .mgmt(
            reqwest::Method::POST,
            "/v3/payments/access_tokens",
            Some(json!({ "order": { "id": order_id } })),
        )
        .await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    let pat2 = r.body["data"]["id"].as_str().unwrap().to_string();
    // More PATs for the same order: one presented together with pat2, one kept for later.
    let another_pat = || async {
        let r = app
            .mgmt(
                reqwest::Method::POST,
                "/v3/payments/access_tokens",
                Some(json!({ "order": { "id": order_id } })),
            )
            .await;
        r.body["data"]["id"].as_str().unwrap().to_string()
    };
    let rival = another_pat().await;
    let spare = another_pat().await;
    // Not with a forged order id, nor at another store's URL, nor without the media type.
    let forged = {
        let parts: Vec<&str> = pat2.split('.').collect();
        let (_, mut c) = crate::helpers::decode(&pat2);
        c["data"]["order_id"] = json!("9999");
        use base64::Engine;
        let p = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(c.to_string());
        format!("{}.{}.{}", parts[0], p, parts[2])
    };
    assert_eq!(
        app.pay("demo", &forged, "4111111111111111").await.status,
        401
    );
    // At a store that exists (a PAT names its store; "other" is created for this).
    assert!(app
        .cli(&["stores", "create", "--hash", "other", "--name", "Other"])
        .status
        .success());
    let r = app.pay("other", &pat2, "4111111111111111").await;
    assert_eq!(r.status, 401, "another store's PAT: {:?}", r.body);
    let r = app
        .client
        .post(app.url("/stores/demo/payments"))
        .header("Authorization", format!("PAT {pat2}"))
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 406);
    // Two PATs of one order presented at once: exactly one pays.
    let (a, b) = tokio::join!(
        app.pay("demo", &pat2, "4111111111111111"),
        app.pay("demo", &rival, "4111111111111111")
    );
    let (paid, refused) = if a.status == 201 { (a, b) } else { (b, a) };
    assert_eq!(paid.status, 201, "{:?}", paid.body);
    assert_eq!(paid.body["data"]["status"], "success");
    assert_eq!(paid.body["data"]["transaction_type"], "purchase");
    assert_eq!(
        (refused.status, refused.body["title"].clone()),
        (422, json!("Order is invalid: it is not awaiting payment.")),
        "{:?}",
        refused.body
    );
    let r = app.pay("demo", &pat2, "4111111111111111").await;
    assert_eq!(r.status, 401, "PAT reuse: {:?}", r.body);
    let r = app.cart_op(&token, Some(&jane), ORDERS, json!({})).await;
    assert_eq!(
        r.body["data"]["customer"]["orders"]["edges"][0]["node"]["status"]["value"],
        "AWAITING_FULFILLMENT"
    );

    // A PAT for a paid order cannot be had; an unknown order is 404; a bad body 422.
    let r = app
        .mgmt(
            reqwest::Method::POST,
            "/v3/payments/access_tokens",
            Some(json!({ "order": { "id": order_id } })),
        )
        .await;
    assert_eq!(r.status, 422, "{:?}", r.body);
    let r = app
        .mgmt(
            reqwest::Method::POST,
            "/v3/payments/access_tokens",
            Some(json!({ "order": { "id": 424242 } })),
        )
        .await;
    assert_eq!(r.status, 404);
    let r = app
        .mgmt(
            reqwest::Method::POST,
            "/v3/payments/access_tokens",
            Some(json!({})),
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body["errors"]["order:required"].is_string());

    // A PAT of one order cannot pay another: the second order's PAT is bound to its own
    // order and amount, and paying it leaves the first order alone.
    let vip = app.login_cat(&token, VIP).await;
    let cart2 = app
        .create_cart(
            &token,
            Some(&vip),
            json!([{ "productEntityId": 1, "quantity": 2 }]),
        )
        .await;
    let r = app
        .cart_op(&token, Some(&vip), COMPLETE, json!({ "id": cart2 }))
        .await;
    let done = &r.body["data"]["checkout"]["completeCheckout"];
    let order2 = done["orderEntityId"].as_i64().unwrap();
    assert_ne!(order2, order_id);
    let (_, c2) = crate::helpers::decode(done["paymentAccessToken"].as_str().unwrap());
    assert_eq!(c2["data"]["order_id"], order2.to_string());
    assert!(
        c2["data"]["amount"].as_i64().unwrap() < (amount * 100.0).round() as i64,
        "VIP prices"
    );
    // The spare PAT of the (now paid) first order does not pay anything else: it is refused
    // and VIP's order still awaits payment.
    let r = app.pay("demo", &spare, "4111111111111111").await;
    assert_eq!(r.status, 422, "{:?}", r.body);
    assert_eq!(
        r.body["title"],
        "Order is invalid: it is not awaiting payment."
    );
    let r = app.cart_op(&token, Some(&vip), ORDERS, json!({})).await;
    let status_of_order2 = r.body["data"]["customer"]["orders"]["edges"]
        .as_array()
        .expect("orders")
        .iter()
        .find(|e| e["node"]["entityId"] == order2)
        .map(|e| e["node"]["status"]["value"].clone());
    assert_eq!(status_of_order2, Some(json!("INCOMPLETE")), "{:?}", r.body);
    // Jane cannot see VIP's order through the checkout.
    let r = app
        .cart_op(&token, Some(&jane), q, json!({ "id": cart2 }))
        .await;
    assert_eq!(r.body["data"]["site"]["checkout"], Value::Null);
}

/// SPEC §7: a PAT lives one hour; past it the payment is refused, and a fresh PAT pays.
#[tokio::test]
async fn a_pat_expires_after_an_hour() {
    let app = TestApp::spawn().await;
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
        .cart_op(&token, Some(&jane), COMPLETE, json!({ "id": cart }))
        .await;
    let done = &r.body["data"]["checkout"]["completeCheckout"];
    let (order, pat) = (
        done["orderEntityId"].as_i64().unwrap(),
        done["paymentAccessToken"].as_str().unwrap().to_string(),
    );
    app.set_now(crate::helpers::NOW + 3_600);
    let at_the_hour = app.pay("demo", &pat, "4000000000000002").await;
    assert_eq!(
        at_the_hour.status, 401,
        "expired at exp: {:?}",
        at_the_hour.body
    );
    let fresh = app
        .mgmt(
            reqwest::Method::POST,
            "/v3/payments/access_tokens",
            Some(json!({ "order": { "id": order } })),
        )
        .await;
    let fresh = fresh.body["data"]["id"].as_str().unwrap().to_string();
    app.set_now(crate::helpers::NOW + 3_600 + 3_599);
    let r = app.pay("demo", &fresh, "4111111111111111").await;
    assert_eq!(r.status, 201, "within its hour: {:?}", r.body);
}

/// Catalyst's checkout button sends its page's URL as a `URL!` variable
/// (`AnalyticsEventRequestInput.url` is BigCommerce's `URL` scalar): the recorded document runs
/// as recorded, and a value that is no URL is refused.
#[tokio::test]
async fn catalysts_checkout_redirect_document_runs_with_a_url_variable() {
    let app = TestApp::spawn().await;
    let token = app.private_token(&["Unauthenticated"]).await;
    let cart = app
        .create_cart(
            &token,
            None,
            json!([{ "productEntityId": 1, "quantity": 1 }]),
        )
        .await;
    let document = crate::catalyst::recorded("CheckoutRedirectMutation");
    let vars = |referer: &str| {
        json!({ "cartId": cart, "visitId": "visit", "visitorId": "visitor", "referer": referer,
                "userAgent": "test", "analyticsConsent": true, "functionalConsent": true,
                "targetingConsent": false })
    };
    let r = app
        .cart_op(&token, None, &document, vars("https://shop.example/cart"))
        .await;
    assert!(r.body["errors"].is_null(), "{:?}", r.body);
    let redirect = &r.body["data"]["cart"]["createCartRedirectUrls"]["redirectUrls"];
    assert!(
        redirect["redirectedCheckoutUrl"]
            .as_str()
            .is_some_and(|u| u.contains(&cart)),
        "{:?}",
        r.body
    );
    let r = app
        .cart_op(&token, None, &document, vars("not a url"))
        .await;
    let refusal = message(&r);
    assert!(
        refusal.contains("URL must be an absolute URL"),
        "{refusal}: {:?}",
        r.body
    );
}
