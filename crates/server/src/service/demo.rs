//! The demo store created on first start (SPEC §10): hash `demo`, channels 1 and 2, a
//! store-level account holding every scope, customer groups with a discount, a small catalog
//! and two customers.

use storefront_auth_store::{AccountKind, NewCustomer, NewProduct, StoreError};

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
}

/// Seeds the demo store unless any store exists. Returns the credentials when it seeded.
pub async fn seed_if_empty(domain: &Domain) -> Result<Option<DemoCredentials>, DemoError> {
    let (store, passwords, now) = (domain.store(), &domain.0.passwords, domain.now());
    if !store.list_stores().await?.is_empty() {
        return Ok(None);
    }
    let st = stores::create(domain, DEMO_HASH, "Demo Store", "http://localhost:3000").await?;
    store
        .create_channel(st.id, "Second storefront", "http://localhost:3001", now)
        .await?;
    let scopes: Vec<String> = ALL_SCOPES.iter().map(|s| s.to_string()).collect();
    let created =
        accounts::create(domain, st.id, AccountKind::Store, "Demo account", &scopes).await?;
    store.create_customer_group(st.id, "Retail", 0).await?;
    let vip = store.create_customer_group(st.id, "VIP", 1_000).await?;
    for (name, sku, cents) in DEMO_PRODUCTS {
        store
            .create_product(
                NewProduct {
                    store_id: st.id,
                    name,
                    sku,
                    price_cents: cents,
                },
                now,
            )
            .await?;
    }
    let hash = passwords
        .hash(DEMO_PASSWORD.to_string())
        .await
        .ok_or(DemoError::Hash)?;
    for (email, first, last, is_vip) in DEMO_CUSTOMERS {
        store
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
    }
    Ok(Some(DemoCredentials {
        store_hash: st.hash,
        store_id: st.id,
        client_id: created.account.client_id,
        client_secret: created.account.client_secret.expose().to_string(),
        access_token: created.access_token.expose().to_string(),
    }))
}
