//! Catalyst's account order page over HTTP: `site.order` shows a customer their own order, and
//! a guest order to whoever names its cart, with the addresses kept when it was placed, its
//! discounts, and the payments made for it (card brand and last four digits only).

use serde_json::{json, Value};

use crate::commerce::COMPLETE;
use crate::helpers::{TestApp, JANE, VIP};

/// What Catalyst's `CustomerOrderDetails` selects (account/orders/[id]/page-data.tsx), less
/// its line-item fragments.
const ORDER: &str = "query CustomerOrderDetails($filter: OrderFilterInput) { site { order(filter: $filter) {
  entityId orderedAt { utc } status { label value }
  totalIncTax { value currencyCode } subTotal { value currencyCode }
  discounts { nonCouponDiscountTotal { value currencyCode } couponDiscounts { couponCode discountedAmount { value currencyCode } } }
  shippingCostTotal { value currencyCode } taxTotal { value currencyCode }
  billingAddress { firstName lastName address1 city stateOrProvince stateOrProvinceCode postalCode country countryCode email }
  payments { edges { node { paymentMethodId paymentMethodName
    detail { __typename ... on CreditCardPaymentInstrument { brand last4 } ... on GiftCertificatePaymentInstrument { code } }
    amount { value currencyCode } } } }
  consignments { shipping { edges { node { entityId
    shippingAddress { firstName lastName address1 address2 city stateOrProvince postalCode country }
    shipments { edges { node { entityId shippedAt { utc } shippingMethodName shippingProviderName
      tracking { __typename ... on OrderShipmentNumberAndUrlTracking { number url } ... on OrderShipmentUrlOnlyTracking { url } ... on OrderShipmentNumberOnlyTracking { number } } } } }
    lineItems { edges { node { name quantity subTotalListPrice { value } subTotalSalePrice { value } } } } } } } }
} } }";

const PAYMENTS: &str = "query($filter: OrderFilterInput, $status: PaymentResultStatus, $first: Int, $after: String) { site { order(filter: $filter) {
  payments(filters: { status: $status }, first: $first, after: $after) { pageInfo { hasNextPage endCursor } edges { node { detail { ... on CreditCardPaymentInstrument { last4 } } } } } } } }";

const MY_ORDERS: &str = "{ customer { orders { edges { node { entityId } } } } }";

impl TestApp {
    async fn order(&self, token: &str, cat: Option<&str>, filter: Value) -> Value {
        let r = self
            .cart_op(token, cat, ORDER, json!({ "filter": filter }))
            .await;
        assert!(r.body["errors"].is_null(), "{:?}", r.body);
        r.body["data"]["site"]["order"].clone()
    }

    /// Places the cart's order; returns its id and payment access token.
    async fn place(&self, token: &str, cat: Option<&str>, cart: &str) -> (i64, String) {
        let r = self
            .cart_op(token, cat, COMPLETE, json!({ "id": cart }))
            .await;
        let done = &r.body["data"]["checkout"]["completeCheckout"];
        let id = done["orderEntityId"]
            .as_i64()
            .unwrap_or_else(|| panic!("{:?}", r.body));
        (id, done["paymentAccessToken"].as_str().unwrap().to_string())
    }
}

fn last4s(payments: &Value) -> Vec<String> {
    payments["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|e| e["node"]["detail"]["last4"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn the_demo_vip_sees_a_paid_past_order_with_address_discount_and_card() {
    let app = TestApp::spawn().await;
    let token = app.private_token(&["Unauthenticated", "Customer"]).await;
    let vip = app.login_cat(&token, VIP).await;
    let r = app.cart_op(&token, Some(&vip), MY_ORDERS, json!({})).await;
    let id = r.body["data"]["customer"]["orders"]["edges"][0]["node"]["entityId"]
        .as_i64()
        .unwrap_or_else(|| panic!("the demo VIP has a past order: {:?}", r.body));
    let order = app
        .order(&token, Some(&vip), json!({ "entityId": id }))
        .await;
    assert_eq!(order["status"]["value"], "AWAITING_FULFILLMENT");
    // 1 × 225.00 + 2 × 49.50 at list prices, less the VIP group's 10 %.
    assert_eq!(order["subTotal"]["value"], 324.0);
    assert_eq!(
        order["discounts"],
        json!({ "nonCouponDiscountTotal": { "value": 32.4, "currencyCode": "USD" }, "couponDiscounts": [] })
    );
    assert_eq!(order["totalIncTax"]["value"], 291.6);
    assert_eq!(order["taxTotal"]["value"], 0.0);
    assert_eq!(order["shippingCostTotal"]["value"], 0.0);
    assert_eq!(
        order["billingAddress"],
        json!({ "firstName": "Victor", "lastName": "Price", "address1": "500 Market Street",
                "city": "San Francisco", "stateOrProvince": "California", "stateOrProvinceCode": "CA",
                "postalCode": "94105", "country": "United States", "countryCode": "US",
                "email": VIP })
    );
    assert_eq!(
        order["payments"]["edges"],
        json!([{ "node": { "paymentMethodId": "testgateway.card", "paymentMethodName": "Test Payment Gateway",
            "detail": { "__typename": "CreditCardPaymentInstrument", "brand": "Visa", "last4": "1111" },
            "amount": { "value": 291.6, "currencyCode": "USD" } } }])
    );
    let consignment = &order["consignments"]["shipping"]["edges"][0]["node"];
    assert_eq!(consignment["shippingAddress"]["city"], "San Francisco");
    assert_eq!(consignment["shippingAddress"]["address2"], Value::Null);
    assert_eq!(consignment["shipments"]["edges"], json!([]));
    let lines = consignment["lineItems"]["edges"].as_array().expect("lines");
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[1]["node"]["quantity"], 2);
    assert_eq!(lines[1]["node"]["subTotalListPrice"]["value"], 99.0);
    assert_eq!(lines[1]["node"]["subTotalSalePrice"]["value"], 89.1);
}

#[tokio::test]
async fn an_order_keeps_the_address_it_was_placed_with_and_every_payment_tried() {
    let app = TestApp::spawn().await;
    let token = app.private_token(&["Unauthenticated", "Customer"]).await;
    let jane = app.login_cat(&token, JANE).await;
    let cart = app
        .create_cart(
            &token,
            Some(&jane),
            json!([{ "productEntityId": 4, "quantity": 1 }]),
        )
        .await;
    let (id, pat) = app.place(&token, Some(&jane), &cart).await;
    let declined = app.pay("demo", &pat, "4000000000000002").await;
    assert_eq!(declined.status, 422, "{:?}", declined.body);
    // The declined payment used its token up; a fresh one pays.
    let r = app
        .mgmt(
            reqwest::Method::POST,
            "/v3/payments/access_tokens",
            Some(json!({ "order": { "id": id } })),
        )
        .await;
    let pat = r.body["data"]["id"].as_str().expect("pat").to_string();
    assert_eq!(app.pay("demo", &pat, "4111111111111111").await.status, 201);

    // Jane then moves house: the order keeps where it was placed to.
    let list = "{ customer { addresses { edges { node { entityId } } } } }";
    let r = app.cart_op(&token, Some(&jane), list, json!({})).await;
    let address = &r.body["data"]["customer"]["addresses"]["edges"][0]["node"]["entityId"];
    let delete = "mutation($input: DeleteCustomerAddressInput!) { customer { deleteCustomerAddress(input: $input) { errors { __typename } } } }";
    let r = app
        .cart_op(
            &token,
            Some(&jane),
            delete,
            json!({ "input": { "addressEntityId": address } }),
        )
        .await;
    assert_eq!(
        r.body["data"]["customer"]["deleteCustomerAddress"]["errors"],
        json!([])
    );

    let order = app
        .order(&token, Some(&jane), json!({ "entityId": id }))
        .await;
    assert_eq!(order["billingAddress"]["city"], "Sydney");
    assert_eq!(
        order["billingAddress"]["stateOrProvince"],
        "New South Wales"
    );
    assert_eq!(order["billingAddress"]["country"], "Australia");
    assert_eq!(order["discounts"]["nonCouponDiscountTotal"]["value"], 0.0);
    assert_eq!(order["subTotal"], order["totalIncTax"]);
    assert_eq!(last4s(&order["payments"]), ["0002", "1111"]);

    let payments = |vars: Value| {
        let app = &app;
        let (token, jane) = (&token, &jane);
        async move {
            let mut vars = vars;
            vars["filter"] = json!({ "entityId": id });
            let r = app.cart_op(token, Some(jane), PAYMENTS, vars).await;
            assert!(r.body["errors"].is_null(), "{:?}", r.body);
            r.body["data"]["site"]["order"]["payments"].clone()
        }
    };
    assert_eq!(
        last4s(&payments(json!({ "status": "SUCCESS" })).await),
        ["1111"]
    );
    assert_eq!(
        last4s(&payments(json!({ "status": "FAILURE" })).await),
        ["0002"]
    );
    let first = payments(json!({ "first": 1 })).await;
    assert_eq!(last4s(&first), ["0002"]);
    assert_eq!(first["pageInfo"]["hasNextPage"], true);
    let rest = payments(json!({ "first": 1, "after": first["pageInfo"]["endCursor"] })).await;
    assert_eq!(last4s(&rest), ["1111"]);
    assert_eq!(rest["pageInfo"]["hasNextPage"], false);
    // Catalyst's empty cursor means none.
    assert_eq!(last4s(&payments(json!({ "after": "" })).await).len(), 2);
}

#[tokio::test]
async fn an_order_is_shown_only_to_its_customer_or_to_whoever_holds_a_guest_orders_cart() {
    let app = TestApp::spawn().await;
    let token = app.private_token(&["Unauthenticated", "Customer"]).await;
    let (jane, vip) = (
        app.login_cat(&token, JANE).await,
        app.login_cat(&token, VIP).await,
    );
    let vip_cart = app
        .create_cart(
            &token,
            Some(&vip),
            json!([{ "productEntityId": 1, "quantity": 1 }]),
        )
        .await;
    let (vip_order, _) = app.place(&token, Some(&vip), &vip_cart).await;
    let guest_cart = app
        .create_cart(
            &token,
            None,
            json!([{ "productEntityId": 3, "quantity": 1 }]),
        )
        .await;
    let (guest_order, _) = app.place(&token, None, &guest_cart).await;

    let seen = |cat: Option<String>, filter: Value| {
        let (app, token) = (&app, &token);
        async move { app.order(token, cat.as_deref(), filter).await["entityId"].as_i64() }
    };
    let (j, v) = (Some(jane.clone()), Some(vip.clone()));
    assert_eq!(
        seen(v.clone(), json!({ "entityId": vip_order })).await,
        Some(vip_order)
    );
    // Not to another customer, nor to a guest, even with the cart's id.
    assert_eq!(
        seen(j.clone(), json!({ "entityId": vip_order })).await,
        None
    );
    assert_eq!(seen(None, json!({ "entityId": vip_order })).await, None);
    assert_eq!(
        seen(
            None,
            json!({ "entityId": vip_order, "cartEntityId": vip_cart })
        )
        .await,
        None
    );
    // A guest order: to whoever names its cart, signed in or not; not by its id alone.
    let by_cart = json!({ "entityId": guest_order, "cartEntityId": guest_cart });
    assert_eq!(seen(None, by_cart.clone()).await, Some(guest_order));
    assert_eq!(seen(j.clone(), by_cart).await, Some(guest_order));
    assert_eq!(seen(None, json!({ "entityId": guest_order })).await, None);
    assert_eq!(
        seen(
            None,
            json!({ "entityId": guest_order, "cartEntityId": vip_cart })
        )
        .await,
        None
    );
    assert_eq!(seen(None, json!({ "entityId": 999_999 })).await, None);
    // A guest order was placed without an address: BigCommerce's non-null fields are empty.
    let guest = app
        .order(
            &token,
            None,
            json!({ "entityId": guest_order, "cartEntityId": guest_cart }),
        )
        .await;
    assert_eq!(guest["billingAddress"]["countryCode"], "");
    assert_eq!(guest["billingAddress"]["firstName"], Value::Null);
    assert_eq!(guest["payments"]["edges"], json!([]));
    // No filter: no order.
    let r = app
        .cart_op(
            &token,
            Some(&vip),
            "{ site { order { entityId } } }",
            json!({}),
        )
        .await;
    assert_eq!(r.body["data"]["site"]["order"], Value::Null, "{:?}", r.body);
}

#[tokio::test]
async fn site_order_needs_the_customer_scope() {
    let app = TestApp::spawn().await;
    let token = app.private_token(&["Unauthenticated"]).await;
    let r = app
        .gql(
            Some(&token),
            "{ site { order(filter: { entityId: 1 }) { entityId } } }",
            &[],
        )
        .await;
    assert_eq!(
        r.body["errors"][0]["extensions"]["code"], "INSUFFICIENT_ACCESS_SCOPE",
        "{:?}",
        r.body
    );
}

#[tokio::test]
async fn a_payment_naming_an_overlong_method_is_refused_and_takes_nothing() {
    let app = TestApp::spawn().await;
    let token = app.private_token(&["Unauthenticated", "Customer"]).await;
    let cart = app
        .create_cart(
            &token,
            None,
            json!([{ "productEntityId": 3, "quantity": 1 }]),
        )
        .await;
    let (_, pat) = app.place(&token, None, &cart).await;
    let r = app
        .client
        .post(app.url("/stores/demo/payments"))
        .header("Authorization", format!("PAT {pat}"))
        .header("Accept", "application/vnd.bc.v1+json")
        .json(&json!({ "payment": { "payment_method_id": "m".repeat(101),
            "instrument": { "type": "card", "number": "4111111111111111" } } }))
        .send()
        .await
        .expect("send");
    let status = r.status();
    let body: Value = r.json().await.expect("json");
    assert_eq!(status, 422, "{body:?}");
    assert!(
        body.to_string()
            .contains("payment_method_id must be at most 100 characters."),
        "{body:?}"
    );
    // The token was not used: the payment can still be made with it.
    assert_eq!(app.pay("demo", &pat, "4111111111111111").await.status, 201);
}
