//! SPEC §5.5 over HTTP: private-token scopes null the outermost field in place, whatever
//! aliases, fragments or variables a document uses; introspection is open; the explain
//! endpoint, the CLI and execution agree.

use std::collections::BTreeSet;

use proptest::prelude::*;
use serde_json::{json, Value};
use storefront_auth_core::analysis::{denied_paths, SchemaIndex};
use storefront_auth_core::{Scope, ScopeSet};

use crate::helpers::TestApp;

pub const ALL_THREE: &str =
    "{ site { settings { storeName } } customer { email } company { companyUser { email } } }";
const SCOPE_MESSAGE: &str =
    "The provided token does not include the scopes required to resolve this field.";

/// The scope suite's documents, each as a request body: this file's tests use them, and the
/// gateway's differential test (`gateway_differential`) answers every one of them both ways.
pub const NULLABLE: &str = "{\n  channel { entityId }\n  me: customer { email }\n}";
pub const NON_NULL_MUTATION: &str = r#"mutation { analytics { visitStartedEvent(input: { commonInput: { request: { url: "https://x.example/", userAgent: "t" } } }) { executed } } }"#;
pub const TWO_OPERATIONS: &str = "query Mine($b: Boolean!) {\n  me: customer { email @include(if: $b) }\n  company { companyUser { email } }\n}\nquery Shop { channel { entityId } }";
pub const INTROSPECTION: &str = "{ __typename __schema { queryType { name } types { name } } __type(name: \"Product\") { fields { name } } }";
pub const EXPLAINED: &str = "{ site { checkout(entityId: \"abc\") { order { entityId } } } }";

/// Ways of writing a denied field (alias, fragment, inline fragment, directive, variables),
/// with their variables and the denied path for a token holding only Unauthenticated.
pub fn hiding() -> Vec<(&'static str, Value, Vec<&'static str>)> {
    vec![
        ("{ who: customer { email } }", json!({}), vec!["who"]),
        ("{ ...Me } fragment Me on Query { customer { email } }", json!({}), vec!["customer"]),
        ("{ ... on Query { c: company { companyUser { email } } } }", json!({}), vec!["c"]),
        ("query($on: Boolean!) { customer @include(if: $on) { email } }", json!({ "on": true }), vec!["customer"]),
        ("query($n: Int) { site { products(first: $n) { edges { node { name } } } } x: customer { ... on Customer { entityId } } }", json!({ "n": 1 }), vec!["x"]),
    ]
}

/// Every document above as a request body, plus the invalid one the suite sends.
pub fn suite_documents() -> Vec<Value> {
    let mut out: Vec<Value> = [
        ALL_THREE,
        NULLABLE,
        NON_NULL_MUTATION,
        INTROSPECTION,
        EXPLAINED,
    ]
    .into_iter()
    .map(|q| json!({ "query": q }))
    .collect();
    out.push(json!({ "query": "{ customer { noSuchField } }" }));
    for (name, b) in [("Mine", true), ("Mine", false), ("Shop", true)] {
        out.push(
            json!({ "query": TWO_OPERATIONS, "operationName": name, "variables": { "b": b } }),
        );
    }
    out.extend(
        hiding()
            .into_iter()
            .map(|(q, v, _)| json!({ "query": q, "variables": v })),
    );
    out
}

fn subsets() -> Vec<Vec<&'static str>> {
    let names = ["Unauthenticated", "Customer", "B2B"];
    (1u8..8)
        .map(|bits| {
            names
                .iter()
                .enumerate()
                .filter(|(i, _)| bits & (1 << i) != 0)
                .map(|(_, n)| *n)
                .collect()
        })
        .collect()
}

/// The response paths of INSUFFICIENT_ACCESS_SCOPE errors, list indices dropped.
fn denied(body: &Value) -> BTreeSet<Vec<String>> {
    body["errors"]
        .as_array()
        .map(|errs| {
            errs.iter()
                .filter(|e| e["extensions"]["code"] == "INSUFFICIENT_ACCESS_SCOPE")
                .map(|e| {
                    e["path"]
                        .as_array()
                        .expect("path")
                        .iter()
                        .filter_map(|p| p.as_str().map(String::from))
                        .collect()
                })
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn each_scope_subset_against_all_three_scopes() {
    let app = TestApp::spawn().await;
    for scopes in subsets() {
        let token = app.private_token(&scopes).await;
        let r = app.gql(Some(&token), ALL_THREE, &[]).await;
        assert_eq!(r.status, 200, "{scopes:?}");
        let has = |s: &str| scopes.contains(&s);
        if !has("Unauthenticated") {
            // `site` is non-null: its null bubbles to `data`.
            assert_eq!(r.body["data"], Value::Null, "{scopes:?}");
            assert!(
                denied(&r.body).contains(&vec!["site".to_string()]),
                "{scopes:?}: {:?}",
                r.body
            );
            continue;
        }
        assert_eq!(
            r.body["data"]["site"]["settings"]["storeName"], "Demo Store",
            "{scopes:?}"
        );
        assert_eq!(r.body["data"]["customer"], Value::Null);
        assert_eq!(r.body["data"]["company"], Value::Null);
        let mut want = BTreeSet::new();
        if !has("Customer") {
            want.insert(vec!["customer".to_string()]);
        }
        if !has("B2B") {
            want.insert(vec!["company".to_string()]);
        }
        assert_eq!(denied(&r.body), want, "{scopes:?}: {:?}", r.body);
        for e in r.body["errors"].as_array().into_iter().flatten() {
            assert_eq!(e["message"], SCOPE_MESSAGE);
            assert!(e["locations"][0]["line"].as_i64().is_some());
            let path = e["path"][0].as_str().expect("path");
            let required = if path == "customer" {
                "Customer"
            } else {
                "B2B"
            };
            assert_eq!(e["extensions"]["requiredScopes"], json!([required]));
        }
    }
}

/// A query none of whose root fields the token may see is answered without running it once it
/// has been validated; the answer is byte for byte the executor's, and it stays so for other
/// variables, another operation of the document, and a storefront token (no scopes to lack).
#[tokio::test]
async fn a_wholly_denied_query_answers_as_the_executor_did() {
    let app = TestApp::spawn().await;
    let u_only = app.private_token(&["Unauthenticated"]).await;
    let raw = |body: Value| {
        let req = app
            .client
            .post(app.url("/graphql"))
            .bearer_auth(&u_only)
            .json(&body);
        async move {
            let r = req.send().await.expect("send");
            assert_eq!(r.status(), 200);
            r.text().await.expect("body")
        }
    };
    let doc = TWO_OPERATIONS;
    let mine = json!({ "query": doc, "operationName": "Mine", "variables": { "b": true } });
    let first = raw(mine.clone()).await;
    let expected = json!({
        "data": { "me": null, "company": null },
        "errors": [
            {
                "message": SCOPE_MESSAGE,
                "locations": [{ "line": 2, "column": 7 }],
                "path": ["me"],
                "extensions": { "code": "INSUFFICIENT_ACCESS_SCOPE", "requiredScopes": ["Customer"] }
            },
            {
                "message": SCOPE_MESSAGE,
                "locations": [{ "line": 3, "column": 3 }],
                "path": ["company"],
                "extensions": { "code": "INSUFFICIENT_ACCESS_SCOPE", "requiredScopes": ["B2B"] }
            }
        ]
    });
    assert_eq!(
        serde_json::from_str::<Value>(&first).expect("json"),
        expected
    );
    for _ in 0..2 {
        assert_eq!(
            raw(mine.clone()).await,
            first,
            "the same bytes once validated"
        );
    }
    let other_variables =
        json!({ "query": doc, "operationName": "Mine", "variables": { "b": false } });
    assert_eq!(raw(other_variables.clone()).await, first);
    assert_eq!(raw(other_variables).await, first);
    // The document's other operation is not denied at all.
    let shop = json!({ "query": doc, "operationName": "Shop" });
    for _ in 0..2 {
        assert_eq!(
            serde_json::from_str::<Value>(&raw(shop.clone()).await).expect("json"),
            json!({ "data": { "channel": { "entityId": 1 } } })
        );
    }
    // A token holding the scopes runs the same document and sees data.
    let all = app
        .private_token(&["Unauthenticated", "Customer", "B2B"])
        .await;
    let r = app.gql_body(Some(&all), mine, &[]).await;
    assert!(
        !r.body.to_string().contains("INSUFFICIENT_ACCESS_SCOPE"),
        "{:?}",
        r.body
    );
}

#[tokio::test]
async fn the_exact_error_for_a_nullable_field_and_bubbling_for_non_null() {
    let app = TestApp::spawn().await;
    let u_only = app.private_token(&["Unauthenticated"]).await;
    let r = app.gql(Some(&u_only), NULLABLE, &[]).await;
    assert_eq!(
        r.body,
        json!({
            "data": { "channel": { "entityId": 1 }, "me": null },
            "errors": [{
                "message": SCOPE_MESSAGE,
                "locations": [{ "line": 3, "column": 7 }],
                "path": ["me"],
                "extensions": { "code": "INSUFFICIENT_ACCESS_SCOPE", "requiredScopes": ["Customer"] }
            }]
        })
    );
    // Repeated, the document runs without async-graphql's validation pass (it passed once with
    // these variables): the answer is the same, and an invalid document is refused each time.
    let again = app.gql(Some(&u_only), NULLABLE, &[]).await;
    assert_eq!(again.body, r.body);
    for _ in 0..2 {
        let bad = app
            .gql(Some(&u_only), "{ customer { noSuchField } }", &[])
            .await;
        assert_eq!(bad.body["data"], Value::Null, "{}", bad.body);
        assert!(
            bad.body["errors"][0]["message"]
                .as_str()
                .is_some_and(|m| m.contains("noSuchField")),
            "{}",
            bad.body
        );
    }
    // A nested non-null field (`visitStartedEvent: VisitStartedEventResult!` under the
    // non-null `analytics`) nulls up to the nearest nullable ancestor: here all of `data`.
    let c_only = app.private_token(&["Customer"]).await;
    let m = NON_NULL_MUTATION;
    let r = app.gql(Some(&c_only), m, &[]).await;
    assert_eq!(r.body["data"], Value::Null);
    assert_eq!(
        r.body["errors"][0]["path"],
        json!(["analytics", "visitStartedEvent"])
    );
    assert_eq!(
        r.body["errors"][0]["extensions"]["requiredScopes"],
        json!(["Unauthenticated"])
    );
    let r = app.gql(Some(&u_only), m, &[]).await;
    assert_eq!(
        r.body,
        json!({ "data": { "analytics": { "visitStartedEvent": { "executed": true } } } })
    );
}

#[tokio::test]
async fn aliases_fragments_inline_fragments_and_variables_cannot_hide_a_field() {
    let app = TestApp::spawn().await;
    let u_only = app.private_token(&["Unauthenticated"]).await;
    for (query, vars, path) in hiding() {
        let r = app
            .gql_body(
                Some(&u_only),
                json!({ "query": query, "variables": vars }),
                &[],
            )
            .await;
        assert_eq!(r.status, 200);
        let want: BTreeSet<Vec<String>> = [path.iter().map(|s| s.to_string()).collect()]
            .into_iter()
            .collect();
        assert_eq!(denied(&r.body), want, "{query}: {:?}", r.body);
    }
}

#[tokio::test]
async fn introspection_is_open_to_every_token_and_other_kinds_are_not_scope_checked() {
    let app = TestApp::spawn().await;
    let b2b = app.private_token(&["B2B"]).await;
    let r = app.gql(Some(&b2b), INTROSPECTION, &[]).await;
    assert_eq!(r.status, 200);
    assert!(r.body.get("errors").is_none(), "{:?}", r.body);
    assert_eq!(r.body["data"]["__schema"]["queryType"]["name"], "Query");
    let cit = app.impersonation_token().await;
    let r = app.gql(Some(&cit), ALL_THREE, &[]).await;
    assert!(r.body.get("errors").is_none(), "{:?}", r.body);
    assert_eq!(
        r.body["data"]["site"]["settings"]["storeName"],
        "Demo Store"
    );
}

#[tokio::test]
async fn explain_names_the_scopes_and_fields_of_the_documented_case() {
    let app = TestApp::spawn().await;
    let u_only = app.private_token(&["Unauthenticated"]).await;
    let doc = EXPLAINED;
    let r = crate::helpers::Resp::from(
        app.client
            .post(app.url("/graphql/explain"))
            .bearer_auth(&u_only)
            .json(&json!({ "query": doc }))
            .send()
            .await
            .expect("send"),
    )
    .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let d = &r.body["data"];
    assert_eq!(d["requiredScopes"], json!(["Unauthenticated", "Customer"]));
    assert_eq!(
        d["fields"]["Customer"],
        json!(["Checkout.order", "Order.entityId"])
    );
    assert_eq!(d["missingScopes"], json!(["Customer"]));
    // The same answer from the command line, without a server.
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("q.graphql");
    std::fs::write(&file, doc).expect("write");
    let out = app.cli(&["scopes", "explain", file.to_str().expect("path")]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let cli: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(cli["requiredScopes"], d["requiredScopes"]);
    assert_eq!(cli["fields"], d["fields"]);
    // Explain uses /graphql's authentication.
    let r = crate::helpers::Resp::from(
        app.client
            .post(app.url("/graphql/explain"))
            .json(&json!({ "query": doc }))
            .send()
            .await
            .expect("send"),
    )
    .await;
    assert_eq!(r.status, 401);
    let bad = app.cli(&["scopes", "explain", "/nonexistent.graphql"]);
    assert!(!bad.status.success());
}

#[test]
fn exported_sdl_matches_the_committed_schema() {
    let committed = include_str!("../../schema.graphql");
    let current = storefront_auth::graphql::schema::sdl();
    assert!(
        committed.trim_end() == current.trim_end(),
        "the schema changed: review it, then run `cargo run -p storefront-auth -- schema > crates/server/schema.graphql`"
    );
}

/// Root selections with the scope they need and ways of writing them.
const PIECES: [(&str, Option<Scope>); 6] = [
    (
        "site { settings { storeName } }",
        Some(Scope::Unauthenticated),
    ),
    ("channel { entityId }", Some(Scope::Unauthenticated)),
    (
        "site { products(first: 1) { edges { node { name } } } }",
        Some(Scope::Unauthenticated),
    ),
    ("customer { email }", Some(Scope::Customer)),
    ("company { companyUser { email } }", Some(Scope::B2B)),
    ("__typename", None),
];

pub fn document() -> impl Strategy<Value = (String, u8)> {
    let piece = (0..PIECES.len(), 0u8..4, 0u32..1000);
    (prop::collection::vec(piece, 1..5), 1u8..8).prop_map(|(pieces, scopes)| {
        let mut body = String::new();
        let mut fragments = String::new();
        for (i, (idx, style, salt)) in pieces.into_iter().enumerate() {
            let sel = PIECES[idx].0;
            let aliased = format!("a{i}_{salt}: {sel}");
            match style {
                0 => body.push_str(&format!(" {aliased}")),
                1 => body.push_str(&format!(" ... on Query {{ {aliased} }}")),
                2 => {
                    body.push_str(&format!(" ...F{i}"));
                    fragments.push_str(&format!(" fragment F{i} on Query {{ {aliased} }}"));
                }
                // async-graphql's validator misses a variable used only on `__typename`.
                _ if sel == "__typename" => body.push_str(&format!(" {aliased}")),
                _ => {
                    // Root names take no arguments: the directive goes right after the name.
                    let (name, rest) = sel.split_once(' ').unwrap_or((sel, ""));
                    body.push_str(&format!(" a{i}_{salt}: {name} @include(if: $on) {rest}"));
                }
            }
        }
        // Declare the variable only where it is used: unused variables fail validation.
        let vars = if body.contains("$on") {
            "($on: Boolean = true)"
        } else {
            ""
        };
        (format!("query{vars} {{{body} }}{fragments}"), scopes)
    })
}

/// `scopes explain` agrees with execution: the fields nulled at run time are exactly those the
/// analysis says the token lacks scopes for (all of them when `data` is null by bubbling).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn explain_agrees_with_execution() {
    let app = TestApp::spawn().await;
    let index = SchemaIndex::from_sdl(&storefront_auth::graphql::schema::sdl()).expect("index");
    let mut tokens = std::collections::HashMap::new();
    for bits in 1u8..8 {
        let names: Vec<&str> = Scope::ALL
            .iter()
            .enumerate()
            .filter(|(i, _)| bits & (1 << i) != 0)
            .map(|(_, s)| s.as_str())
            .collect();
        tokens.insert(bits, app.private_token(&names).await);
    }
    let handle = tokio::runtime::Handle::current();
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
        cases: 64,
        ..ProptestConfig::default()
    });
    let result = runner.run(&document(), |(query, bits)| {
        let have: ScopeSet = Scope::ALL
            .iter()
            .enumerate()
            .filter(|(i, _)| bits & (1 << i) != 0)
            .map(|(_, s)| *s)
            .collect();
        let doc = async_graphql::parser::parse_query(&query).expect("generated documents parse");
        let vars = storefront_auth_core::analysis::with_defaults(&doc, None, &json!({}));
        let predicted: BTreeSet<Vec<String>> = denied_paths(&doc, &index, None, &vars, have)
            .expect("analysis")
            .into_iter()
            .collect();
        let token = tokens[&bits].clone();
        let r = tokio::task::block_in_place(|| handle.block_on(app.gql(Some(&token), &query, &[])));
        prop_assert_eq!(r.status, 200);
        let actual = denied(&r.body);
        if r.body["data"].is_null() {
            prop_assert!(
                !actual.is_empty() && actual.is_subset(&predicted),
                "{query}: {actual:?} vs {predicted:?}"
            );
        } else {
            prop_assert_eq!(&actual, &predicted, "{}", query);
        }
        Ok(())
    });
    result.expect("analysis and execution agree");
}
