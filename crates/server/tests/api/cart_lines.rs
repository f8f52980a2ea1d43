//! Changing a cart line in place (`updateCartLineItem`, Catalyst's quantity buttons) and the
//! cart's currency, over HTTP: the change is kept, every refusal leaves the cart as it was, and
//! a stale `version` loses to the write that moved the cart on, also under concurrency.

use serde_json::{json, Value};

use crate::helpers::{message, TestApp, JANE, VIP};

const UPDATE: &str = "mutation($input: UpdateCartLineItemInput!) { cart { updateCartLineItem(input: $input) { cart { entityId version lineItems { totalQuantity physicalItems { entityId productEntityId quantity } } } } } }";

fn line(cart: &Value) -> (String, i64) {
    let items = &cart["lineItems"]["physicalItems"];
    (
        items[0]["entityId"].as_str().expect("line id").to_string(),
        items[0]["quantity"].as_i64().expect("quantity"),
    )
}

fn input(cart: &str, item: &str, product: i64, quantity: i64) -> Value {
    json!({ "input": { "cartEntityId": cart, "lineItemEntityId": item,
        "data": { "lineItem": { "productEntityId": product, "quantity": quantity } } } })
}

async fn version(app: &TestApp, token: &str, cat: Option<&str>, cart: &str) -> i64 {
    let q = "query($id: String) { site { cart(entityId: $id) { version } } }";
    let r = app.cart_op(token, cat, q, json!({ "id": cart })).await;
    r.body["data"]["site"]["cart"]["version"]
        .as_i64()
        .expect("version")
}

#[tokio::test]
async fn a_lines_quantity_changes_in_place_and_bad_changes_lose_nothing() {
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
    let (item, _) = line(&app.read_cart(&token, Some(&jane), &cart).await);

    let r = app
        .cart_op(&token, Some(&jane), UPDATE, input(&cart, &item, 1, 3))
        .await;
    assert!(r.body["errors"].is_null(), "{:?}", r.body);
    let updated = &r.body["data"]["cart"]["updateCartLineItem"]["cart"];
    assert_eq!(line(updated), (item.clone(), 3));
    assert_eq!(updated["lineItems"]["totalQuantity"], 3);
    assert_eq!(line(&app.read_cart(&token, Some(&jane), &cart).await).1, 3);

    // Every refusal is a clear error and the line keeps its 3.
    let refusals = [
        (
            input(&cart, &item, 1, 0),
            "Quantity must be between 1 and 1000.",
        ),
        (
            input(&cart, &item, 1, 1001),
            "Quantity must be between 1 and 1000.",
        ),
        (input(&cart, "no-such-line", 1, 2), "Line item not found."),
        (input(&cart, &item, 2, 2), "Line item not found."),
        (input(&cart, &item, 999, 2), "Product 999 does not exist."),
        (input("no-such-cart", &item, 1, 2), "Cart not found."),
    ];
    for (vars, expected) in refusals {
        let r = app.cart_op(&token, Some(&jane), UPDATE, vars.clone()).await;
        assert_eq!(message(&r), expected, "{vars}: {:?}", r.body);
    }
    // Someone else's cart reads as missing, to a guest and to another customer.
    let vip = app.login_cat(&token, VIP).await;
    for cat in [None, Some(vip.as_str())] {
        let r = app
            .cart_op(&token, cat, UPDATE, input(&cart, &item, 1, 9))
            .await;
        assert_eq!(message(&r), "Cart not found.");
    }
    let gift = json!({ "input": { "cartEntityId": cart, "lineItemEntityId": item, "data": {
        "giftCertificate": { "name": "Gift", "theme": "GENERAL", "amount": 10, "quantity": 1,
            "sender": { "name": "A", "email": "a@example.com" },
            "recipient": { "name": "B", "email": "b@example.com" } } } } });
    let r = app.cart_op(&token, Some(&jane), UPDATE, gift).await;
    assert_eq!(message(&r), "This store does not sell gift certificates.");
    assert_eq!(line(&app.read_cart(&token, Some(&jane), &cart).await).1, 3);

    // The currency: the store's own is a no-op, another is refused.
    let currency = "mutation($id: String!, $c: String!) { cart { updateCartCurrency(input: { cartEntityId: $id, data: { currencyCode: $c } }) { cart { entityId currencyCode } } } }";
    let r = app
        .cart_op(
            &token,
            Some(&jane),
            currency,
            json!({ "id": cart, "c": "USD" }),
        )
        .await;
    assert_eq!(
        r.body["data"]["cart"]["updateCartCurrency"]["cart"]["currencyCode"],
        "USD"
    );
    let r = app
        .cart_op(
            &token,
            Some(&jane),
            currency,
            json!({ "id": cart, "c": "EUR" }),
        )
        .await;
    assert_eq!(message(&r), "This store only sells in USD.");
}

#[tokio::test]
async fn a_stale_version_is_refused_and_of_two_racing_writers_one_wins() {
    let app = TestApp::spawn().await;
    let token = app.private_token(&["Unauthenticated"]).await;
    let cart = app
        .create_cart(
            &token,
            None,
            json!([{ "productEntityId": 3, "quantity": 1 }]),
        )
        .await;
    let (item, _) = line(&app.read_cart(&token, None, &cart).await);
    let read_at = version(&app, &token, None, &cart).await;

    // Eight writers that all read the same version: exactly one may change the line.
    let mut writers = tokio::task::JoinSet::new();
    for q in 2..10 {
        let mut vars = input(&cart, &item, 3, q);
        vars["input"]["version"] = json!(read_at);
        let (client, url, token) = (app.client.clone(), app.url("/graphql"), token.clone());
        writers.spawn(async move {
            let r = client
                .post(url)
                .bearer_auth(token)
                .json(&json!({ "query": UPDATE, "variables": vars }))
                .send()
                .await
                .expect("send");
            r.json::<Value>().await.expect("json")
        });
    }
    let results: Vec<Value> = writers.join_all().await;
    let won: Vec<i64> = results
        .iter()
        .filter(|r| r["errors"].is_null())
        .map(|r| line(&r["data"]["cart"]["updateCartLineItem"]["cart"]).1)
        .collect();
    assert_eq!(won.len(), 1, "{results:?}");
    for r in results.iter().filter(|r| !r["errors"].is_null()) {
        assert_eq!(
            r["errors"][0]["message"],
            "The cart was changed by another request; read it again."
        );
    }
    assert_eq!(line(&app.read_cart(&token, None, &cart).await).1, won[0]);
    assert_eq!(version(&app, &token, None, &cart).await, read_at + 1);

    // With the current version the next write goes through.
    let mut vars = input(&cart, &item, 3, 7);
    vars["input"]["version"] = json!(read_at + 1);
    let r = app.cart_op(&token, None, UPDATE, vars).await;
    assert!(r.body["errors"].is_null(), "{:?}", r.body);
    assert_eq!(line(&app.read_cart(&token, None, &cart).await).1, 7);
}

#[tokio::test]
async fn a_direct_visit_reports_an_empty_referer_as_catalyst_sends_it() {
    let app = TestApp::spawn().await;
    let token = app.private_token(&["Unauthenticated"]).await;
    let q = "mutation($input: VisitStartedEventInput!) { analytics { visitStartedEvent(input: $input) { executed } } }";
    let vars = |url: &str, referer: &str| {
        json!({ "input": { "commonInput": {
            "initiator": { "visitId": "v", "visitorId": "w" },
            "request": { "url": url, "refererUrl": referer, "userAgent": "test" } } } })
    };
    let r = app
        .cart_op(&token, None, q, vars("http://localhost:4000/", ""))
        .await;
    assert_eq!(
        r.body["data"]["analytics"]["visitStartedEvent"]["executed"], true,
        "{:?}",
        r.body
    );
    let r = app
        .cart_op(&token, None, q, vars("http://localhost:4000/", "not a url"))
        .await;
    assert!(
        message(&r).contains("URL must be an absolute URL"),
        "{:?}",
        r.body
    );
}
