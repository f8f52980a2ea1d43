//! Which documents compile to a plan, and which are left to the executor. What a plan writes
//! is held to the executor's answers over HTTP (`tests/api/graphql_plans.rs`).

use async_graphql::Variables;
use serde_json::json;

use super::Plan;

fn compiles(query: &str, operation: Option<&str>, variables: serde_json::Value) -> bool {
    let doc = async_graphql::parser::parse_query(query).expect("test documents parse");
    // As `documents::Prepared` does: the operation's defaults filled in.
    let variables = storefront_auth_core::analysis::with_defaults(&doc, operation, &variables);
    Plan::compile(&doc, operation, &Variables::from_json(variables)).is_some()
}

const PRODUCT_FIELDS: &str =
    "id entityId name sku path inventory { isInStock hasVariantInventory } \
    defaultImage { urlTemplate altText } brand { entityId name path } \
    prices { price { value currencyCode formattedV2 } salePrice { value } basePrice { value } \
    retailPrice { value } priceRange { min { value } max { value } } }";

#[test]
fn the_supported_fields_compile_in_every_way_of_writing_them() {
    let everything = format!(
        "{{ __typename channel {{ entityId __typename }} \
           customer {{ entityId email firstName lastName phone company customerGroupId }} \
           site {{ products(first: 2) {{ pageInfo {{ hasNextPage hasPreviousPage startCursor endCursor }} \
             collectionInfo {{ totalItems }} edges {{ cursor node {{ {PRODUCT_FIELDS} }} }} }} \
             product(entityId: 1) {{ {PRODUCT_FIELDS} }} }} }}"
    );
    let cases: &[(&str, &str, Option<&str>, serde_json::Value)] = &[
        ("all supported fields", &everything, None, json!({})),
        ("typename only", "{ __typename }", None, json!({})),
        ("named operation", "query Q { channel { entityId } }", Some("Q"), json!({})),
        ("the one operation, unnamed in the request", "query Q { channel { entityId } }", None, json!({})),
        ("named fragment", "{ ...F } fragment F on Query { channel { entityId } }", None, json!({})),
        ("inline fragment", "{ ... on Query { channel { entityId } } }", None, json!({})),
        ("untyped inline fragment", "{ ... { channel { entityId } } }", None, json!({})),
        ("nested fragments", "{ site { products { edges { node { ...P } } } } } fragment P on Product { ...N } fragment N on Product { name }", None, json!({})),
        ("aliases and merged keys", "{ a: channel { entityId } a: channel { __typename } b: channel { entityId } }", None, json!({})),
        ("skipped and included", "query($s: Boolean = true) { channel @skip(if: $s) { entityId } site @include(if: true) { __typename } }", None, json!({})),
        ("variables as arguments", "query($n: Int = 2, $c: currencyCode) { site { products(first: $n) { edges { node { prices(currencyCode: $c) { price { value } } } } } } }", None, json!({ "c": "USD" })),
        ("backwards pagination", "{ site { products(last: 2, before: \"YXJyYXljb25uZWN0aW9uOjQ=\") { edges { cursor } } } }", None, json!({})),
        ("product by sku", "{ site { product(sku: \"CC3C\") { name } } }", None, json!({})),
        ("products by global id", "{ site { products(ids: [\"UHJvZHVjdDox\"]) { edges { cursor } } } }", None, json!({})),
    ];
    for (what, query, operation, variables) in cases {
        assert!(
            compiles(query, *operation, variables.clone()),
            "{what}: {query}"
        );
    }
}

#[test]
fn everything_else_is_left_to_the_executor() {
    let cases: &[(&str, &str, Option<&str>, serde_json::Value)] = &[
        ("a mutation", "mutation { logout { result } }", None, json!({})),
        ("introspection", "{ __schema { queryType { name } } }", None, json!({})),
        ("a root field without a plan", "{ node(id: \"UHJvZHVjdDox\") { id } }", None, json!({})),
        ("a site field without a plan", "{ site { settings { storeName } } }", None, json!({})),
        ("a product field without a plan", "{ site { products { edges { node { variants { edges { cursor } } } } } } }", None, json!({})),
        ("a customer field without a plan", "{ customer { orders { edges { cursor } } } }", None, json!({})),
        ("a fragment on an interface", "{ site { product(entityId: 1) { ... on Node { id } } } }", None, json!({})),
        ("another directive", "{ channel @deprecated { entityId } }", None, json!({})),
        ("one key, two fields", "{ a: channel { entityId } a: site { __typename } }", None, json!({})),
        ("one key, two argument sets", "{ site { p: products(first: 1) { edges { cursor } } p: products(first: 2) { edges { cursor } } } }", None, json!({})),
        ("a page the resolver refuses", "{ site { products(first: 51) { edges { cursor } } } }", None, json!({})),
        ("first and last", "{ site { products(first: 1, last: 1) { edges { cursor } } } }", None, json!({})),
        ("a bad cursor", "{ site { products(after: \"nope\") { edges { cursor } } } }", None, json!({})),
        ("a bad product id", "{ site { products(ids: [\"nope\"]) { edges { cursor } } } }", None, json!({})),
        ("a currency the resolver refuses", "{ site { products { edges { node { prices(currencyCode: EUR) { price { value } } } } } } }", None, json!({})),
        ("a variable page the resolver refuses", "query($n: Int = 60) { site { products(first: $n) { edges { cursor } } } }", None, json!({})),
        ("an unknown operation", "query Q { channel { entityId } }", Some("R"), json!({})),
        ("an operation name for an anonymous document", "{ channel { entityId } }", Some("Q"), json!({})),
        ("two operations and no name", "query A { channel { entityId } } query B { __typename }", None, json!({})),
        ("an undefined fragment", "{ ...Missing }", None, json!({})),
    ];
    for (what, query, operation, variables) in cases {
        assert!(
            !compiles(query, *operation, variables.clone()),
            "{what}: {query}"
        );
    }
}

#[test]
fn variables_decide_like_literals() {
    let q = "query($n: Int) { site { products(first: $n) { edges { cursor } } } }";
    assert!(compiles(q, None, json!({ "n": 50 })));
    assert!(!compiles(q, None, json!({ "n": 51 })));
    assert!(
        compiles(q, None, json!({})),
        "an omitted variable is the default page"
    );
    let skip =
        "query($s: Boolean!) { a: channel @skip(if: $s) { entityId } a: site { __typename } }";
    assert!(
        compiles(skip, None, json!({ "s": true })),
        "only `site` is left under `a`"
    );
    assert!(
        !compiles(skip, None, json!({ "s": false })),
        "two fields under `a`"
    );
}
