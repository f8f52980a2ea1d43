//! Wishlists: a customer's own lists of products (the storefront `wishlist` mutations). Only
//! the owner sees or changes one; anyone else is told it does not exist.

use storefront_auth_store::{Customer, NewWishlist, StoreError, Wishlist, WishlistItem};

use super::{catalog, Domain};

/// How many items one wishlist may hold (its items are paged, 50 at most per page).
pub const MAX_ITEMS: usize = 500;

#[derive(Debug, thiserror::Error)]
pub enum WishlistError {
    #[error("Wishlist {0} not found.")]
    NotFound(i64),
    #[error("A wishlist needs a name.")]
    NoName,
    #[error("A wishlist holds at most {MAX_ITEMS} items.")]
    TooManyItems,
    #[error("Product {0} does not exist.")]
    UnknownProduct(i64),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// An item to add: a product and, optionally, its variant.
pub type NewItem = (i64, Option<i64>);

/// The customer's own wishlist.
pub async fn owned(
    domain: &Domain,
    store_id: i64,
    customer: &Customer,
    id: i64,
) -> Result<Wishlist, WishlistError> {
    domain
        .store()
        .wishlist(store_id, id)
        .await?
        .filter(|w| w.customer_id == Some(customer.id))
        .ok_or(WishlistError::NotFound(id))
}

/// The customer's wishlists.
pub async fn of_customer(
    domain: &Domain,
    store_id: i64,
    customer_id: i64,
) -> Result<Vec<Wishlist>, StoreError> {
    domain
        .store()
        .customer_wishlists(store_id, customer_id)
        .await
}

/// A wishlist's items, oldest first (their products: `catalog::product`).
pub async fn items(domain: &Domain, wishlist: &Wishlist) -> Result<Vec<WishlistItem>, StoreError> {
    domain.store().wishlist_items(wishlist.id).await
}

/// Real products, and no more than `MAX_ITEMS` with the `existing` ones.
async fn check_items(
    domain: &Domain,
    store_id: i64,
    items: &[NewItem],
    existing: usize,
) -> Result<(), WishlistError> {
    if existing.saturating_add(items.len()) > MAX_ITEMS {
        return Err(WishlistError::TooManyItems);
    }
    for (product_id, _) in items {
        if catalog::product(domain, store_id, *product_id)
            .await?
            .is_none()
        {
            return Err(WishlistError::UnknownProduct(*product_id));
        }
    }
    Ok(())
}

pub async fn create(
    domain: &Domain,
    store_id: i64,
    customer: &Customer,
    name: &str,
    is_public: bool,
    items: &[NewItem],
) -> Result<Wishlist, WishlistError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(WishlistError::NoName);
    }
    check_items(domain, store_id, items, 0).await?;
    let token = storefront_auth_core::secret::random_hex(16);
    let new = NewWishlist {
        store_id,
        customer_id: Some(customer.id),
        name,
        is_public,
        token: &token,
        items,
    };
    Ok(domain.store().create_wishlist(new, domain.now()).await?)
}

pub async fn add_items(
    domain: &Domain,
    store_id: i64,
    customer: &Customer,
    id: i64,
    items: &[NewItem],
) -> Result<Wishlist, WishlistError> {
    let w = owned(domain, store_id, customer, id).await?;
    let existing = domain.store().wishlist_items(w.id).await?.len();
    check_items(domain, store_id, items, existing).await?;
    domain.store().add_wishlist_items(w.id, items).await?;
    Ok(w)
}

pub async fn delete_items(
    domain: &Domain,
    store_id: i64,
    customer: &Customer,
    id: i64,
    item_ids: &[i64],
) -> Result<Wishlist, WishlistError> {
    let w = owned(domain, store_id, customer, id).await?;
    domain.store().delete_wishlist_items(w.id, item_ids).await?;
    Ok(w)
}
