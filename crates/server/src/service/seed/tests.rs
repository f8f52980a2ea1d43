//! The seed checks, table by table: what is refused and how it is named.

use super::{check, Seed, SeedError};

fn seed(toml: &str) -> Seed {
    Seed::parse(toml, false).expect("parses")
}

#[test]
fn the_demo_seed_is_valid() {
    check(&Seed::demo().expect("parses").0).expect("the demo seed checks");
}

#[test]
fn every_problem_is_named_where_it_is() {
    let bad = seed(
        r#"
        [store]
        name = ""
        hash = "Not A Hash"
        [[channels]]
        name = "x"
        site_url = "http://localhost:4000"
        [[customer_groups]]
        name = "VIP"
        discount_percent = 120
        [[customers]]
        email = "a@example.com"
        first_name = "A"
        last_name = "B"
        password = "short"
        group = "Gold"
        [[categories]]
        name = "Child"
        parent = "Later"
        [[products]]
        name = "P"
        sku = "P1"
        price = -1
        categories = ["Nowhere"]
        [[products]]
        name = "Q"
        sku = "p1"
        price = 1
        [[orders]]
        customer = "b@example.com"
        lines = [{ sku = "ZZ", quantity = 0 }]
        [[coupons]]
        code = "X"
        percent = 10
        amount = 5
        "#,
    );
    let Err(SeedError::Invalid(message)) = check(&bad) else {
        panic!("refused")
    };
    for expected in [
        "store.name: required",
        "store.hash:",
        "channels[0].name:",
        "customer_groups[0].discount_percent",
        "customers[0].password",
        "customers[0].group: no customer group \"Gold\"",
        "categories[0].parent: no category \"Later\"",
        "products[0].price",
        "products[0].categories: no category \"Nowhere\"",
        "products: SKU \"p1\" is defined twice",
        "orders[0].customer: no customer \"b@example.com\"",
        "orders[0].lines[0].sku: no product \"ZZ\"",
        "orders[0].lines[0].quantity",
        "coupons[0]: percent",
    ] {
        assert!(
            message.contains(expected),
            "{expected:?} not in:\n{message}"
        );
    }
}

#[test]
fn a_file_may_seed_several_stores_each_named() {
    let two = "[[stores]]\n[stores.store]\nname = \"A\"\nhash = \"a\"\n\
               [[stores]]\n[stores.store]\nname = \"B\"\nhash = \"b\"\n\
               [[stores.products]]\nname = \"P\"\nsku = \"P\"\nprice = 2\n";
    let seeds = Seed::parse_file(two, false).expect("two stores");
    assert_eq!(seeds.len(), 2);
    assert_eq!(seeds[1].products[0].sku, "P");
    let one = Seed::parse_file("[store]\nname = \"A\"\n", false).expect("one store");
    assert_eq!(one.len(), 1);
    let bad = two.replace("price = 2", "price = -2");
    let Err(SeedError::Invalid(m)) = Seed::parse_file(&bad, false) else {
        panic!("refused")
    };
    assert!(m.contains("stores[1].products[0].price"), "{m}");
}

#[test]
fn unknown_fields_and_wrong_types_are_refused_with_their_line() {
    let Err(SeedError::Invalid(m)) = Seed::parse("[store]\nname = \"S\"\nnmae = 1\n", false) else {
        panic!("refused")
    };
    assert!(m.contains("nmae") && m.contains("line 3"), "{m}");
    let Err(SeedError::Invalid(m)) = Seed::parse("{\"store\":{\"name\":5}}", true) else {
        panic!("refused")
    };
    assert!(m.contains("invalid type"), "{m}");
}
