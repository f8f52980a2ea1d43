//! Gateway mode (issue 21): documents are validated against the upstream's schema before
//! anything is sent. An invalid document gets exactly built-in mode's errors, each once, and
//! never reaches the upstream.

use serde_json::json;

use crate::gateway_toy::{gateway, toy};
use crate::helpers::TestApp;

#[tokio::test]
async fn an_invalid_document_gets_built_in_modes_errors_and_never_reaches_the_upstream() {
    let (toy, url) = toy().await;
    let (gateway, _dir) = gateway(&url, |_| {}).await;
    let built_in = TestApp::spawn().await;
    let at_gateway = gateway
        .private_token(&["Unauthenticated", "Customer"])
        .await;
    let at_built_in = built_in
        .private_token(&["Unauthenticated", "Customer"])
        .await;
    for body in [
        json!({ "query": "{ site { nosuch } }" }),
        json!({ "query": "{ site { product(entityId: \"x\") { name } } }" }),
        json!({ "query": "query Q($id: Int) { site { settings { storeName } } }" }),
        json!({ "query": "{ site { product(entityId: 1, nosuch: 2) { name } } }" }),
        json!({ "query": "{ site { ...Missing } }" }),
        json!({ "query": "{ site { ... on Customer { entityId } } }" }),
        json!({ "query": "query A { site { settings { storeName } } }", "operationName": "B" }),
        json!({ "query": "{ site { settings { storeName } } }", "operationName": "B" }),
        json!({ "query": "query A { site { settings { storeName } } } query B { channel { entityId } }" }),
        json!({ "query": "{ customer { entityId } customer: site { settings { storeName } } }" }),
    ] {
        let from_gateway = gateway.gql_body(Some(&at_gateway), body.clone(), &[]).await;
        let from_built_in = built_in
            .gql_body(Some(&at_built_in), body.clone(), &[])
            .await;
        assert_eq!(from_gateway.status, from_built_in.status, "{body}");
        assert_eq!(from_gateway.body, from_built_in.body, "{body}");
        assert!(
            from_gateway.body["errors"]
                .as_array()
                .is_some_and(|e| !e.is_empty()),
            "{body}"
        );
    }
    assert!(
        toy.received.lock().unwrap().is_empty(),
        "nothing invalid went upstream"
    );
}

/// An upstream whose schema has no mutations: a mutation gets its one validation error (not
/// one per walk of validation, vendored patch 5) and never reaches the upstream.
#[tokio::test]
async fn a_mutation_for_an_upstream_without_mutations_gets_one_error() {
    let (toy, url) = toy().await;
    let files = tempfile::tempdir().unwrap();
    let (sdl, table) = (
        files.path().join("shop.graphql"),
        files.path().join("scopes.toml"),
    );
    std::fs::write(
        &sdl,
        "type Query { shop: Shop }\ntype Shop { name: String }\n",
    )
    .unwrap();
    let scopes =
        "[types]\nShop = \"Unauthenticated\"\n[fields]\n\"Query.shop\" = \"Unauthenticated\"\n";
    std::fs::write(&table, scopes).unwrap();
    let (schema, scopes) = (
        format!("sdl:{}", sdl.display()),
        format!("table:{}", table.display()),
    );
    let (app, _dir) = gateway(&url, move |g| {
        g.schema = Some(schema);
        g.scopes = scopes;
    })
    .await;
    let token = app.private_token(&["Unauthenticated"]).await;
    let r = app
        .gql(Some(&token), "mutation { shop { name } }", &[])
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(
        r.body,
        json!({ "data": null, "errors": [{ "message": "Schema is not configured for mutations.",
                                           "locations": [{ "line": 1, "column": 1 }] }] })
    );
    let r = app.gql(Some(&token), "{ shop { name } }", &[]).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(
        toy.received.lock().unwrap().len(),
        1,
        "only the query went upstream"
    );
}
