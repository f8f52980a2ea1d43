use super::*;
use crate::scope::Scope::{Customer as C, Unauthenticated as U, B2B};

const SDL: &str = r#"
type Query { site: Site! customer: Customer company: CompanyQueries node(id: ID!): Node }
type Mutation { login(email: String!, password: String!): LoginResult! cart: CartMutations! }
interface Node { id: ID! }
type Site { products(first: Int, last: Int): ProductConnection! checkout(entityId: String): Checkout settings: Settings }
type Settings { storeName: String! }
type ProductConnection { edges: [ProductEdge!] }
type ProductEdge { node: Product! }
type Product implements Node { id: ID! name: String! prices: Prices }
type Prices { price: Money! }
type Money { value: Float! }
type Checkout { entityId: String! order: Order }
type Order implements Node { id: ID! entityId: Int! }
type Customer { email: String! activeCompany: ActiveCompany }
type ActiveCompany { companyUser: CompanyUser }
type CompanyUser { id: ID }
type CompanyQueries { companyUser: CompanyUser }
type LoginResult { result: String! }
type CartMutations { createCart: String assignCartToCustomer: String }
"#;

fn index() -> SchemaIndex {
    SchemaIndex::from_sdl(SDL).expect("sdl")
}

fn parse(q: &str) -> ExecutableDocument {
    async_graphql_parser::parse_query(q).expect("query")
}

fn needs(q: &str) -> Vec<Scope> {
    analyze(&parse(q), &index(), None, &serde_json::json!({}))
        .expect("analysis")
        .required
        .iter()
        .collect()
}

#[test]
fn documented_checkout_order_needs_both() {
    assert_eq!(
        needs("{ site { checkout(entityId: \"x\") { order { entityId } } } }"),
        vec![U, C]
    );
    assert_eq!(needs("{ site { settings { storeName } } }"), vec![U]);
    assert_eq!(
        needs("{ customer { email activeCompany { companyUser { id } } } }"),
        vec![C, B2B]
    );
    assert_eq!(needs("{ __schema { queryType { name } } }"), vec![]);
    assert_eq!(needs("mutation { cart { assignCartToCustomer } }"), vec![C]);
}

#[test]
fn aliases_fragments_and_variables_do_not_hide_fields() {
    let plain = needs("{ customer { email } company { companyUser { id } } }");
    for q in [
        "{ me: customer { mail: email } c: company { u: companyUser { id } } }",
        "{ ...F } fragment F on Query { customer { email } company { companyUser { id } } }",
        "{ ... on Query { customer { ... on Customer { email } } } company { ...U } } fragment U on CompanyQueries { companyUser { id } }",
        "query Q($yes: Boolean = true) { customer @include(if: $yes) { email } company @skip(if: $maybe) { companyUser { id } } }",
    ] {
        assert_eq!(needs(q), plain, "{q}");
    }
}

#[test]
fn denied_paths_name_the_outermost_field_by_its_alias() {
    let doc = parse("{ shop: site { checkout(entityId: \"x\") { order { entityId } } } me: customer { email activeCompany { companyUser { id } } } }");
    let vars = serde_json::json!({});
    let denied = |have: &[Scope]| {
        denied_paths(&doc, &index(), None, &vars, have.iter().copied().collect()).expect("denied")
    };
    assert_eq!(
        denied(&[U]),
        vec![vec!["shop", "checkout", "order"], vec!["me"]]
    );
    assert_eq!(
        denied(&[C]),
        vec![vec!["shop"], vec!["me", "activeCompany"]]
    );
    assert_eq!(denied(&[U, C, B2B]), Vec::<Vec<String>>::new());
}

#[test]
fn wholly_denied_only_when_nothing_else_can_happen() {
    let at = |key: &str, line, column, required| DeniedRoot {
        key: key.into(),
        line,
        column,
        required,
    };
    // (document, scopes held, what is known without running it)
    type Case<'a> = (&'a str, &'a [Scope], Option<Vec<DeniedRoot>>);
    let cases: Vec<Case> = vec![
        (
            "{ customer { email } }",
            &[U],
            Some(vec![at("customer", 1, 3, C)]),
        ),
        (
            "{\n  me: customer { email }\n  company { companyUser { id } }\n}",
            &[U],
            Some(vec![at("me", 2, 7, C), at("company", 3, 3, B2B)]),
        ),
        (
            "query Q { customer { email } }",
            &[],
            Some(vec![at("customer", 1, 11, C)]),
        ),
        // The token holds the scope: nothing is denied.
        ("{ customer { email } }", &[U, C], None),
        // One root field it may see: that one runs.
        ("{ customer { email } __typename }", &[U], None),
        (
            "{ customer { email } company { companyUser { id } } }",
            &[B2B],
            None,
        ),
        // A non-null field's error would null all of `data`.
        ("{ site { settings { storeName } } }", &[C], None),
        // Fragments, directives, a key used twice, mutations: left to the executor.
        ("{ ... on Query { customer { email } } }", &[U], None),
        ("{ customer @include(if: true) { email } }", &[U], None),
        ("{ customer { email } customer { email } }", &[U], None),
        ("mutation { cart { createCart } }", &[], None),
    ];
    for (q, have, expected) in cases {
        let got = wholly_denied(&parse(q), &index(), None, have.iter().copied().collect());
        assert_eq!(got, expected, "{q} with {have:?}");
    }
    let two = parse("query A { customer { email } } query B { site { settings { storeName } } }");
    let none = ScopeSet::default();
    assert!(wholly_denied(&two, &index(), Some("A"), none).is_some());
    assert!(wholly_denied(&two, &index(), Some("B"), none).is_none());
    assert!(
        wholly_denied(&two, &index(), None, none).is_none(),
        "ambiguous"
    );
}

#[test]
fn complexity_multiplies_by_page_size_and_depth_counts_levels() {
    let vars = serde_json::json!({ "n": 50 });
    let a = analyze(
        &parse("query($n: Int) { site { products(first: $n) { edges { node { name } } } } }"),
        &index(),
        None,
        &vars,
    )
    .expect("a");
    // Objects: site 1 + products 1 + edges 50 + node 50 (the 152 fields make 16 points).
    assert_eq!(a.complexity, 102);
    assert_eq!(a.depth, 5);
    assert_eq!(a.operation_type, "query");
    let d = analyze(
        &parse("{ site { products { edges { node { name } } } } }"),
        &index(),
        None,
        &serde_json::json!({}),
    )
    .expect("d");
    // A connection without first/last counts a page of 10.
    assert_eq!(d.complexity, 22);
}

#[test]
fn operations_roots_and_errors() {
    let a = analyze(&parse("mutation M { a: login(email: \"\", password: \"\") { result } b: login(email: \"\", password: \"\") { result } }"), &index(), None, &serde_json::json!({})).expect("m");
    assert_eq!(
        (a.operation_type, a.operation_name.as_deref(), a.root_fields),
        ("mutation", Some("M"), 2)
    );
    let two = parse("query A { site { settings { storeName } } } query B { customer { email } }");
    assert_eq!(
        analyze(&two, &index(), None, &serde_json::json!({})),
        Err(AnalysisError::AmbiguousOperation)
    );
    assert_eq!(
        analyze(&two, &index(), Some("B"), &serde_json::json!({}))
            .expect("b")
            .required
            .iter()
            .collect::<Vec<_>>(),
        vec![C]
    );
    assert_eq!(
        analyze(&parse("{ ...X }"), &index(), None, &serde_json::json!({})),
        Err(AnalysisError::UnknownFragment("X".into()))
    );
    let cycle = parse("{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }");
    assert_eq!(
        analyze(&cycle, &index(), None, &serde_json::json!({})),
        Err(AnalysisError::TooDeep)
    );
}

#[test]
fn variable_defaults_are_filled_in() {
    let doc = parse(
        "query($on: Boolean = true, $n: Int = 3, $x: Int) { customer @include(if: $on) { email } }",
    );
    let vars = with_defaults(&doc, None, &serde_json::json!({ "n": 5 }));
    assert_eq!(vars, serde_json::json!({ "on": true, "n": 5 }));
    let off = with_defaults(&doc, None, &serde_json::json!({ "on": false }));
    assert_eq!(
        analyze(&doc, &index(), None, &off).expect("a").required,
        ScopeSet::EMPTY
    );
}

/// `F0 { ...F1 ...F1 }`, `F1 { ...F2 ...F2 }`, … down to `F{n}`: 2^n fields in `n` lines.
fn doubling(n: usize, leaf: &str, on: &str) -> String {
    let mut doc = "query { ...F0 }\n".to_string();
    for i in 0..n {
        doc.push_str(&format!(
            "fragment F{i} on {on} {{ ...F{} ...F{} }}\n",
            i + 1,
            i + 1
        ));
    }
    doc.push_str(&format!("fragment F{n} on {on} {{ {leaf} }}\n"));
    doc
}

#[test]
fn doubling_fragments_cost_linear_work_and_are_scored_exactly() {
    for n in [10usize, 24, 40, 60] {
        let started = std::time::Instant::now();
        let a = analyze(
            &parse(&doubling(n, "site { settings { storeName } }", "Query")),
            &index(),
            None,
            &serde_json::json!({}),
        )
        .expect("analysis");
        // Each copy of `site { settings { storeName } }` holds two objects.
        assert_eq!(
            a.complexity,
            2u64.saturating_mul(1u64 << n.min(63)),
            "n={n}"
        );
        assert_eq!(a.required.iter().collect::<Vec<_>>(), vec![U]);
        assert!(
            started.elapsed() < std::time::Duration::from_millis(200),
            "n={n}"
        );
        assert!(check_limits(&a).is_err() || n < 12);
    }
}

#[test]
fn a_zero_page_still_costs_its_fields() {
    let q = "{ site { products(first: 0) { edges { node { name } } } } }";
    let a = analyze(&parse(q), &index(), None, &serde_json::json!({})).expect("a");
    // Objects: site 1 + products 1 + edges 1 + node 1, as with first: 1
    assert_eq!(a.complexity, 4);
}

#[test]
fn fields_read_through_an_interface_need_what_the_object_needs() {
    // Node is implemented by Product (Unauthenticated) and Order (Customer).
    let product_only = "{ site { products { edges { node { ... on Node { id } } } } } }";
    assert_eq!(needs(product_only), vec![U]);
    let any_node = "{ node(id: \"x\") { id } }";
    assert_eq!(needs(any_node), vec![U, C]);
    let named = "{ node(id: \"x\") { ...N } } fragment N on Node { id }";
    assert_eq!(needs(named), vec![U, C]);
    let narrowed = "{ node(id: \"x\") { ... on Product { id } } }";
    assert_eq!(needs(narrowed), vec![U]);
    let doc = parse("{ site { checkout(entityId: \"x\") { order { ... on Node { id } } } } }");
    let vars = serde_json::json!({});
    let denied = denied_paths(&doc, &index(), None, &vars, [U].into_iter().collect()).expect("d");
    assert_eq!(denied, vec![vec!["site", "checkout", "order"]]);
    let a = analyze(&parse(any_node), &index(), None, &vars).expect("a");
    assert_eq!(
        a.fields_by_scope
            .get(&C)
            .map(|f| f.iter().cloned().collect::<Vec<_>>()),
        Some(vec!["Order.id".to_string()])
    );
}

#[test]
fn the_work_of_one_analysis_is_bounded() {
    // The same fragment spread under many aliases is worked out once, but every alias is
    // still visited: a document over the work budget is refused, not analysed for long.
    let aliases: String = (0..120_000).map(|i| format!("a{i}: __typename ")).collect();
    let doc = parse(&format!("{{ {aliases} }}"));
    let started = std::time::Instant::now();
    let got = analyze(&doc, &index(), None, &serde_json::json!({}));
    assert_eq!(got, Err(AnalysisError::TooMuchWork));
    assert!(started.elapsed() < std::time::Duration::from_secs(1));
    assert_eq!(
        LimitExceeded::of_error(&AnalysisError::TooMuchWork),
        Some(LimitExceeded::Expansion)
    );
}

#[test]
fn limits_are_checked_in_order_with_their_messages() {
    let a = |depth, complexity, operation_type, root_fields| Analysis {
        depth,
        complexity,
        operation_type,
        root_fields,
        ..Default::default()
    };
    let cases = [
        (a(16, 10_000, "query", 3), None),
        (
            a(17, 10_001, "query", 1),
            Some("The query is too deep: its depth is 17 and the maximum is 16."),
        ),
        (
            a(3, 10_001, "query", 1),
            Some("The query is too complex as it has a complexity score of 10001 out of 10000. Please remove some elements and try again"),
        ),
        (
            a(3, 5, "mutation", 2),
            Some("Only one mutation is allowed per request; this document has 2 root mutation fields."),
        ),
        (a(3, 5, "query", 2), None),
    ];
    for (analysis, want) in cases {
        let got = check_limits(&analysis).err().map(|e| e.to_string());
        assert_eq!(got.as_deref(), want, "{analysis:?}");
    }
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    /// One selection of a generated fragment: a leaf, a nested field, or a spread of a later
    /// fragment (so the fragments form no cycle), possibly inside an inline fragment.
    #[derive(Clone, Debug)]
    enum Item {
        Typename,
        Settings,
        Spread(usize),
        Inline(Box<Item>),
    }

    fn item(fragments: usize) -> impl Strategy<Value = Item> {
        let leaf = prop_oneof![Just(Item::Typename), Just(Item::Settings)];
        let spread = (0..fragments.max(1)).prop_map(Item::Spread);
        prop_oneof![
            leaf.clone(),
            spread.clone(),
            prop_oneof![leaf, spread].prop_map(|i| Item::Inline(Box::new(i)))
        ]
    }

    /// What an item holds when expanded the naive way (every spread copied in place):
    /// fields, objects among them, and whether it needs `Unauthenticated`.
    fn naive(item: &Item, fragments: &[Vec<Item>], at: usize) -> (u64, u64, bool) {
        match item {
            Item::Typename => (1, 0, false),
            Item::Settings => (3, 2, true),
            Item::Spread(j) if *j > at && *j < fragments.len() => fragments[*j]
                .iter()
                .map(|i| naive(i, fragments, *j))
                .fold((0, 0, false), add),
            Item::Spread(_) => (0, 0, false),
            Item::Inline(inner) => naive(inner, fragments, at),
        }
    }

    fn add(a: (u64, u64, bool), b: (u64, u64, bool)) -> (u64, u64, bool) {
        (a.0 + b.0, a.1 + b.1, a.2 || b.2)
    }

    fn text(item: &Item, fragments: usize, at: usize) -> String {
        match item {
            Item::Typename => "__typename".into(),
            Item::Settings => "site { settings { storeName } }".into(),
            Item::Spread(j) if *j > at && *j < fragments => format!("...F{j}"),
            Item::Spread(_) => "__typename".into(),
            Item::Inline(inner) => format!("... on Query {{ {} }}", text(inner, fragments, at)),
        }
    }

    proptest! {
        /// The analysis works each fragment out once, yet scores exactly what the naive
        /// expansion of every spread costs, and needs what the expansion needs.
        #[test]
        fn memoized_scores_match_the_naive_expansion(
            fragments in prop::collection::vec(prop::collection::vec(item(8), 1..5), 1..8)
        ) {
            let n = fragments.len();
            // Spreads into earlier fragments read as `__typename` (text and model alike).
            let model: Vec<Vec<Item>> = fragments
                .iter()
                .enumerate()
                .map(|(at, items)| items.iter().map(|i| match i {
                    Item::Spread(j) if *j <= at || *j >= n => Item::Typename,
                    Item::Inline(inner) => match inner.as_ref() {
                        Item::Spread(j) if *j <= at || *j >= n => Item::Inline(Box::new(Item::Typename)),
                        _ => i.clone(),
                    },
                    _ => i.clone(),
                }).collect())
                .collect();
            let mut doc = "query { ...F0 }\n".to_string();
            for (at, items) in model.iter().enumerate() {
                let body: Vec<String> = items.iter().map(|i| text(i, n, at)).collect();
                doc.push_str(&format!("fragment F{at} on Query {{ {} }}\n", body.join(" ")));
            }
            let (fields, objects, unauthenticated) = model[0]
                .iter()
                .map(|i| naive(i, &model, 0))
                .fold((0, 0, false), add);
            let cost = objects.max(fields.div_ceil(10));
            let parsed = parse(&doc);
            let a = analyze(&parsed, &index(), None, &serde_json::json!({})).expect("analysis");
            prop_assert_eq!(a.complexity, cost, "{}", doc);
            prop_assert_eq!(a.required.contains(U), unauthenticated, "{}", doc);
        }
    }
}
