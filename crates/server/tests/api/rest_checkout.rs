//! The REST Storefront API's checkouts and orders over HTTP (issue 18 §3): a signed-in
//! shopper's session cookie reads the checkout, adds a consignment, chooses an option and reads
//! the order placed; cross-origin requests, other shoppers and bad bodies are refused and
//! change nothing.

use reqwest::Method;
use serde_json::{json, Value};

use crate::commerce::COMPLETE;
use crate::helpers::{TestApp, JANE, PASSWORD, VIP};

fn address() -> Value {
    json!({ "firstName": "Jane", "lastName": "Doe", "address1": "500 Market St", "city": "San Francisco",
        "stateOrProvince": "CA", "countryCode": "US", "postalCode": "94105" })
}

#[tokio::test]
async fn a_session_reads_its_checkout_ships_it_and_reads_its_order() {
    let app = TestApp::spawn().await;
    let jane = app.form_login(JANE, PASSWORD).await.expect("signed in");
    let own = app.base.clone();
    let rest = |method: Method, path: String, body: Option<Value>| {
        let (app, jane, own) = (&app, jane.clone(), own.clone());
        async move { app.rest(method, &path, Some(&jane), Some(&own), body).await }
    };
    let r = rest(
        Method::POST,
        "/api/storefront/carts".into(),
        Some(json!({ "lineItems": [{ "productId": 1, "quantity": 2 }] })),
    )
    .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let id = r.body["id"].as_str().expect("cart").to_string();
    let item = r.body["lineItems"]["physicalItems"][0]["id"]
        .as_str()
        .expect("item")
        .to_string();

    let r = rest(Method::GET, format!("/api/storefront/checkouts/{id}"), None).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.body["id"], id.as_str());
    assert_eq!(r.body["cart"]["id"], id.as_str());
    assert_eq!(r.body["consignments"], json!([]));
    assert_eq!(
        (r.body["subtotal"].clone(), r.body["grandTotal"].clone()),
        (json!(218.0), json!(218.0))
    );
    assert_eq!(
        (
            r.body["taxTotal"].clone(),
            r.body["errors"].clone(),
            r.body["orderId"].clone()
        ),
        (json!(0.0), json!([]), Value::Null)
    );

    let consignments =
        json!([{ "address": address(), "lineItems": [{ "itemId": item, "quantity": 2 }] }]);
    let r = rest(
        Method::POST,
        format!("/api/storefront/checkouts/{id}/consignments"),
        Some(consignments.clone()),
    )
    .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let c = &r.body["consignments"][0];
    assert_eq!(c["shippingAddress"]["stateOrProvince"], "California");
    assert_eq!(c["lineItemIds"], json!([item]));
    let offered: Vec<(&str, f64)> = c["availableShippingOptions"]
        .as_array()
        .expect("options")
        .iter()
        .map(|o| {
            (
                o["description"].as_str().unwrap(),
                o["cost"].as_f64().unwrap(),
            )
        })
        .collect();
    assert_eq!(offered, vec![("Standard", 10.0), ("Express", 25.0)]);
    let consignment = c["id"].as_str().expect("id").to_string();

    let r = rest(
        Method::PUT,
        format!("/api/storefront/checkouts/{id}/consignments/{consignment}"),
        Some(json!({ "shippingOptionId": "2" })),
    )
    .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(
        r.body["consignments"][0]["selectedShippingOption"]["description"],
        "Express"
    );
    assert_eq!(
        (
            r.body["shippingCostTotal"].clone(),
            r.body["grandTotal"].clone()
        ),
        (json!(25.0), json!(243.0))
    );

    // Refusals: each a clear 4xx, and the checkout as it was.
    let refusals = [
        (
            Method::POST,
            format!("/api/storefront/checkouts/{id}/consignments"),
            json!({ "address": address() }),
            422,
            "The body must be a list",
        ),
        (
            Method::POST,
            format!("/api/storefront/checkouts/{id}/consignments"),
            json!([{ "address": address(), "lineItems": [{ "itemId": "nope", "quantity": 1 }] }]),
            422,
            "Line item nope is not in this checkout.",
        ),
        (
            Method::POST,
            format!("/api/storefront/checkouts/{id}/consignments"),
            consignments.clone(),
            422,
            "is already in a consignment",
        ),
        (
            Method::PUT,
            format!("/api/storefront/checkouts/{id}/consignments/{consignment}"),
            json!({ "shippingOptionId": "99" }),
            422,
            "Shipping option 99 is not available",
        ),
        (
            Method::PUT,
            format!("/api/storefront/checkouts/{id}/consignments/nope"),
            json!({ "shippingOptionId": "1" }),
            422,
            "Consignment nope is not in this checkout.",
        ),
        (
            Method::GET,
            "/api/storefront/checkouts/not-a-cart".to_string(),
            Value::Null,
            404,
            "",
        ),
    ];
    for (method, path, body, status, says) in refusals {
        let body = (!body.is_null()).then_some(body);
        let r = rest(method.clone(), path.clone(), body).await;
        assert_eq!(r.status, status, "{method} {path}: {:?}", r.body);
        assert!(r.body.to_string().contains(says), "{path}: {:?}", r.body);
    }
    let cross = app
        .rest(
            Method::GET,
            &format!("/api/storefront/checkouts/{id}"),
            Some(&jane),
            Some("http://evil.example"),
            None,
        )
        .await;
    assert_eq!(cross.status, 403);
    assert!(cross.header("access-control-allow-origin").is_none());
    let vip = app.form_login(VIP, PASSWORD).await.expect("signed in");
    let other = app
        .rest(
            Method::GET,
            &format!("/api/storefront/checkouts/{id}"),
            Some(&vip),
            Some(&own),
            None,
        )
        .await;
    assert_eq!(
        other.status, 404,
        "another shopper's checkout is no checkout"
    );
    let guest = app
        .rest(
            Method::GET,
            &format!("/api/storefront/checkouts/{id}"),
            None,
            Some(&own),
            None,
        )
        .await;
    assert_eq!(guest.status, 404);
    let r = rest(Method::GET, format!("/api/storefront/checkouts/{id}"), None).await;
    assert_eq!(
        (
            r.body["grandTotal"].clone(),
            r.body["consignments"].as_array().map(Vec::len)
        ),
        (json!(243.0), Some(1))
    );

    // The billing address: checked like any address, then kept and billed.
    let billing = format!("/api/storefront/checkouts/{id}/billing-address");
    let mut bad = address();
    bad["email"] = json!("not-an-email");
    let r = rest(Method::POST, billing.clone(), Some(bad)).await;
    assert_eq!(
        (r.status, r.body["title"].as_str()),
        (422, Some("email is not an email address."))
    );
    let r = rest(
        Method::POST,
        billing.clone(),
        Some(json!({ "city": "Nowhere" })),
    )
    .await;
    assert_eq!(r.status, 422);
    let mut given = address();
    given["email"] = json!("billing@example.com");
    given["city"] = json!("Oakland");
    let r = rest(Method::POST, billing.clone(), Some(given.clone())).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(
        (
            r.body["billingAddress"]["city"].clone(),
            r.body["billingAddress"]["id"].clone()
        ),
        (json!("Oakland"), json!(id))
    );
    given["city"] = json!("Berkeley");
    let r = rest(Method::PUT, format!("{billing}/{id}"), Some(given.clone())).await;
    assert_eq!(r.body["billingAddress"]["city"], "Berkeley", "{:?}", r.body);
    let r = rest(Method::PUT, format!("{billing}/other"), Some(given.clone())).await;
    assert_eq!(r.status, 404);
    let r = app
        .rest(
            Method::POST,
            &billing,
            Some(&vip),
            Some(&own),
            Some(given.clone()),
        )
        .await;
    assert_eq!(r.status, 404, "another shopper cannot bill this checkout");

    // The order placed from it through GraphQL by the same browser session (the page's
    // storefront token and the session cookie; a second sign-in would end this one), read back.
    let page_token = app.page_token().await;
    let placed = app
        .gql_body(
            Some(&page_token),
            json!({ "query": COMPLETE, "variables": { "id": id } }),
            &[("Origin", "http://localhost:4000"), ("Cookie", &jane)],
        )
        .await;
    let order_id = placed.body["data"]["checkout"]["completeCheckout"]["orderEntityId"]
        .as_i64()
        .expect("order");
    let r = rest(
        Method::GET,
        format!("/api/storefront/orders/{order_id}"),
        None,
    )
    .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(
        (
            r.body["orderId"].clone(),
            r.body["orderAmount"].clone(),
            r.body["shippingCostTotal"].clone()
        ),
        (json!(order_id), json!(243.0), json!(25.0))
    );
    assert_eq!(r.body["lineItems"]["physicalItems"][0]["quantity"], 2);
    assert_eq!(
        (
            r.body["billingAddress"]["city"].clone(),
            r.body["billingAddress"]["email"].clone()
        ),
        (json!("Berkeley"), json!("billing@example.com"))
    );
    let r = rest(Method::GET, format!("/api/storefront/checkouts/{id}"), None).await;
    assert_eq!(r.body["orderId"], order_id);
    // Nobody else reads it; Victor reads his own demo order.
    for (cookie, path, status) in [
        (
            Some(vip.as_str()),
            format!("/api/storefront/orders/{order_id}"),
            404,
        ),
        (None, format!("/api/storefront/orders/{order_id}"), 404),
        (
            Some(jane.as_str()),
            "/api/storefront/orders/abc".to_string(),
            404,
        ),
        (
            Some(vip.as_str()),
            "/api/storefront/orders/1".to_string(),
            200,
        ),
    ] {
        let r = app.rest(Method::GET, &path, cookie, Some(&own), None).await;
        assert_eq!(r.status, status, "{path}: {:?}", r.body);
    }
    let cross = app
        .rest(
            Method::GET,
            &format!("/api/storefront/orders/{order_id}"),
            Some(&jane),
            Some("http://evil.example"),
            None,
        )
        .await;
    assert_eq!(cross.status, 403);
}

/// The REST checkout shows what providers answer: a carrier's quotes beside the store's
/// methods, the tax provider's estimate in the totals; and a carrier that fails as `errors`
/// with the rest of the checkout intact.
#[tokio::test]
async fn the_rest_checkout_shows_provider_quotes_and_failures() {
    let app = TestApp::spawn_with(|c| c.outbound.timeout_secs = Some(1)).await;
    let (carrier, carrier_url) = crate::carriers::carrier().await;
    let (_tax, tax_url) = crate::tax_providers::provider().await;
    for args in [
        vec![
            "carriers",
            "register",
            "--id",
            "acme",
            "--name",
            "Acme",
            "--url",
            &carrier_url,
            "--field",
            "api_key:API key",
        ],
        vec![
            "tax-providers",
            "register",
            "--id",
            "test-tax",
            "--name",
            "Test Tax",
            "--url",
            &tax_url,
        ],
    ] {
        assert!(app.cli(&args).status.success());
    }
    let r = app
        .mgmt(
            Method::PUT,
            "/v2/shipping/carrier/connection",
            Some(json!({ "carrier_id": "acme", "connection": { "api_key": "good-key" } })),
        )
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let r = app
        .mgmt(
            Method::PUT,
            "/v3/tax/providers/test-tax/connection",
            Some(json!({ "username": "u", "password": "p" })),
        )
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);

    let jane = app.form_login(JANE, PASSWORD).await.expect("signed in");
    let own = app.base.clone();
    let rest = |method: Method, path: String, body: Option<Value>| {
        let (app, jane, own) = (&app, jane.clone(), own.clone());
        async move { app.rest(method, &path, Some(&jane), Some(&own), body).await }
    };
    let new_checkout = |zip: &'static str| {
        let rest = &rest;
        async move {
            let r = rest(
                Method::POST,
                "/api/storefront/carts".into(),
                Some(json!({ "lineItems": [{ "productId": 1, "quantity": 2 }] })),
            )
            .await;
            let id = r.body["id"].as_str().expect("cart").to_string();
            let item = r.body["lineItems"]["physicalItems"][0]["id"].clone();
            let mut to = address();
            to["postalCode"] = json!(zip);
            let body = json!([{ "address": to, "lineItems": [{ "itemId": item, "quantity": 2 }] }]);
            let r = rest(
                Method::POST,
                format!("/api/storefront/checkouts/{id}/consignments"),
                Some(body),
            )
            .await;
            assert_eq!(r.status, 200, "{:?}", r.body);
            (id, r.body)
        }
    };
    let (id, checkout) = new_checkout("94105").await;
    let c = &checkout["consignments"][0];
    let ids: Vec<&str> = c["availableShippingOptions"]
        .as_array()
        .expect("options")
        .iter()
        .filter_map(|o| o["id"].as_str())
        .collect();
    assert_eq!(ids, vec!["1", "2", "carrier:acme:GND", "carrier:acme:AIR"]);
    let consignment = c["id"].as_str().expect("id");
    let r = rest(
        Method::PUT,
        format!("/api/storefront/checkouts/{id}/consignments/{consignment}"),
        Some(json!({ "shippingOptionId": "carrier:acme:GND" })),
    )
    .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    // Tax: 10 % of 218.00 and of 7.50 shipping.
    assert_eq!(
        (
            r.body["shippingCostTotal"].clone(),
            r.body["taxTotal"].clone()
        ),
        (json!(7.5), json!(22.55))
    );
    assert_eq!(r.body["grandTotal"], json!(218.0 + 7.5 + 22.55));
    assert_eq!(
        r.body["taxes"],
        json!([{ "name": "Sales Tax", "amount": 22.55 }])
    );

    carrier.set(crate::carriers::Mode::Fail);
    let (_, failing) = new_checkout("10001").await;
    assert_eq!(
        failing["consignments"][0]["availableShippingOptions"],
        Value::Null
    );
    let errors = failing["errors"].as_array().expect("errors");
    assert!(
        errors.iter().any(|e| e
            .as_str()
            .unwrap_or_default()
            .contains("The carrier Acme could not quote this consignment")),
        "{errors:?}"
    );
    assert_eq!(failing["subtotal"], json!(218.0));
}
