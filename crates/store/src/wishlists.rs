//! Wishlists and their items; a customer's wishlists belong to that customer only.

use crate::{get, Result, Store};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Wishlist {
    pub id: i64,
    pub store_id: i64,
    pub customer_id: Option<i64>,
    pub name: String,
    pub is_public: bool,
    pub token: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WishlistItem {
    pub id: i64,
    pub wishlist_id: i64,
    pub product_id: i64,
    pub variant_id: Option<i64>,
}

fn wishlist_from(row: &sqlx::any::AnyRow) -> Result<Wishlist> {
    Ok(Wishlist {
        id: get(row, "id")?,
        store_id: get(row, "store_id")?,
        customer_id: get(row, "customer_id")?,
        name: get(row, "name")?,
        is_public: get::<i64>(row, "is_public")? != 0,
        token: get(row, "token")?,
    })
}

pub struct NewWishlist<'a> {
    pub store_id: i64,
    pub customer_id: Option<i64>,
    pub name: &'a str,
    pub is_public: bool,
    pub token: &'a str,
    /// (product id, variant id)
    pub items: &'a [(i64, Option<i64>)],
}

const COLS: &str = "id, store_id, customer_id, name, is_public, token";

impl Store {
    pub async fn create_wishlist(&self, new: NewWishlist<'_>, now: i64) -> Result<Wishlist> {
        let NewWishlist {
            store_id,
            customer_id,
            name,
            is_public,
            token,
            items,
        } = new;
        let mut tx = self.pool().begin().await?;
        let row = sqlx::query(&format!(
            "INSERT INTO wishlists (store_id, customer_id, name, is_public, token, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING {COLS}"
        ))
        .bind(store_id)
        .bind(customer_id)
        .bind(name)
        .bind(is_public as i64)
        .bind(token)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        let w = wishlist_from(&row)?;
        for (product, variant) in items {
            sqlx::query("INSERT INTO wishlist_items (wishlist_id, product_id, variant_id) VALUES ($1, $2, $3)")
                .bind(w.id)
                .bind(product)
                .bind(variant)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(w)
    }

    pub async fn wishlist(&self, store_id: i64, id: i64) -> Result<Option<Wishlist>> {
        let row = sqlx::query(&format!(
            "SELECT {COLS} FROM wishlists WHERE store_id = $1 AND id = $2"
        ))
        .bind(store_id)
        .bind(id)
        .fetch_optional(self.pool())
        .await?;
        row.as_ref().map(wishlist_from).transpose()
    }

    /// The public wishlist with this share token.
    pub async fn public_wishlist(&self, store_id: i64, token: &str) -> Result<Option<Wishlist>> {
        let row = sqlx::query(&format!(
            "SELECT {COLS} FROM wishlists WHERE store_id = $1 AND token = $2 AND is_public = 1"
        ))
        .bind(store_id)
        .bind(token)
        .fetch_optional(self.pool())
        .await?;
        row.as_ref().map(wishlist_from).transpose()
    }

    /// Renames a wishlist or shares it (or stops sharing it).
    pub async fn update_wishlist(&self, w: &Wishlist) -> Result<()> {
        sqlx::query(
            "UPDATE wishlists SET name = $3, is_public = $4 WHERE store_id = $1 AND id = $2",
        )
        .bind(w.store_id)
        .bind(w.id)
        .bind(&w.name)
        .bind(w.is_public as i64)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Deletes the customer's wishlists among `ids`, with their items, in one transaction.
    pub async fn delete_wishlists(
        &self,
        store_id: i64,
        customer_id: i64,
        ids: &[i64],
    ) -> Result<()> {
        let mut tx = self.pool().begin().await?;
        for id in ids {
            sqlx::query(
                "DELETE FROM wishlist_items WHERE wishlist_id IN \
                 (SELECT id FROM wishlists WHERE store_id = $1 AND customer_id = $2 AND id = $3)",
            )
            .bind(store_id)
            .bind(customer_id)
            .bind(id)
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "DELETE FROM wishlists WHERE store_id = $1 AND customer_id = $2 AND id = $3",
            )
            .bind(store_id)
            .bind(customer_id)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    pub async fn customer_wishlists(
        &self,
        store_id: i64,
        customer_id: i64,
    ) -> Result<Vec<Wishlist>> {
        let rows = sqlx::query(&format!(
            "SELECT {COLS} FROM wishlists WHERE store_id = $1 AND customer_id = $2 ORDER BY id"
        ))
        .bind(store_id)
        .bind(customer_id)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(wishlist_from).collect()
    }

    pub async fn wishlist_items(&self, wishlist_id: i64) -> Result<Vec<WishlistItem>> {
        let rows = sqlx::query("SELECT id, wishlist_id, product_id, variant_id FROM wishlist_items WHERE wishlist_id = $1 ORDER BY id")
            .bind(wishlist_id)
            .fetch_all(self.pool())
            .await?;
        rows.iter()
            .map(|r| {
                Ok(WishlistItem {
                    id: get(r, "id")?,
                    wishlist_id: get(r, "wishlist_id")?,
                    product_id: get(r, "product_id")?,
                    variant_id: get(r, "variant_id")?,
                })
            })
            .collect()
    }

    pub async fn add_wishlist_items(
        &self,
        wishlist_id: i64,
        items: &[(i64, Option<i64>)],
    ) -> Result<()> {
        let mut tx = self.pool().begin().await?;
        for (product, variant) in items {
            sqlx::query("INSERT INTO wishlist_items (wishlist_id, product_id, variant_id) VALUES ($1, $2, $3)")
                .bind(wishlist_id)
                .bind(product)
                .bind(variant)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    pub async fn delete_wishlist_items(&self, wishlist_id: i64, item_ids: &[i64]) -> Result<()> {
        let mut tx = self.pool().begin().await?;
        for id in item_ids {
            sqlx::query("DELETE FROM wishlist_items WHERE wishlist_id = $1 AND id = $2")
                .bind(wishlist_id)
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}
