//! Gateway mode's differential test (issue 21): built-in mode is the reference. The gateway
//! (`denied = null`) sits in front of the same built-in schema served without scope
//! enforcement, and must answer every document of the scope suite, generated scope documents
//! and Catalyst's recorded documents, for every token kind and scope set, as built-in mode
//! does: the same status, `data` byte for byte (key order included), errors as a set.
//!
//! The upstream is the reference server itself, reached through a bridge that acts on the
//! gateway's assertion as an operator's upstream would: the asserted token kind and customer
//! pick the credentials, and a private token is answered with every scope, which is what
//! "without scope enforcement" means for an answer. Both servers share one database, so the
//! client's tokens are good on both.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use proptest::strategy::{Strategy, ValueTree};
use serde_json::{json, Value};

use crate::catalyst::{recorded_all, variables, Journey};
use crate::gateway_toy::serve_locally;
use crate::graphql_scopes::{document, suite_documents};
use crate::helpers::{TestApp, JANE};

const ORIGIN: &str = "https://shop.example";

/// What the bridge needs to act for an asserted identity.
#[derive(Clone)]
struct Bridge {
    reference: String,
    client: reqwest::Client,
    /// A private token with every scope: the upstream's answers for private tokens.
    every_scope: String,
    /// Token id (`jti`) -> the token, for the kinds that are not scope-checked.
    tokens: Arc<HashMap<String, String>>,
    /// The signed-in customer's current CAT (a logout revokes it; the test signs in again).
    cat: Arc<Mutex<String>>,
    /// Every query text the upstream received.
    received: Arc<Mutex<Vec<String>>>,
}

async fn bridge_answer(
    axum::extract::State(b): axum::extract::State<Bridge>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let assertion = headers["x-storefront-auth-assertion"].to_str().unwrap();
    let payload = assertion.split('.').nth(1).unwrap();
    let claims: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap();
    let sent: Value = serde_json::from_slice(&body).unwrap();
    b.received
        .lock()
        .unwrap()
        .push(sent["query"].as_str().unwrap().to_string());
    let token = &claims["token"];
    let bearer = match token["kind"].as_str() {
        Some("private") => b.every_scope.clone(),
        _ => b.tokens[token["id"].as_str().unwrap()].clone(),
    };
    let mut req = b
        .client
        .post(&b.reference)
        .bearer_auth(bearer)
        .header("content-type", "application/json")
        .body(body);
    let customer = &claims["customer"];
    match customer["source"].as_str() {
        Some("customer_access_token") => {
            let cat = b.cat.lock().unwrap().clone();
            req = req.header("X-Bc-Customer-Access-Token", cat);
        }
        Some("impersonation") => req = req.header("X-Bc-Customer-Id", customer["id"].to_string()),
        _ => {}
    }
    if claims["browser"] == true {
        req = req.header("Origin", ORIGIN);
    }
    let r = req.send().await.unwrap();
    let status = r.status();
    let body = r.bytes().await.unwrap();
    (status, [("content-type", "application/json")], body).into_response()
}

/// A client: its token and the headers it sends.
struct Client {
    name: String,
    token: String,
    cat: bool,
    headers: Vec<(&'static str, String)>,
}

fn jti(token: &str) -> String {
    crate::helpers::decode(token).1["jti"]
        .as_str()
        .unwrap()
        .to_string()
}

/// Every kind of client: private tokens of each scope set, with and without a customer; a
/// storefront token from a browser and from a server; an impersonation token for Jane.
async fn clients(app: &TestApp, jane: i64) -> (Vec<Client>, HashMap<String, String>) {
    let names = ["Unauthenticated", "Customer", "B2B"];
    let mut out = Vec::new();
    let mut tokens = HashMap::new();
    for bits in 1u8..8 {
        let scopes: Vec<&str> = (0..3)
            .filter(|i| bits & (1 << i) != 0)
            .map(|i| names[i])
            .collect();
        let token = app.private_token(&scopes).await;
        for cat in [false, true] {
            let name = format!("private {scopes:?}{}", if cat { " + CAT" } else { "" });
            let token = token.clone();
            out.push(Client {
                name,
                token,
                cat,
                headers: Vec::new(),
            });
        }
    }
    let storefront = app.storefront_token(&[ORIGIN]).await;
    tokens.insert(jti(&storefront), storefront.clone());
    let browser = vec![
        ("Origin", ORIGIN.to_string()),
        ("Sec-Fetch-Mode", "cors".to_string()),
    ];
    out.push(Client {
        name: "storefront, browser".into(),
        token: storefront.clone(),
        cat: false,
        headers: browser,
    });
    out.push(Client {
        name: "storefront, server".into(),
        token: storefront,
        cat: false,
        headers: Vec::new(),
    });
    let impersonation = app.impersonation_token().await;
    tokens.insert(jti(&impersonation), impersonation.clone());
    let as_jane = vec![("X-Bc-Customer-Id", jane.to_string())];
    out.push(Client {
        name: "impersonation".into(),
        token: impersonation,
        cat: false,
        headers: as_jane,
    });
    (out, tokens)
}

/// Status, `data` as the server wrote it (keys in order), and the errors sorted.
fn answer(status: u16, text: &str, mutation: bool) -> (u16, String, Vec<String>) {
    let parsed: async_graphql::Response = serde_json::from_str(text)
        .unwrap_or_else(|e| panic!("not a GraphQL response ({e}): {text}"));
    let mut data = serde_json::to_value(&parsed.data).unwrap();
    let mut data_text = serde_json::to_string(&parsed.data).unwrap();
    if mutation {
        // A mutation ran twice (reference, then gateway): new ids and tokens, same shape.
        shape(&mut data);
        data_text = data.to_string();
    }
    let mut errors: Vec<String> = parsed
        .errors
        .iter()
        .map(|e| serde_json::to_value(e).unwrap().to_string())
        .collect();
    errors.sort();
    (status, data_text, errors)
}

fn shape(v: &mut Value) {
    match v {
        Value::String(_) => *v = json!("<string>"),
        Value::Number(_) => *v = json!(0),
        Value::Array(items) => items.iter_mut().for_each(shape),
        Value::Object(fields) => fields.values_mut().for_each(shape),
        _ => {}
    }
}

async fn post(app: &TestApp, c: &Client, cat: &str, body: &Value) -> (u16, String) {
    let mut req = app
        .client
        .post(app.url("/graphql"))
        .bearer_auth(&c.token)
        .json(body);
    for (k, v) in &c.headers {
        req = req.header(*k, v);
    }
    if c.cat {
        req = req.header("X-Bc-Customer-Access-Token", cat);
    }
    let r = req.send().await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_gateway_answers_every_document_as_built_in_mode_does() {
    let reference = TestApp::spawn().await;
    let setup = reference
        .private_token(&["Unauthenticated", "Customer", "B2B"])
        .await;
    let every_scope = setup.clone();
    let mut journey = Journey::start(&reference, setup).await;
    journey.cat = reference.login_cat(&journey.token, JANE).await;
    let me = reference
        .gql(
            Some(&journey.token),
            "{ customer { entityId } }",
            &[("X-Bc-Customer-Access-Token", &journey.cat)],
        )
        .await;
    let jane = me.body["data"]["customer"]["entityId"].as_i64().unwrap();
    let (clients, tokens) = clients(&reference, jane).await;
    let bridge = Bridge {
        reference: reference.url("/graphql"),
        client: reqwest::Client::new(),
        every_scope,
        tokens: Arc::new(tokens),
        cat: Arc::new(Mutex::new(journey.cat.clone())),
        received: Arc::default(),
    };
    let router = axum::Router::new()
        .route("/graphql", axum::routing::post(bridge_answer))
        .with_state(bridge.clone());
    let upstream = format!("{}/graphql", serve_locally(router).await);
    let dir = tempfile::tempdir().unwrap();
    let sdl = dir.path().join("upstream.graphql");
    std::fs::write(&sdl, storefront_auth::graphql::schema::build().sdl()).unwrap();
    let gateway = reference
        .beside(|c| {
            c.gateway.upstream = Some(upstream);
            c.gateway.schema = Some(format!("sdl:{}", sdl.display()));
        })
        .await;

    let mut documents: Vec<(String, Value)> = suite_documents()
        .into_iter()
        .map(|body| ("scope suite".to_string(), body))
        .collect();
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    for _ in 0..24 {
        let (query, _) = document().new_tree(&mut runner).unwrap().current();
        documents.push(("generated".into(), json!({ "query": query })));
    }
    let mut recorded = recorded_all();
    // The visit's sign-out last: it ends every session of the customer.
    recorded.sort_by_key(|(name, _)| name == "LogoutMutation");
    for (name, query) in recorded {
        let vars = variables(&name, &journey);
        documents.push((
            name,
            json!({ "query": query, "variables": vars, "operationName": null }),
        ));
    }

    let mut failures = Vec::new();
    let (mut compared, mut partial) = (0, 0);
    for (source, body) in &documents {
        let query = body["query"].as_str().unwrap();
        let mutation = query.trim_start().starts_with("mutation");
        let logout = query.contains("logout");
        for c in &clients {
            let mut cat = bridge.cat.lock().unwrap().clone();
            let mut body = body.clone();
            let customer = c.cat || c.headers.iter().any(|(k, _)| *k == "X-Bc-Customer-Id");
            let own_session = logout && customer;
            if own_session {
                // Each side signs out of a session of its own, with a cart of its own.
                (cat, body) = signed_in(&reference, &journey, query).await;
            }
            let (status, text) = post(&reference, c, &cat, &body).await;
            let want = answer(status, &text, mutation);
            if own_session {
                (cat, body) = signed_in(&reference, &journey, query).await;
                *bridge.cat.lock().unwrap() = cat.clone();
            }
            let (status, text) = post(&gateway, c, &cat, &body).await;
            let got = answer(status, &text, mutation);
            compared += 1;
            let denied = want
                .2
                .iter()
                .any(|e| e.contains("INSUFFICIENT_ACCESS_SCOPE"));
            partial += usize::from(denied && want.1 != "null");
            if got != want {
                failures.push(format!(
                    "{source} / {}:\n  {query}\n  built-in: {want:?}\n  gateway:  {got:?}",
                    c.name
                ));
            }
        }
    }
    assert!(compared >= 1000, "{compared} comparisons");
    // The comparisons covered what the strip and restore are for: answers with data and
    // denials, from documents the upstream received stripped (some kept alive or probed).
    let received = bridge.received.lock().unwrap().clone();
    let originals: Vec<&str> = documents
        .iter()
        .filter_map(|(_, b)| b["query"].as_str())
        .collect();
    let stripped = received
        .iter()
        .filter(|q| !originals.contains(&q.as_str()))
        .count();
    let probed = received
        .iter()
        .filter(|q| q.contains("_storefrontAuthType"))
        .count();
    assert!(
        partial >= 100 && stripped >= 100 && probed >= 10,
        "{partial} partial answers, {stripped} stripped documents, {probed} probed"
    );
    assert!(
        failures.is_empty(),
        "{} of {compared} differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// A new session for Jane with a cart of hers: the CAT, and the logout document's body.
async fn signed_in(app: &TestApp, j: &Journey, logout: &str) -> (String, Value) {
    let cat = app.login_cat(&j.token, JANE).await;
    let lines = json!([{ "productEntityId": 1, "quantity": 1 }]);
    let cart = app.create_cart(&j.token, Some(&cat), lines).await;
    (
        cat,
        json!({ "query": logout, "variables": { "cartEntityId": cart } }),
    )
}
