//! The products of each store, held in memory for a second at a time: product listings are on
//! every storefront page, and a catalog changes rarely. A held catalog is indexed by id, path
//! and SKU, so looking one product up costs the same whatever the catalog's size. Catalogs over
//! 10,000 products are not held; their pages and look-ups come from the database's indexes.
//! A write through this instance drops what it holds of the store (`forget`), so the instance
//! that made a product serves it at once; other instances over the same database, and rows
//! written behind the server's back, are seen within the second.

use foldhash::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use storefront_auth_store::{Brand, Category, Product, Store, StoreContent, StoreError, WebPage};

const MAX_AGE: Duration = Duration::from_secs(1);
const MAX_PRODUCTS: i64 = 10_000;

/// A store's whole catalog, in id order, with its indexes, and what the storefront shows
/// around it (brands, categories, web pages).
#[derive(Debug, Default)]
pub struct Catalog {
    pub products: Vec<Product>,
    pub content: StoreContent,
    by_id: HashMap<i64, usize>,
    by_path: HashMap<String, usize>,
    by_sku: HashMap<String, usize>,
}

/// What a storefront path names besides a product.
#[derive(Clone, Copy, Debug)]
pub enum ContentAt<'a> {
    Category(&'a Category),
    Brand(&'a Brand),
    WebPage(&'a WebPage),
}

impl Catalog {
    pub fn new(products: Vec<Product>, content: StoreContent) -> Self {
        let mut c = Catalog {
            by_id: HashMap::default(),
            by_path: HashMap::default(),
            by_sku: HashMap::default(),
            products: Vec::new(),
            content,
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

    /// The category, brand or web page at a storefront path (stores have a few of each).
    pub fn content_at(&self, path: &str) -> Option<ContentAt<'_>> {
        let c = &self.content;
        c.categories
            .iter()
            .find(|x| x.path == path)
            .map(ContentAt::Category)
            .or_else(|| {
                c.brands
                    .iter()
                    .find(|x| x.path == path)
                    .map(ContentAt::Brand)
            })
            .or_else(|| {
                c.web_pages
                    .iter()
                    .find(|x| x.path == path && x.kind != "link")
                    .map(ContentAt::WebPage)
            })
    }

    pub fn category(&self, id: i64) -> Option<&Category> {
        self.content.categories.iter().find(|c| c.id == id)
    }

    pub fn brand(&self, id: i64) -> Option<&Brand> {
        self.content.brands.iter().find(|b| b.id == id)
    }

    /// The ids of the categories a product is in.
    /// Memberships are read sorted by product (`Store::content`), so this is a binary search:
    /// listings and facets ask it for every product, and a linear scan made a category tree
    /// cost products × memberships.
    pub fn categories_of(&self, product_id: i64) -> impl Iterator<Item = i64> + '_ {
        let all = &self.content.product_categories;
        let start = all.partition_point(|(p, _)| *p < product_id);
        all[start..]
            .iter()
            .take_while(move |(p, _)| *p == product_id)
            .map(|(_, c)| *c)
    }

    /// A category and the categories under it, at any depth.
    pub fn subtree(&self, category_id: i64) -> Vec<i64> {
        let mut ids = vec![category_id];
        let mut i = 0;
        while i < ids.len() {
            let parent = ids[i];
            ids.extend(
                self.content
                    .categories
                    .iter()
                    .filter(|c| c.parent_id == parent)
                    .map(|c| c.id),
            );
            i += 1;
        }
        ids
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
    /// Counts `forget`s: a load that began before a write (and so may have read the catalog
    /// without it) keeps what it read to itself when a `forget` came in meanwhile.
    forgets: AtomicU64,
}

impl CatalogCache {
    /// Drops what is held of the store (a product was written, or the store's state was
    /// replaced): the next read loads it.
    pub fn forget(&self, store_id: i64) {
        // Counted before the entry goes: a load that stores after this sees the count moved.
        self.forgets.fetch_add(1, Ordering::SeqCst);
        if let Ok(mut m) = self.stores.write() {
            m.remove(&store_id);
        }
    }

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
        let forgets = self.forgets.load(Ordering::SeqCst);
        let loaded = match store
            .products(store_id, 0, i64::MAX, MAX_PRODUCTS + 1, false)
            .await
        {
            Ok(rows) if rows.len() as i64 > MAX_PRODUCTS => Ok((rows, StoreContent::default())),
            Ok(rows) => store.content(store_id).await.map(|content| (rows, content)),
            Err(e) => Err(e),
        };
        match loaded {
            Ok((rows, content)) => {
                let catalog = (rows.len() as i64 <= MAX_PRODUCTS)
                    .then(|| Arc::new(Catalog::new(rows, content)));
                self.keep(store_id, catalog.clone(), forgets);
                Ok(catalog)
            }
            // The database is away: serve what we had, if anything.
            Err(e) => cached.map(|(c, _)| c).ok_or(e),
        }
    }

    /// Holds a catalog whose load began when `forgets` was counted, unless a `forget` came in
    /// since: the write it stands for may have missed the load.
    fn keep(&self, store_id: i64, catalog: Option<Arc<Catalog>>, forgets: u64) {
        if let Ok(mut m) = self.stores.write() {
            // Compared under the lock `forget` removes under: either this entry goes in
            // before the removal, or the count has moved by the time it is compared.
            if self.forgets.load(Ordering::SeqCst) == forgets {
                m.insert(store_id, (catalog, Instant::now()));
            }
        }
    }

    /// The catalog loaded less than `MAX_AGE` ago, if any (`Some(None)`: too large to hold).
    fn fresh(&self, store_id: i64) -> Option<Option<Arc<Catalog>>> {
        let stores = self.stores.read().ok()?;
        let (catalog, at) = stores.get(&store_id)?;
        (at.elapsed() < MAX_AGE).then(|| catalog.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether the cache holds exactly this catalog for the store.
    fn holds(cache: &CatalogCache, store_id: i64, catalog: &Arc<Catalog>) -> bool {
        matches!(cache.fresh(store_id), Some(Some(held)) if Arc::ptr_eq(&held, catalog))
    }

    #[test]
    fn a_load_that_a_write_overtook_is_not_held() {
        let cache = CatalogCache::default();
        let (first, second, other) = (Arc::default(), Arc::default(), Arc::default());
        // A load with nothing written meanwhile is held.
        let began = cache.forgets.load(Ordering::SeqCst);
        cache.keep(1, Some(Arc::clone(&first)), began);
        assert!(holds(&cache, 1, &first));

        // A load began, then a product was made (and the store forgotten), then the load
        // finished: what it read may lack the product, so it is not held.
        let began = cache.forgets.load(Ordering::SeqCst);
        cache.forget(1);
        cache.keep(1, Some(Arc::clone(&first)), began);
        assert!(cache.fresh(1).is_none());

        // The next load, begun after the write, is held again.
        let began = cache.forgets.load(Ordering::SeqCst);
        cache.keep(1, Some(Arc::clone(&second)), began);
        assert!(holds(&cache, 1, &second));

        // A store's forget drops only that store.
        let began = cache.forgets.load(Ordering::SeqCst);
        cache.keep(2, Some(Arc::clone(&other)), began);
        cache.forget(1);
        assert!(cache.fresh(1).is_none() && holds(&cache, 2, &other));
    }
}
