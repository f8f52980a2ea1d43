//! Strip and restore together, on a small schema with an interface, a union, lists, non-null
//! fields and namespaced mutations: what goes upstream, and what the client gets back.

use serde_json::json;

use super::*;
use crate::analysis::strip;
use crate::gateway_scopes::{build, Requirement, ScopeSource};
use crate::scope::Scope::{Customer as C, Unauthenticated as U};

const SDL: &str = r#"
type Query { site: Site! customer: Customer node(id: ID!): Node search: [Item!]! }
interface Node { id: ID! }
type Site { name: String products: [Product] settings: Settings }
type Settings { secret: String! open: String }
type Product implements Node { id: ID! name: String owner: Customer }
type Customer implements Node { id: ID! email: String! orders(first: Int): [Order!] }
type Order { total: Int }
union Item = Product | Customer
type Mutation { cart: CartMutations buy(id: ID!): Order }
type CartMutations { add(id: ID!): Order remove: Order }
"#;

fn schema() -> SchemaIndex {
    let scope = |s| Requirement::Scope(s);
    let types = [
        ("Site", scope(U)),
        ("Settings", scope(U)),
        ("Product", scope(U)),
        ("Customer", scope(C)),
        ("Order", scope(C)),
        ("CartMutations", scope(U)),
    ];
    let fields = [
        ("Query.site", scope(U)),
        ("Query.customer", scope(C)),
        ("Query.node", Requirement::Neutral),
        ("Query.search", scope(U)),
        ("Mutation.cart", scope(U)),
        ("Mutation.buy", scope(C)),
        ("CartMutations.add", scope(C)),
    ];
    let own = |v: &[(&str, Requirement)]| v.iter().map(|(a, r)| (a.to_string(), *r)).collect();
    let source = ScopeSource::Table {
        types: own(&types),
        fields: own(&fields),
    };
    let map = build(SDL, &source).expect("map");
    assert!(
        map.unmapped.is_empty() && map.conflicts.is_empty(),
        "{}",
        map.report()
    );
    SchemaIndex::from_sdl(SDL)
        .expect("sdl")
        .with_scope_map(&map)
}

/// Strips `query` for `have`, checks the sent text parses, restores `upstream` (JSON of the
/// upstream's `data`), and gives the sent text, the data and the denials as (path, scope).
fn round(
    query: &str,
    vars: serde_json::Value,
    have: &[Scope],
    upstream: serde_json::Value,
) -> (String, String, Vec<(String, &'static str)>) {
    let schema = schema();
    let doc = async_graphql_parser::parse_query(query).expect("client document");
    let have: ScopeSet = have.iter().copied().collect();
    let stripped = strip(&doc, query, &schema, None, have)
        .expect("strip")
        .unwrap_or_default();
    let sent = if stripped.denied.is_empty() {
        query.to_string()
    } else {
        stripped.query.clone()
    };
    async_graphql_parser::parse_query(&sent).unwrap_or_else(|e| panic!("{sent}: {e}"));
    let data: ConstValue = serde_json::from_value(upstream).expect("data");
    let (data, denials) =
        restore(&doc, None, &schema, &vars, &stripped.denied, &data).expect("restore");
    let denials = denials
        .into_iter()
        .map(|d| {
            let path: Vec<String> = d
                .path
                .iter()
                .map(|p| match p {
                    PathStep::Key(k) => k.clone(),
                    PathStep::Index(i) => i.to_string(),
                })
                .collect();
            (path.join("."), d.scope.as_str())
        })
        .collect();
    (sent, serde_json::to_string(&data).expect("json"), denials)
}

#[test]
fn a_denied_root_field_is_blanked_in_place_and_answered_null() {
    let q = "{ site { name }\n  customer { email } }";
    let (sent, data, denials) = round(q, json!({}), &[U], json!({ "site": { "name": "S" } }));
    assert_eq!(sent, "{ site { name }\n                     }");
    assert_eq!(data, r#"{"site":{"name":"S"},"customer":null}"#);
    assert_eq!(denials, vec![("customer".into(), "Customer")]);
}

#[test]
fn a_denied_non_null_root_nulls_data_and_stops_there() {
    let q = "{ site { name } customer { email } }";
    let (_, data, denials) = round(q, json!({}), &[C], json!({ "customer": { "email": "e" } }));
    assert_eq!(data, "null");
    assert_eq!(denials, vec![("site".into(), "Unauthenticated")]);
}

#[test]
fn a_set_that_lost_every_field_is_kept_alive_and_non_null_denials_bubble_per_instance() {
    let q = "{ site { p: products { owner { email } name } } }";
    let upstream = json!({ "site": { "p": [
        { "owner": { "_storefrontAuthType": "Customer" }, "name": "A" },
        { "owner": null, "name": "B" },
    ] } });
    let (sent, data, denials) = round(q, json!({}), &[U], upstream);
    assert!(
        sent.contains("owner { _storefrontAuthType: __typename "),
        "{sent}"
    );
    assert!(!sent.contains("email"));
    assert_eq!(
        data,
        r#"{"site":{"p":[{"owner":null,"name":"A"},{"owner":null,"name":"B"}]}}"#
    );
    assert_eq!(denials, vec![("site.p.0.owner.email".into(), "Customer")]);
}

#[test]
fn an_abstract_value_is_probed_for_its_type_and_fragments_apply_by_it() {
    let q = "{ node(id: 1) { ... on Product { name } ... on Customer { email } } }";
    let product = json!({ "node": { "_storefrontAuthType": "Product", "name": "P" } });
    let (sent, data, denials) = round(q, json!({}), &[U], product);
    assert!(sent.contains("_storefrontAuthType: __typename"), "{sent}");
    assert_eq!(data, r#"{"node":{"name":"P"}}"#);
    assert!(denials.is_empty());
    let customer = json!({ "node": { "_storefrontAuthType": "Customer" } });
    let (_, data, denials) = round(q, json!({}), &[U], customer);
    assert_eq!(data, r#"{"node":null}"#);
    assert_eq!(denials, vec![("node.email".into(), "Customer")]);
    // A field read through the interface needs what every type it may be needs.
    let (sent, _, _) = round("{ node(id: 1) { id } }", json!({}), &[U], json!({}));
    assert!(!sent.contains("id }"), "{sent}");
}

#[test]
fn fragments_and_variables_left_unused_are_blanked_with_their_parentheses() {
    let q = "query Q($n: Int) { site { name } customer { ...C } }\nfragment C on Customer { email orders(first: $n) { total } }";
    let (sent, data, denials) = round(q, json!({"n": 1}), &[U], json!({ "site": { "name": "S" } }));
    assert_eq!(sent.chars().count(), q.chars().count(), "{sent}");
    assert!(
        sent.starts_with("query Q          { site { name }"),
        "{sent}"
    );
    assert_eq!(sent.lines().nth(1).map(str::trim), Some(""), "{sent}");
    assert_eq!(data, r#"{"site":{"name":"S"},"customer":null}"#);
    assert_eq!(denials.len(), 1);
    let two = "query Q($n: Int, $m: ID!) { node(id: $m) { __typename } customer { orders(first: $n) { total } } }";
    let (sent, _, _) = round(two, json!({}), &[U], json!({}));
    assert!(
        sent.starts_with("query Q(") && sent.contains("$m: ID!)"),
        "{sent}"
    );
    assert!(!sent.contains("$n"), "{sent}");
}

#[test]
fn a_variable_used_only_by_a_kept_fragments_directive_is_kept() {
    let q = "query Q($v: Int, $n: Int) { site { ...S } customer { orders(first: $n) { total } } }\nfragment S on Site @d(x: $v) { name }";
    let (sent, data, _) = round(q, json!({}), &[U], json!({ "site": { "name": "S" } }));
    assert!(sent.starts_with("query Q($v: Int"), "{sent}");
    assert!(!sent.contains("$n"), "{sent}");
    assert_eq!(data, r#"{"site":{"name":"S"},"customer":null}"#);
    // A fragment no longer spread goes with its directive, and the variable with them.
    let gone = "query Q($v: Int) { site { name } customer { ...C } }\nfragment C on Customer @d(x: $v) { email }";
    let (sent, _, _) = round(gone, json!({}), &[U], json!({ "site": { "name": "S" } }));
    assert!(!sent.contains("$v"), "{sent}");
}

#[test]
fn a_denied_mutation_never_goes_up_and_a_namespace_keeps_its_other_fields() {
    let q = "mutation { cart { add(id: 1) { total } remove { total } } }";
    let upstream = json!({ "cart": { "remove": { "total": 1 } } });
    let (sent, _, denials) = round(q, json!({}), &[U, C], upstream.clone());
    assert_eq!(sent, q, "nothing denied goes as it is");
    let (sent, data, denials2) = round(q, json!({}), &[U], upstream);
    assert!(!sent.contains("add"), "{sent}");
    // `Order` needs Customer too: the field inside the allowed one is nulled in place.
    assert_eq!(data, r#"{"cart":{"add":null,"remove":{"total":null}}}"#);
    assert!(denials.is_empty());
    let want = [("cart.add", "Customer"), ("cart.remove.total", "Customer")];
    assert_eq!(denials2, want.map(|(p, s)| (p.to_string(), s)));
    let schema = schema();
    let buy = "mutation { buy(id: 1) { total } }";
    let doc = async_graphql_parser::parse_query(buy).unwrap();
    let stripped = strip(&doc, buy, &schema, None, [U].into_iter().collect())
        .unwrap()
        .unwrap();
    assert!(stripped.nothing_left);
}

#[test]
fn skipped_fields_are_not_denied_and_upstream_positions_map_back() {
    let q = "query($s: Boolean!) { site { name } customer @skip(if: $s) { email } }";
    let (_, data, denials) = round(
        q,
        json!({"s": true}),
        &[U],
        json!({ "site": { "name": "S" } }),
    );
    assert_eq!(data, r#"{"site":{"name":"S"}}"#);
    assert!(denials.is_empty());
    let schema = schema();
    let q = "{ site { products { owner { email } name } } }";
    let doc = async_graphql_parser::parse_query(q).unwrap();
    let stripped = strip(&doc, q, &schema, None, [U].into_iter().collect())
        .unwrap()
        .unwrap();
    let name_in_client = q.find("} name").unwrap() + 3;
    let name_sent = stripped.query.find("} name").unwrap() + 3;
    assert_ne!(name_in_client, name_sent);
    assert_eq!(stripped.client_position(1, name_sent), (1, name_in_client));
    assert_eq!(stripped.client_position(1, 3), (1, 3));
}

/// A minified document (one line, a carriage return and a non-ASCII comment in it) that loses
/// thousands of selections: stripped and restored in full. (Both stay near-linear in the text;
/// an earlier strip walked the line once per denial, most of a second for this document.)
#[test]
fn thousands_of_denials_on_one_long_line() {
    let mut q = String::from("{ #é\r site { name }");
    for i in 0..4000 {
        q.push_str(&format!(" a{i}: customer {{ email }}"));
    }
    q.push_str(" }");
    let (sent, data, denials) = round(&q, json!({}), &[U], json!({ "site": { "name": "S" } }));
    assert_eq!(sent.chars().count(), q.chars().count());
    assert!(!sent.contains("customer"));
    assert!(
        data.starts_with(r#"{"site":{"name":"S"},"a0":null,"a1":null"#),
        "{}",
        &data[..80]
    );
    assert_eq!(denials.len(), 4000);
    assert_eq!(denials[3999], ("a3999".to_string(), "Customer"));
}
