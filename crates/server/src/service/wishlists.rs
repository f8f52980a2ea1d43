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
    #[error("A wishlist name is at most 255 characters.")]
    NameTooLong,
    #[error("Delete at most 100 wishlists at once.")]
    TooManyDeleted,
    #[error("A wishlist holds at most {MAX_ITEMS} items.")]
    TooManyItems,
    #[error("Product {0} does not exist.")]
    UnknownProduct(i64),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// How many wishlists one `deleteWishlists` may name.
pub const MAX_DELETED: usize = 100;
/// The longest wishlist name kept.
pub const MAX_NAME: usize = 255;

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

/// A name as kept: trimmed, not empty, at most `MAX_NAME` characters.
fn checked_name(name: &str) -> Result<&str, WishlistError> {
    let name = name.trim();
    match name.chars().count() {
        0 => Err(WishlistError::NoName),
        n if n > MAX_NAME => Err(WishlistError::NameTooLong),
        _ => Ok(name),
    }
}

/// Renames the customer's wishlist and/or shares it; what is not given stays.
pub async fn update(
    domain: &Domain,
    store_id: i64,
    customer: &Customer,
    id: i64,
    name: Option<&str>,
    is_public: Option<bool>,
) -> Result<Wishlist, WishlistError> {
    let mut w = owned(domain, store_id, customer, id).await?;
    if let Some(name) = name {
        w.name = checked_name(name)?.to_string();
    }
    w.is_public = is_public.unwrap_or(w.is_public);
    domain.store().update_wishlist(&w).await?;
    Ok(w)
}

/// Deletes the customer's wishlists `ids`: all of them, or (when one is not theirs) none.
pub async fn delete(
    domain: &Domain,
    store_id: i64,
    customer: &Customer,
    ids: &[i64],
) -> Result<(), WishlistError> {
    if ids.len() > MAX_DELETED {
        return Err(WishlistError::TooManyDeleted);
    }
    for id in ids {
        owned(domain, store_id, customer, *id).await?;
    }
    Ok(domain
        .store()
        .delete_wishlists(store_id, customer.id, ids)
        .await?)
}

/// The public wishlist a share token names; a private one is as absent as an unknown token.
pub async fn public(
    domain: &Domain,
    store_id: i64,
    token: &str,
) -> Result<Option<Wishlist>, StoreError> {
    if token.is_empty() || token.len() > 64 {
        return Ok(None);
    }
    domain.store().public_wishlist(store_id, token).await
}

pub async fn create(
    domain: &Domain,
    store_id: i64,
    customer: &Customer,
    name: &str,
    is_public: bool,
    items: &[NewItem],
) -> Result<Wishlist, WishlistError> {
    let name = checked_name(name)?;
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
    Ok(domain
        .store()
        .create_wishlist(new, domain.now_for(store_id))
        .await?)
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
