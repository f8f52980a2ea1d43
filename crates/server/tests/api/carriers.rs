//! The Shipping Provider API over HTTP (issue 18, SPEC §12): a carrier server of the test's
//! own checks connection options and rates consignments, asserting what it is sent; its quotes
//! are checkout options beside the store's methods and the order charges the one chosen; a
//! failing carrier is a clear error that loses nothing, and a retry works.

use std::sync::{Arc, Mutex};

use axum::extract::State;
use reqwest::Method;
use serde_json::{json, Value};

use crate::commerce::COMPLETE;
use crate::helpers::TestApp;

#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Mode {
    Quote,
    Fail,
    Garbage,
    Slow,
}

#[derive(Clone)]
pub(crate) struct Carrier {
    mode: Arc<Mutex<Mode>>,
    /// (path, body) of every call, in order.
    seen: Arc<Mutex<Vec<(String, Value)>>>,
}

impl Carrier {
    pub(crate) fn set(&self, mode: Mode) {
        *self.mode.lock().unwrap() = mode;
    }
    fn calls(&self, path: &str) -> Vec<Value> {
        self.seen
            .lock()
            .unwrap()
            .iter()
            .filter(|c| c.0 == path)
            .map(|c| c.1.clone())
            .collect()
    }
}

async fn answer(
    State(c): State<Carrier>,
    uri: axum::http::Uri,
    body: String,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let request: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
    c.seen
        .lock()
        .unwrap()
        .push((uri.path().to_string(), request.clone()));
    let mode = *c.mode.lock().unwrap();
    match mode {
        Mode::Fail => return (axum::http::StatusCode::SERVICE_UNAVAILABLE, "down").into_response(),
        Mode::Garbage => return "<html>".into_response(),
        Mode::Slow => tokio::time::sleep(std::time::Duration::from_secs(3)).await,
        Mode::Quote => {}
    }
    if uri.path().ends_with("check_connection_options") {
        let good = request["connection_options"]["api_key"] == "good-key";
        let messages = if good {
            json!([])
        } else {
            json!([{ "text": "Bad API key.", "type": "ERROR" }])
        };
        return axum::Json(json!({ "valid": good, "messages": messages })).into_response();
    }
    // Air costs a dollar per unit shipped.
    let units: i64 = request["base_options"]["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|i| i["quantity"].as_i64())
        .sum();
    axum::Json(json!({ "quote_id": "q-1", "messages": [], "carrier_quotes": [{ "carrier_info": { "code": "acme", "display_name": "Acme" }, "quotes": [
        { "code": "GND", "display_name": "Acme Ground", "cost": { "currency": "USD", "amount": 7.5 } },
        { "code": "AIR", "display_name": "Acme Air", "cost": { "currency": "USD", "amount": units as f64 } } ] }] }))
    .into_response()
}

pub(crate) async fn carrier() -> (Carrier, String) {
    let c = Carrier {
        mode: Arc::new(Mutex::new(Mode::Quote)),
        seen: Arc::default(),
    };
    let router = axum::Router::new()
        .route(
            "/acme/check_connection_options",
            axum::routing::post(answer),
        )
        .route("/acme/rate", axum::routing::post(answer))
        .with_state(c.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!(
        "http://127.0.0.1:{}/acme",
        listener.local_addr().expect("addr").port()
    );
    tokio::spawn(async move { axum::serve(listener, router).await.expect("serve") });
    (c, url)
}

const CONNECTION: &str = "/v2/shipping/carrier/connection";
const ADD: &str = "mutation($input: AddCheckoutShippingConsignmentsInput!) { checkout { addCheckoutShippingConsignments(input: $input) { checkout { shippingConsignments { entityId } } } } }";
const SELECT: &str = "mutation($input: SelectCheckoutShippingOptionInput!) { checkout { selectCheckoutShippingOption(input: $input) { checkout { entityId } } } }";
const CHECKOUT: &str = "query($id: String) { site { checkout(entityId: $id) { subtotal { value } shippingCostTotal { value } grandTotal { value }
  shippingConsignments { entityId availableShippingOptions { entityId description cost { value } isRecommended type } selectedShippingOption { entityId description } } } } }";

async fn connected_app() -> (TestApp, Carrier, String) {
    let app = TestApp::spawn_with(|c| c.outbound.timeout_secs = Some(1)).await;
    let (c, url) = carrier().await;
    let out = app.cli(&[
        "carriers",
        "register",
        "--id",
        "acme",
        "--name",
        "Acme",
        "--url",
        &url,
        "--field",
        "api_key:API key",
        "--optional-field",
        "account:Account number",
    ]);
    assert!(out.status.success(), "{out:?}");
    let r = app
        .mgmt(
            Method::PUT,
            CONNECTION,
            Some(json!({ "carrier_id": "acme", "connection": { "api_key": "good-key" } })),
        )
        .await;
    assert_eq!(
        (r.status, &r.body),
        (200, &json!({ "carrier_id": "acme", "connected": true }))
    );
    let token = app.private_token(&["Unauthenticated", "Customer"]).await;
    (app, c, token)
}

/// A guest checkout of 2 × product 1 and 1 × product 4 with one consignment to `zip` in
/// California: (checkout id, consignment id). Carriers' answers are kept per request, so a
/// test that needs the carrier asked again ships to another zip.
async fn consigned(app: &TestApp, token: &str, zip: &str) -> (String, String) {
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
        "countryCode": "US", "stateOrProvince": "California", "city": "San Francisco", "postalCode": zip, "address1": "500 Market St", "shouldSaveAddress": false },
        "lineItems": lines }] } });
    let r = app
        .cart_op(token, None, ADD, json!({ "input": input }))
        .await;
    let consignment = r.body["data"]["checkout"]["addCheckoutShippingConsignments"]["checkout"]
        ["shippingConsignments"][0]["entityId"]
        .as_str()
        .expect("consignment")
        .to_string();
    (id, consignment)
}

async fn select(
    app: &TestApp,
    token: &str,
    id: &str,
    consignment: &str,
    option: &str,
) -> crate::helpers::Resp {
    let input = json!({ "checkoutEntityId": id, "consignmentEntityId": consignment, "data": { "shippingOptionEntityId": option } });
    app.cart_op(token, None, SELECT, json!({ "input": input }))
        .await
}

async fn read(app: &TestApp, token: &str, id: &str) -> crate::helpers::Resp {
    app.cart_op(token, None, CHECKOUT, json!({ "id": id }))
        .await
}

#[tokio::test]
async fn carrier_quotes_are_checkout_options_and_the_order_charges_the_one_chosen() {
    let (app, c, token) = connected_app().await;
    let (id, consignment) = consigned(&app, &token, "94105").await;
    let r = read(&app, &token, &id).await;
    assert!(r.body["errors"].is_null(), "{:?}", r.body);
    let options: Vec<(String, String, f64, bool)> = r.body["data"]["site"]["checkout"]
        ["shippingConsignments"][0]["availableShippingOptions"]
        .as_array()
        .expect("options")
        .iter()
        .map(|o| {
            (
                o["entityId"].as_str().unwrap().into(),
                o["description"].as_str().unwrap().into(),
                o["cost"]["value"].as_f64().unwrap(),
                o["isRecommended"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        options,
        vec![
            ("1".into(), "Standard".into(), 10.0, false),
            ("2".into(), "Express".into(), 25.0, false),
            ("carrier:acme:GND".into(), "Acme Ground".into(), 7.5, false),
            ("carrier:acme:AIR".into(), "Acme Air".into(), 3.0, true),
        ]
    );
    // What the carrier was sent: the store's options in the body, the destination, the lines.
    let rate = c.calls("/acme/rate");
    assert_eq!(rate.len(), 1);
    assert_eq!(
        rate[0]["connection_options"],
        json!({ "api_key": "good-key" })
    );
    let base = &rate[0]["base_options"];
    assert_eq!(
        (
            &base["destination"]["zip"],
            &base["destination"]["state_iso2"]
        ),
        (&json!("94105"), &json!("CA"))
    );
    let quantities: Vec<i64> = base["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["quantity"].as_i64().unwrap())
        .collect();
    assert_eq!(quantities, vec![2, 1]);

    let r = select(&app, &token, &id, &consignment, "carrier:acme:GND").await;
    assert!(r.body["errors"].is_null(), "{:?}", r.body);
    let r = read(&app, &token, &id).await;
    let checkout = &r.body["data"]["site"]["checkout"];
    assert_eq!(checkout["shippingCostTotal"]["value"], 7.5);
    assert_eq!(checkout["grandTotal"]["value"], 252.95 + 7.5);
    assert_eq!(
        checkout["shippingConsignments"][0]["selectedShippingOption"]["description"],
        "Acme Ground"
    );
    assert_eq!(
        c.calls("/acme/rate").len(),
        1,
        "an unchanged consignment is not rated again"
    );
    let placed = app
        .cart_op(&token, None, COMPLETE, json!({ "id": id }))
        .await;
    let order_id = placed.body["data"]["checkout"]["completeCheckout"]["orderEntityId"]
        .as_i64()
        .expect("order");
    let q = "query($f: OrderFilterInput) { site { order(filter: $f) { shippingCostTotal { value } totalIncTax { value } } } }";
    let o = app
        .cart_op(
            &token,
            None,
            q,
            json!({ "f": { "entityId": order_id, "cartEntityId": id } }),
        )
        .await;
    assert_eq!(
        o.body["data"]["site"]["order"]["shippingCostTotal"]["value"], 7.5,
        "{:?}",
        o.body
    );
    assert_eq!(
        o.body["data"]["site"]["order"]["totalIncTax"]["value"],
        260.45
    );
}

#[tokio::test]
async fn a_failing_carrier_is_a_clear_error_that_loses_nothing() {
    let (app, c, token) = connected_app().await;
    let (id, consignment) = consigned(&app, &token, "94105").await;
    for (n, (mode, why)) in [
        (Mode::Fail, "it answered HTTP 503"),
        (Mode::Garbage, "the answer is not JSON"),
        (Mode::Slow, "timed out"),
    ]
    .into_iter()
    .enumerate()
    {
        c.set(mode);
        let (id, consignment) = consigned(&app, &token, &format!("9410{n}")).await;
        let r = read(&app, &token, &id).await;
        let message = r.body["errors"][0]["message"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        assert!(
            message.starts_with("The carrier Acme could not quote this consignment: ")
                && message.contains(why),
            "{mode:?}: {message}"
        );
        assert_eq!(
            r.body["data"]["site"]["checkout"]["subtotal"]["value"], 252.95,
            "the rest still reads"
        );
        let r = select(&app, &token, &id, &consignment, "carrier:acme:GND").await;
        assert!(
            r.body["errors"][0]["message"]
                .as_str()
                .unwrap_or_default()
                .contains(why),
            "{:?}",
            r.body
        );
        // The store's own methods still work while the carrier is down.
        let r = select(&app, &token, &id, &consignment, "1").await;
        assert!(r.body["errors"].is_null(), "{:?}", r.body);
    }
    // A choice made while the carrier answered, and a carrier that fails afterwards (a fresh
    // instance has no cached answer): the total cannot be priced and the order is refused,
    // with the choice kept; once the carrier answers, the same checkout is placed.
    c.set(Mode::Quote);
    let r = select(&app, &token, &id, &consignment, "carrier:acme:AIR").await;
    assert!(r.body["errors"].is_null(), "{:?}", r.body);
    let app = app.restart().await;
    c.set(Mode::Fail);
    let r = read(&app, &token, &id).await;
    assert_eq!(
        r.body["data"]["site"]["checkout"]["grandTotal"],
        Value::Null
    );
    let placed = app
        .cart_op(&token, None, COMPLETE, json!({ "id": id }))
        .await;
    let done = &placed.body["data"]["checkout"]["completeCheckout"];
    assert_eq!(done["orderEntityId"], Value::Null);
    assert!(
        done["errors"][0]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("it answered HTTP 503"),
        "{:?}",
        placed.body
    );
    c.set(Mode::Quote);
    let r = read(&app, &token, &id).await;
    assert_eq!(
        r.body["data"]["site"]["checkout"]["shippingConsignments"][0]["selectedShippingOption"]
            ["description"],
        "Acme Air"
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
async fn connections_are_checked_by_the_carrier_and_never_shown() {
    let (app, c, token) = connected_app().await;
    let put = |body: Value| app.mgmt(Method::PUT, CONNECTION, Some(body));
    let refusals = [
        (
            json!({ "carrier_id": "acme", "connection": {} }),
            422,
            "connection.api_key:invalid",
        ),
        (
            json!({ "carrier_id": "acme", "connection": { "api_key": "k", "region": "x" } }),
            422,
            "connection.region:invalid",
        ),
        (
            json!({ "carrier_id": "acme", "connection": { "api_key": 5 } }),
            422,
            "connection.api_key:invalid",
        ),
        (
            json!({ "carrier_id": "acme", "connection": { "api_key": "bad" } }),
            422,
            "connection:refused",
        ),
        (json!({ "carrier_id": "acme" }), 422, "connection:required"),
        (
            json!({ "carrier_id": "acme", "connection": {}, "extra": 1 }),
            422,
            "extra:unknown",
        ),
    ];
    for (body, status, key) in refusals {
        let r = put(body.clone()).await;
        assert_eq!(r.status, status, "{body}: {:?}", r.body);
        assert!(r.body["errors"][key].is_string(), "{body}: {:?}", r.body);
    }
    let refused = put(json!({ "carrier_id": "acme", "connection": { "api_key": "bad" } })).await;
    assert!(refused.body["errors"]["connection:refused"]
        .as_str()
        .unwrap()
        .contains("Bad API key."));
    c.set(Mode::Fail);
    let down = put(json!({ "carrier_id": "acme", "connection": { "api_key": "good-key" } })).await;
    assert_eq!(down.status, 502, "{:?}", down.body);
    c.set(Mode::Quote);
    let unknown = put(json!({ "carrier_id": "nobody", "connection": {} })).await;
    assert_eq!(
        (unknown.status, unknown.body["title"].as_str()),
        (404, Some("Carrier does not exist"))
    );
    // The refusals left the first connection in place; the list never shows its values.
    let listed = app.mgmt(Method::GET, "/v3/shipping/carriers", None).await;
    assert_eq!(listed.body["data"][0]["id"], "acme");
    assert_eq!(listed.body["data"][0]["connected"], true);
    assert_eq!(
        listed.body["data"][0]["connection_fields"][0],
        json!({ "code": "api_key", "label": "API key", "required": true })
    );
    assert!(!listed.body.to_string().contains("good-key"));
    // A carrier registered through this store's API is this store's; SSRF targets are refused.
    let own = app
        .mgmt(
            Method::POST,
            "/v3/shipping/carriers",
            Some(json!({ "id": "own", "name": "Own", "url": "https://carrier.example.com" })),
        )
        .await;
    assert_eq!(own.status, 200, "{:?}", own.body);
    let meta = app
        .mgmt(
            Method::POST,
            "/v3/shipping/carriers",
            Some(json!({ "id": "meta", "name": "M", "url": "http://169.254.169.254/" })),
        )
        .await;
    assert_eq!(meta.status, 422);

    // Disconnected: the checkout offers the store's methods only and the carrier is not asked.
    let off = app
        .mgmt(
            Method::DELETE,
            CONNECTION,
            Some(json!({ "carrier_id": "acme" })),
        )
        .await;
    assert_eq!(
        (off.status, &off.body),
        (200, &json!({ "carrier_id": "acme", "connected": false }))
    );
    let asked = c.calls("/acme/rate").len();
    let (id, _) = consigned(&app, &token, "94105").await;
    let r = read(&app, &token, &id).await;
    let options = r.body["data"]["site"]["checkout"]["shippingConsignments"][0]
        ["availableShippingOptions"]
        .as_array()
        .expect("options")
        .len();
    assert_eq!(options, 2);
    assert_eq!(c.calls("/acme/rate").len(), asked);
}

/// A checkout of many consignments and a slow carrier: every carrier call of the read shares
/// one timeout, so the read is answered in about one timeout (1 s here), not one per
/// consignment (SPEC §11: no request holds a worker for long).
#[tokio::test]
async fn a_slow_carrier_holds_a_checkout_read_for_one_timeout_not_one_per_consignment() {
    let (app, c, token) = connected_app().await;
    let lines: Vec<Value> = (1..=4)
        .map(|p| json!({ "productEntityId": p, "quantity": 1 }))
        .collect();
    let id = app.create_cart(&token, None, json!(lines)).await;
    let q = "query($id: String) { site { cart(entityId: $id) { lineItems { physicalItems { entityId } } } } }";
    let r = app.cart_op(&token, None, q, json!({ "id": id })).await;
    let consignments: Vec<Value> = r.body["data"]["site"]["cart"]["lineItems"]["physicalItems"]
        .as_array()
        .expect("lines")
        .iter()
        .enumerate()
        .map(|(n, i)| json!({ "address": { "countryCode": "US", "stateOrProvince": "CA", "postalCode": format!("9000{n}"), "shouldSaveAddress": false },
            "lineItems": [{ "lineItemEntityId": i["entityId"], "quantity": 1 }] }))
        .collect();
    assert_eq!(consignments.len(), 4);
    c.set(Mode::Slow);
    let input = json!({ "checkoutEntityId": id, "data": { "consignments": consignments } });
    let r = app
        .cart_op(&token, None, ADD, json!({ "input": input }))
        .await;
    assert!(r.body["errors"].is_null(), "{:?}", r.body);
    let started = std::time::Instant::now();
    let r = read(&app, &token, &id).await;
    let took = started.elapsed();
    assert!(
        took < std::time::Duration::from_millis(2_900),
        "the read took {took:?}"
    );
    let errors = r.body["errors"].as_array().expect("errors");
    assert_eq!(errors.len(), 4, "{errors:?}");
    assert!(errors.iter().all(|e| e["message"]
        .as_str()
        .unwrap_or_default()
        .contains("timed out")));
    assert!(r.body["data"]["site"]["checkout"]["subtotal"]["value"].is_number());
}
