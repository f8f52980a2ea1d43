//! Product options on cart lines, over HTTP: GraphQL's `selectedOptions` and the REST
//! Storefront API's `optionSelections` are checked against the product's own options (a
//! refusal names the option and adds nothing), come back with the line, and decide whether two
//! lines of one product merge.

use serde_json::{json, Value};

use storefront_auth_store::NewOption;

use crate::catalyst::finish;
use crate::helpers::{TestApp, JANE, PASSWORD};

/// A line's options are the product's own: a required option unanswered, a value of another
/// option, text too long, or an option of another product are refused with a message naming
/// the option, and nothing is added; chosen options come back named, and two lines of one
/// product merge only when they chose the same.
#[tokio::test]
async fn cart_lines_carry_the_options_the_shopper_chose() {
    let app = TestApp::spawn().await;
    // The Chemex gets a required grind.
    let grinds: [(&str, bool, &[&str]); 2] = [("Whole bean", true, &[]), ("Filter", false, &[])];
    let grind = NewOption {
        store_id: app.creds.store_id,
        product_id: 3,
        kind: "multiple_choice",
        display_name: "Grind",
        display_style: "RadioButtons",
        is_required: true,
        values: &grinds,
    };
    app.store()
        .await
        .create_option(grind)
        .await
        .expect("option");
    // Written behind the server's back: a restarted server reads the catalog afresh.
    let app = app.restart().await;
    let token = app.private_token(&["Unauthenticated"]).await;
    let (finish, black) = finish(&app, &token).await;
    let create = "mutation($l: [CartLineItemInput!]) { cart { createCart(input: { lineItems: $l }) { cart { entityId lineItems { physicalItems { quantity url brand selectedOptions { __typename entityId name ... on CartSelectedMultipleChoiceOption { value valueEntityId } ... on CartSelectedTextFieldOption { text } } } } } } } }";
    let line = |options: Value| json!([{ "productEntityId": 2, "quantity": 1, "selectedOptions": options }]);
    let chemex = json!([{ "productEntityId": 3, "quantity": 1 }]);
    let r = app
        .cart_op(&token, None, create, json!({ "l": chemex }))
        .await;
    assert_eq!(
        crate::helpers::message(&r),
        "Option \"Grind\" is required.",
        "{:?}",
        r.body
    );
    let refused = [
        (
            json!({ "multipleChoices": [{ "optionEntityId": finish, "optionValueEntityId": black + 100 }] }),
            "Option \"Finish\" has no such value.",
        ),
        (
            json!({ "multipleChoices": [{ "optionEntityId": finish, "optionValueEntityId": black }],
                    "textFields": [{ "optionEntityId": finish + 1, "text": "x".repeat(1_001) }] }),
            "Option \"Engraving\" takes at most 1000 characters.",
        ),
        (
            json!({ "multipleChoices": [{ "optionEntityId": 9_999, "optionValueEntityId": black }] }),
            "Option 9999 is not an option of this product.",
        ),
    ];
    for (options, want) in refused {
        let r = app
            .cart_op(&token, None, create, json!({ "l": line(options) }))
            .await;
        assert_eq!(crate::helpers::message(&r), want, "{:?}", r.body);
        assert!(
            r.body["data"]["cart"]["createCart"].is_null(),
            "{:?}",
            r.body
        );
    }
    let chosen = json!({ "multipleChoices": [{ "optionEntityId": finish, "optionValueEntityId": black }],
                         "textFields": [{ "optionEntityId": finish + 1, "text": "For J." }] });
    let r = app
        .cart_op(&token, None, create, json!({ "l": line(chosen.clone()) }))
        .await;
    let cart = &r.body["data"]["cart"]["createCart"]["cart"];
    let item = &cart["lineItems"]["physicalItems"][0];
    assert_eq!(item["brand"], "Able", "{:?}", r.body);
    assert!(
        item["url"]
            .as_str()
            .is_some_and(|u| u.starts_with("http") && u.ends_with("/able-brewing-system/")),
        "{:?}",
        r.body
    );
    assert_eq!(
        item["selectedOptions"],
        json!([
            { "__typename": "CartSelectedMultipleChoiceOption", "entityId": finish, "name": "Finish", "value": "Black", "valueEntityId": black },
            { "__typename": "CartSelectedTextFieldOption", "entityId": finish + 1, "name": "Engraving", "text": "For J." }
        ])
    );
    // The same choices merge; another finish is a line of its own.
    let id = cart["entityId"].as_str().expect("cart").to_string();
    let add = "mutation($id: String!, $l: [CartLineItemInput!]) { cart { addCartLineItems(input: { cartEntityId: $id, data: { lineItems: $l } }) { cart { lineItems { physicalItems { quantity selectedOptions { entityId } } } } } } }";
    let r = app
        .cart_op(&token, None, add, json!({ "id": id, "l": line(chosen) }))
        .await;
    let items = &r.body["data"]["cart"]["addCartLineItems"]["cart"]["lineItems"]["physicalItems"];
    assert_eq!(items.as_array().map(Vec::len), Some(1), "{:?}", r.body);
    assert_eq!(items[0]["quantity"], 2);
    let steel = json!({ "multipleChoices": [{ "optionEntityId": finish, "optionValueEntityId": black - 1 }] });
    let r = app
        .cart_op(&token, None, add, json!({ "id": id, "l": line(steel) }))
        .await;
    let items = &r.body["data"]["cart"]["addCartLineItems"]["cart"]["lineItems"]["physicalItems"];
    assert_eq!(items.as_array().map(Vec::len), Some(2), "{:?}", r.body);
}

/// The REST Storefront API takes the same choices (`optionSelections`), checks them the same
/// way (422 with the option named), and shows them with the line.
#[tokio::test]
async fn rest_storefront_lines_carry_option_selections() {
    let app = TestApp::spawn().await;
    let token = app.private_token(&["Unauthenticated"]).await;
    let (finish, black) = finish(&app, &token).await;
    let cookie = app.form_login(JANE, PASSWORD).await.expect("signed in");
    let own = app.base.clone();
    let post = |selections: Value| {
        let (app, cookie, own) = (&app, cookie.clone(), own.clone());
        async move {
            let body = json!({ "lineItems": [{ "productId": 2, "quantity": 1, "optionSelections": selections }] });
            app.rest(
                reqwest::Method::POST,
                "/api/storefront/carts",
                Some(&cookie),
                Some(&own),
                Some(body),
            )
            .await
        }
    };
    let r = post(json!([{ "optionId": finish, "optionValue": black + 100 }])).await;
    assert_eq!(r.status, 422, "{:?}", r.body);
    assert!(
        r.body
            .to_string()
            .contains("Option \\\"Finish\\\" has no such value."),
        "{:?}",
        r.body
    );
    let r = post(json!([{ "optionId": finish, "optionValue": black }, { "optionId": finish + 1, "optionValue": "For J." }])).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(
        r.body["lineItems"]["physicalItems"][0]["optionSelections"],
        json!([{ "optionId": finish, "optionValue": black }, { "optionId": finish + 1, "optionValue": "For J." }])
    );
}
