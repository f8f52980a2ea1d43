//! A seed checked whole before anything is written: every name it uses points at something it
//! defines, nothing is defined twice, every value is in range. Pure: no I/O.

use std::collections::HashSet;

use storefront_auth_core::validate::is_store_hash;

use super::{Seed, SeedError, SeedPage};
use crate::service::accounts::ALL_SCOPES;

/// The most of each list a seed may hold (a seed is test data, not a catalog import).
const MAX_ITEMS: usize = 10_000;
const PAGE_KINDS: [&str; 3] = ["normal", "contact", "link"];
const SHIPPING_KINDS: [&str; 2] = ["flat", "per_item"];

struct Problems(Vec<String>);

impl Problems {
    fn when(&mut self, wrong: bool, at: impl FnOnce() -> String) {
        if wrong {
            self.0.push(at());
        }
    }
}

/// Every problem of the seed, one line each; `Ok` when there is none.
pub fn check(seed: &Seed) -> Result<(), SeedError> {
    let mut p = Problems(Vec::new());
    check_store(seed, &mut p);
    check_people(seed, &mut p);
    check_catalog(seed, &mut p);
    check_content(seed, &mut p);
    check_apps(seed, &mut p);
    match p.0.is_empty() {
        true => Ok(()),
        false => Err(SeedError::Invalid(p.0.join("\n"))),
    }
}

/// Several stores in one file: each names its hash, no hash twice, and each checks; every
/// problem is prefixed with its store.
pub fn check_several(seeds: &[Seed]) -> Result<(), SeedError> {
    let mut p = Problems(Vec::new());
    p.when(seeds.is_empty(), || "stores: at least one".into());
    let mut hashes = HashSet::new();
    for (i, seed) in seeds.iter().enumerate() {
        match &seed.store.hash {
            None => p.0.push(format!(
                "stores[{i}].store.hash: required when a file seeds several stores"
            )),
            Some(h) => p.when(!hashes.insert(h.clone()), || {
                format!("stores[{i}].store.hash: {h:?} is seeded twice")
            }),
        }
        if let Err(SeedError::Invalid(m)) = check(seed) {
            p.0.extend(m.lines().map(|l| format!("stores[{i}].{l}")));
        }
    }
    match p.0.is_empty() {
        true => Ok(()),
        false => Err(SeedError::Invalid(p.0.join("\n"))),
    }
}

fn money(amount: f64) -> bool {
    amount.is_finite() && (0.0..=1e9).contains(&amount)
}

/// A name used twice in a list.
fn twice<'a>(names: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let mut seen = HashSet::new();
    names
        .into_iter()
        .find(|n| !seen.insert(n.to_ascii_lowercase()))
}

fn check_store(seed: &Seed, p: &mut Problems) {
    p.when(seed.store.name.trim().is_empty(), || {
        "store.name: required".into()
    });
    if let Some(hash) = &seed.store.hash {
        p.when(!is_store_hash(hash), || {
            format!("store.hash: {hash:?} is not a store hash (lowercase letters and digits)")
        });
    }
    if let Some(first) = seed.channels.first() {
        p.when(first.name.is_some(), || {
            "channels[0].name: the first channel is named by the platform; leave name out".into()
        });
    }
    p.when(seed.channels.len() > 20, || "channels: at most 20".into());
    for (i, a) in seed.api_accounts.iter().enumerate() {
        p.when(a.name.trim().is_empty(), || {
            format!("api_accounts[{i}].name: required")
        });
        for s in a.scopes.iter().flatten() {
            p.when(!ALL_SCOPES.contains(&s.as_str()), || {
                format!("api_accounts[{i}].scopes: {s:?} is not a scope")
            });
        }
        let fixed = [
            ("client_id", &a.client_id),
            ("client_secret", &a.client_secret),
            ("access_token", &a.access_token),
        ];
        check_fixed(&format!("api_accounts[{i}]"), &fixed, p);
    }
}

/// Fixed credentials: letters and digits, 16 to 128 of them.
fn check_fixed(at: &str, fixed: &[(&str, &Option<String>)], p: &mut Problems) {
    for (field, value) in fixed {
        let Some(v) = value else { continue };
        let ok = (16..=128).contains(&v.len()) && v.bytes().all(|b| b.is_ascii_alphanumeric());
        p.when(!ok, || {
            format!("{at}.{field}: 16 to 128 letters and digits")
        });
    }
}

fn check_apps(seed: &Seed, p: &mut Problems) {
    for (i, a) in seed.apps.iter().enumerate() {
        let at = format!("apps[{i}]");
        p.when(a.name.trim().is_empty(), || format!("{at}.name: required"));
        p.when(a.scopes.is_empty(), || format!("{at}.scopes: at least one"));
        let fixed = [
            ("client_id", &a.client_id),
            ("client_secret", &a.client_secret),
        ];
        check_fixed(&at, &fixed, p);
    }
}

fn check_people(seed: &Seed, p: &mut Problems) {
    let groups = &seed.customer_groups;
    if let Some(name) = twice(groups.iter().map(|g| g.name.as_str())) {
        p.0.push(format!("customer_groups: {name:?} is defined twice"));
    }
    for (i, g) in groups.iter().enumerate() {
        p.when(g.name.trim().is_empty(), || {
            format!("customer_groups[{i}].name: required")
        });
        let ok = g.discount_percent.is_finite() && (0.0..=100.0).contains(&g.discount_percent);
        p.when(!ok, || {
            format!("customer_groups[{i}].discount_percent: 0 to 100")
        });
    }
    let customers = &seed.customers;
    p.when(customers.len() > MAX_ITEMS, || {
        format!("customers: at most {MAX_ITEMS}")
    });
    if let Some(email) = twice(customers.iter().map(|c| c.email.as_str())) {
        p.0.push(format!("customers: {email:?} is defined twice"));
    }
    for (i, c) in customers.iter().enumerate() {
        p.when(!c.email.contains('@'), || {
            format!("customers[{i}].email: not an email address")
        });
        p.when(c.password.len() < 7, || {
            format!("customers[{i}].password: at least 7 characters")
        });
        if let Some(g) = &c.group {
            p.when(!groups.iter().any(|x| &x.name == g), || {
                format!("customers[{i}].group: no customer group {g:?}")
            });
        }
        for (j, a) in c.addresses.iter().enumerate() {
            let ok =
                a.country_code.len() == 2 && a.country_code.bytes().all(|b| b.is_ascii_uppercase());
            p.when(!ok, || {
                format!(
                    "customers[{i}].addresses[{j}].country_code: two capital letters (ISO 3166)"
                )
            });
        }
    }
    for (i, o) in seed.orders.iter().enumerate() {
        p.when(!customers.iter().any(|c| c.email == o.customer), || {
            format!("orders[{i}].customer: no customer {:?}", o.customer)
        });
        p.when(o.lines.is_empty(), || {
            format!("orders[{i}].lines: at least one")
        });
        for (j, l) in o.lines.iter().enumerate() {
            p.when(!seed.products.iter().any(|x| x.sku == l.sku), || {
                format!("orders[{i}].lines[{j}].sku: no product {:?}", l.sku)
            });
            p.when(!(1..=1000).contains(&l.quantity), || {
                format!("orders[{i}].lines[{j}].quantity: 1 to 1000")
            });
        }
    }
}

fn check_catalog(seed: &Seed, p: &mut Problems) {
    let categories = &seed.categories;
    if let Some(name) = twice(categories.iter().map(|c| c.name.as_str())) {
        p.0.push(format!("categories: {name:?} is defined twice"));
    }
    for (i, c) in categories.iter().enumerate() {
        p.when(c.name.trim().is_empty(), || {
            format!("categories[{i}].name: required")
        });
        if let Some(parent) = &c.parent {
            let before = categories[..i].iter().any(|x| &x.name == parent);
            p.when(!before, || {
                format!("categories[{i}].parent: no category {parent:?} listed before it")
            });
        }
    }
    let products = &seed.products;
    p.when(products.len() > MAX_ITEMS, || {
        format!("products: at most {MAX_ITEMS}")
    });
    if let Some(sku) = twice(products.iter().map(|x| x.sku.as_str())) {
        p.0.push(format!("products: SKU {sku:?} is defined twice"));
    }
    for (i, x) in products.iter().enumerate() {
        p.when(x.name.trim().is_empty() || x.sku.trim().is_empty(), || {
            format!("products[{i}]: name and sku are required")
        });
        p.when(!money(x.price), || {
            format!("products[{i}].price: a non-negative amount")
        });
        p.when(x.stock.is_some_and(|s| s < 0), || {
            format!("products[{i}].stock: not negative")
        });
        p.when(x.weight_grams.is_some_and(|w| w < 0), || {
            format!("products[{i}].weight_grams: not negative")
        });
        for c in &x.categories {
            p.when(!categories.iter().any(|k| &k.name == c), || {
                format!("products[{i}].categories: no category {c:?}")
            });
        }
        for (j, o) in x.options.iter().enumerate() {
            p.when(o.display_name.trim().is_empty(), || {
                format!("products[{i}].options[{j}].display_name: required")
            });
            let defaults = o.values.iter().filter(|v| v.default).count();
            p.when(defaults > 1, || {
                format!("products[{i}].options[{j}].values: at most one default")
            });
        }
    }
}

fn check_content(seed: &Seed, p: &mut Problems) {
    fn page(at: &str, x: &SeedPage, depth: usize, p: &mut Problems) {
        p.when(x.name.trim().is_empty(), || format!("{at}.name: required"));
        p.when(!PAGE_KINDS.contains(&x.kind.as_str()), || {
            format!("{at}.kind: normal, contact or link")
        });
        p.when(x.kind == "link" && x.link.is_empty(), || {
            format!("{at}.link: a link page needs one")
        });
        p.when(depth > 0 && !x.children.is_empty(), || {
            format!("{at}.children: one level of pages below a page")
        });
        for (j, child) in x.children.iter().enumerate().take(MAX_ITEMS) {
            page(&format!("{at}.children[{j}]"), child, depth + 1, p);
        }
    }
    for (i, x) in seed.web_pages.iter().enumerate().take(MAX_ITEMS) {
        page(&format!("web_pages[{i}]"), x, 0, p);
    }
    for (i, s) in seed.shipping_methods.iter().enumerate() {
        p.when(!SHIPPING_KINDS.contains(&s.kind.as_str()), || {
            format!("shipping_methods[{i}].kind: flat or per_item")
        });
        p.when(!money(s.rate), || {
            format!("shipping_methods[{i}].rate: a non-negative amount")
        });
        let ok = !s.countries.is_empty()
            && s.countries
                .iter()
                .all(|c| c.len() == 2 && c.bytes().all(|b| b.is_ascii_uppercase()));
        p.when(!ok, || {
            format!("shipping_methods[{i}].countries: ISO codes such as \"US\"")
        });
    }
    if let Some(code) = twice(seed.coupons.iter().map(|c| c.code.as_str())) {
        p.0.push(format!("coupons: {code:?} is defined twice"));
    }
    for (i, c) in seed.coupons.iter().enumerate() {
        let ok = match (c.percent, c.amount) {
            (Some(x), None) => x.is_finite() && x > 0.0 && x <= 100.0,
            (None, Some(x)) => money(x) && x > 0.0,
            _ => false,
        };
        p.when(!ok, || {
            format!("coupons[{i}]: percent (0 to 100) or amount, one of them")
        });
    }
}
