//! The store seeded on first start (SPEC §10): the built-in demo seed (`demo/demo.toml`: hash
//! `demo`, channels 1 and 2, a store-level account holding every scope, customer groups with a
//! discount, a small catalog, two customers with history), or the seed `serve --seed` names.

use storefront_auth_store::StoreError;

use super::seed::{self, Assets, Seed, SeedError, Seeded};
use super::Domain;

pub const DEMO_HASH: &str = "demo";

/// What the operator needs once: printed at first start, never stored raw.
#[derive(Clone)]
pub struct DemoCredentials {
    pub store_hash: String,
    pub store_id: i64,
    pub client_id: String,
    pub client_secret: String,
    pub access_token: String,
}

impl DemoCredentials {
    /// The store's first API account's credentials (empty when the seed has none).
    pub fn of(seeded: &Seeded) -> DemoCredentials {
        let first = seeded.accounts.first();
        let field = |f: fn(&seed::apply::SeededAccount) -> &String| {
            first.map(f).cloned().unwrap_or_default()
        };
        DemoCredentials {
            store_hash: seeded.store.hash.clone(),
            store_id: seeded.store.id,
            client_id: field(|a| &a.client_id),
            client_secret: field(|a| &a.client_secret),
            access_token: field(|a| &a.access_token),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error(transparent)]
    Seed(#[from] SeedError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Seeds the demo store unless any store exists. Returns the credentials when it seeded.
pub async fn seed_if_empty(domain: &Domain) -> Result<Option<DemoCredentials>, DemoError> {
    let (seed, assets) = Seed::demo()?;
    let seeded = seed_if_empty_with(domain, &[seed], &assets).await?;
    Ok(seeded.first().map(DemoCredentials::of))
}

/// Seeds `seeds` (a single one at its hash, `demo` when it names none) unless any store
/// exists. Every seed is checked and its images read before the first is written; if one
/// fails half way, the stores this call made are removed: the database is as empty as before.
pub async fn seed_if_empty_with(
    domain: &Domain,
    seeds: &[Seed],
    assets: &Assets,
) -> Result<Vec<Seeded>, DemoError> {
    if !domain.store().list_stores().await?.is_empty() {
        return Ok(Vec::new());
    }
    for seed in seeds {
        seed::prepare(seed, assets)?;
    }
    let mut made: Vec<Seeded> = Vec::new();
    for seed in seeds {
        let hash = seed.store.hash.as_deref().unwrap_or(DEMO_HASH);
        let result = match seed::apply(domain, seed, assets, hash).await {
            // Development mode's reset returns the store to the state it was seeded with.
            Ok(s) => super::dev_state::keep_as_seed(domain, &s.store)
                .await
                .map(|_| s)
                .map_err(DemoError::from),
            Err(e) => Err(e.into()),
        };
        match result {
            Ok(s) => made.push(s),
            Err(e) => {
                for s in &made {
                    let _ = domain.store().delete_store(s.store.id).await;
                    domain.forget_storefront(&s.store.hash);
                }
                return Err(e);
            }
        }
    }
    Ok(made)
}
