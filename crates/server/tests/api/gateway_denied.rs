//! `gateway.denied` (issue 21) against the toy upstream: what `null` sends and answers, and
//! what `report` names. (`reject` is in `gateway.rs`; the differential test compares `null`
//! with built-in mode over whole suites.)

use serde_json::{json, Value};

use crate::gateway_toy::{gateway, toy, Mode};

/// `denied = null` (the default): denied selections are blanked out of what the upstream
/// receives, a wholly denied mutation is answered here, and the client gets built-in mode's
/// answer: null and one error at each denied instance, the rest as the upstream sent it.
#[tokio::test]
async fn under_null_denied_selections_never_arrive_and_come_back_null() {
    let (toy, url) = toy().await;
    let (app, _dir) = gateway(&url, |_| {}).await;
    let token = app.private_token(&["Unauthenticated"]).await;
    *toy.mode.lock().unwrap() =
        Mode::Data(json!({ "site": { "settings": { "storeName": "Toy" } } }));
    let query = "query Q($n: Int!) {\n  site { settings { storeName } }\n  c: customer { orders(first: $n) { edges { node { entityId } } } }\n}";
    let body = json!({ "query": query, "variables": { "n": 1 } });
    let r = app.gql_body(Some(&token), body, &[]).await;
    assert_eq!(
        r.body,
        json!({
            "data": { "site": { "settings": { "storeName": "Toy" } }, "c": null },
            "errors": [{
                "message": "The provided token does not include the scopes required to resolve this field.",
                "locations": [{ "line": 3, "column": 6 }],
                "path": ["c"],
                "extensions": { "code": "INSUFFICIENT_ACCESS_SCOPE", "requiredScopes": ["Customer"] }
            }]
        })
    );
    let sent = toy.received.lock().unwrap()[0].1["query"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(!sent.contains("customer") && !sent.contains("$n"), "{sent}");
    assert_eq!(
        sent.lines().nth(1),
        query.lines().nth(1),
        "the rest keeps its place"
    );
    let mutation = "mutation { customer { updateCustomer(input: { firstName: \"X\" }) { errors { __typename } } } }";
    let kept_alive = json!({ "customer": { "_storefrontAuthType": "CustomerMutations" } });
    *toy.mode.lock().unwrap() = Mode::Data(kept_alive);
    let r = app.gql(Some(&token), mutation, &[]).await;
    // `updateCustomer` and `customer` are non-null: the denial nulls `data`, as built-in does.
    assert_eq!(r.body["data"], Value::Null, "{:?}", r.body);
    let error = &r.body["errors"][0];
    assert_eq!(
        error["path"],
        json!(["customer", "updateCustomer"]),
        "{:?}",
        r.body
    );
    assert_eq!(error["extensions"]["requiredScopes"], json!(["Customer"]));
    // Only the namespace's `__typename` went up: the denied mutation never ran.
    let sent = toy.received.lock().unwrap()[1].1["query"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        !sent.contains("updateCustomer") && sent.contains("__typename"),
        "{sent}"
    );
    // A document whose every root field is denied is answered here.
    let r = app
        .gql(Some(&token), "{ customer { entityId } }", &[])
        .await;
    assert_eq!(r.body["data"], json!({ "customer": null }), "{:?}", r.body);
    assert_eq!(toy.received.lock().unwrap().len(), 2, "nothing asked");
}

/// A restored answer passes on the upstream's own errors whole (its own keys included, the
/// locations in the client's document) and its extensions, beside the denials.
#[tokio::test]
async fn a_restored_answer_keeps_the_upstreams_errors_and_extensions_whole() {
    let (toy, url) = toy().await;
    let (app, _dir) = gateway(&url, |_| {}).await;
    let token = app.private_token(&["Unauthenticated"]).await;
    let upstream_error = json!({
        "message": "storeName is slow today",
        "locations": [{ "line": 1, "column": 21 }],
        "path": ["site", "settings", "storeName"],
        "extensions": { "code": "UPSTREAM_OWN" },
        "vendorTrace": { "id": "abc-123" }
    });
    *toy.mode.lock().unwrap() = Mode::Body(json!({
        "data": { "site": { "settings": { "storeName": null } } },
        "errors": [upstream_error],
        "extensions": { "cost": 7 }
    }));
    let query = "{ site { settings { storeName } } customer { entityId } }";
    let r = app.gql(Some(&token), query, &[]).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(
        r.body["data"],
        json!({ "site": { "settings": { "storeName": null } }, "customer": null })
    );
    let errors = r.body["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 2, "{:?}", r.body);
    assert_eq!(errors[0]["path"], json!(["customer"]));
    assert_eq!(errors[1], upstream_error, "passed on whole");
    assert_eq!(r.body["extensions"], json!({ "cost": 7 }));
}

/// `denied = report`: a dry run. The upstream gets the document as it is; the response and
/// the decision inspector name what `null` or `reject` would have denied.
#[tokio::test]
async fn under_report_everything_goes_up_and_the_would_be_denials_are_named() {
    let (_toy, url) = toy().await;
    let (app, _dir) = gateway(&url, |c| c.denied = "report".into()).await;
    let token = app.private_token(&["Unauthenticated"]).await;
    let query = "{ site { settings { storeName } } customer { entityId } }";
    let r = app.gql(Some(&token), query, &[]).await;
    assert_eq!(r.body["data"]["echo"], query, "sent as it is");
    let header = r.header("x-storefront-auth-would-deny").unwrap_or_default();
    assert_eq!(header, "Customer: Customer.entityId, Query.customer");
    let r = app
        .gql(Some(&token), "{ site { settings { storeName } } }", &[])
        .await;
    assert_eq!(r.header("x-storefront-auth-would-deny"), None);
    let r = app
        .mgmt(reqwest::Method::GET, "/v3/storefront/decisions", None)
        .await;
    let decisions = r.body["data"].as_array().unwrap();
    let reported: Vec<&Value> = decisions.iter().map(|d| &d["would_deny"]).collect();
    assert!(reported.contains(&&json!(header)), "{:?}", r.body);
    assert!(reported.contains(&&Value::Null), "{:?}", r.body);
}
