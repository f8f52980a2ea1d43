//! The Tax Provider API over HTTP (issue 18, SPEC §12): a provider server of the test's own
//! asserts what it is sent (HTTP Basic with the store's credentials, the store hash, the
//! checkout's lines and address); its estimate is the checkout's tax and the order's; a
//! failing provider (5xx, unreadable, slow, gone) is a clear error that loses nothing, and a
//! retry works; placing the order commits the quote.

use std::sync::{Arc, Mutex};

use axum::extract::State;
use axum::http::HeaderMap;
use base64::Engine;
use reqwest::Method;
use serde_json::{json, Value};

use crate::commerce::COMPLETE;
use crate::helpers::TestApp;

/// How the test provider answers.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Mode {
    /// 10 % of every priced line, rounded down to the cent.
    Ten,
    Fail,
    Garbage,
    Slow,
}

/// (path, Authorization, X-BC-Store-Hash, body) of a call.
pub(crate) type Call = (String, String, String, Value);

#[derive(Clone)]
pub(crate) struct Provider {
    mode: Arc<Mutex<Mode>>,
    /// Every call, in order.
    seen: Arc<Mutex<Vec<Call>>>,
}

impl Provider {
    pub(crate) fn set(&self, mode: Mode) {
        *self.mode.lock().unwrap() = mode;
    }
    pub(crate) fn calls(&self, path: &str) -> Vec<Call> {
        self.seen
            .lock()
            .unwrap()
            .iter()
            .filter(|c| c.0 == path)
            .cloned()
            .collect()
    }
}

fn tenth(price: &Value) -> Value {
    let cents = (price["amount"].as_f64().unwrap_or(0.0) * 100.0).round() as i64;
    json!({ "amount_exclusive": price["amount"], "total_tax": (cents / 10) as f64 / 100.0,
        "tax_rate": 0.1, "sales_tax_summary": [{ "name": "Sales Tax", "rate": 0.1, "amount": (cents / 10) as f64 / 100.0 }] })
}

async fn answer(
    State(p): State<Provider>,
    uri: axum::http::Uri,
    headers: HeaderMap,
    body: String,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let header = |n: &str| {
        headers
            .get(n)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    };
    let request: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
    p.seen.lock().unwrap().push((
        uri.path().to_string(),
        header("authorization"),
        header("x-bc-store-hash"),
        request.clone(),
    ));
    let mode = *p.mode.lock().unwrap();
    match mode {
        Mode::Fail => {
            return (axum::http::StatusCode::INTERNAL_SERVER_ERROR, "down").into_response()
        }
        Mode::Garbage => return "<html>not json</html>".into_response(),
        Mode::Slow => tokio::time::sleep(std::time::Duration::from_secs(3)).await,
        Mode::Ten => {}
    }
    let documents: Vec<Value> = request["documents"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|d| {
            let items: Vec<Value> = d["items"].as_array().into_iter().flatten()
                .map(|i| json!({ "id": i["id"], "type": "item", "price": tenth(&i["price"]) }))
                .collect();
            json!({ "id": d["id"], "items": items,
                "shipping": { "id": d["id"], "type": "shipping", "price": tenth(&d["shipping"]["price"]) },
                "handling": { "id": d["id"], "type": "handling", "price": tenth(&d["handling"]["price"]) } })
        })
        .collect();
    axum::Json(json!({ "id": request["id"], "documents": documents })).into_response()
}

pub(crate) async fn provider() -> (Provider, String) {
    let p = Provider {
        mode: Arc::new(Mutex::new(Mode::Ten)),
        seen: Arc::default(),
    };
    let router = axum::Router::new()
        .route("/tax/estimate", axum::routing::post(answer))
        .route("/tax/commit", axum::routing::post(answer))
        .with_state(p.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!(
        "http://127.0.0.1:{}/tax",
        listener.local_addr().expect("addr").port()
    );
    tokio::spawn(async move { axum::serve(listener, router).await.expect("serve") });
    (p, url)
}

const CONNECTION: &str = "/v3/tax/providers/test-tax/connection";
const CHECKOUT: &str = "query($id: String) { site { checkout(entityId: $id) { entityId subtotal { value } shippingCostTotal { value }
  taxTotal { value } taxes { name amount { value } } grandTotal { value } shippingConsignments { entityId selectedShippingOption { description } } } } }";
const ADD: &str = "mutation($input: AddCheckoutShippingConsignmentsInput!) { checkout { addCheckoutShippingConsignments(input: $input) { checkout { shippingConsignments { entityId availableShippingOptions { entityId description } } } } } }";
const SELECT: &str = "mutation($input: SelectCheckoutShippingOptionInput!) { checkout { selectCheckoutShippingOption(input: $input) { checkout { entityId } } } }";
const ORDER: &str = "query($filter: OrderFilterInput) { site { order(filter: $filter) { taxTotal { value } totalIncTax { value } shippingCostTotal { value } } } }";

/// A guest checkout of 2 × product 1 (109.00) and 1 × product 4 (34.95) shipping to
/// California, with `option` (Standard: 10.00, Express: 25.00) chosen.
async fn checkout_shipping_to_california(app: &TestApp, token: &str, option: &str) -> String {
    let id = app.create_cart(token, None, json!([{ "productEntityId": 1, "quantity": 2 }, { "productEntityId": 4, "quantity": 1 }])).await;
    let q = "query($id: String) { site { cart(entityId: $id) { lineItems { physicalItems { entityId quantity } } } } }";
    let r = app.cart_op(token, None, q, json!({ "id": id })).await;
    let lines: Vec<Value> = r.body["data"]["site"]["cart"]["lineItems"]["physicalItems"]
        .as_array()
        .expect("lines")
        .iter()
        .map(|i| json!({ "lineItemEntityId": i["entityId"], "quantity": i["quantity"] }))
        .collect();
    let input = json!({ "checkoutEntityId": id, "data": { "consignments": [{ "address": {
        "countryCode": "US", "stateOrProvince": "CA", "city": "San Francisco", "postalCode": "94105", "address1": "500 Market St", "shouldSaveAddress": false },
        "lineItems": lines }] } });
    let r = app
        .cart_op(token, None, ADD, json!({ "input": input }))
        .await;
    let c = &r.body["data"]["checkout"]["addCheckoutShippingConsignments"]["checkout"]
        ["shippingConsignments"][0];
    let option_id = c["availableShippingOptions"]
        .as_array()
        .expect("options")
        .iter()
        .find(|o| o["description"] == option)
        .expect("option")["entityId"]
        .clone();
    let select = json!({ "checkoutEntityId": id, "consignmentEntityId": c["entityId"], "data": { "shippingOptionEntityId": option_id } });
    let r = app
        .cart_op(token, None, SELECT, json!({ "input": select }))
        .await;
    assert!(r.body["errors"].is_null(), "{:?}", r.body);
    id
}

async fn read(app: &TestApp, token: &str, id: &str) -> crate::helpers::Resp {
    app.cart_op(token, None, CHECKOUT, json!({ "id": id }))
        .await
}

pub(crate) async fn connected_app() -> (TestApp, Provider, String) {
    let app = TestApp::spawn_with(|c| c.outbound.timeout_secs = Some(1)).await;
    let (p, url) = provider().await;
    let out = app.cli(&[
        "tax-providers",
        "register",
        "--id",
        "test-tax",
        "--name",
        "Test Tax",
        "--url",
        &url,
    ]);
    assert!(out.status.success(), "{out:?}");
    let r = app
        .mgmt(
            Method::PUT,
            CONNECTION,
            Some(json!({ "username": "acct-1", "password": "s3cret-pass" })),
        )
        .await;
    assert_eq!(
        (r.status, &r.body),
        (
            200,
            &json!({ "data": { "username": "acct-1", "configured": true }, "meta": {} })
        )
    );
    let token = app.private_token(&["Unauthenticated", "Customer"]).await;
    (app, p, token)
}

#[tokio::test]
async fn the_providers_estimate_is_the_checkouts_tax_and_the_order_commits_it() {
    let (app, p, token) = connected_app().await;
    let id = checkout_shipping_to_california(&app, &token, "Standard").await;
    let r = read(&app, &token, &id).await;
    assert!(r.body["errors"].is_null(), "{:?}", r.body);
    let c = &r.body["data"]["site"]["checkout"];
    // 10 % of 218.00, 34.95 and 10.00 shipping, each rounded down: 21.80 + 3.49 + 1.00.
    assert_eq!(c["taxTotal"]["value"], 26.29);
    assert_eq!(
        c["taxes"],
        json!([{ "name": "Sales Tax", "amount": { "value": 26.29 } }])
    );
    assert_eq!(c["grandTotal"]["value"], 252.95 + 10.0 + 26.29);

    // What the provider was sent: the store's Basic credentials, the store hash, the lines.
    let calls = p.calls("/tax/estimate");
    assert_eq!(calls.len(), 1);
    let (_, auth, hash, body) = &calls[0];
    let basic = base64::engine::general_purpose::STANDARD.encode("acct-1:s3cret-pass");
    assert_eq!(auth, &format!("Basic {basic}"));
    assert_eq!(hash, "demo");
    assert_eq!(body["id"], id.as_str());
    assert_eq!(body["currency_code"], "USD");
    let doc = &body["documents"][0];
    assert_eq!(doc["destination_address"]["region_code"], "CA");
    assert_eq!(doc["destination_address"]["city"], "San Francisco");
    let amounts: Vec<f64> = doc["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["price"]["amount"].as_f64().unwrap())
        .collect();
    assert_eq!(amounts, vec![218.0, 34.95]);
    assert_eq!(doc["shipping"]["price"]["amount"], 10.0);

    // Reading the unchanged checkout again asks nothing more.
    read(&app, &token, &id).await;
    assert_eq!(p.calls("/tax/estimate").len(), 1);

    let placed = app
        .cart_op(&token, None, COMPLETE, json!({ "id": id }))
        .await;
    let done = &placed.body["data"]["checkout"]["completeCheckout"];
    let order_id = done["orderEntityId"].as_i64().expect("order");
    let order = app
        .cart_op(
            &token,
            None,
            ORDER,
            json!({ "filter": { "entityId": order_id, "cartEntityId": id } }),
        )
        .await;
    let o = &order.body["data"]["site"]["order"];
    assert_eq!(o["taxTotal"]["value"], 26.29, "{:?}", order.body);
    assert_eq!(o["totalIncTax"]["value"], 289.24);
    let commits = p.calls("/tax/commit");
    assert_eq!(commits.len(), 1);
    assert_eq!(commits[0].3["id"], order_id.to_string());
    assert_eq!(commits[0].1, format!("Basic {basic}"));
}

#[tokio::test]
async fn a_failing_provider_is_a_clear_error_that_loses_nothing_and_a_retry_works() {
    let (app, p, token) = connected_app().await;
    let id = checkout_shipping_to_california(&app, &token, "Express").await;
    let cases = [
        (Mode::Fail, "it answered HTTP 500"),
        (
            Mode::Garbage,
            "its answer could not be read: the answer is not JSON",
        ),
        (Mode::Slow, "timed out"),
    ];
    for (mode, why) in cases {
        p.set(mode);
        let r = read(&app, &token, &id).await;
        let c = &r.body["data"]["site"]["checkout"];
        assert_eq!(c["taxTotal"], Value::Null, "{mode:?}");
        assert_eq!(
            c["subtotal"]["value"], 252.95,
            "the rest of the checkout still loads"
        );
        assert_eq!(
            c["shippingConsignments"][0]["selectedShippingOption"]["description"],
            "Express"
        );
        let message = r.body["errors"][0]["message"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        assert!(
            message.starts_with("Tax could not be calculated: the tax provider Test Tax failed ("),
            "{message}"
        );
        assert!(
            message.contains(why) && message.ends_with("Nothing was changed; try again."),
            "{message}"
        );
        assert!(!message.contains("s3cret"), "{message}");

        let placed = app
            .cart_op(&token, None, COMPLETE, json!({ "id": id }))
            .await;
        let done = &placed.body["data"]["checkout"]["completeCheckout"];
        assert_eq!(done["orderEntityId"], Value::Null, "{mode:?}");
        let refusal = done["errors"][0]["message"].as_str().unwrap_or_default();
        assert!(refusal.contains(why), "{refusal}");
    }
    // Nothing was lost: the same checkout is quoted and placed once the provider answers.
    p.set(Mode::Ten);
    let r = read(&app, &token, &id).await;
    assert!(r.body["errors"].is_null(), "{:?}", r.body);
    // 21.80 + 3.49 + 2.50 (Express shipping 25.00).
    assert_eq!(
        r.body["data"]["site"]["checkout"]["taxTotal"]["value"],
        27.79
    );
    let placed = app
        .cart_op(&token, None, COMPLETE, json!({ "id": id }))
        .await;
    assert!(
        placed.body["data"]["checkout"]["completeCheckout"]["orderEntityId"].is_i64(),
        "{:?}",
        placed.body
    );
}

#[tokio::test]
async fn the_connection_is_managed_over_the_management_api_and_never_shows_the_password() {
    let (app, p, token) = connected_app().await;
    let shown = app.mgmt(Method::GET, CONNECTION, None).await;
    assert_eq!(
        shown.body,
        json!({ "data": { "username": "acct-1", "configured": true }, "meta": {} })
    );
    let refusals = [
        (json!({ "password": "x" }), "username:required"),
        (
            json!({ "username": "acct", "password": "" }),
            "password:invalid",
        ),
        (
            json!({ "username": "a:b", "password": "x" }),
            "username:invalid",
        ),
        (
            json!({ "username": "acct", "password": "x", "token": "y" }),
            "token:unknown",
        ),
    ];
    for (body, key) in refusals {
        let r = app.mgmt(Method::PUT, CONNECTION, Some(body.clone())).await;
        assert_eq!(r.status, 422, "{body}");
        assert!(r.body["errors"][key].is_string(), "{body}: {:?}", r.body);
    }
    let unknown = app
        .mgmt(
            Method::PUT,
            "/v3/tax/providers/nobody/connection",
            Some(json!({ "username": "a", "password": "b" })),
        )
        .await;
    assert_eq!(
        (unknown.status, unknown.body["title"].as_str()),
        (404, Some("Provider does not exist"))
    );
    // A provider an app registers through one store's API is that store's alone.
    let own = app
        .mgmt(
            Method::POST,
            "/v3/tax/providers",
            Some(json!({ "id": "own-tax", "name": "Own", "url": "https://tax.example.com/api" })),
        )
        .await;
    assert_eq!(own.status, 200, "{:?}", own.body);
    let listed = app.mgmt(Method::GET, "/v3/tax/providers", None).await;
    let ids: Vec<&str> = listed.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p["id"].as_str())
        .collect();
    assert_eq!(ids, vec!["own-tax", "test-tax"]);
    let ssrf = app
        .mgmt(
            Method::POST,
            "/v3/tax/providers",
            Some(json!({ "id": "meta", "name": "M", "url": "https://169.254.169.254/latest" })),
        )
        .await;
    assert_eq!(ssrf.status, 422, "{:?}", ssrf.body);
    let taken = app
        .mgmt(
            Method::POST,
            "/v3/tax/providers",
            Some(json!({ "id": "own-tax", "name": "Again", "url": "https://tax.example.com/api" })),
        )
        .await;
    assert_eq!(taken.status, 409);

    // Disconnecting the active provider: checkouts charge no tax and the provider is not asked.
    let off = app.mgmt(Method::DELETE, CONNECTION, None).await;
    assert_eq!(
        off.body,
        json!({ "data": { "username": "acct-1", "configured": false }, "meta": {} })
    );
    let id = checkout_shipping_to_california(&app, &token, "Standard").await;
    let r = read(&app, &token, &id).await;
    assert_eq!(r.body["data"]["site"]["checkout"]["taxTotal"]["value"], 0.0);
    assert_eq!(
        r.body["data"]["site"]["checkout"]["grandTotal"]["value"],
        262.95
    );
    assert!(p.calls("/tax/estimate").is_empty());
    // The password is stored sealed or plain, but never returned by any endpoint.
    let listed = app.mgmt(Method::GET, "/v3/tax/providers", None).await;
    assert!(!listed.body.to_string().contains("s3cret"));
}

#[tokio::test]
async fn an_unreachable_provider_is_refused_and_another_stores_provider_is_invisible() {
    let (app, _p, token) = connected_app().await;
    let out = app.cli(&[
        "tax-providers",
        "register",
        "--id",
        "gone-tax",
        "--name",
        "Gone",
        "--url",
        "http://127.0.0.1:1/tax",
    ]);
    assert!(out.status.success(), "{out:?}");
    let path = "/v3/tax/providers/gone-tax/connection";
    let r = app
        .mgmt(
            Method::PUT,
            path,
            Some(json!({ "username": "u", "password": "p" })),
        )
        .await;
    assert_eq!(r.status, 200);
    let id = checkout_shipping_to_california(&app, &token, "Standard").await;
    let r = read(&app, &token, &id).await;
    let message = r.body["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("the tax provider Gone failed") && message.contains("could not connect"),
        "{message}"
    );

    // A provider registered through store demo's API is not offered to another store.
    let own = app
        .mgmt(
            Method::POST,
            "/v3/tax/providers",
            Some(json!({ "id": "own-tax", "name": "Own", "url": "https://tax.example.com" })),
        )
        .await;
    assert_eq!(own.status, 200);
    assert!(app
        .cli(&["stores", "create", "--hash", "other", "--name", "Other"])
        .status
        .success());
    let out = app.cli(&[
        "accounts",
        "create",
        "--store",
        "other",
        "--scope",
        "store_v2_information",
        "--json",
    ]);
    let account: Value = serde_json::from_slice(&out.stdout).expect("json");
    let other = account["access_token"].as_str().expect("token");
    let ask = |method: Method, path: &str, body: Option<Value>| {
        let mut req = app
            .client
            .request(method, app.url(&format!("/stores/other{path}")))
            .header("X-Auth-Token", other);
        if let Some(b) = body {
            req = req.json(&b);
        }
        async move { crate::helpers::Resp::from(req.send().await.expect("send")).await }
    };
    let listed = ask(Method::GET, "/v3/tax/providers", None).await;
    let ids: Vec<&str> = listed.body["data"]
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|p| p["id"].as_str())
        .collect();
    assert_eq!(ids, vec!["gone-tax", "test-tax"]);
    let r = ask(
        Method::PUT,
        "/v3/tax/providers/own-tax/connection",
        Some(json!({ "username": "u", "password": "p" })),
    )
    .await;
    assert_eq!(r.status, 404);
    // And store demo's connection is its own: the other store has none.
    let r = ask(Method::GET, CONNECTION, None).await;
    assert_eq!(
        r.body["data"],
        json!({ "username": "", "configured": false })
    );
}
