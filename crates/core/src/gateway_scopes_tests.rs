use super::*;
use crate::scope::Scope::{Customer, Unauthenticated};

const SDL: &str = r#"
type Query { site: Site customer: Customer }
type Site { products: String settings: String }
type Customer { email: String }
type Money { value: Float }
"#;

fn names(list: &[String]) -> Vec<&str> {
    list.iter().map(String::as_str).collect()
}

#[test]
fn the_builtin_table_maps_a_schema_of_its_types() {
    let map = build(SDL, &ScopeSource::Builtin).expect("map");
    assert!(
        map.unmapped.is_empty() && map.conflicts.is_empty(),
        "{}",
        map.report()
    );
    assert_eq!(map.requirement("Query", "site"), Some(Unauthenticated));
    assert_eq!(map.requirement("Query", "customer"), Some(Customer));
    assert_eq!(map.requirement("Customer", "email"), Some(Customer));
    assert_eq!(map.requirement("Money", "value"), None);
    assert_eq!(map.requirement("Site", "__typename"), None);
    // Built-in decisions about types this schema lacks are listed, not errors.
    assert!(map.unknown.iter().any(|u| u == "Product"));
}

#[test]
fn a_table_leaves_what_it_does_not_decide_unmapped() {
    let table = ScopeSource::Table {
        types: vec![
            ("Site".into(), Requirement::Scope(Unauthenticated)),
            ("Money".into(), Requirement::Neutral),
            ("Ghost".into(), Requirement::Neutral),
        ],
        fields: vec![
            ("Query.site".into(), Requirement::Scope(Unauthenticated)),
            ("Site.settings".into(), Requirement::Scope(Customer)),
            ("Site.settings".into(), Requirement::Scope(Unauthenticated)),
        ],
    };
    let map = build(SDL, &table).expect("map");
    assert_eq!(names(&map.unmapped), ["Customer", "Query.customer"]);
    assert_eq!(names(&map.unknown), ["Ghost"]);
    assert_eq!(
        names(&map.conflicts),
        ["Site.settings: Customer and Unauthenticated"]
    );
    assert_eq!(map.requirement("Site", "settings"), Some(Customer));
    assert_eq!(map.requirement("Site", "products"), Some(Unauthenticated));
    let report = map.report();
    assert!(report.contains("unmapped: Query.customer\n"), "{report}");
    assert!(report.contains("type  Money: none\n"), "{report}");
}

#[test]
fn a_directive_in_the_sdl_states_the_decisions() {
    let sdl = r#"
    schema { query: Root }
    directive @scope(scope: String) on OBJECT | FIELD_DEFINITION
    type Root { shop: Shop @scope(scope: "Unauthenticated") me: Me @scope(scope: "Customer") }
    type Shop @scope(scope: "Unauthenticated") { name: String orders: String @scope(scope: "Customer") }
    type Me @scope(scope: "Customer") @scope(scope: "B2B") { email: String }
    type Price @scope(scope: none) { cents: Int }
    "#;
    let map = build(sdl, &ScopeSource::Directive("scope".into())).expect("map");
    assert!(map.unmapped.is_empty(), "{}", map.report());
    assert_eq!(names(&map.conflicts), ["Me: Customer and B2B"]);
    assert_eq!(map.requirement("Root", "me"), Some(Customer));
    assert_eq!(map.requirement("Shop", "orders"), Some(Customer));
    assert_eq!(map.requirement("Shop", "name"), Some(Unauthenticated));
    assert_eq!(map.requirement("Price", "cents"), None);

    let bad = "type Query @scope(scope: \"Admin\") { x: Int }";
    let err = build(bad, &ScopeSource::Directive("scope".into())).expect_err("refused");
    assert!(
        err.to_string().contains("Query: @scope needs scope"),
        "{err}"
    );
    let err = build("type Query {", &ScopeSource::Builtin).expect_err("refused");
    assert!(matches!(err, MapError::Sdl(_)));
}
