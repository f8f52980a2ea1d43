//! The newsletter (issue 17) as Catalyst uses it: the footer form subscribes an address with a
//! private token and no customer; account settings shows `isSubscribedToNewsletter` and
//! subscribes or unsubscribes the customer's own address, also without the customer's token.

use serde_json::{json, Value};

use crate::helpers::{TestApp, JANE};

const SUBSCRIBE: &str = "mutation SubscribeToNewsletterMutation($input: CreateSubscriberInput!) {
    newsletter { subscribe(input: $input) { errors { __typename ... on Error { message } } } } }";
const UNSUBSCRIBE: &str =
    "mutation UnsubscribeFromNewsletterMutation($input: RemoveSubscriberInput!) {
    newsletter { unsubscribe(input: $input) { errors { __typename ... on Error { message } } } } }";

impl TestApp {
    /// Runs a newsletter mutation; its `errors` as (type, message) pairs, or the whole answer
    /// when it has none (a refusal).
    async fn newsletter(
        &self,
        token: &str,
        document: &str,
        input: Value,
    ) -> Result<Vec<(String, String)>, Value> {
        let r = self
            .gql_body(
                Some(token),
                json!({ "query": document, "variables": { "input": input } }),
                &[],
            )
            .await;
        let field = if document.contains("unsubscribe(") {
            "unsubscribe"
        } else {
            "subscribe"
        };
        let Some(errors) = r.body["data"]["newsletter"][field]["errors"].as_array() else {
            return Err(r.body);
        };
        assert!(r.body["errors"].is_null(), "{:?}", r.body);
        Ok(errors
            .iter()
            .map(|e| {
                (
                    e["__typename"].as_str().unwrap().into(),
                    e["message"].as_str().unwrap().into(),
                )
            })
            .collect())
    }

    async fn is_subscribed(&self, token: &str, cat: &str) -> bool {
        let r = self
            .gql(
                Some(token),
                "{ customer { isSubscribedToNewsletter } }",
                &[("X-Bc-Customer-Access-Token", cat)],
            )
            .await;
        r.body["data"]["customer"]["isSubscribedToNewsletter"]
            .as_bool()
            .unwrap_or_else(|| panic!("{:?}", r.body))
    }
}

fn one(kind: &str, message: &str) -> Result<Vec<(String, String)>, Value> {
    Ok(vec![(kind.to_string(), message.to_string())])
}

#[tokio::test]
async fn the_footer_form_subscribes_once_and_says_what_is_wrong() {
    let app = TestApp::spawn().await;
    let token = app.private_token(&["Unauthenticated"]).await;
    let r = app.gql(Some(&token), "{ site { settings { newsletter { showNewsletterSignup newsletterCheckedByDefault } } } }", &[]).await;
    assert_eq!(
        r.body["data"]["site"]["settings"]["newsletter"],
        json!({ "showNewsletterSignup": true, "newsletterCheckedByDefault": false })
    );

    let sub = |input: Value| app.newsletter(&token, SUBSCRIBE, input);
    assert_eq!(
        sub(json!({ "email": "shopper@example.com" })).await,
        Ok(vec![])
    );
    // The same address in another case is the same subscriber (Catalyst shows success).
    assert_eq!(
        sub(json!({ "email": " Shopper@EXAMPLE.com " })).await,
        one(
            "CreateSubscriberAlreadyExistsError",
            "This email address is already subscribed."
        )
    );
    let invalid = one(
        "CreateSubscriberEmailInvalidError",
        "Enter a valid email address.",
    );
    for email in [
        "",
        "shopper",
        "a@b",
        "a b@example.com",
        &format!("{}@example.com", "a".repeat(250)),
    ] {
        assert_eq!(sub(json!({ "email": email })).await, invalid, "{email:?}");
    }
    assert_eq!(
        sub(json!({ "email": "n@example.com", "firstName": "x".repeat(101) })).await,
        one(
            "CreateSubscriberFirstNameInvalidError",
            "First name must be at most 100 characters."
        )
    );
    assert_eq!(
        sub(json!({ "email": "n@example.com", "firstName": "Ann", "lastName": "Bell\u{7}" })).await,
        one(
            "CreateSubscriberLastNameInvalidError",
            "Last name must be at most 100 characters."
        )
    );
    // None of the refused ones was kept.
    assert_eq!(
        sub(json!({ "email": "n@example.com", "firstName": "Ann", "lastName": "Lee" })).await,
        Ok(vec![])
    );
}

#[tokio::test]
async fn account_settings_show_and_change_the_customers_subscription() {
    let app = TestApp::spawn().await;
    let token = app.private_token(&["Unauthenticated", "Customer"]).await;
    let cat = app.login_cat(&token, JANE).await;
    assert!(!app.is_subscribed(&token, &cat).await);
    // Catalyst sends these without the customer's access token.
    let input = json!({ "email": JANE, "firstName": "Jane", "lastName": "Doe" });
    assert_eq!(app.newsletter(&token, SUBSCRIBE, input).await, Ok(vec![]));
    assert!(app.is_subscribed(&token, &cat).await);
    assert_eq!(
        app.newsletter(&token, UNSUBSCRIBE, json!({ "email": "JANE@example.com" }))
            .await,
        Ok(vec![])
    );
    assert!(!app.is_subscribed(&token, &cat).await);
    // Unsubscribing an address that is not on the list changes nothing and is no error.
    assert_eq!(
        app.newsletter(&token, UNSUBSCRIBE, json!({ "email": JANE }))
            .await,
        Ok(vec![])
    );
    assert_eq!(
        app.newsletter(&token, UNSUBSCRIBE, json!({ "email": "not an address" }))
            .await,
        one(
            "RemoveSubscriberEmailInvalidError",
            "Enter a valid email address."
        )
    );
}

#[tokio::test]
async fn a_token_without_unauthenticated_cannot_subscribe_and_nothing_is_kept() {
    let app = TestApp::spawn().await;
    let customer_only = app.private_token(&["Customer"]).await;
    let refused = app
        .newsletter(
            &customer_only,
            SUBSCRIBE,
            json!({ "email": "x@example.com" }),
        )
        .await
        .unwrap_err();
    assert_eq!(
        refused["errors"][0]["extensions"]["code"], "INSUFFICIENT_ACCESS_SCOPE",
        "{refused:?}"
    );
    let token = app.private_token(&["Unauthenticated"]).await;
    assert_eq!(
        app.newsletter(&token, SUBSCRIBE, json!({ "email": "x@example.com" }))
            .await,
        Ok(vec![])
    );
}

#[tokio::test]
async fn concurrent_sign_ups_of_one_address_keep_one_subscriber() {
    let app = TestApp::spawn().await;
    let token = app.private_token(&["Unauthenticated"]).await;
    // Eight requests in flight at once, on their own tasks.
    let mut attempts = tokio::task::JoinSet::new();
    for i in 0..8 {
        let email = if i % 2 == 0 {
            "race@example.com"
        } else {
            "RACE@example.com"
        };
        let body = json!({ "query": SUBSCRIBE, "variables": { "input": { "email": email } } });
        let (client, url, token) = (app.client.clone(), app.url("/graphql"), token.clone());
        attempts.spawn(async move {
            let r = client
                .post(url)
                .bearer_auth(token)
                .json(&body)
                .send()
                .await
                .expect("send");
            let body: Value = r.json().await.expect("json");
            body["data"]["newsletter"]["subscribe"]["errors"].clone()
        });
    }
    let results: Vec<Value> = attempts.join_all().await;
    let added = results.iter().filter(|e| *e == &json!([])).count();
    let already = results
        .iter()
        .filter(|e| e[0]["__typename"] == "CreateSubscriberAlreadyExistsError")
        .count();
    assert_eq!((added, already), (1, 7), "{results:?}");
}
