//! Catalyst's account settings page over HTTP: `updateCustomer` changes the signed-in
//! customer's name, phone and email (which then signs them in), `changePassword` needs the
//! current password and is throttled like sign-in; every refusal is a typed error that
//! changes nothing.

use serde_json::{json, Value};

use crate::helpers::{TestApp, JANE, LOGIN, PASSWORD, VIP};

const UPDATE: &str = "mutation UpdateCustomerMutation($input: UpdateCustomerInput!) { customer { updateCustomer(input: $input) { customer { firstName lastName email phone } errors { __typename ... on Error { message } ... on ValidationError { path } } } } }";
const CHANGE: &str = "mutation($input: ChangePasswordInput!) { customer { changePassword(input: $input) { errors { __typename ... on Error { message } ... on ValidationError { path } } } } }";

async fn login(app: &TestApp, token: &str, email: &str, password: &str) -> Value {
    let vars = json!({ "email": email, "password": password });
    let r = app.cart_op(token, None, LOGIN, vars).await;
    r.body.clone()
}

fn signed_in(body: &Value) -> bool {
    body["data"]["login"]["customerAccessToken"]["value"].is_string()
}

/// The first typed error of a result, as (typename, message).
fn error_of(result: &Value) -> (String, String) {
    let e = &result["errors"][0];
    (
        e["__typename"].as_str().unwrap_or_default().to_string(),
        e["message"].as_str().unwrap_or_default().to_string(),
    )
}

#[tokio::test]
async fn a_customer_changes_their_name_phone_and_email() {
    let app = TestApp::spawn().await;
    let token = app.private_token(&["Unauthenticated", "Customer"]).await;
    let jane = app.login_cat(&token, JANE).await;
    let update = |input: Value| {
        let (app, token, jane) = (&app, &token, &jane);
        async move {
            let r = app
                .cart_op(token, Some(jane), UPDATE, json!({ "input": input }))
                .await;
            r.body["data"]["customer"]["updateCustomer"].clone()
        }
    };

    let r = update(json!({ "firstName": " Janet ", "phone": "555-0100" })).await;
    assert_eq!(r["errors"], json!([]), "{r:?}");
    assert_eq!(
        r["customer"],
        json!({ "firstName": "Janet", "lastName": "Doe", "email": JANE, "phone": "555-0100" })
    );

    // Refusals change nothing.
    let refusals = [
        (
            json!({ "email": VIP.to_uppercase() }),
            "EmailAlreadyInUseError",
            "The email address is already in use.",
        ),
        (
            json!({ "email": "not-an-email" }),
            "ValidationError",
            "Enter a valid email address.",
        ),
        (
            json!({ "lastName": "" }),
            "ValidationError",
            "Last name is required.",
        ),
        (
            json!({ "firstName": "x".repeat(256) }),
            "ValidationError",
            "This value is too long.",
        ),
        (
            json!({ "formFields": { "texts": [{ "fieldEntityId": 9, "text": "x" }] } }),
            "ValidationError",
            "Form field 9 does not exist.",
        ),
    ];
    for (input, kind, message) in refusals {
        let r = update(input.clone()).await;
        assert_eq!(
            error_of(&r),
            (kind.into(), message.into()),
            "{input}: {r:?}"
        );
        assert_eq!(r["customer"], Value::Null);
    }
    let me = app
        .cart_op(
            &token,
            Some(&jane),
            "{ customer { firstName email } }",
            json!({}),
        )
        .await;
    assert_eq!(
        me.body["data"]["customer"],
        json!({ "firstName": "Janet", "email": JANE })
    );

    // A new email is the one that signs in from now on.
    let r = update(json!({ "email": "janet@example.com" })).await;
    assert_eq!(r["errors"], json!([]), "{r:?}");
    assert!(signed_in(
        &login(&app, &token, "janet@example.com", PASSWORD).await
    ));
    assert!(!signed_in(&login(&app, &token, JANE, PASSWORD).await));

    // Not signed in: told so, nothing changed.
    let r = app
        .cart_op(
            &token,
            None,
            UPDATE,
            json!({ "input": { "firstName": "Mallory" } }),
        )
        .await;
    assert_eq!(
        error_of(&r.body["data"]["customer"]["updateCustomer"]),
        (
            "CustomerNotLoggedInError".into(),
            "Sign in to change your account.".into()
        )
    );
}

#[tokio::test]
async fn a_password_change_needs_the_current_password_and_is_throttled() {
    let app = TestApp::spawn().await;
    let token = app.private_token(&["Unauthenticated", "Customer"]).await;
    let jane = app.login_cat(&token, JANE).await;
    let change = |current: &str, new: &str| {
        let (app, token, jane) = (&app, &token, &jane);
        let vars = json!({ "input": { "currentPassword": current, "newPassword": new } });
        async move {
            let r = app.cart_op(token, Some(jane), CHANGE, vars).await;
            r.body["data"]["customer"]["changePassword"].clone()
        }
    };

    let r = change(PASSWORD, "short").await;
    assert_eq!(
        error_of(&r),
        (
            "ValidationError".into(),
            "Passwords must be at least 7 characters.".into()
        )
    );
    assert_eq!(r["errors"][0]["path"], json!(["input", "newPassword"]));
    let r = change("wrong password", "Another1!").await;
    assert_eq!(
        error_of(&r),
        (
            "CustomerPasswordError".into(),
            "The current password is not correct.".into()
        )
    );
    assert!(
        signed_in(&login(&app, &token, JANE, PASSWORD).await),
        "unchanged"
    );

    // Signing in above ended this CAT's sign-in (one device per customer): sign in again.
    let jane = app.login_cat(&token, JANE).await;
    let vars = json!({ "input": { "currentPassword": PASSWORD, "newPassword": "Another1!" } });
    let r = app.cart_op(&token, Some(&jane), CHANGE, vars).await;
    assert_eq!(
        r.body["data"]["customer"]["changePassword"]["errors"],
        json!([]),
        "{:?}",
        r.body
    );
    assert!(signed_in(&login(&app, &token, JANE, "Another1!").await));
    assert!(!signed_in(&login(&app, &token, JANE, PASSWORD).await));

    // Guessing the current password with a stolen CAT runs into the sign-in throttle (10 failures).
    let body = login(&app, &token, JANE, "Another1!").await;
    let jane = body["data"]["login"]["customerAccessToken"]["value"]
        .as_str()
        .expect("CAT")
        .to_string();
    let mut answers = Vec::new();
    for _ in 0..12 {
        let vars = json!({ "input": { "currentPassword": "guess", "newPassword": "Mallory1!" } });
        let r = app.cart_op(&token, Some(&jane), CHANGE, vars).await;
        answers.push(error_of(&r.body["data"]["customer"]["changePassword"]).1);
    }
    assert!(
        answers
            .last()
            .is_some_and(|m| m.starts_with("Too many attempts.")),
        "{answers:?}"
    );
    // Then even the right password waits, and the password is still the one Jane set.
    let vars = json!({ "input": { "currentPassword": "Another1!", "newPassword": "Mallory1!" } });
    let r = app.cart_op(&token, Some(&jane), CHANGE, vars).await;
    assert!(
        error_of(&r.body["data"]["customer"]["changePassword"])
            .1
            .starts_with("Too many attempts."),
        "{:?}",
        r.body
    );
    app.set_now(crate::helpers::NOW + 24 * 3600);
    assert!(signed_in(&login(&app, &token, JANE, "Another1!").await));
}

/// Catalyst's settings page (its current sources) declares the form fields' sort order as
/// nullable variables it may leave unset; the platform's `sortBy` is nullable with a default,
/// so an unset or null variable sorts by field id instead of failing the page.
#[tokio::test]
async fn form_fields_sort_by_an_unset_or_null_variable_as_by_field_id() {
    let app = TestApp::spawn().await;
    let token = app.private_token(&["Unauthenticated"]).await;
    let doc = "query($customerSortBy: FormFieldSortInput, $addressSortBy: FormFieldSortInput) { site { settings { formFields {
        customer(sortBy: $customerSortBy) { entityId } shippingAddress(sortBy: $addressSortBy) { entityId } } } } }";
    let ids = |r: &crate::helpers::Resp, list: &str| -> Vec<i64> {
        r.body["data"]["site"]["settings"]["formFields"][list]
            .as_array()
            .unwrap_or_else(|| panic!("{:?}", r.body))
            .iter()
            .map(|f| f["entityId"].as_i64().expect("id"))
            .collect()
    };
    let mut seen = Vec::new();
    for vars in [
        json!({}),
        json!({ "customerSortBy": null, "addressSortBy": null }),
        json!({ "customerSortBy": "FIELD_ID", "addressSortBy": "FIELD_ID" }),
    ] {
        let r = app
            .gql_body(
                Some(&token),
                json!({ "query": doc, "variables": vars }),
                &[],
            )
            .await;
        assert!(r.body["errors"].is_null(), "{vars}: {:?}", r.body);
        let (customer, address) = (ids(&r, "customer"), ids(&r, "shippingAddress"));
        assert!(!customer.is_empty() && customer.windows(2).all(|w| w[0] < w[1]));
        assert!(!address.is_empty() && address.windows(2).all(|w| w[0] < w[1]));
        seen.push((customer, address));
    }
    assert!(seen.windows(2).all(|w| w[0] == w[1]), "{seen:?}");
}
