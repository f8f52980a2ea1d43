//! The products of each store, held in memory for a second at a time: product listings are on
//! every storefront page, and a catalog changes rarely. A held catalog is indexed by id, path
//! and SKU, so looking one product up costs the same whatever the catalog's size. Catalogs over
//! 10,000 products are not held; their pages and look-ups come from the database's indexes.

use foldhash::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use storefront_auth_store::{Product, Store, StoreError};

const MAX_AGE: Duration = Duration::from_secs(1);
const MAX_PRODUCTS: i64 = 10_000;

/// A store's whole catalog, in id order, with its indexes.
#[derive(Debug, Default)]
pub struct Catalog {
    pub products: Vec<Product>,
    by_id: HashMap<i64, usize>,
    by_path: HashMap<String, usize>,
    by_sku: HashMap<String, usize>,
}

impl Catalog {
    pub fn new(products: Vec<Product>) -> Self {
        let mut c = Catalog {
            by_id: HashMap::default(),
            by_path: HashMap::default(),
            by_sku: HashMap::default(),
            products: Vec::new(),
        };
        for (i, p) in products.iter().enumerate() {
            c.by_id.insert(p.id, i);
            // Names that make one path: the oldest product has it, as in the database.
            c.by_path.entry(p.path.clone()).or_insert(i);
            c.by_sku.insert(p.sku.clone(), i);
        }
        c.products = products;
        c
    }

    pub fn by_id(&self, id: i64) -> Option<&Product> {
        self.by_id.get(&id).map(|i| &self.products[*i])
    }

    pub fn by_path(&self, path: &str) -> Option<&Product> {
        self.by_path.get(path).map(|i| &self.products[*i])
    }

    pub fn by_sku(&self, sku: &str) -> Option<&Product> {
        self.by_sku.get(sku).map(|i| &self.products[*i])
    }
}

/// `None`: the catalog is too large to hold.
type Entry = (Option<Arc<Catalog>>, Instant);

#[derive(Debug, Default)]
pub struct CatalogCache {
    stores: RwLock<HashMap<i64, Entry>>,
    /// One load at a time per store: the fields of one document (a hundred `route` aliases,
    /// say) resolve concurrently, and without this each would read the whole catalog.
    loading: std::sync::Mutex<HashMap<i64, Arc<tokio::sync::Mutex<()>>>>,
}

impl CatalogCache {
    /// The whole catalog, or `None` when it is too large to hold.
    pub async fn products(
        &self,
        store: &Store,
        store_id: i64,
    ) -> Result<Option<Arc<Catalog>>, StoreError> {
        if let Some(fresh) = self.fresh(store_id) {
            return Ok(fresh);
        }
        let lock = {
            let mut loading = self.loading.lock().unwrap_or_else(|p| p.into_inner());
            loading.entry(store_id).or_default().clone()
        };
        let _loading = lock.lock().await;
        // Another request may have loaded it while this one waited.
        if let Some(fresh) = self.fresh(store_id) {
            return Ok(fresh);
        }
        let cached = self
            .stores
            .read()
            .ok()
            .and_then(|m| m.get(&store_id).cloned());
        match store
            .products(store_id, 0, i64::MAX, MAX_PRODUCTS + 1, false)
            .await
        {
            Ok(rows) => {
                let catalog =
                    (rows.len() as i64 <= MAX_PRODUCTS).then(|| Arc::new(Catalog::new(rows)));
                if let Ok(mut m) = self.stores.write() {
                    m.insert(store_id, (catalog.clone(), Instant::now()));
                }
                Ok(catalog)
            }
            // The database is away: serve what we had, if anything.
            Err(e) => cached.map(|(c, _)| c).ok_or(e),
        }
    }

    /// The catalog loaded less than `MAX_AGE` ago, if any (`Some(None)`: too large to hold).
    fn fresh(&self, store_id: i64) -> Option<Option<Arc<Catalog>>> {
        let stores = self.stores.read().ok()?;
        let (catalog, at) = stores.get(&store_id)?;
        (at.elapsed() < MAX_AGE).then(|| catalog.clone())
    }
}
