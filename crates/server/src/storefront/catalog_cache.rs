//! The products of each store, held in memory for a second at a time: product listings are on
//! every storefront page, and a catalog changes rarely. Catalogs over 10,000 products are not
//! held; their pages come from the database.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use storefront_auth_store::{Product, StoreError};

use crate::state::AppState;

const MAX_AGE: Duration = Duration::from_secs(1);
const MAX_PRODUCTS: i64 = 10_000;

/// `None`: the catalog is too large to hold.
type Entry = (Option<Arc<Vec<Product>>>, Instant);

#[derive(Debug, Default)]
pub struct CatalogCache {
    stores: RwLock<HashMap<i64, Entry>>,
}

impl CatalogCache {
    /// The whole catalog in id order, or `None` when it is too large to hold.
    pub async fn products(
        &self,
        state: &AppState,
        store_id: i64,
    ) -> Result<Option<Arc<Vec<Product>>>, StoreError> {
        let cached = self
            .stores
            .read()
            .ok()
            .and_then(|m| m.get(&store_id).cloned());
        if let Some((products, at)) = &cached {
            if at.elapsed() < MAX_AGE {
                return Ok(products.clone());
            }
        }
        match state
            .store
            .products(store_id, 0, i64::MAX, MAX_PRODUCTS + 1, false)
            .await
        {
            Ok(rows) => {
                let products = (rows.len() as i64 <= MAX_PRODUCTS).then(|| Arc::new(rows));
                if let Ok(mut m) = self.stores.write() {
                    m.insert(store_id, (products.clone(), Instant::now()));
                }
                Ok(products)
            }
            // The database is away: serve what we had, if anything.
            Err(e) => cached.map(|(p, _)| p).ok_or(e),
        }
    }
}
