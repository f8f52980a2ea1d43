//! Writes a checked seed as a new store. A seed that fails half way (a fixed credential another
//! store holds, a site URL refused) leaves nothing: the partly made store is removed.

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};

use storefront_auth_core::secret::sha256_hex;
use storefront_auth_store::{AccountKind, Customer, NewCustomer, StoreRecord};

use super::assets::Assets;
use super::{catalog, check, failed, history, Seed, SeedError};
use crate::service::accounts::{self, FixedCredentials, ALL_SCOPES};
use crate::service::apps::{self, NewApp};
use crate::service::{stores, Domain};

/// What seeding made: the store, and each API account's and app's credentials, in the seed's
/// order.
pub struct Seeded {
    pub store: StoreRecord,
    pub accounts: Vec<SeededAccount>,
    pub apps: Vec<SeededApp>,
}

pub struct SeededApp {
    pub name: String,
    pub client_id: String,
    pub client_secret: String,
}

pub struct SeededAccount {
    pub name: String,
    pub client_id: String,
    pub client_secret: String,
    pub access_token: String,
}

const DEFAULT_SITE_URL: &str = "http://localhost:4000";

/// Checks the seed, reads its images, and writes it as the store `hash`.
pub async fn apply(
    domain: &Domain,
    seed: &Seed,
    assets: &Assets,
    hash: &str,
) -> Result<Seeded, SeedError> {
    check(seed)?;
    let images = catalog::read_images(seed, assets)?;
    let site_url = seed
        .channels
        .first()
        .map_or(DEFAULT_SITE_URL, |c| c.site_url.as_str());
    let store = stores::create(domain, hash, &seed.store.name, site_url)
        .await
        .map_err(|e| failed("store", e))?;
    match write(domain, seed, &images, &store).await {
        Ok((accounts, apps)) => Ok(Seeded {
            store,
            accounts,
            apps,
        }),
        Err(e) => {
            if let Err(removal) = domain.store().delete_store(store.id).await {
                tracing::warn!(store = %store.hash, error = %removal, "removing a half-seeded store");
            }
            domain.forget_storefront(&store.hash);
            Err(e)
        }
    }
}

async fn write(
    domain: &Domain,
    seed: &Seed,
    images: &catalog::SeedImages,
    store: &StoreRecord,
) -> Result<(Vec<SeededAccount>, Vec<SeededApp>), SeedError> {
    let now = domain.now();
    for (i, c) in seed.channels.iter().enumerate().skip(1) {
        stores::check_site_url(&c.site_url).map_err(|e| failed(&format!("channels[{i}]"), e))?;
        let name = c
            .name
            .clone()
            .unwrap_or_else(|| format!("Channel {}", i + 1));
        domain
            .store()
            .create_channel(store.id, &name, &c.site_url, now)
            .await
            .map_err(|e| failed(&format!("channels[{i}]"), e))?;
    }
    let accounts = make_accounts(domain, seed, store).await?;
    let apps = make_apps(domain, seed, store).await?;
    let groups = make_groups(domain, seed, store).await?;
    let product_ids = catalog::write(domain, seed, images, store).await?;
    let customers = make_customers(domain, seed, store, &groups).await?;
    history::seed(domain, store, seed, &customers, &product_ids).await?;
    Ok((accounts, apps))
}

/// The store's own apps, listed to it alone.
async fn make_apps(
    domain: &Domain,
    seed: &Seed,
    store: &StoreRecord,
) -> Result<Vec<SeededApp>, SeedError> {
    let mut out = Vec::new();
    for (i, a) in seed.apps.iter().enumerate() {
        let new = NewApp {
            name: a.name.clone(),
            auth_callback: a.auth_callback.clone(),
            load_callback: a.load_callback.clone(),
            uninstall_callback: a.uninstall_callback.clone(),
            scopes: a.scopes.clone(),
            owner_store_id: Some(store.id),
            published: false,
        };
        let (id, secret) = (a.client_id.as_deref(), a.client_secret.as_deref());
        let made = apps::register_with(domain, new, id, secret)
            .await
            .map_err(|e| failed(&format!("apps[{i}]"), e))?;
        out.push(SeededApp {
            name: made.name,
            client_id: made.client_id,
            client_secret: made.client_secret.expose().to_string(),
        });
    }
    Ok(out)
}

async fn make_accounts(
    domain: &Domain,
    seed: &Seed,
    store: &StoreRecord,
) -> Result<Vec<SeededAccount>, SeedError> {
    let mut out = Vec::new();
    for (i, a) in seed.api_accounts.iter().enumerate() {
        let all = || ALL_SCOPES.iter().map(|s| s.to_string()).collect();
        let scopes: Vec<String> = a.scopes.clone().unwrap_or_else(all);
        let fixed = FixedCredentials {
            client_id: a.client_id.as_deref(),
            client_secret: a.client_secret.as_deref(),
            access_token: a.access_token.as_deref(),
        };
        let kind = AccountKind::Store;
        let made = accounts::create_with(domain, store.id, kind, &a.name, &scopes, fixed)
            .await
            .map_err(|e| {
                failed(
                    &format!("api_accounts[{i}]"),
                    format!("{e} (fixed credentials make one store; leave them out for more)"),
                )
            })?;
        out.push(SeededAccount {
            name: a.name.clone(),
            client_id: made.account.client_id,
            client_secret: made.account.client_secret.expose().to_string(),
            access_token: made.access_token.expose().to_string(),
        });
    }
    Ok(out)
}

/// The groups by name: (id, discount in basis points).
async fn make_groups(
    domain: &Domain,
    seed: &Seed,
    store: &StoreRecord,
) -> Result<HashMap<String, (i64, i64)>, SeedError> {
    let mut out = HashMap::new();
    for g in &seed.customer_groups {
        let bp = (g.discount_percent * 100.0).round() as i64;
        let made = domain
            .store()
            .create_customer_group(store.id, &g.name, bp)
            .await
            .map_err(|e| failed(&format!("customer group {:?}", g.name), e))?;
        out.insert(g.name.clone(), (made.id, made.discount_bp));
    }
    Ok(out)
}

/// The customers in the seed's order, each with its group discount.
async fn make_customers(
    domain: &Domain,
    seed: &Seed,
    store: &StoreRecord,
    groups: &HashMap<String, (i64, i64)>,
) -> Result<Vec<(Customer, i64)>, SeedError> {
    let mut out = Vec::new();
    for c in &seed.customers {
        let group = c.group.as_ref().and_then(|g| groups.get(g)).copied();
        let password_hash = password_hash(domain, &c.password).await?;
        let new = NewCustomer {
            store_id: store.id,
            email: &c.email,
            first_name: &c.first_name,
            last_name: &c.last_name,
            phone: &c.phone,
            group_id: group.map(|g| g.0),
            password_hash: &password_hash,
        };
        let customer = domain
            .store()
            .create_customer(new, domain.now())
            .await
            .map_err(|e| failed(&format!("customer {}", c.email), e))?;
        out.push((customer, group.map_or(0, |g| g.1)));
    }
    Ok(out)
}

/// Password hashes made for seeds in this process, by the password's digest: every isolated
/// store from one seed costs inserts, not Argon2 runs. A few entries only.
static HASHES: LazyLock<Mutex<HashMap<String, String>>> = LazyLock::new(Mutex::default);
const MAX_HASHES: usize = 64;

async fn password_hash(domain: &Domain, password: &str) -> Result<String, SeedError> {
    let key = sha256_hex(password.as_bytes());
    let hashes = || HASHES.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(hash) = hashes().get(&key) {
        return Ok(hash.clone());
    }
    let hash = domain
        .0
        .passwords
        .hash(password.to_string())
        .await
        .ok_or_else(|| SeedError::Failed("password hashing failed".into()))?;
    let mut map = hashes();
    if map.len() >= MAX_HASHES {
        map.clear();
    }
    map.insert(key, hash.clone());
    Ok(hash)
}
