//! The schema held to its tables (issue 16): every field of the exported schema has a scope
//! decision, and every field of a type the compiled plans answer is either planned or named
//! here as left to the executor; so a new field cannot land without one.

use std::collections::BTreeSet;

use storefront_auth::graphql::plan::Plan;
use storefront_auth_core::analysis::SchemaIndex;
use storefront_auth_core::scope::{FIELD_SCOPES, NEUTRAL_TYPES, ROOT_TYPES, TYPE_SCOPES};

fn index() -> SchemaIndex {
    SchemaIndex::from_sdl(&storefront_auth::graphql::schema::sdl()).expect("the schema's index")
}

#[test]
fn every_field_has_a_scope_decision() {
    let index = index();
    let scoped = |t: &str| TYPE_SCOPES.iter().any(|(s, _)| *s == t);
    let neutral = |t: &str| NEUTRAL_TYPES.contains(&t);
    let declared = |t: &str, f: &str| FIELD_SCOPES.iter().any(|(u, g, _)| *u == t && *g == f);
    let mut missing = BTreeSet::new();
    for (t, f) in index.coordinates() {
        let decided = if ROOT_TYPES.contains(&t) {
            declared(t, f)
        } else {
            scoped(t) != neutral(t)
        };
        if !decided {
            missing.insert(format!("{t}.{f}"));
        }
    }
    assert!(
        missing.is_empty(),
        "fields with no scope decision (TYPE_SCOPES, NEUTRAL_TYPES, or FIELD_SCOPES for root \
         fields), or types in both tables:\n{}",
        missing.into_iter().collect::<Vec<_>>().join("\n")
    );
    // The table's own entries name fields that exist, so a rename cannot leave a stale rule.
    for (t, f, _) in FIELD_SCOPES {
        assert!(
            index.field_type(t, f).is_some(),
            "FIELD_SCOPES names {t}.{f}, which the schema does not have"
        );
    }
}

/// Each type the plans answer, and a document that reaches it with `{}` where its field goes.
const PLANNED_TYPES: &[(&str, &str)] = &[
    ("Query", "{ {} }"),
    ("Site", "{ site { {} } }"),
    ("Channel", "{ channel { {} } }"),
    ("Customer", "{ customer { {} } }"),
    ("ProductConnection", "{ site { products { {} } } }"),
    ("ProductEdge", "{ site { products { edges { {} } } } }"),
    ("PageInfo", "{ site { products { pageInfo { {} } } } }"),
    (
        "CollectionInfo",
        "{ site { products { collectionInfo { {} } } } }",
    ),
    ("Product", "{ site { product(entityId: 1) { {} } } }"),
    (
        "Image",
        "{ site { product(entityId: 1) { defaultImage { {} } } } }",
    ),
    (
        "Brand",
        "{ site { product(entityId: 1) { brand { {} } } } }",
    ),
    (
        "ProductInventory",
        "{ site { product(entityId: 1) { inventory { {} } } } }",
    ),
    (
        "Prices",
        "{ site { product(entityId: 1) { prices { {} } } } }",
    ),
    (
        "Money",
        "{ site { product(entityId: 1) { prices { price { {} } } } } }",
    ),
    (
        "MoneyRange",
        "{ site { product(entityId: 1) { prices { priceRange { {} } } } } }",
    ),
];

/// Fields of planned types that the plans do not answer (selected plainly, without
/// arguments): a document selecting one is answered by the executor. Planning one means
/// taking it off this list.
const UNPLANNED: &[&str] = &[
    "Query.node",
    "Query.company",
    "Query.geography",
    "Site.route",
    "Site.giftCertificate",
    "Site.publicWishlist",
    "Site.settings",
    "Site.currencies",
    "Site.categoryTree",
    "Site.category",
    "Site.brand",
    "Site.brands",
    "Site.featuredProducts",
    "Site.newestProducts",
    "Site.content",
    "Site.search",
    "Site.cart",
    "Site.checkout",
    "Site.order",
    "Customer.addresses",
    "Customer.orders",
    "Customer.wishlists",
    "Customer.activeCompany",
    "Customer.isSubscribedToNewsletter",
    "Product.variants",
    "Product.categories",
    "Product.reviewSummary",
    "Product.reviews",
    "Product.description",
    "Product.plainTextDescription",
    "Product.availabilityV2",
    "Product.condition",
    "Product.customFields",
    "Product.gtin",
    "Product.images",
    "Product.maxPurchaseQuantity",
    "Product.minPurchaseQuantity",
    "Product.mpn",
    "Product.productOptions",
    "Product.relatedProducts",
    "Product.seo",
    "Product.showCartAction",
    "Product.warranty",
    "Product.weight",
    "Brand.id",
    "Brand.defaultImage",
    "Brand.seo",
    "Image.urlOriginal",
    "Image.url",
    "Image.isDefault",
    "ProductInventory.aggregated",
];

fn compiles(query: &str) -> bool {
    let doc = async_graphql::parser::parse_query(query).expect("the probe parses");
    let variables = async_graphql::Variables::default();
    Plan::compile(&doc, None, &variables).is_some()
}

#[test]
fn every_field_of_a_planned_type_is_planned_or_listed() {
    let index = index();
    let mut wrong = Vec::new();
    let mut seen = BTreeSet::new();
    for (t, reach) in PLANNED_TYPES {
        let fields: BTreeSet<&str> = index
            .coordinates()
            .filter(|(u, _)| u == t)
            .map(|(_, f)| f)
            .collect();
        assert!(!fields.is_empty(), "{t} is not in the schema");
        for f in fields {
            let coordinate = format!("{t}.{f}");
            seen.insert(coordinate.clone());
            let ty = index.field_type(t, f).unwrap_or("");
            let selection = if index.objects(ty).is_empty() {
                f.to_string()
            } else {
                format!("{f} {{ __typename }}")
            };
            let planned = compiles(&reach.replace("{}", &selection));
            let listed = UNPLANNED.contains(&coordinate.as_str());
            if planned == listed {
                wrong.push(format!(
                    "{coordinate}: {}",
                    if planned {
                        "planned, but listed as unplanned"
                    } else {
                        "not planned: plan it, or list it in UNPLANNED"
                    }
                ));
            }
        }
    }
    for u in UNPLANNED {
        if !seen.contains(*u) {
            wrong.push(format!("{u}: listed, but not a field of a planned type"));
        }
    }
    assert!(
        wrong.is_empty(),
        "plans and the schema disagree:\n{}",
        wrong.join("\n")
    );
}
