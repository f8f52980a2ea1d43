//! Compiled plans (storefront/plan) answer byte for byte as async-graphql's executor does.
//! A document's first request is always executed (it validates the document); from the
//! second on, a plan answers if it can. Each test sends a document twice and compares the two
//! answers whole, and reads `/metrics` to know which executor gave each.

use proptest::prelude::*;
use reqwest::header::HeaderMap;
use serde_json::{json, Value};

use crate::helpers::{TestApp, JANE, VIP};

/// One answer, as the client received it.
#[derive(Debug, PartialEq)]
struct Raw {
    status: u16,
    /// The headers a GraphQL response carries besides the transport's own.
    headers: Vec<(String, String)>,
    body: String,
}

async fn raw(app: &TestApp, token: &str, body: &Value, headers: &[(&str, &str)]) -> Raw {
    let mut req = app
        .client
        .post(app.url("/graphql"))
        .bearer_auth(token)
        .json(body);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let r = req.send().await.expect("send");
    let status = r.status().as_u16();
    let headers = graphql_headers(r.headers());
    Raw {
        status,
        headers,
        body: r.text().await.expect("body"),
    }
}

fn graphql_headers(h: &HeaderMap) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = h
        .iter()
        .filter(|(k, _)| {
            let k = k.as_str();
            k == "content-type" || k.starts_with("x-bc-") || k.starts_with("access-control-")
        })
        .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("?").to_string()))
        .collect();
    out.sort();
    out
}

/// (policy, plan, async-graphql) executions so far.
async fn executions(app: &TestApp) -> [u64; 3] {
    let text = app.metrics().await;
    let count = |executor: &str| {
        let prefix =
            format!("storefront_auth_graphql_executions_total{{executor=\"{executor}\"}} ");
        text.lines()
            .find_map(|l| l.strip_prefix(&prefix))
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("no {executor} count in {text}"))
    };
    [count("policy"), count("plan"), count("async_graphql")]
}

const PLAN: usize = 1;
const EXECUTOR: usize = 2;

/// Sends `body` twice: the executor answers first, the plan second, and both answers are the
/// same bytes with the same headers. Returns the answer.
async fn planned_as_executed(
    app: &TestApp,
    token: &str,
    body: &Value,
    headers: &[(&str, &str)],
) -> Raw {
    let before = executions(app).await;
    let executed = raw(app, token, body, headers).await;
    let between = executions(app).await;
    let planned = raw(app, token, body, headers).await;
    let after = executions(app).await;
    assert_eq!(
        between[EXECUTOR],
        before[EXECUTOR] + 1,
        "the executor answers a new document: {body}"
    );
    assert_eq!(
        after[PLAN],
        between[PLAN] + 1,
        "the plan answers it next: {body}\n{executed:?}"
    );
    assert_eq!(planned, executed, "{body}");
    executed
}

const CARD: &str = "fragment Card on Product {
    __typename id entityId name sku path
    inventory { isInStock hasVariantInventory __typename }
    defaultImage { urlTemplate altText } brand { entityId name path }
    prices { __typename price { value currencyCode formattedV2 __typename }
      salePrice { value formattedV2 } basePrice { value } retailPrice { value currencyCode }
      priceRange { __typename min { value } max { currencyCode value } } }
    ... on Product { entityId again: entityId }
  }";

/// Every field a plan writes, in every way of selecting it.
fn everything(context: &str) -> Value {
    json!({
        "operationName": "Everything",
        "variables": { "first": 3 },
        "query": format!("# {context}
query Everything($first: Int = 2, $with: Boolean = true, $without: Boolean = false) {{
  __typename
  channel {{ entityId __typename }}
  me: customer @include(if: $with) {{ ...Me }}
  me: customer {{ email }}
  gone: customer @skip(if: $with) {{ email }}
  kept: customer @include(if: $without) @skip(if: $without) {{ entityId }}
  site {{
    __typename
    products(first: $first) {{ ...Listing }}
    tail: products(last: 2) {{ pageInfo {{ hasNextPage hasPreviousPage startCursor endCursor }} edges {{ cursor }} }}
    after: products(first: 1, after: \"YXJyYXljb25uZWN0aW9uOjE=\") {{ edges {{ node {{ entityId }} }} pageInfo {{ hasPreviousPage }} }}
    picked: products(entityIds: [4, 2], ids: [\"UHJvZHVjdDoz\"]) {{ collectionInfo {{ totalItems }} edges {{ node {{ name }} }} }}
    product(entityId: 2) {{ ...Card }}
    missing: product(entityId: 999) {{ name }}
    bySku: product(sku: \"DPB\") {{ entityId prices(currencyCode: USD, includeTax: true) {{ price {{ value }} }} }}
    byId: product(id: \"UHJvZHVjdDox\") {{ name }}
  }}
  ... {{ site {{ products(first: $first) {{ edges {{ node {{ sku }} }} }} }} }}
}}
fragment Me on Customer {{ entityId email firstName lastName phone company customerGroupId __typename }}
fragment Listing on ProductConnection {{
  __typename
  pageInfo {{ hasNextPage hasPreviousPage startCursor endCursor __typename }}
  collectionInfo {{ totalItems __typename }}
  edges {{ __typename cursor node {{ ...Card }} }}
  edges {{ node {{ path }} }}
}}
{CARD}")
    })
}

#[tokio::test]
async fn every_planned_field_answers_as_the_executor_does() {
    let app = TestApp::spawn().await;
    let private = app.private_token(&["Unauthenticated", "Customer"]).await;
    let storefront = app.storefront_token(&["https://shop.example"]).await;
    let impersonation = app.impersonation_token().await;
    let vip = app.login_cat(&private, VIP).await;
    /// (what, token, headers).
    type Context<'a> = (&'a str, &'a str, &'a [(&'a str, &'a str)]);
    let contexts: [Context; 4] = [
        ("guest, private token", &private, &[]),
        (
            "VIP customer (group discount), private token",
            &private,
            &[("X-Bc-Customer-Access-Token", &vip)],
        ),
        (
            "browser, storefront token",
            &storefront,
            &[("Origin", "https://shop.example")],
        ),
        (
            "impersonated customer",
            &impersonation,
            &[("X-Bc-Customer-Id", "1")],
        ),
    ];
    for (context, token, headers) in contexts {
        let r = planned_as_executed(&app, token, &everything(context), headers).await;
        let body: Value = serde_json::from_str(&r.body).expect("json");
        assert_eq!(r.status, 200, "{context}: {body}");
        assert!(body.get("errors").is_none(), "{context}: {body}");
        let data = &body["data"];
        assert_eq!(
            data["site"]["products"]["edges"].as_array().map(Vec::len),
            Some(3),
            "{context}: a page of `$first`"
        );
        assert_eq!(data["site"]["products"]["edges"][2]["node"]["sku"], "CC3C");
        assert_eq!(data["site"]["picked"]["collectionInfo"]["totalItems"], 3);
        assert_eq!(data["site"]["missing"], Value::Null);
        match context {
            "VIP customer (group discount), private token" => {
                assert_eq!(data["me"]["email"], VIP);
                let prices = &data["site"]["product"]["prices"];
                assert_eq!(prices["basePrice"]["value"], 225.0);
                assert_eq!(prices["salePrice"]["value"], 202.5, "{prices}");
            }
            "impersonated customer" => assert_eq!(data["me"]["email"], JANE),
            _ => {
                assert_eq!(data["me"], Value::Null);
                assert_eq!(data["site"]["product"]["prices"]["salePrice"], Value::Null);
            }
        }
        if context.starts_with("browser") {
            assert!(
                r.headers.contains(&(
                    "access-control-allow-origin".into(),
                    "https://shop.example".into()
                )),
                "{:?}",
                r.headers
            );
        }
    }
}

#[tokio::test]
async fn each_request_gets_its_own_customer_and_prices() {
    let app = TestApp::spawn().await;
    let private = app.private_token(&["Unauthenticated", "Customer"]).await;
    let query = json!({ "query": "{ customer { email } site { products(entityIds: [1]) { edges { node { prices { price { value } } } } } } }" });
    let (jane, vip) = (
        app.login_cat(&private, JANE).await,
        app.login_cat(&private, VIP).await,
    );
    planned_as_executed(&app, &private, &query, &[]).await;
    let before = executions(&app).await;
    for (cat, email, price) in [
        (&jane, JANE, 109.0),
        (&vip, VIP, 98.1),
        (&jane, JANE, 109.0),
    ] {
        let r = raw(
            &app,
            &private,
            &query,
            &[("X-Bc-Customer-Access-Token", cat)],
        )
        .await;
        let body: Value = serde_json::from_str(&r.body).expect("json");
        assert_eq!(body["data"]["customer"]["email"], email, "{body}");
        assert_eq!(
            body["data"]["site"]["products"]["edges"][0]["node"]["prices"]["price"]["value"],
            price
        );
    }
    assert_eq!(executions(&app).await[PLAN], before[PLAN] + 3);

    // A product added to the catalog shows in the planned listing once the catalog's
    // one-second cache has passed.
    let listing =
        json!({ "query": "{ site { products(first: 50) { edges { node { name } } } } }" });
    planned_as_executed(&app, &private, &listing, &[]).await;
    let r = app
        .mgmt(
            reqwest::Method::POST,
            "/v3/catalog/products",
            Some(json!({ "name": "Planned Mug", "sku": "PMUG", "price": 9 })),
        )
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let before = executions(&app).await;
    let r = raw(&app, &private, &listing, &[]).await;
    assert!(r.body.contains("Planned Mug"), "{}", r.body);
    assert_eq!(executions(&app).await[PLAN], before[PLAN] + 1);
}

#[tokio::test]
async fn a_failing_resolver_hands_the_request_to_the_executor() {
    let app = TestApp::spawn().await;
    let impersonation = app.impersonation_token().await;
    let query = json!({ "query": "{ channel { entityId } customer { email } }" });
    planned_as_executed(&app, &impersonation, &query, &[("X-Bc-Customer-Id", "2")]).await;
    // The same document for a customer the store does not have: the plan gives up, and the
    // executor's answer carries the error at its path.
    let before = executions(&app).await;
    let r = raw(&app, &impersonation, &query, &[("X-Bc-Customer-Id", "999")]).await;
    let after = executions(&app).await;
    assert_eq!(after[PLAN], before[PLAN], "no plan answer");
    assert_eq!(after[EXECUTOR], before[EXECUTOR] + 1);
    let body: Value = serde_json::from_str(&r.body).expect("json");
    assert_eq!(
        body["data"],
        json!({ "channel": { "entityId": 1 }, "customer": null })
    );
    assert_eq!(
        body["errors"][0]["message"],
        "No customer with id 999 exists in this store."
    );
    assert_eq!(body["errors"][0]["path"], json!(["customer"]));
}

#[tokio::test]
async fn denied_fields_and_other_documents_are_not_planned() {
    let app = TestApp::spawn().await;
    let unauthenticated = app.private_token(&["Unauthenticated"]).await;
    let full = app.private_token(&["Unauthenticated", "Customer"]).await;
    let cases = [
        // A field the token may not see: the field rules place the error.
        (
            &unauthenticated,
            "{ channel { entityId } customer { email } }",
        ),
        // Fields without a plan.
        (&full, "{ site { settings { storeName } } }"),
        (&full, "{ __schema { queryType { name } } }"),
        (
            &full,
            "{ site { products(first: 1) { edges { node { variants { edges { cursor } } } } } } }",
        ),
    ];
    for (token, query) in cases {
        let body = json!({ "query": query });
        let before = executions(&app).await;
        let (first, second) = (
            raw(&app, token, &body, &[]).await,
            raw(&app, token, &body, &[]).await,
        );
        let after = executions(&app).await;
        assert_eq!(first, second, "{query}");
        assert_eq!(first.status, 200);
        assert_eq!(after[PLAN], before[PLAN], "{query}");
        assert_eq!(after[EXECUTOR], before[EXECUTOR] + 2, "{query}");
    }
}

/// Generated documents over the fields plans write: aliases that merge, named and inline
/// fragments, `@include`/`@skip` with variables, `__typename` at every level, and the
/// arguments the resolvers take.
mod generated {
    use super::*;

    /// (field, arguments written without an alias, aliased arguments, type of the value or
    /// `None` for a leaf).
    type FieldSpec = (&'static str, &'static [&'static str], Option<&'static str>);

    const NO_ARGS: &[&str] = &[""];

    fn fields(ty: &str) -> &'static [FieldSpec] {
        match ty {
            "Query" => &[
                ("site", NO_ARGS, Some("Site")),
                ("channel", NO_ARGS, Some("Channel")),
                ("customer", NO_ARGS, Some("Customer")),
            ],
            "Site" => &[
                (
                    "products",
                    &[
                        "",
                        "(first: 2)",
                        "(last: 3)",
                        "(first: 1, after: \"YXJyYXljb25uZWN0aW9uOjI=\")",
                        "(entityIds: [2, 4])",
                        "(ids: [\"UHJvZHVjdDoz\"], first: $page)",
                        "(before: \"YXJyYXljb25uZWN0aW9uOjM=\", last: 1)",
                    ],
                    Some("ProductConnection"),
                ),
                (
                    "product",
                    &[
                        "(entityId: 1)",
                        "(entityId: 99)",
                        "(sku: \"CC3C\")",
                        "(id: \"UHJvZHVjdDoy\")",
                    ],
                    Some("Product"),
                ),
            ],
            "ProductConnection" => &[
                ("pageInfo", NO_ARGS, Some("PageInfo")),
                ("edges", NO_ARGS, Some("ProductEdge")),
                ("collectionInfo", NO_ARGS, Some("CollectionInfo")),
            ],
            "ProductEdge" => &[
                ("node", NO_ARGS, Some("Product")),
                ("cursor", NO_ARGS, None),
            ],
            "Product" => &[
                ("id", NO_ARGS, None),
                ("entityId", NO_ARGS, None),
                ("name", NO_ARGS, None),
                ("sku", NO_ARGS, None),
                ("path", NO_ARGS, None),
                (
                    "prices",
                    &["", "(currencyCode: USD)", "(includeTax: true)"],
                    Some("Prices"),
                ),
                ("defaultImage", NO_ARGS, Some("Image")),
                ("brand", NO_ARGS, Some("Brand")),
                ("inventory", NO_ARGS, Some("ProductInventory")),
            ],
            "Prices" => &[
                ("price", NO_ARGS, Some("Money")),
                ("salePrice", NO_ARGS, Some("Money")),
                ("basePrice", NO_ARGS, Some("Money")),
                ("retailPrice", NO_ARGS, Some("Money")),
                ("priceRange", NO_ARGS, Some("MoneyRange")),
            ],
            "MoneyRange" => &[
                ("min", NO_ARGS, Some("Money")),
                ("max", NO_ARGS, Some("Money")),
            ],
            "Money" => &[
                ("currencyCode", NO_ARGS, None),
                ("value", NO_ARGS, None),
                ("formattedV2", NO_ARGS, None),
            ],
            "PageInfo" => &[
                ("hasNextPage", NO_ARGS, None),
                ("hasPreviousPage", NO_ARGS, None),
                ("startCursor", NO_ARGS, None),
                ("endCursor", NO_ARGS, None),
            ],
            "CollectionInfo" => &[("totalItems", NO_ARGS, None)],
            "Image" => &[("urlTemplate", NO_ARGS, None), ("altText", NO_ARGS, None)],
            "Brand" => &[
                ("entityId", NO_ARGS, None),
                ("name", NO_ARGS, None),
                ("path", NO_ARGS, None),
            ],
            "ProductInventory" => &[
                ("isInStock", NO_ARGS, None),
                ("hasVariantInventory", NO_ARGS, None),
            ],
            "Channel" => &[("entityId", NO_ARGS, None)],
            "Customer" => &[
                ("entityId", NO_ARGS, None),
                ("email", NO_ARGS, None),
                ("firstName", NO_ARGS, None),
                ("lastName", NO_ARGS, None),
                ("phone", NO_ARGS, None),
                ("company", NO_ARGS, None),
                ("customerGroupId", NO_ARGS, None),
            ],
            _ => &[],
        }
    }

    /// A small deterministic generator driven by the case's seed.
    struct Gen {
        state: u64,
        fragments: Vec<String>,
    }

    impl Gen {
        fn next(&mut self, below: usize) -> usize {
            // xorshift64*
            self.state ^= self.state >> 12;
            self.state ^= self.state << 25;
            self.state ^= self.state >> 27;
            (self.state.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 33) as usize % below
        }

        /// A non-empty selection set of `ty`, at most `depth` levels deep: most of its fields,
        /// some twice (to merge), in a random order.
        fn selection(&mut self, ty: &str, depth: usize) -> String {
            let specs = fields(ty);
            let mut picked: Vec<usize> = (0..specs.len()).filter(|_| self.next(3) > 0).collect();
            for _ in 0..self.next(3) {
                picked.push(self.next(specs.len()));
            }
            if picked.is_empty() {
                picked.push(self.next(specs.len()));
            }
            for i in (1..picked.len()).rev() {
                picked.swap(i, self.next(i + 1));
            }
            let mut items = Vec::new();
            if self.next(6) == 0 {
                items.push("__typename".to_string());
            }
            for i in picked {
                let (name, args, inner) = specs[i];
                let choice = self.next(args.len());
                // One alias per (field, arguments): fields under one key can merge.
                let head = if choice == 0 && self.next(2) == 0 {
                    format!("{name}{}", args[0])
                } else {
                    format!("x{choice}_{name}: {name}{}", args[choice])
                };
                let item = match inner {
                    Some(t) if depth > 0 => {
                        format!("{head} {{ {} }}", self.selection(t, depth - 1))
                    }
                    Some(_) => format!("{head} {{ __typename }}"),
                    None => head,
                };
                let wrapped = self.wrap(ty, item);
                items.push(wrapped);
            }
            items.join(" ")
        }

        /// The item as written, in a fragment or under a directive, or as it is.
        fn wrap(&mut self, ty: &str, item: String) -> String {
            match self.next(12) {
                0 => format!("... on {ty} {{ {item} }}"),
                1 => format!("... {{ {item} }}"),
                2 => {
                    let name = format!("F{}", self.fragments.len());
                    self.fragments
                        .push(format!("fragment {name} on {ty} {{ {item} }}"));
                    format!("...{name}")
                }
                3 => format!("... @include(if: $yes) {{ {item} }}"),
                4 => format!("... @skip(if: $yes) {{ {item} }}"),
                5 => format!("... @include(if: $off) {{ {item} }}"),
                _ => item,
            }
        }
    }

    /// A document (with a unique first line, so that each case is a new document) and its
    /// variables.
    pub fn document(case: u64, seed: u64) -> Value {
        let mut g = Gen {
            state: seed | 1,
            fragments: Vec::new(),
        };
        let body = g.selection("Query", 7);
        let text = format!("{body} {}", g.fragments.join(" "));
        // Only the variables a document uses may be declared.
        let declared: Vec<&str> = [
            ("$yes", "$yes: Boolean = true"),
            ("$off", "$off: Boolean!"),
            ("$page", "$page: Int = 2"),
        ]
        .into_iter()
        .filter(|(v, _)| text.contains(v))
        .map(|(_, d)| d)
        .collect();
        let header = if declared.is_empty() {
            String::new()
        } else {
            format!("({})", declared.join(", "))
        };
        json!({
            "query": format!("# case {case}\nquery{header} {{ {body} }} {}", g.fragments.join(" ")),
            "variables": { "off": false },
        })
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn generated_documents_answer_as_the_executor_does() {
    let app = TestApp::spawn().await;
    let private = app.private_token(&["Unauthenticated", "Customer"]).await;
    let storefront = app.storefront_token(&["https://shop.example"]).await;
    let vip = app.login_cat(&private, VIP).await;
    let handle = tokio::runtime::Handle::current();
    let case = std::sync::atomic::AtomicU64::new(0);
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
        cases: 64,
        ..ProptestConfig::default()
    });
    let result = runner.run(&(any::<u64>(), 0u8..3), |(seed, context)| {
        let n = case.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let body = generated::document(n, seed);
        let (token, headers): (&str, Vec<(&str, &str)>) = match context {
            0 => (&private, vec![]),
            1 => (&private, vec![("X-Bc-Customer-Access-Token", vip.as_str())]),
            _ => (&storefront, vec![("Origin", "https://shop.example")]),
        };
        let r = tokio::task::block_in_place(|| {
            handle.block_on(planned_as_executed(&app, token, &body, &headers))
        });
        prop_assert_eq!(r.status, 200);
        prop_assert!(!r.body.contains("\"errors\""), "{}: {}", body, r.body);
        Ok(())
    });
    result.expect("plans answer as the executor does");
}
