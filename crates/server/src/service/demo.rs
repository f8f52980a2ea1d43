//! The demo store created on first start (SPEC §10): hash `demo`, channels 1 and 2, a
//! store-level account holding every scope, customer groups with a discount, a small catalog
//! and two customers.

use storefront_auth_store::{
    AccountKind, NewCategory, NewCustomer, NewOption, NewProduct, NewWebPage, ProductDetails,
    StoreError,
};

use super::accounts::{self, ALL_SCOPES};
use super::{stores, Domain};

pub const DEMO_HASH: &str = "demo";
pub const DEMO_PASSWORD: &str = "Password1!";
pub const DEMO_CUSTOMERS: [(&str, &str, &str, bool); 2] = [
    ("jane@example.com", "Jane", "Doe", false),
    ("vip@example.com", "Victor", "Price", true),
];
pub const DEMO_PRODUCTS: [(&str, &str, i64); 4] = [
    ("Orbit Terrarium - Large", "OTL", 10_900),
    ("Able Brewing System", "ABS", 22_500),
    ("Chemex Coffeemaker 3 Cup", "CC3C", 4_950),
    ("Sample Dustpan & Brush", "DPB", 3_495),
];

/// What the demo's storefront shows of each product (by SKU): its brand, category, whether it
/// is featured, units on hand (`None`: not tracked), and its description.
type Details = (
    &'static str,
    &'static str,
    &'static str,
    bool,
    Option<i64>,
    &'static str,
);
const DEMO_DETAILS: [Details; 4] = [
    ("OTL", "Common Good", "Garden", true, Some(8),
     "<p>A glass orb terrarium with a brass stand: a small world for succulents and moss.</p>"),
    ("ABS", "Able", "Coffee", true, None,
     "<p>A pour-over brewer in stainless steel with a reusable filter, for a clean, bright cup.</p>"),
    ("CC3C", "Chemex", "Coffee", false, Some(25),
     "<p>The classic hourglass coffeemaker, three cups, in heat-resistant glass.</p>"),
    ("DPB", "Common Good", "Utility", false, Some(0),
     "<p>A dustpan and brush in beech and horsehair. Out of stock until spring.</p>"),
];

/// The demo's categories: (name, parent's name or "" for top level, description).
const DEMO_CATEGORIES: [(&str, &str, &str); 5] = [
    ("Kitchen", "", "<p>Tools for the kitchen.</p>"),
    (
        "Coffee",
        "Kitchen",
        "<p>Brewers and everything for coffee.</p>",
    ),
    ("Garden", "", "<p>Planters and terrariums.</p>"),
    ("Utility", "", "<p>Cleaning and household.</p>"),
    ("Sale", "", "<p>Reduced for a while.</p>"),
];

/// The demo's web pages: (kind, name, body or link).
const DEMO_PAGES: [(&str, &str, &str); 4] = [
    (
        "normal",
        "About Us",
        "<p>The demo store of Storefront Auth: a small shop of well-made things.</p>",
    ),
    (
        "normal",
        "Shipping & Returns",
        "<p>Orders ship within two days. Returns are free for 30 days.</p>",
    ),
    (
        "contact",
        "Contact Us",
        "<p>Write to us and we answer within a day.</p>",
    ),
    ("link", "Storefront Auth", "https://github.com/"),
];

/// What the operator needs once: printed at first start, never stored raw.
pub struct DemoCredentials {
    pub store_hash: String,
    pub store_id: i64,
    pub client_id: String,
    pub client_secret: String,
    pub access_token: String,
}

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Stores(#[from] stores::StoresError),
    #[error("password hashing failed")]
    Hash,
    #[error(transparent)]
    History(#[from] super::demo_history::HistoryError),
}

/// The demo's brands, categories, web pages and what its storefront shows of each product.
async fn seed_content(domain: &Domain, store_id: i64) -> Result<(), StoreError> {
    let (store, now) = (domain.store(), domain.now());
    let mut brands = Vec::new();
    for (_, brand, ..) in DEMO_DETAILS {
        if !brands.iter().any(|(name, _)| *name == brand) {
            brands.push((brand, store.create_brand(store_id, brand, now).await?.id));
        }
    }
    let mut categories: Vec<(&str, i64)> = Vec::new();
    for (sort_order, (name, parent, description)) in DEMO_CATEGORIES.into_iter().enumerate() {
        let parent_id = categories
            .iter()
            .find(|(n, _)| *n == parent)
            .map_or(0, |(_, id)| *id);
        let new = NewCategory {
            store_id,
            parent_id,
            name,
            description,
            sort_order: sort_order as i64,
        };
        categories.push((name, store.create_category(new, now).await?.id));
    }
    let id_of =
        |list: &[(&str, i64)], name: &str| list.iter().find(|(n, _)| *n == name).map(|(_, id)| *id);
    for (sku, brand, category, featured, stock, description) in DEMO_DETAILS {
        let product = store
            .product_by_sku(store_id, sku)
            .await?
            .ok_or(StoreError::NotFound)?;
        let image =
            super::demo_images::put_product_image(domain, store_id, sku, product.id).await?;
        let details = ProductDetails {
            description: description.to_string(),
            brand_id: id_of(&brands, brand),
            image,
            stock,
            is_featured: featured,
            ..ProductDetails::default()
        };
        store
            .set_product_details(store_id, product.id, &details)
            .await?;
        if let Some(category) = id_of(&categories, category) {
            store
                .add_product_to_category(store_id, product.id, category)
                .await?;
        }
    }
    super::demo_images::put_store_images(domain, store_id).await?;
    seed_product_pages(domain, store_id).await?;
    seed_pages(domain, store_id).await
}

/// What the demo's product pages show beyond a card: the brewer's options (a finish swatch,
/// steel unless chosen otherwise, and an engraving), custom fields, weights and identifiers.
async fn seed_product_pages(domain: &Domain, store_id: i64) -> Result<(), StoreError> {
    let store = domain.store();
    let product = |sku: &'static str| async move {
        store
            .product_by_sku(store_id, sku)
            .await?
            .ok_or(StoreError::NotFound)
    };
    let brewer = product("ABS").await?;
    let finishes: [(&str, bool, &[&str]); 2] = [
        ("Steel", true, &["#c0c0c0"]),
        ("Black", false, &["#1f1f1f"]),
    ];
    let options = [
        ("multiple_choice", "Finish", "Swatch", false, &finishes[..]),
        ("text", "Engraving", "", false, &[][..]),
    ];
    for (kind, display_name, display_style, is_required, values) in options {
        let new = NewOption {
            store_id,
            product_id: brewer.id,
            kind,
            display_name,
            display_style,
            is_required,
            values,
        };
        store.create_option(new).await?;
    }
    for (name, value) in [("Material", "Stainless steel"), ("Capacity", "1.2 l")] {
        store
            .create_custom_field(store_id, brewer.id, name, value)
            .await?;
    }
    for (sku, grams, gtin) in [
        ("ABS", 1_200, "0850003891124"),
        ("CC3C", 450, ""),
        ("OTL", 2_300, ""),
    ] {
        let p = product(sku).await?;
        let details = ProductDetails {
            weight_grams: Some(grams),
            gtin: gtin.into(),
            mpn: format!("DEMO-{sku}"),
            warranty: "Two years.".into(),
            ..p.details.clone()
        };
        store.set_product_details(store_id, p.id, &details).await?;
    }
    Ok(())
}

/// The demo's web pages, all in the navigation, in the listed order.
async fn seed_pages(domain: &Domain, store_id: i64) -> Result<(), StoreError> {
    let (store, now) = (domain.store(), domain.now());
    for (sort_order, (kind, name, text)) in DEMO_PAGES.into_iter().enumerate() {
        let (body, link) = if kind == "link" {
            ("", text)
        } else {
            (text, "")
        };
        let new = NewWebPage {
            store_id,
            parent_id: 0,
            kind,
            name,
            body,
            link,
            in_navigation: true,
            sort_order: sort_order as i64,
        };
        let page = store.create_web_page(new, now).await?;
        if name == "Shipping & Returns" {
            // One page below another, so a storefront's page menu and breadcrumbs have depth.
            let child = NewWebPage {
                parent_id: page.id,
                name: "Returns Policy",
                body: "<p>Send it back unused within 30 days for a full refund.</p>",
                store_id,
                kind,
                link,
                in_navigation: false,
                sort_order: 0,
            };
            store.create_web_page(child, now).await?;
        }
    }
    Ok(())
}

/// The demo's shipping methods: (name, kind, rate in cents, countries).
const DEMO_SHIPPING: [(&str, &str, i64, &str); 3] = [
    ("Standard", "flat", 1_000, "US,CA"),
    ("Express", "flat", 2_500, "US"),
    ("International", "per_item", 1_500, "AU,DE,FR,GB,NL"),
];

async fn seed_shipping(domain: &Domain, store_id: i64) -> Result<(), StoreError> {
    for (name, kind, rate_cents, countries) in DEMO_SHIPPING {
        let method = storefront_auth_store::ShippingMethodRecord {
            id: 0,
            store_id,
            name: name.to_string(),
            kind: kind.to_string(),
            rate_cents,
            countries: countries.to_string(),
        };
        domain
            .store()
            .create_shipping_method(&method, i64::MAX, domain.now())
            .await?;
    }
    Ok(())
}

/// The demo's products; returns their ids in `DEMO_PRODUCTS` order.
async fn seed_products(domain: &Domain, store_id: i64) -> Result<Vec<i64>, StoreError> {
    let mut ids = Vec::new();
    for (name, sku, cents) in DEMO_PRODUCTS {
        let new = NewProduct {
            store_id,
            name,
            sku,
            price_cents: cents,
        };
        ids.push(domain.store().create_product(new, domain.now()).await?.id);
    }
    Ok(ids)
}

/// Seeds the demo store unless any store exists. Returns the credentials when it seeded.
pub async fn seed_if_empty(domain: &Domain) -> Result<Option<DemoCredentials>, DemoError> {
    if !domain.store().list_stores().await?.is_empty() {
        return Ok(None);
    }
    let credentials = seed_store(domain, DEMO_HASH, "Demo Store").await?;
    // Development mode's reset returns the demo store to the state it was seeded with.
    if let Some(store) = domain.store().store_by_id(credentials.store_id).await? {
        super::dev_state::keep_as_seed(domain, &store).await?;
    }
    Ok(Some(credentials))
}

/// The demo password's hash, made once per process: seeding another store (development
/// mode's isolated stores) then costs no Argon2 run.
async fn demo_password_hash(domain: &Domain) -> Result<String, DemoError> {
    static HASH: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();
    let hash = HASH.get_or_try_init(|| async {
        let passwords = &domain.0.passwords;
        passwords
            .hash(DEMO_PASSWORD.to_string())
            .await
            .ok_or(DemoError::Hash)
    });
    Ok(hash.await?.clone())
}

/// Creates a store at `hash` with the demo's data (channels, account, catalog, customers,
/// orders) and returns its account's credentials.
pub async fn seed_store(
    domain: &Domain,
    hash: &str,
    name: &str,
) -> Result<DemoCredentials, DemoError> {
    let (store, now) = (domain.store(), domain.now());
    let st = stores::create(domain, hash, name, "http://localhost:4000").await?;
    store
        .create_channel(st.id, "Second storefront", "http://localhost:4001", now)
        .await?;
    let scopes: Vec<String> = ALL_SCOPES.iter().map(|s| s.to_string()).collect();
    let created =
        accounts::create(domain, st.id, AccountKind::Store, "Demo account", &scopes).await?;
    store.create_customer_group(st.id, "Retail", 0).await?;
    let vip = store.create_customer_group(st.id, "VIP", 1_000).await?;
    let product_ids = seed_products(domain, st.id).await?;
    seed_content(domain, st.id).await?;
    seed_shipping(domain, st.id).await?;
    // A coupon to try at checkout: 10 % off the goods.
    let welcome = storefront_auth_store::CouponRecord {
        id: 0,
        store_id: st.id,
        code: "WELCOME10".into(),
        kind: "percent".into(),
        amount: 1_000,
        max_uses: 0,
        uses: 0,
    };
    store.create_coupon(&welcome, 1, now).await?;
    let hash = demo_password_hash(domain).await?;
    let mut customers = Vec::new();
    for (email, first, last, is_vip) in DEMO_CUSTOMERS {
        let customer = store
            .create_customer(
                NewCustomer {
                    store_id: st.id,
                    email,
                    first_name: first,
                    last_name: last,
                    phone: "",
                    group_id: is_vip.then_some(vip.id),
                    password_hash: &hash,
                },
                now,
            )
            .await?;
        customers.push(customer);
    }
    super::demo_history::seed(domain, &st, &customers, &product_ids, vip.discount_bp).await?;
    Ok(DemoCredentials {
        store_hash: st.hash,
        store_id: st.id,
        client_id: created.account.client_id,
        client_secret: created.account.client_secret.expose().to_string(),
        access_token: created.access_token.expose().to_string(),
    })
}
