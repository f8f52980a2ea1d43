use super::*;

#[test]
fn documented_mapping() {
    let cases: &[(&str, &str, Option<Scope>)] = &[
        ("Query", "site", Some(U)),
        ("Query", "customer", Some(C)),
        ("Query", "company", Some(B2B)),
        ("Query", "geography", Some(U)),
        ("Query", "__schema", None),
        ("Site", "products", Some(U)),
        ("Checkout", "entityId", Some(U)),
        ("Checkout", "order", Some(C)),
        ("Order", "entityId", Some(C)),
        ("Customer", "email", Some(C)),
        ("Customer", "activeCompany", Some(B2B)),
        ("Money", "value", None),
        ("PageInfo", "hasNextPage", None),
        ("Mutation", "cart", None),
        ("Mutation", "login", Some(C)),
        ("CartMutations", "createCart", Some(U)),
        ("CartMutations", "assignCartToCustomer", Some(C)),
        ("WishlistMutations", "createWishlist", Some(U)),
        ("WishlistMutations", "addWishlistItems", Some(C)),
        ("CustomerMutations", "registerCustomer", Some(C)),
        ("CompanyMutations", "registerCompany", Some(B2B)),
        ("AnalyticsMutations", "visitStartedEvent", Some(U)),
    ];
    for (t, f, want) in cases {
        assert_eq!(field_requirement(t, f), *want, "{t}.{f}");
    }
}

#[test]
fn table_has_no_duplicates() {
    for (i, (t, _)) in TYPE_SCOPES.iter().enumerate() {
        assert!(
            !TYPE_SCOPES[i + 1..].iter().any(|(u, _)| u == t),
            "{t} twice"
        );
    }
    for t in NEUTRAL_TYPES {
        assert!(type_requirement(t).is_none(), "{t} is neutral and scoped");
    }
    for (i, (t, f, _)) in FIELD_SCOPES.iter().enumerate() {
        assert!(
            !FIELD_SCOPES[i + 1..]
                .iter()
                .any(|(u, g, _)| u == t && g == f),
            "{t}.{f} twice"
        );
    }
}

#[test]
fn sets_are_independent() {
    let set: ScopeSet = [Scope::Customer].into_iter().collect();
    assert!(set.contains(Scope::Customer));
    assert!(!set.contains(Scope::Unauthenticated));
    assert_eq!(ScopeSet::all_subsets().count(), 8);
    assert_eq!(set.names(), vec!["Customer"]);
}
