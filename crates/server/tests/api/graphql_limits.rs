//! SPEC §5.8 over HTTP: limits, response headers, correlation ids, hostile input, and the
//! batched usage counters.

use serde_json::{json, Value};

use crate::helpers::{decode, message, Resp, TestApp, NOW};

#[tokio::test]
async fn depth_complexity_and_one_mutation() {
    let app = TestApp::spawn().await;
    let token = app.private_token(&["Unauthenticated"]).await;

    let mut deep = "name".to_string();
    for _ in 0..16 {
        deep = format!("children {{ {deep} }}");
    }
    let r = app
        .gql(
            Some(&token),
            &format!("{{ site {{ categoryTree {{ {deep} }} }} }}"),
            &[],
        )
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body["data"], Value::Null);
    assert_eq!(
        message(&r),
        "The query is too deep: its depth is 19 and the maximum is 16."
    );

    // Objects: site + products + 50 × (edges + node + 2 × (variants + 50 × (edges + node))).
    let variants = "variants(first: 50) { edges { node { entityId sku id } } }";
    let complex = format!(
        "{{ site {{ products(first: 50) {{ edges {{ node {{ a: {variants} b: {variants} }} }} }} }} }}"
    );
    let r = app.gql(Some(&token), &complex, &[]).await;
    assert_eq!(
        message(&r),
        "The query is too complex as it has a complexity score of 10202 out of 10000. Please remove some elements and try again"
    );
    assert_eq!(r.header("x-bc-graphql-complexity"), Some("10202"));

    let m = r#"mutation Two { a: analytics { visitStartedEvent(input: { commonInput: { request: { url: "https://x.example/", userAgent: "t" } } }) { executed } } b: analytics { visitStartedEvent(input: { commonInput: { request: { url: "https://x.example/", userAgent: "t" } } }) { executed } } }"#;
    let r = app.gql(Some(&token), m, &[]).await;
    assert_eq!(
        message(&r),
        "Only one mutation is allowed per request; this document has 2 root mutation fields."
    );

    let r = app
        .gql(
            Some(&token),
            "{ site { products(first: 51) { edges { node { name } } } } }",
            &[],
        )
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(
        r.body["errors"][0]["message"],
        "A page holds at most 50 items; asked for 51."
    );
}

#[tokio::test]
async fn response_headers_and_correlation_ids() {
    let app = TestApp::spawn().await;
    let token = app.private_token(&["Unauthenticated"]).await;
    let id = "6f1c0a52-4f1e-4b8a-9c51-2f0a3e6a7b10";
    let r = app
        .gql(
            Some(&token),
            "query Shop { channel { entityId } }",
            &[("X-Correlation-Id", id)],
        )
        .await;
    // One object (channel); its one scalar is a tenth of a point.
    assert_eq!(r.header("x-bc-graphql-complexity"), Some("1"));
    assert_eq!(r.header("x-bc-graphql-operation-type"), Some("query"));
    assert_eq!(r.header("x-bc-graphql-operation-name"), Some("Shop"));
    assert_eq!(r.header("x-correlation-id"), Some(id));
    let r = app
        .gql(
            Some(&token),
            "{ channel { entityId } }",
            &[("X-Correlation-Id", "not-a-uuid")],
        )
        .await;
    assert_eq!(
        (r.status, message(&r)),
        (
            400,
            "X-Correlation-Id must be a UUID (8-4-4-4-12 hexadecimal digits).".to_string()
        )
    );
}

#[tokio::test]
async fn pagination_both_directions() {
    let app = TestApp::spawn().await;
    let token = app.private_token(&["Unauthenticated"]).await;
    let page = |args: String| {
        let token = token.clone();
        let app = &app;
        async move {
            let args = if args.is_empty() {
                String::new()
            } else {
                format!("({args})")
            };
            let q = format!("{{ site {{ products{args} {{ pageInfo {{ hasNextPage hasPreviousPage startCursor endCursor }} edges {{ cursor node {{ entityId }} }} collectionInfo {{ totalItems }} }} }} }}");
            app.gql(Some(&token), &q, &[]).await.body["data"]["site"]["products"].clone()
        }
    };
    let ids = |p: &Value| {
        p["edges"]
            .as_array()
            .expect("edges")
            .iter()
            .map(|e| e["node"]["entityId"].as_i64().expect("id"))
            .collect::<Vec<_>>()
    };
    let first = page("first: 2".into()).await;
    assert_eq!(ids(&first), vec![1, 2]);
    assert_eq!(first["collectionInfo"]["totalItems"], 4);
    assert_eq!(
        (
            first["pageInfo"]["hasNextPage"].clone(),
            first["pageInfo"]["hasPreviousPage"].clone()
        ),
        (json!(true), json!(false))
    );
    let next = page(format!(
        "first: 2, after: {}",
        first["pageInfo"]["endCursor"]
    ))
    .await;
    assert_eq!(ids(&next), vec![3, 4]);
    assert_eq!(next["pageInfo"]["hasNextPage"], false);
    let back = page(format!(
        "last: 2, before: {}",
        next["pageInfo"]["endCursor"]
    ))
    .await;
    assert_eq!(ids(&back), vec![2, 3]);
    assert_eq!(
        (
            back["pageInfo"]["hasNextPage"].clone(),
            back["pageInfo"]["hasPreviousPage"].clone()
        ),
        (json!(true), json!(true))
    );
    let default = page("".into()).await;
    assert_eq!(ids(&default), vec![1, 2, 3, 4]);
    // The Relay global id round-trips through node(id:).
    let r = app
        .gql(
            Some(&token),
            "{ site { product(entityId: 2) { id name path } } }",
            &[],
        )
        .await;
    let id = r.body["data"]["site"]["product"]["id"]
        .as_str()
        .expect("id")
        .to_string();
    let r = app
        .gql(
            Some(&token),
            &format!("{{ node(id: \"{id}\") {{ ... on Product {{ entityId }} }} }}"),
            &[],
        )
        .await;
    assert_eq!(r.body["data"]["node"]["entityId"], 2);
    let path = "/able-brewing-system/";
    let r = app.gql(Some(&token), &format!("{{ site {{ route(path: \"{path}\") {{ node {{ __typename ... on Product {{ entityId }} }} }} }} }}"), &[]).await;
    assert_eq!(
        r.body["data"]["site"]["route"]["node"],
        json!({ "__typename": "Product", "entityId": 2 })
    );
}

/// Catalyst sends `after: ""` (and `before: ""`) for a first page: an empty cursor is no
/// cursor, on every connection, whoever answers (a compiled plan or the executor).
#[tokio::test]
async fn an_empty_cursor_means_no_cursor_on_every_connection() {
    let app = TestApp::spawn().await;
    let token = app.private_token(&["Unauthenticated", "Customer"]).await;
    let cat = app.login_cat(&token, "jane@example.com").await;
    let ask = |q: &'static str| {
        let (app, token, cat) = (&app, token.clone(), cat.clone());
        async move {
            let r = app
                .gql(Some(&token), q, &[("X-Bc-Customer-Access-Token", &cat)])
                .await;
            assert_eq!(r.status, 200, "{q}");
            assert!(r.body["errors"].is_null(), "{q}: {}", r.body);
            r.body["data"].clone()
        }
    };
    let ids = |edges: &Value| {
        edges
            .as_array()
            .expect("edges")
            .iter()
            .map(|e| e["node"]["entityId"].as_i64().expect("id"))
            .collect::<Vec<_>>()
    };
    // Planned (the product listing) and executed (with a field plans leave alone).
    let d =
        ask(r#"{ site { products(first: 2, after: "") { edges { node { entityId } } } } }"#).await;
    assert_eq!(ids(&d["site"]["products"]["edges"]), vec![1, 2]);
    let d =
        ask(r#"{ site { products(last: 2, before: "") { edges { node { entityId } } } } }"#).await;
    assert_eq!(ids(&d["site"]["products"]["edges"]), vec![3, 4]);
    let d = ask(r#"{ site { products(first: 1, after: "") { edges { node { entityId variants(after: "", before: "") { edges { node { entityId } } } } } } } }"#).await;
    assert_eq!(ids(&d["site"]["products"]["edges"]), vec![1]);
    let d = ask(r#"{ customer { orders(after: "") { edges { node { entityId } } } addresses(after: "", before: "") { edges { node { entityId } } } wishlists(after: "") { edges { node { entityId } } } } }"#).await;
    assert!(d["customer"]["orders"]["edges"].is_array(), "{d}");
    assert!(d["customer"]["addresses"]["edges"].is_array(), "{d}");
    assert!(d["customer"]["wishlists"]["edges"].is_array(), "{d}");
    // A cursor that is not empty must still be one of ours.
    let r = app
        .gql(
            Some(&token),
            r#"{ site { products(after: "nope") { edges { cursor } } } }"#,
            &[],
        )
        .await;
    assert!(
        r.body["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("Invalid cursor")),
        "{}",
        r.body
    );
}

/// A field the schema does not have gets one error naming it; its arguments are not blamed on
/// the field around it. Unknown arguments of a known field are still reported, on that field.
#[tokio::test]
async fn an_unknown_field_gets_one_error_and_its_arguments_none() {
    let app = TestApp::spawn().await;
    let token = app.private_token(&["Unauthenticated"]).await;
    let messages = |q: &'static str| {
        let (app, token) = (&app, token.clone());
        async move {
            let r = app.gql(Some(&token), q, &[]).await;
            assert_eq!(r.status, 200, "{q}");
            r.body["errors"]
                .as_array()
                .expect("errors")
                .iter()
                .map(|e| e["message"].as_str().expect("message").to_string())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(
        messages("{ site { nosuch(x: 1, y: \"two\") { a } } }").await,
        vec!["Unknown field \"nosuch\" on type \"Site\"."]
    );
    assert_eq!(
        messages("{ site { nosuch(x: 1) products(first: 1, bogus: 2) { edges { cursor } } } }")
            .await,
        vec![
            "Unknown field \"nosuch\" on type \"Site\".",
            "Unknown argument \"bogus\" on field \"products\" of type \"Site\"."
        ]
    );
}

/// An operation type the schema does not have (subscriptions) gets its one error, not one per
/// walk of validation (vendored patch 5).
#[tokio::test]
async fn an_operation_type_the_schema_lacks_gets_one_error() {
    let app = TestApp::spawn().await;
    let token = app.private_token(&["Unauthenticated"]).await;
    for query in [
        "subscription { site { settings { storeName } } }",
        "subscription S { __typename }",
    ] {
        let r = app.gql(Some(&token), query, &[]).await;
        assert_eq!(r.status, 200, "{query}");
        assert_eq!(
            r.body,
            json!({ "data": null, "errors": [{ "message": "Schema is not configured for subscriptions.",
                                               "locations": [{ "line": 1, "column": 1 }] }] }),
            "{query}"
        );
    }
    // Thousands of them in one document: each gets its one error, once.
    let many: Vec<String> = (0..3_000)
        .map(|i| format!("subscription S{i} {{ __typename }}"))
        .collect();
    let body = json!({ "query": many.join(" "), "operationName": "S1" });
    let r = app.gql_body(Some(&token), body, &[]).await;
    let errors = r.body["errors"].as_array().expect("errors");
    let places: std::collections::HashSet<_> =
        errors.iter().map(|e| e["locations"].to_string()).collect();
    assert_eq!((errors.len(), places.len()), (3_000, 3_000));
}

#[tokio::test]
async fn hostile_requests_get_clear_errors_and_never_crash_the_server() {
    let app = TestApp::spawn().await;
    let token = app.private_token(&["Unauthenticated"]).await;
    let post = |body: Vec<u8>| {
        app.client
            .post(app.url("/graphql"))
            .bearer_auth(&token)
            .header("Content-Type", "application/json")
            .body(body)
            .send()
    };
    let r = Resp::from(post(b"{\"query\": ".to_vec()).await.expect("send")).await;
    assert_eq!(
        (r.status, message(&r)),
        (400, "The request body is not valid JSON.".to_string())
    );
    let r = Resp::from(
        post(b"[{\"query\":\"{ channel { entityId } }\"}]".to_vec())
            .await
            .expect("send"),
    )
    .await;
    assert_eq!(
        (r.status, message(&r)),
        (
            400,
            "Batched requests are not supported: send one operation per request.".to_string()
        )
    );
    let r = Resp::from(post(b"{\"variables\":{}}".to_vec()).await.expect("send")).await;
    assert_eq!(r.status, 400);
    let r = Resp::from(post(vec![b' '; 10 * 1024 * 1024]).await.expect("send")).await;
    assert_eq!(
        (r.status, message(&r)),
        (413, "The request body is larger than 100 KiB.".to_string())
    );

    let aliases: String = (0..10_000).map(|i| format!("a{i}:__typename ")).collect();
    let r = app
        .gql(Some(&token), &format!("{{ {aliases} }}"), &[])
        .await;
    assert_eq!(r.status, 413, "10,000 aliases do not fit in a request");
    // Each alias holds 22 objects: site, products, and a default page of 10 edges and nodes.
    let aliases: String = (0..500)
        .map(|i| format!("a{i}:site{{products{{edges{{node{{name}}}}}}}}"))
        .collect();
    let r = app.gql(Some(&token), &format!("{{{aliases}}}"), &[]).await;
    assert_eq!(r.status, 200);
    assert!(
        message(&r).starts_with("The query is too complex as it has a complexity score of 11000"),
        "{:?}",
        r.body
    );

    let mut fragments = String::new();
    for i in 0..300 {
        fragments.push_str(&format!(" fragment F{i} on Query {{ ...F{} }}", i + 1));
    }
    fragments.push_str(" fragment F300 on Query { channel { entityId } }");
    let r = app
        .gql(Some(&token), &format!("{{ ...F0 }}{fragments}"), &[])
        .await;
    // The parser's own recursion limit or our analysis refuses it, clearly and without running.
    assert_eq!(r.status, 200);
    assert_eq!(r.body["data"], Value::Null);
    assert!(
        message(&r).contains("depth") || message(&r).contains("nests fragments"),
        "{:?}",
        r.body
    );
    let r = app
        .gql(
            Some(&token),
            "{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }",
            &[],
        )
        .await;
    assert_eq!(r.status, 200);
    assert!(r.body["errors"].as_array().is_some_and(|e| !e.is_empty()));
    let r = app.gql(Some(&token), "{ channel { entityId ", &[]).await;
    assert_eq!(r.status, 200);
    assert!(r.body["errors"][0]["message"].as_str().is_some());

    // Invalid UTF-8 in headers.
    let bad = reqwest::header::HeaderValue::from_bytes(b"\xff\xfe bad")
        .expect("obs-text is allowed on the wire");
    let r = Resp::from(
        app.client
            .post(app.url("/graphql"))
            .header("Authorization", bad.clone())
            .json(&json!({ "query": "{ channel { entityId } }" }))
            .send()
            .await
            .expect("send"),
    )
    .await;
    assert_eq!(
        (r.status, message(&r)),
        (
            401,
            "GraphQL credentials were missing. No token was sent.".to_string()
        )
    );
    let r = Resp::from(
        app.client
            .post(app.url("/graphql"))
            .bearer_auth(&token)
            .header("X-Correlation-Id", bad.clone())
            .json(&json!({ "query": "{ channel { entityId } }" }))
            .send()
            .await
            .expect("send"),
    )
    .await;
    assert_eq!(r.status, 400);
    let r = Resp::from(
        app.client
            .post(app.url("/graphql"))
            .bearer_auth(&token)
            .header("Host", bad)
            .json(&json!({ "query": "{ channel { entityId } }" }))
            .send()
            .await
            .expect("send"),
    )
    .await;
    assert_eq!(
        r.status, 200,
        "an unreadable Host falls back to the default store"
    );

    // Still serving.
    assert_eq!(
        app.gql(Some(&token), "{ channel { entityId } }", &[])
            .await
            .status,
        200
    );
}

#[tokio::test]
async fn usage_is_counted_in_batches_and_shown_in_the_inventory() {
    let app = TestApp::spawn().await;
    let private = app.private_token(&["Unauthenticated"]).await;
    let storefront = app.storefront_token(&["https://shop.example"]).await;
    for _ in 0..3 {
        assert_eq!(
            app.gql(Some(&private), "{ channel { entityId } }", &[])
                .await
                .status,
            200
        );
    }
    for _ in 0..2 {
        assert_eq!(
            app.gql(
                Some(&storefront),
                "{ channel { entityId } }",
                &[("Origin", "https://shop.example")]
            )
            .await
            .status,
            200
        );
    }
    let jti = |t: &str| decode(t).1["jti"].as_str().expect("jti").to_string();
    let (p, s) = (jti(&private), jti(&storefront));
    let mut seen = false;
    for _ in 0..30 {
        let inv = app.inventory().await;
        let find = |id: &str| inv.iter().find(|t| t["id"] == id).cloned().expect("listed");
        let (pe, se) = (find(&p), find(&s));
        if pe["server_to_server_uses"] == 3 && se["browser_uses"] == 2 {
            assert_eq!(pe["browser_uses"], 0);
            assert_eq!(se["server_to_server_uses"], 0);
            assert_eq!(pe["last_used_at"], NOW);
            seen = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(seen, "usage reached the inventory");
}

#[tokio::test]
async fn shutdown_flushes_usage_counts() {
    let app = TestApp::spawn().await;
    let token = app.private_token(&["Unauthenticated"]).await;
    assert_eq!(
        app.gql(Some(&token), "{ channel { entityId } }", &[])
            .await
            .status,
        200
    );
    let app = app.restart().await;
    let jti = decode(&token).1["jti"].as_str().expect("jti").to_string();
    let inv = app.inventory().await;
    let entry = inv
        .iter()
        .find(|t| t["id"] == jti.as_str())
        .expect("listed");
    assert_eq!(entry["server_to_server_uses"], 1);
}

#[tokio::test]
async fn a_document_is_validated_again_until_it_has_produced_data_with_those_variables() {
    let app = TestApp::spawn().await;
    let token = app.private_token(&["Unauthenticated"]).await;
    // An invalid document stays invalid however often it comes.
    for _ in 0..3 {
        let r = app
            .gql(Some(&token), "{ channel { entityId nope } }", &[])
            .await;
        assert_eq!(r.status, 200);
        assert_eq!(r.body["data"], Value::Null, "{:?}", r.body);
        assert!(message(&r).contains("nope"), "{:?}", r.body);
    }
    // A document that ran with one set of variables is still checked with another.
    let q = "query P($n: Int) { site { products(first: $n) { edges { node { entityId } } } } }";
    for _ in 0..2 {
        let r = app
            .gql_body(
                Some(&token),
                json!({ "query": q, "variables": { "n": 2 } }),
                &[],
            )
            .await;
        assert_eq!(
            r.body["data"]["site"]["products"]["edges"]
                .as_array()
                .map(Vec::len),
            Some(2),
            "{:?}",
            r.body
        );
    }
    let r = app
        .gql_body(
            Some(&token),
            json!({ "query": q, "variables": { "n": "two" } }),
            &[],
        )
        .await;
    assert_eq!(r.body["data"], Value::Null, "{:?}", r.body);
    assert!(r.body["errors"][0]["message"].is_string());
}
