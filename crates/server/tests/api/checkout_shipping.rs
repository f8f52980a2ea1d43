//! Shipping on the checkout over HTTP, as Catalyst's cart page uses it: consignments are
//! quoted the store's shipping methods for their country, an option is chosen, and the order
//! charges it; every bad consignment is refused with a message and changes nothing; changes
//! racing each other are refused, never lost; operators manage methods with the CLI.

use serde_json::{json, Value};

use crate::commerce::COMPLETE;
use crate::helpers::{message, TestApp};

const ADD: &str = "mutation AddCheckoutShippingConsignments($input: AddCheckoutShippingConsignmentsInput!) { checkout { addCheckoutShippingConsignments(input: $input) { checkout { entityId shippingConsignments { entityId availableShippingOptions { cost { value } description entityId isRecommended } } } } } }";
const UPDATE: &str = "mutation($input: UpdateCheckoutShippingConsignmentInput!) { checkout { updateCheckoutShippingConsignment(input: $input) { checkout { entityId } } } }";
const SELECT: &str = "mutation SelectCheckoutShippingOption($input: SelectCheckoutShippingOptionInput!) { checkout { selectCheckoutShippingOption(input: $input) { checkout { entityId } } } }";
/// What the cart page reads (`ShippingInfoFragment` and the totals).
const SHIPPING: &str = "query($id: String) { site { checkout(entityId: $id) { entityId version subtotal { value } grandTotal { value }
  shippingConsignments { entityId lineItemIds availableShippingOptions { cost { value } description entityId isRecommended }
    selectedShippingOption { entityId description cost { value } } address { city countryCode stateOrProvince postalCode } }
  handlingCostTotal { value } shippingCostTotal { currencyCode value } } } }";
const ORDER: &str = "query($filter: OrderFilterInput) { site { order(filter: $filter) { subTotal { value } shippingCostTotal { value } totalIncTax { value }
  consignments { shipping { edges { node { shippingCost { value } shippingAddress { city country countryCode postalCode } } } } } } } }";

/// A guest's cart of (product, quantity) lines, and its line ids in order.
async fn cart(app: &TestApp, token: &str, lines: &[(i64, i64)]) -> (String, Vec<(String, i64)>) {
    let items: Vec<Value> = lines
        .iter()
        .map(|(p, q)| json!({ "productEntityId": p, "quantity": q }))
        .collect();
    let id = app.create_cart(token, None, json!(items)).await;
    let q = "query($id: String) { site { cart(entityId: $id) { lineItems { physicalItems { entityId quantity } } } } }";
    let r = app.cart_op(token, None, q, json!({ "id": id })).await;
    let ids = r.body["data"]["site"]["cart"]["lineItems"]["physicalItems"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| {
            (
                i["entityId"].as_str().unwrap().to_string(),
                i["quantity"].as_i64().unwrap(),
            )
        })
        .collect();
    (id, ids)
}

fn consignment(country: &str, state: Option<&str>, lines: &[(String, i64)]) -> Value {
    json!({
        "address": { "countryCode": country, "stateOrProvince": state, "city": "Springfield", "postalCode": "12345", "shouldSaveAddress": false },
        "lineItems": lines.iter().map(|(id, q)| json!({ "lineItemEntityId": id, "quantity": q })).collect::<Vec<_>>(),
    })
}

async fn checkout(app: &TestApp, token: &str, id: &str) -> Value {
    let r = app
        .cart_op(token, None, SHIPPING, json!({ "id": id }))
        .await;
    assert!(r.body["errors"].is_null(), "{:?}", r.body);
    r.body["data"]["site"]["checkout"].clone()
}

/// (description, cost, recommended) of each option offered.
fn offered(consignment: &Value) -> Vec<(String, f64, bool)> {
    consignment["availableShippingOptions"]
        .as_array()
        .expect("options")
        .iter()
        .map(|o| {
            (
                o["description"].as_str().unwrap().to_string(),
                o["cost"]["value"].as_f64().unwrap(),
                o["isRecommended"].as_bool().unwrap(),
            )
        })
        .collect()
}

fn option_id(consignment: &Value, description: &str) -> String {
    consignment["availableShippingOptions"]
        .as_array()
        .expect("options")
        .iter()
        .find(|o| o["description"] == description)
        .and_then(|o| o["entityId"].as_str())
        .unwrap_or_else(|| panic!("no {description}: {consignment:?}"))
        .to_string()
}

#[tokio::test]
async fn the_cart_page_estimates_shipping_and_the_order_charges_the_option_chosen() {
    let app = TestApp::spawn().await;
    let token = app.private_token(&["Unauthenticated", "Customer"]).await;
    // 2 × 109.00 + 1 × 34.95 = 252.95.
    let (id, lines) = cart(&app, &token, &[(1, 2), (4, 1)]).await;
    let before = checkout(&app, &token, &id).await;
    assert_eq!(before["shippingConsignments"], Value::Null);
    assert_eq!(before["shippingCostTotal"], Value::Null);
    assert_eq!(before["grandTotal"]["value"], 252.95);

    // Catalyst sends the state's geography entityId (California: 226005).
    let input = json!({ "checkoutEntityId": id, "data": { "consignments": [consignment("US", Some("226005"), &lines)] } });
    let r = app
        .cart_op(&token, None, ADD, json!({ "input": input }))
        .await;
    assert!(r.body["errors"].is_null(), "{:?}", r.body);
    let added = &r.body["data"]["checkout"]["addCheckoutShippingConsignments"]["checkout"]
        ["shippingConsignments"][0];
    assert_eq!(
        offered(added),
        [
            ("Standard".into(), 10.0, true),
            ("Express".into(), 25.0, false)
        ]
    );
    let consignment_id = added["entityId"].as_str().unwrap().to_string();
    let view = checkout(&app, &token, &id).await;
    let c = &view["shippingConsignments"][0];
    assert_eq!(
        c["address"],
        json!({ "city": "Springfield", "countryCode": "US", "stateOrProvince": "California", "postalCode": "12345" })
    );
    assert_eq!(c["lineItemIds"].as_array().unwrap().len(), 2);
    assert_eq!(c["selectedShippingOption"], Value::Null);
    assert_eq!(view["shippingCostTotal"], Value::Null, "nothing chosen yet");

    let select = |option: String| json!({ "input": { "checkoutEntityId": id, "consignmentEntityId": consignment_id, "data": { "shippingOptionEntityId": option } } });
    let r = app
        .cart_op(&token, None, SELECT, select(option_id(c, "Express")))
        .await;
    assert!(r.body["errors"].is_null(), "{:?}", r.body);
    let view = checkout(&app, &token, &id).await;
    assert_eq!(
        view["shippingConsignments"][0]["selectedShippingOption"]["description"],
        "Express"
    );
    assert_eq!(
        view["shippingCostTotal"],
        json!({ "currencyCode": "USD", "value": 25.0 })
    );
    assert_eq!(view["grandTotal"]["value"], 277.95);

    // Shipping abroad instead: the choice is cleared and other methods are offered.
    let update = json!({ "input": { "checkoutEntityId": id, "consignmentEntityId": consignment_id,
        "data": { "consignment": consignment("GB", None, &lines) } } });
    let r = app.cart_op(&token, None, UPDATE, update).await;
    assert!(r.body["errors"].is_null(), "{:?}", r.body);
    let view = checkout(&app, &token, &id).await;
    let c = &view["shippingConsignments"][0];
    assert_eq!(c["selectedShippingOption"], Value::Null);
    // International: 15.00 per unit, three units.
    assert_eq!(offered(c), [("International".into(), 45.0, true)]);
    app.cart_op(&token, None, SELECT, select(option_id(c, "International")))
        .await;
    assert_eq!(
        checkout(&app, &token, &id).await["grandTotal"]["value"],
        297.95
    );

    // The order charges it: the PAT is for the grand total.
    let r = app
        .cart_op(&token, None, COMPLETE, json!({ "id": id }))
        .await;
    let done = &r.body["data"]["checkout"]["completeCheckout"];
    let order_id = done["orderEntityId"]
        .as_i64()
        .unwrap_or_else(|| panic!("{:?}", r.body));
    let (_, claims) = crate::helpers::decode(done["paymentAccessToken"].as_str().unwrap());
    assert_eq!(claims["data"]["amount"], 29_795);
    let r = app
        .cart_op(
            &token,
            None,
            ORDER,
            json!({ "filter": { "entityId": order_id, "cartEntityId": id } }),
        )
        .await;
    let order = &r.body["data"]["site"]["order"];
    assert_eq!(order["subTotal"]["value"], 252.95, "{:?}", r.body);
    assert_eq!(order["shippingCostTotal"]["value"], 45.0);
    assert_eq!(order["totalIncTax"]["value"], 297.95);
    let shipped = &order["consignments"]["shipping"]["edges"][0]["node"];
    assert_eq!(shipped["shippingCost"]["value"], 45.0);
    assert_eq!(
        shipped["shippingAddress"],
        json!({ "city": "Springfield", "country": "United Kingdom", "countryCode": "GB", "postalCode": "12345" })
    );
    // An ordered checkout no longer changes.
    let input = json!({ "checkoutEntityId": id, "data": { "consignments": [consignment("US", None, &lines)] } });
    let r = app
        .cart_op(&token, None, ADD, json!({ "input": input }))
        .await;
    assert_eq!(message(&r), "An order was already placed from this cart.");
}

#[tokio::test]
async fn bad_consignments_are_refused_and_change_nothing() {
    let app = TestApp::spawn().await;
    let token = app.private_token(&["Unauthenticated"]).await;
    let (id, lines) = cart(&app, &token, &[(1, 2), (4, 1)]).await;
    let input = json!({ "checkoutEntityId": id, "data": { "consignments": [consignment("US", None, &lines[..1])] } });
    let r = app
        .cart_op(&token, None, ADD, json!({ "input": input }))
        .await;
    let first = &r.body["data"]["checkout"]["addCheckoutShippingConsignments"]["checkout"]
        ["shippingConsignments"][0];
    let (consignment_id, standard) = (
        first["entityId"].as_str().expect("added").to_string(),
        option_id(first, "Standard"),
    );
    let before = checkout(&app, &token, &id).await;

    let (line, other) = (&lines[0], &lines[1]);
    let add = |consignments: Vec<Value>| json!({ "input": { "checkoutEntityId": id, "data": { "consignments": consignments } } });
    let long = "x".repeat(256);
    let mut long_city = consignment("US", None, &lines[1..]);
    long_city["address"]["city"] = json!(long);
    let cases = [
        (
            add(vec![consignment("US", None, &[("nope".into(), 1)])]),
            "Line item nope is not in this checkout.".to_string(),
        ),
        (
            add(vec![consignment("US", None, &lines[..1])]),
            format!("Line item {} is already in a consignment.", line.0),
        ),
        (
            add(vec![
                consignment("US", None, &lines[1..]),
                consignment("CA", None, &lines[1..]),
            ]),
            format!("Line item {} is already in a consignment.", other.0),
        ),
        (
            add(vec![consignment("US", None, &[(other.0.clone(), 5)])]),
            format!(
                "A consignment ships whole lines: line item {} has a quantity of 1.",
                other.0
            ),
        ),
        (
            add(vec![consignment("XX", None, &lines[1..])]),
            "Country code XX is not supported.".into(),
        ),
        (
            add(vec![consignment("US", Some("Bavaria"), &lines[1..])]),
            "Bavaria is not a state or province of US.".into(),
        ),
        (
            add(vec![long_city]),
            "An address field is longer than 255 characters.".into(),
        ),
        (
            add(vec![consignment("US", None, &[])]),
            "A consignment needs at least one line item.".into(),
        ),
        (
            add(vec![]),
            "A consignment needs at least one line item.".into(),
        ),
    ];
    for (vars, expected) in cases {
        let r = app.cart_op(&token, None, ADD, vars).await;
        assert_eq!(message(&r), expected, "{:?}", r.body);
    }
    let choose = |consignment: &str, option: &str, version: Option<i64>| {
        json!({ "input": { "checkoutEntityId": id,
        "consignmentEntityId": consignment, "data": { "shippingOptionEntityId": option }, "version": version } })
    };
    let intl = "3"; // the demo's International method: not offered to the US.
    let refusals = [
        (
            SELECT,
            choose("nope", &standard, None),
            "Consignment nope is not in this checkout.".to_string(),
        ),
        (
            SELECT,
            choose(&consignment_id, intl, None),
            format!("Shipping option {intl} is not available for this consignment."),
        ),
        (
            SELECT,
            choose(&consignment_id, &standard, Some(1)),
            format!(
                "The checkout has changed (it is at version {}); read it again.",
                before["version"]
            ),
        ),
        (
            UPDATE,
            json!({ "input": { "checkoutEntityId": id, "consignmentEntityId": "nope", "data": { "consignment": consignment("US", None, &lines[1..]) } } }),
            "Consignment nope is not in this checkout.".into(),
        ),
    ];
    for (doc, vars, expected) in refusals {
        let r = app.cart_op(&token, None, doc, vars).await;
        assert_eq!(message(&r), expected, "{:?}", r.body);
    }
    // Another shopper's (or no) cart: the same answer as a missing one.
    let r = app
        .cart_op(&token, None, ADD, json!({ "input": { "checkoutEntityId": "not-a-cart", "data": { "consignments": [consignment("US", None, &lines)] } } }))
        .await;
    assert_eq!(message(&r), "Cart not found.");
    assert_eq!(checkout(&app, &token, &id).await, before, "nothing changed");
}

#[tokio::test]
async fn concurrent_consignment_changes_each_land_or_are_refused_never_lost() {
    let app = TestApp::spawn().await;
    let token = app.private_token(&["Unauthenticated"]).await;
    let products: Vec<(i64, i64)> = (1..=4).map(|p| (p, 1)).collect();
    let (id, lines) = cart(&app, &token, &products).await;
    let mut racers = tokio::task::JoinSet::new();
    for line in lines.clone() {
        let (app_url, token, id) = (app.url("/graphql"), token.clone(), id.clone());
        let input = json!({ "checkoutEntityId": id, "data": { "consignments": [consignment("US", None, &[line])] } });
        racers.spawn(async move {
            let r = reqwest::Client::new()
                .post(app_url)
                .bearer_auth(token)
                .json(&json!({ "query": ADD, "variables": { "input": input } }))
                .send()
                .await
                .expect("send");
            r.json::<Value>().await.expect("json")
        });
    }
    let mut landed = 0;
    while let Some(body) = racers.join_next().await {
        let body = body.expect("racer");
        match body["errors"][0]["message"].as_str() {
            None => landed += 1,
            Some(m) => assert!(m.starts_with("The checkout has changed"), "{body:?}"),
        }
    }
    let view = checkout(&app, &token, &id).await;
    let kept = view["shippingConsignments"].as_array().map_or(0, Vec::len);
    assert!(landed >= 1);
    assert_eq!(
        kept, landed,
        "each change that answered success is kept: {view:?}"
    );
}

#[tokio::test]
async fn operators_manage_shipping_methods_with_the_cli() {
    let app = TestApp::spawn().await;
    let token = app.private_token(&["Unauthenticated"]).await;
    let run = |args: &[&str]| {
        let out = app.cli(args);
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).to_string()
                + &String::from_utf8_lossy(&out.stderr),
        )
    };
    let (ok, out) = run(&[
        "shipping",
        "add",
        "--store",
        "demo",
        "--name",
        "Pickup",
        "--kind",
        "free",
        "--countries",
        "nl",
    ]);
    assert!(ok, "{out}");
    assert!(out.contains("Pickup (free $0.00) to NL"), "{out}");
    let pickup_id = out
        .split_whitespace()
        .nth(3)
        .and_then(|w| w.trim_end_matches(':').parse::<i64>().ok())
        .unwrap_or_else(|| panic!("{out}"));
    let refused = [
        (
            vec!["--name", "X", "--kind", "weight"],
            "is not a kind of rate",
        ),
        (
            vec!["--name", "X", "--kind", "free", "--rate", "2"],
            "Free shipping has no rate.",
        ),
        (
            vec!["--name", "X", "--kind", "flat", "--rate", "20000"],
            "between 0.00 and 10000.00",
        ),
        (
            vec!["--name", "X", "--kind", "flat", "--countries", "USA"],
            "\"USA\" is not a two-letter country code.",
        ),
        (vec!["--name", " ", "--kind", "flat"], "1 to 100 characters"),
    ];
    for (args, expected) in refused {
        let mut all = vec!["shipping", "add", "--store", "demo"];
        all.extend(args);
        let (ok, out) = run(&all);
        assert!(!ok && out.contains(expected), "{all:?}: {out}");
    }
    let (_, list) = run(&["shipping", "list", "--store", "demo"]);
    assert_eq!(
        list.lines().count(),
        4,
        "the demo's three and Pickup: {list}"
    );

    let (id, lines) = cart(&app, &token, &[(2, 1)]).await;
    let input = json!({ "checkoutEntityId": id, "data": { "consignments": [consignment("NL", None, &lines)] } });
    let r = app
        .cart_op(&token, None, ADD, json!({ "input": input }))
        .await;
    let c = &r.body["data"]["checkout"]["addCheckoutShippingConsignments"]["checkout"]
        ["shippingConsignments"][0];
    assert_eq!(
        offered(c),
        [
            ("International".into(), 15.0, false),
            ("Pickup".into(), 0.0, true)
        ]
    );
    let (ok, out) = run(&[
        "shipping",
        "remove",
        "--store",
        "demo",
        "--id",
        &pickup_id.to_string(),
    ]);
    assert!(ok, "{out}");
    let (ok, out) = run(&[
        "shipping",
        "remove",
        "--store",
        "demo",
        "--id",
        &pickup_id.to_string(),
    ]);
    assert!(
        !ok && out.contains(&format!("No shipping method {pickup_id} in this store.")),
        "{out}"
    );
    let view = checkout(&app, &token, &id).await;
    assert_eq!(
        offered(&view["shippingConsignments"][0]),
        [("International".into(), 15.0, true)]
    );
}
