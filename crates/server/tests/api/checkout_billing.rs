//! The checkout's billing address over GraphQL (issue 18): set, shown, replaced, refused when
//! bad (nothing changes), and billed by the order.

use serde_json::{json, Value};

use crate::commerce::COMPLETE;
use crate::helpers::TestApp;

const ADD: &str = "mutation($input: AddCheckoutBillingAddressInput!) { checkout { addCheckoutBillingAddress(input: $input) { checkout { version billingAddress { entityId city email stateOrProvince stateOrProvinceCode countryCode } } } } }";
const UPDATE: &str = "mutation($input: UpdateCheckoutBillingAddressInput!) { checkout { updateCheckoutBillingAddress(input: $input) { checkout { billingAddress { city } } } } }";
const READ: &str =
    "query($id: String) { site { checkout(entityId: $id) { billingAddress { city email } } } }";
const ORDER: &str =
    "query($f: OrderFilterInput) { site { order(filter: $f) { billingAddress { city email } } } }";

fn address(city: &str, email: &str) -> Value {
    json!({ "firstName": "Ann", "lastName": "Lee", "address1": "1 Main St", "city": city, "stateOrProvince": "TX",
        "countryCode": "US", "postalCode": "78701", "email": email, "shouldSaveAddress": false })
}

#[tokio::test]
async fn a_checkout_is_billed_where_the_shopper_says() {
    let app = TestApp::spawn().await;
    let token = app.private_token(&["Unauthenticated", "Customer"]).await;
    let id = app
        .create_cart(
            &token,
            None,
            json!([{ "productEntityId": 1, "quantity": 1 }]),
        )
        .await;
    let read = || {
        let (app, token, id) = (&app, token.clone(), id.clone());
        async move {
            let r = app.cart_op(&token, None, READ, json!({ "id": id })).await;
            r.body["data"]["site"]["checkout"]["billingAddress"].clone()
        }
    };
    assert_eq!(read().await, Value::Null);

    let input = json!({ "input": { "checkoutEntityId": id, "data": { "address": address("Austin", "ann@example.com") } } });
    let r = app.cart_op(&token, None, ADD, input).await;
    let checkout = &r.body["data"]["checkout"]["addCheckoutBillingAddress"]["checkout"];
    assert_eq!(
        checkout["billingAddress"],
        json!({ "entityId": id, "city": "Austin", "email": "ann@example.com", "stateOrProvince": "Texas", "stateOrProvinceCode": "TX", "countryCode": "US" }),
        "{:?}",
        r.body
    );
    let version = checkout["version"].as_i64().expect("version");

    // Refusals: each a message, and the address as it was.
    let refusals = [
        (
            ADD,
            json!({ "checkoutEntityId": id, "data": { "address": address("Dallas", "not-an-email") } }),
            "email is not an email address.",
        ),
        (
            ADD,
            json!({ "checkoutEntityId": id, "data": { "address": { "countryCode": "XX", "shouldSaveAddress": false } } }),
            "Country code XX is not supported.",
        ),
        (
            ADD,
            json!({ "checkoutEntityId": id, "version": version - 1, "data": { "address": address("Dallas", "a@b.co") } }),
            "The checkout has changed",
        ),
        (
            UPDATE,
            json!({ "checkoutEntityId": id, "addressEntityId": "other", "data": { "address": address("Dallas", "a@b.co") } }),
            "Billing address other is not in this checkout.",
        ),
        (
            ADD,
            json!({ "checkoutEntityId": "nope", "data": { "address": address("Dallas", "a@b.co") } }),
            "Cart not found.",
        ),
    ];
    for (doc, input, says) in refusals {
        let r = app
            .cart_op(&token, None, doc, json!({ "input": input }))
            .await;
        let message = r.body["errors"][0]["message"].as_str().unwrap_or_default();
        assert!(message.contains(says), "{says}: {:?}", r.body);
    }
    assert_eq!(read().await["city"], "Austin");

    let input = json!({ "input": { "checkoutEntityId": id, "addressEntityId": id, "data": { "address": address("Houston", "billing@example.com") } } });
    let r = app.cart_op(&token, None, UPDATE, input).await;
    assert_eq!(
        r.body["data"]["checkout"]["updateCheckoutBillingAddress"]["checkout"]["billingAddress"]
            ["city"],
        "Houston",
        "{:?}",
        r.body
    );

    let placed = app
        .cart_op(&token, None, COMPLETE, json!({ "id": id }))
        .await;
    let order_id = placed.body["data"]["checkout"]["completeCheckout"]["orderEntityId"]
        .as_i64()
        .expect("order");
    let o = app
        .cart_op(
            &token,
            None,
            ORDER,
            json!({ "f": { "entityId": order_id, "cartEntityId": id } }),
        )
        .await;
    assert_eq!(
        o.body["data"]["site"]["order"]["billingAddress"],
        json!({ "city": "Houston", "email": "billing@example.com" }),
        "{:?}",
        o.body
    );
    // An ordered checkout's billing address no longer changes.
    let input = json!({ "input": { "checkoutEntityId": id, "data": { "address": address("Austin", "a@b.co") } } });
    let r = app.cart_op(&token, None, ADD, input).await;
    assert!(
        r.body["errors"][0]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("already placed"),
        "{:?}",
        r.body
    );
}
