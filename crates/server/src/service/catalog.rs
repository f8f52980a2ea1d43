//! The catalog as every surface reads it: from the held copy when the store's catalog is small
//! enough to hold (see `caches::catalog`), else from the database's indexes.

use std::sync::Arc;

use storefront_auth_store::{NewProduct, Product, StoreError};

pub use super::caches::catalog::{Catalog, ContentAt};
use super::Domain;

/// The store's whole catalog when it is held (`None`: too large to hold).
pub async fn held(domain: &Domain, store_id: i64) -> Result<Option<Arc<Catalog>>, StoreError> {
    domain.0.catalog.products(domain.store(), store_id).await
}

/// The store's brands, categories and web pages: from the held catalog, or (for a catalog too
/// large to hold) read from the database each time.
pub async fn content(domain: &Domain, store_id: i64) -> Result<Arc<Catalog>, StoreError> {
    match held(domain, store_id).await? {
        Some(c) => Ok(c),
        None => Ok(Arc::new(Catalog::new(
            Vec::new(),
            domain.store().content(store_id).await?,
        ))),
    }
}

pub async fn product(
    domain: &Domain,
    store_id: i64,
    id: i64,
) -> Result<Option<Product>, StoreError> {
    match held(domain, store_id).await? {
        Some(c) => Ok(c.by_id(id).cloned()),
        None => domain.store().product(store_id, id).await,
    }
}

pub async fn product_by_sku(
    domain: &Domain,
    store_id: i64,
    sku: &str,
) -> Result<Option<Product>, StoreError> {
    match held(domain, store_id).await? {
        Some(c) => Ok(c.by_sku(sku).cloned()),
        None => domain.store().product_by_sku(store_id, sku).await,
    }
}

/// The product at a storefront path (`site.route`, product pages).
pub async fn product_at(
    domain: &Domain,
    store_id: i64,
    path: &str,
) -> Result<Option<Product>, StoreError> {
    match held(domain, store_id).await? {
        Some(c) => Ok(c.by_path(path).cloned()),
        None => domain.store().product_by_path(store_id, path).await,
    }
}

/// Products with `after < id < before`, `limit` of them from the start (or the end), from the
/// database: for catalogs too large to hold and for the management API.
pub async fn page(
    domain: &Domain,
    store_id: i64,
    after: i64,
    before: i64,
    limit: i64,
    from_end: bool,
) -> Result<Vec<Product>, StoreError> {
    domain
        .store()
        .products(store_id, after, before, limit, from_end)
        .await
}

/// How many of the newest products a catalog too large to hold lists (`site.newestProducts`).
pub const LISTING_SCAN: i64 = 500;

/// The featured products of a catalog too large to hold, by id (at most `LISTING_SCAN`).
pub async fn featured(domain: &Domain, store_id: i64) -> Result<Vec<Product>, StoreError> {
    domain
        .store()
        .featured_products(store_id, LISTING_SCAN)
        .await
}

pub async fn count(domain: &Domain, store_id: i64) -> Result<i64, StoreError> {
    domain.store().count_products(store_id).await
}

#[derive(Debug, thiserror::Error)]
pub enum ProductError {
    #[error("a product with this sku already exists")]
    SkuInUse,
    #[error(transparent)]
    Store(StoreError),
}

/// Adds a product; its storefront path comes from its name. This instance serves it from the
/// next request on (the held catalog is dropped); others within the held catalog's second.
pub async fn create(domain: &Domain, new: NewProduct<'_>) -> Result<Product, ProductError> {
    let now = domain.now_for(new.store_id);
    let store_id = new.store_id;
    match domain.store().create_product(new, now).await {
        Ok(p) => {
            domain.0.catalog.forget(store_id);
            Ok(p)
        }
        Err(StoreError::Conflict(_)) => Err(ProductError::SkuInUse),
        Err(e) => Err(ProductError::Store(e)),
    }
}
