//! A customer's address book over HTTP, with the documents Catalyst's account pages send:
//! add, list, change, delete; every bad input a typed error that stores nothing; another
//! customer's address unreachable; the book bounded.

use serde_json::{json, Value};

use crate::helpers::{TestApp, JANE, VIP};

const ADD: &str = "mutation AddCustomerAddressMutation($input: AddCustomerAddressInput!) { customer { addCustomerAddress(input: $input) { errors { __typename ... on CustomerAddressCreationError { message } ... on CustomerNotLoggedInError { message } ... on ValidationError { message path } } address { entityId } } } }";
const UPDATE: &str = "mutation($input: UpdateCustomerAddressInput!) { customer { updateCustomerAddress(input: $input) { errors { __typename ... on AddressDoesNotExistError { message } ... on CustomerNotLoggedInError { message } ... on ValidationError { message path } } address { entityId city stateOrProvince } } } }";
const DELETE: &str = "mutation($input: DeleteCustomerAddressInput!) { customer { deleteCustomerAddress(input: $input) { errors { __typename ... on CustomerAddressDeletionError { message } ... on CustomerNotLoggedInError { message } } } } }";
const LIST: &str = "query { customer { addresses(first: 50) { collectionInfo { totalItems } edges { node { entityId firstName lastName address1 address2 city stateOrProvince countryCode phone postalCode company formFields { entityId } } } } } }";

fn home() -> Value {
    json!({ "firstName": "Jane", "lastName": "Doe", "address1": "1 Main St", "city": "Austin",
        "countryCode": "US", "stateOrProvince": "Texas", "postalCode": "78701",
        "formFields": { "checkboxes": [], "multipleChoices": [], "numbers": [], "dates": [],
            "passwords": [], "multilineTexts": [], "texts": [] } })
}

async fn list(app: &TestApp, token: &str, cat: &str) -> Vec<Value> {
    let r = app.cart_op(token, Some(cat), LIST, json!({})).await;
    assert!(r.body["errors"].is_null(), "{:?}", r.body);
    let c = &r.body["data"]["customer"]["addresses"];
    let nodes: Vec<Value> = c["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|e| e["node"].clone())
        .collect();
    assert_eq!(c["collectionInfo"]["totalItems"], nodes.len());
    nodes
}

/// Deletes the customer's addresses (the demo gives Jane one), so a test starts from none.
async fn clear_book(app: &TestApp, token: &str, cat: &str) {
    for a in list(app, token, cat).await {
        let input = json!({ "input": { "addressEntityId": a["entityId"] } });
        let r = app.cart_op(token, Some(cat), DELETE, input).await;
        assert_eq!(
            r.body["data"]["customer"]["deleteCustomerAddress"]["errors"],
            json!([])
        );
    }
    assert!(list(app, token, cat).await.is_empty());
}

/// The first typed error of a mutation result, as (typename, message).
fn error_of(result: &Value) -> (String, String) {
    let e = &result["errors"][0];
    (
        e["__typename"].as_str().unwrap_or_default().to_string(),
        e["message"].as_str().unwrap_or_default().to_string(),
    )
}

#[tokio::test]
async fn a_customer_keeps_an_address_book_and_bad_input_stores_nothing() {
    let app = TestApp::spawn().await;
    let token = app.private_token(&["Unauthenticated", "Customer"]).await;
    let jane = app.login_cat(&token, JANE).await;
    clear_book(&app, &token, &jane).await;

    let r = app
        .cart_op(&token, Some(&jane), ADD, json!({ "input": home() }))
        .await;
    let added = &r.body["data"]["customer"]["addCustomerAddress"];
    assert_eq!(added["errors"], json!([]), "{:?}", r.body);
    let id = added["address"]["entityId"].as_i64().expect("id");
    let book = list(&app, &token, &jane).await;
    assert_eq!(book.len(), 1);
    assert_eq!(book[0]["entityId"], id);
    assert_eq!(book[0]["city"], "Austin");
    assert_eq!(book[0]["stateOrProvince"], "Texas");
    assert_eq!(book[0]["address2"], Value::Null);

    // Refusals: each a typed error naming the field, and the book unchanged.
    let with = |k: &str, v: Value| {
        let mut a = home();
        a[k] = v;
        json!({ "input": a })
    };
    let refusals = [
        (
            with("firstName", json!("  ")),
            "firstName is required.",
            "firstName",
        ),
        (
            with("countryCode", json!("XX")),
            "Country code XX is not supported.",
            "stateOrProvince",
        ),
        (
            with("stateOrProvince", json!("Bavaria")),
            "Bavaria is not a state or province of US.",
            "stateOrProvince",
        ),
        (
            with("city", json!("x".repeat(256))),
            "city is longer than 255 characters.",
            "city",
        ),
        (
            with(
                "formFields",
                json!({ "texts": [{ "fieldEntityId": 30, "text": "x" }] }),
            ),
            "Form field 30 does not exist.",
            "formFields",
        ),
    ];
    for (vars, message, path) in refusals {
        let r = app.cart_op(&token, Some(&jane), ADD, vars).await;
        let result = &r.body["data"]["customer"]["addCustomerAddress"];
        assert_eq!(
            error_of(result),
            ("ValidationError".into(), message.into()),
            "{:?}",
            r.body
        );
        assert_eq!(result["errors"][0]["path"], json!([path]));
        assert_eq!(result["address"], Value::Null);
    }
    assert_eq!(list(&app, &token, &jane).await.len(), 1);

    // A change sets only the fields given, and is checked as a whole.
    let change = |data: Value| json!({ "input": { "addressEntityId": id, "data": data } });
    let r = app
        .cart_op(
            &token,
            Some(&jane),
            UPDATE,
            change(json!({ "city": "Toronto", "countryCode": "CA", "stateOrProvince": "ON" })),
        )
        .await;
    let updated = &r.body["data"]["customer"]["updateCustomerAddress"];
    assert_eq!(updated["errors"], json!([]), "{:?}", r.body);
    assert_eq!(updated["address"]["city"], "Toronto");
    let r = app
        .cart_op(
            &token,
            Some(&jane),
            UPDATE,
            change(json!({ "countryCode": "US" })),
        )
        .await;
    assert_eq!(
        error_of(&r.body["data"]["customer"]["updateCustomerAddress"]),
        (
            "ValidationError".into(),
            "ON is not a state or province of US.".into()
        )
    );
    let book = list(&app, &token, &jane).await;
    assert_eq!(
        (book[0]["city"].as_str(), book[0]["countryCode"].as_str()),
        (Some("Toronto"), Some("CA"))
    );
    assert_eq!(book[0]["firstName"], "Jane", "fields not given are kept");

    // Another customer cannot see, change or delete it; a shopper not signed in is told so.
    let vip = app.login_cat(&token, VIP).await;
    assert!(list(&app, &token, &vip)
        .await
        .iter()
        .all(|a| a["entityId"] != id));
    let r = app
        .cart_op(
            &token,
            Some(&vip),
            UPDATE,
            change(json!({ "city": "Paris" })),
        )
        .await;
    assert_eq!(
        error_of(&r.body["data"]["customer"]["updateCustomerAddress"]),
        (
            "AddressDoesNotExistError".into(),
            format!("Address {id} does not exist.")
        )
    );
    let delete = json!({ "input": { "addressEntityId": id } });
    let r = app
        .cart_op(&token, Some(&vip), DELETE, delete.clone())
        .await;
    assert_eq!(
        error_of(&r.body["data"]["customer"]["deleteCustomerAddress"]).0,
        "CustomerAddressDeletionError"
    );
    let r = app
        .cart_op(&token, None, ADD, json!({ "input": home() }))
        .await;
    assert_eq!(
        error_of(&r.body["data"]["customer"]["addCustomerAddress"]),
        (
            "CustomerNotLoggedInError".into(),
            "Sign in to change your addresses.".into()
        )
    );
    assert_eq!(list(&app, &token, &jane).await[0]["city"], "Toronto");

    // Jane deletes it; a second delete finds nothing.
    let r = app
        .cart_op(&token, Some(&jane), DELETE, delete.clone())
        .await;
    assert_eq!(
        r.body["data"]["customer"]["deleteCustomerAddress"]["errors"],
        json!([])
    );
    assert!(list(&app, &token, &jane).await.is_empty());
    let r = app.cart_op(&token, Some(&jane), DELETE, delete).await;
    assert_eq!(
        error_of(&r.body["data"]["customer"]["deleteCustomerAddress"]),
        (
            "CustomerAddressDeletionError".into(),
            format!("Address {id} does not exist.")
        )
    );
}

#[tokio::test]
async fn an_address_book_is_bounded_and_pages() {
    let app = TestApp::spawn().await;
    let token = app.private_token(&["Unauthenticated", "Customer"]).await;
    let jane = app.login_cat(&token, JANE).await;
    clear_book(&app, &token, &jane).await;
    for _ in 0..100 {
        let r = app
            .cart_op(&token, Some(&jane), ADD, json!({ "input": home() }))
            .await;
        assert_eq!(
            r.body["data"]["customer"]["addCustomerAddress"]["errors"],
            json!([])
        );
    }
    let r = app
        .cart_op(&token, Some(&jane), ADD, json!({ "input": home() }))
        .await;
    assert_eq!(
        error_of(&r.body["data"]["customer"]["addCustomerAddress"]),
        (
            "CustomerAddressCreationError".into(),
            "An address book holds at most 100 addresses.".into()
        )
    );
    let q = "query($after: String) { customer { addresses(first: 30, after: $after) { collectionInfo { totalItems } pageInfo { hasNextPage endCursor } edges { node { entityId } } } } }";
    let (mut after, mut seen) = (Value::Null, Vec::new());
    loop {
        let r = app
            .cart_op(&token, Some(&jane), q, json!({ "after": after }))
            .await;
        let c = &r.body["data"]["customer"]["addresses"];
        for e in c["edges"].as_array().expect("edges") {
            seen.push(e["node"]["entityId"].as_i64().expect("id"));
        }
        if c["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = c["pageInfo"]["endCursor"].clone();
    }
    assert_eq!(seen.len(), 100);
    assert!(
        seen.windows(2).all(|w| w[0] < w[1]),
        "oldest first, no repeats"
    );
}
