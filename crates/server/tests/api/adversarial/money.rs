//! Money and single use (issue 15, classes 17–18): exactly one payment per order however many
//! PATs are presented at once, and no amount that overflows or is not positive is ever taken.

use serde_json::{json, Value};

use super::{concurrently, first_error};
use crate::commerce::COMPLETE;
use crate::helpers::{TestApp, JANE};

/// Class 17: several PATs for one order (the checkout's and the management API's), presented
/// at once, take exactly one payment per order.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn c17_one_payment_per_order_whatever_pats_are_used_at_once() {
    let app = TestApp::spawn().await;
    let token = app.private_token(&["Unauthenticated", "Customer"]).await;
    let jane = app.login_cat(&token, JANE).await;
    let mut orders = Vec::new();
    for _ in 0..8 {
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
        let order = done["orderEntityId"].as_i64().expect("order");
        let mut pats = vec![done["paymentAccessToken"]
            .as_str()
            .expect("pat")
            .to_string()];
        for _ in 0..3 {
            let r = app
                .mgmt(
                    reqwest::Method::POST,
                    "/v3/payments/access_tokens",
                    Some(json!({ "order": { "id": order } })),
                )
                .await;
            assert_eq!(r.status, 201, "{:?}", r.body);
            pats.push(r.body["data"]["id"].as_str().expect("pat").to_string());
        }
        orders.push((order, pats));
    }
    let attempts: Vec<(i64, String)> = orders
        .iter()
        .flat_map(|(order, pats)| pats.iter().map(move |p| (*order, p.clone())))
        .collect();
    let (client, url) = (app.client.clone(), app.url("/stores/demo/payments"));
    let outcomes =
        concurrently(attempts, 32, move |(order, pat)| {
            let (client, url) = (client.clone(), url.clone());
            async move {
                let status = client
                .post(url)
                .header("Authorization", format!("PAT {pat}"))
                .header("Accept", "application/vnd.bc.v1+json")
                .json(&json!({ "payment": { "payment_method_id": "testgateway.card", "instrument": {
                    "type": "card", "number": "4111111111111111", "cardholder_name": "Jane Doe",
                    "expiry_month": 12, "expiry_year": 2030, "verification_value": "123" } } }))
                .send()
                .await
                .expect("send")
                .status()
                .as_u16();
                (order, status)
            }
        })
        .await;
    let store = app.store().await;
    for (order, _) in &orders {
        let statuses: Vec<u16> = outcomes
            .iter()
            .filter(|(o, _)| o == order)
            .map(|(_, s)| *s)
            .collect();
        assert_eq!(
            statuses.iter().filter(|s| **s == 201).count(),
            1,
            "order {order}: {statuses:?}"
        );
        assert!(
            statuses.iter().all(|s| matches!(s, 201 | 422)),
            "{statuses:?}"
        );
        assert_eq!(store.successful_payments(*order).await.expect("count"), 1);
    }
}

/// Class 18: prices and quantities are bounded, totals are checked, and an order or a PAT
/// whose total is not positive is refused.
#[tokio::test]
async fn c18_money_cannot_overflow_or_be_free() {
    let app = TestApp::spawn().await;
    let product = |price: Value| {
        app.mgmt(
            reqwest::Method::POST,
            "/v3/catalog/products",
            Some(json!({ "name": format!("P {price}"), "price": price })),
        )
    };
    for too_much in [
        json!(92_233_720_368_547_758.07),
        json!(100_000_000),
        json!(-0.01),
        json!("1"),
    ] {
        let r = product(too_much.clone()).await;
        assert_eq!(r.status, 422, "{too_much}: {:?}", r.body);
        assert!(r.body["errors"].get("price:required").is_some());
    }
    let r = product(json!(99_999_999.99)).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let dearest = r.body["data"]["id"].as_i64().expect("id");
    let token = app.private_token(&["Unauthenticated", "Customer"]).await;
    let jane = app.login_cat(&token, JANE).await;
    let create = "mutation($l: [CartLineItemInput!]) { cart { createCart(input: { lineItems: $l }) { cart { entityId amount { value } } } } }";
    let r = app
        .cart_op(
            &token,
            Some(&jane),
            create,
            json!({ "l": [{ "productEntityId": dearest, "quantity": 1001 }] }),
        )
        .await;
    assert_eq!(first_error(&r.body), "Quantity must be between 1 and 1000.");
    let lines: Vec<Value> = (0..251)
        .map(|_| json!({ "productEntityId": 1, "quantity": 1 }))
        .collect();
    let r = app
        .cart_op(&token, Some(&jane), create, json!({ "l": lines }))
        .await;
    assert_eq!(first_error(&r.body), "A cart holds at most 250 line items.");
    // The dearest cart a shopper can make still has an exact total.
    let cart = app
        .create_cart(
            &token,
            Some(&jane),
            json!([{ "productEntityId": dearest, "quantity": 1000 }]),
        )
        .await;
    let r = app
        .cart_op(&token, Some(&jane), COMPLETE, json!({ "id": cart }))
        .await;
    let pat = r.body["data"]["checkout"]["completeCheckout"]["paymentAccessToken"]
        .as_str()
        .expect("pat")
        .to_string();
    assert_eq!(
        crate::helpers::decode(&pat).1["data"]["amount"],
        9_999_999_999_000i64
    );

    // A product stored before prices were bounded cannot make a total wrap, and a free cart
    // is not an order.
    let store = app.store().await;
    let new =
        |name: &'static str, sku: &'static str, price_cents| storefront_auth_store::NewProduct {
            store_id: app.creds.store_id,
            name,
            sku,
            price_cents,
        };
    let huge = store
        .create_product(new("Old huge", "OLD-HUGE", i64::MAX / 2), 0)
        .await
        .expect("huge");
    let free = store
        .create_product(new("Free", "FREE", 0), 0)
        .await
        .expect("free");
    // Written behind the server's back: one product through the API makes the server drop the
    // catalog it may still hold from before (it holds one for a second).
    app.made_product("Bounded", "BOUNDED", 1).await;
    let r = app
        .cart_op(
            &token,
            Some(&jane),
            create,
            json!({ "l": [{ "productEntityId": huge.id, "quantity": 3 }] }),
        )
        .await;
    assert_eq!(
        first_error(&r.body),
        "The cart's total is out of range.",
        "{:?}",
        r.body
    );
    let cart = app
        .create_cart(
            &token,
            Some(&jane),
            json!([{ "productEntityId": free.id, "quantity": 1 }]),
        )
        .await;
    let r = app
        .cart_op(&token, Some(&jane), COMPLETE, json!({ "id": cart }))
        .await;
    let done = &r.body["data"]["checkout"]["completeCheckout"];
    assert_eq!(done["paymentAccessToken"], Value::Null, "{:?}", r.body);
    assert_eq!(
        done["errors"][0]["message"], "The cart's total is out of range.",
        "{:?}",
        r.body
    );
}
