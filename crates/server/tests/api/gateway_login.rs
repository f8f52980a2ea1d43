//! `gateway.login = "delegate:URL"` (issue 21): the operator's service checks customers'
//! passwords. A sign-in it accepts gets the usual customer access token, which the gateway's
//! assertion then names; one it refuses is invalid credentials; an operator that does not
//! answer makes the sign-in unavailable without counting as a failed attempt.

use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::http::StatusCode;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::{json, Value};

use crate::gateway_toy::{gateway, serve_locally, toy};
use crate::helpers::{JANE, LOGIN, PASSWORD};

/// The operator's password check: Jane's password there is not the one stored here.
#[derive(Clone, Default)]
struct Operator {
    asked: Arc<Mutex<Vec<Value>>>,
    down: Arc<Mutex<bool>>,
}

async fn check(axum::extract::State(o): axum::extract::State<Operator>, body: Bytes) -> StatusCode {
    let body: Value = serde_json::from_slice(&body).unwrap();
    o.asked.lock().unwrap().push(body.clone());
    if *o.down.lock().unwrap() {
        return StatusCode::INTERNAL_SERVER_ERROR;
    }
    match (body["email"].as_str(), body["password"].as_str()) {
        (Some(JANE), Some("operator-secret")) => StatusCode::OK,
        _ => StatusCode::UNAUTHORIZED,
    }
}

#[tokio::test]
async fn the_operators_service_checks_passwords_and_the_assertion_names_the_customer() {
    let operator = Operator::default();
    let router = axum::Router::new()
        .route("/check", axum::routing::post(check))
        .with_state(operator.clone());
    let check_url = format!("{}/check", serve_locally(router).await);
    let (upstream, url) = toy().await;
    let (app, _dir) = gateway(&url, move |g| g.login = format!("delegate:{check_url}")).await;
    let token = app.private_token(&["Unauthenticated", "Customer"]).await;
    let login = |password: &str| json!({ "query": LOGIN, "variables": { "email": JANE, "password": password } });

    // The password stored here no longer signs Jane in; the operator's does.
    let r = app.gql_body(Some(&token), login(PASSWORD), &[]).await;
    assert_eq!(
        crate::helpers::message(&r),
        "Invalid credentials",
        "{:?}",
        r.body
    );
    let r = app
        .gql_body(Some(&token), login("operator-secret"), &[])
        .await;
    let cat = r.body["data"]["login"]["customerAccessToken"]["value"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(!cat.is_empty(), "{:?}", r.body);
    let jane = r.body["data"]["login"]["customer"]["entityId"].clone();
    assert_eq!(
        operator.asked.lock().unwrap()[1],
        json!({ "store_hash": "demo", "email": JANE, "password": "operator-secret" })
    );
    // The CAT is the usual one: the upstream is told the customer, from it.
    let r = app
        .gql(
            Some(&token),
            "{ customer { email } }",
            &[("X-Bc-Customer-Access-Token", &cat)],
        )
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let received = upstream.received.lock().unwrap().last().unwrap().0.clone();
    let assertion = received["x-storefront-auth-assertion"]
        .to_str()
        .unwrap()
        .to_string();
    let payload = assertion.split('.').nth(1).unwrap();
    let claims: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap();
    assert_eq!(
        claims["customer"],
        json!({ "id": jane, "source": "customer_access_token" })
    );

    // The operator down: unavailable, and not a failed attempt (more of them than the
    // throttle allows, ten, then a good sign-in still works).
    *operator.down.lock().unwrap() = true;
    for _ in 0..12 {
        let r = app
            .gql_body(Some(&token), login("operator-secret"), &[])
            .await;
        assert!(
            crate::helpers::message(&r).contains("temporarily unavailable"),
            "{:?}",
            r.body
        );
        assert!(r.body["data"]["login"].is_null());
    }
    *operator.down.lock().unwrap() = false;
    let r = app
        .gql_body(Some(&token), login("operator-secret"), &[])
        .await;
    assert!(
        r.body["data"]["login"]["customerAccessToken"]["value"].is_string(),
        "{:?}",
        r.body
    );
}
