//! Carts, their line items and the orders placed from them (SPEC §5.6). A cart belongs to a
//! customer, to a guest storefront session, or to whoever knows its id (a headless guest cart).

use crate::{get, Result, Store};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cart {
    pub id: String,
    pub store_id: i64,
    pub channel_id: i64,
    pub customer_id: Option<i64>,
    pub session_digest: Option<String>,
    pub version: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CartItem {
    pub id: String,
    pub cart_id: String,
    pub product_id: i64,
    pub variant_id: Option<i64>,
    pub quantity: i64,
    /// The options the shopper chose, as the domain encodes them (JSON; `[]` for none).
    pub selected_options: String,
}

/// A line to add: (new item id, product, variant, quantity). The id is used only when the
/// product is not in the cart yet; otherwise the quantities add up.
pub struct NewItem<'a> {
    pub id: &'a str,
    pub product_id: i64,
    pub variant_id: Option<i64>,
    pub quantity: i64,
    /// Lines merge only when their options are the same text too.
    pub selected_options: &'a str,
}

/// Who a new cart belongs to.
pub struct NewCart<'a> {
    pub id: &'a str,
    pub store_id: i64,
    pub channel_id: i64,
    pub customer_id: Option<i64>,
    pub session_digest: Option<&'a str>,
}

const CART_COLS: &str =
    "id, store_id, channel_id, customer_id, session_digest, version, created_at, updated_at";
/// Carts from which no order has been placed yet.
pub(crate) const OPEN: &str = "NOT EXISTS (SELECT 1 FROM orders o WHERE o.cart_id = carts.id)";

fn cart_from(row: &sqlx::any::AnyRow) -> Result<Cart> {
    Ok(Cart {
        id: get(row, "id")?,
        store_id: get(row, "store_id")?,
        channel_id: get(row, "channel_id")?,
        customer_id: get(row, "customer_id")?,
        session_digest: get(row, "session_digest")?,
        version: get(row, "version")?,
        created_at: get(row, "created_at")?,
        updated_at: get(row, "updated_at")?,
    })
}

async fn add_items(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    cart_id: &str,
    items: &[NewItem<'_>],
) -> Result<()> {
    for item in items {
        let merged = sqlx::query(
            "UPDATE cart_items SET quantity = quantity + $1 WHERE cart_id = $2 AND product_id = $3 AND variant_id IS NOT DISTINCT FROM $4 AND selected_options = $5",
        )
        .bind(item.quantity)
        .bind(cart_id)
        .bind(item.product_id)
        .bind(item.variant_id)
        .bind(item.selected_options)
        .execute(&mut **tx)
        .await?;
        if merged.rows_affected() == 0 {
            sqlx::query("INSERT INTO cart_items (id, cart_id, product_id, variant_id, quantity, selected_options) VALUES ($1, $2, $3, $4, $5, $6)")
                .bind(item.id)
                .bind(cart_id)
                .bind(item.product_id)
                .bind(item.variant_id)
                .bind(item.quantity)
                .bind(item.selected_options)
                .execute(&mut **tx)
                .await?;
        }
    }
    Ok(())
}

/// Moves the open cart on from `version` by one, as the first step of a change made at that
/// version: `false` when it moved on already or was ordered (the change must then write
/// nothing). Checkout changes (consignments, coupons) go through here.
pub(crate) async fn step_open_cart(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    cart_id: &str,
    version: i64,
    now: i64,
) -> Result<bool> {
    let moved = sqlx::query(&format!(
        "UPDATE carts SET version = version + 1, updated_at = $1 WHERE id = $2 AND version = $3 AND {OPEN}"
    ))
    .bind(now)
    .bind(cart_id)
    .bind(version)
    .execute(&mut **tx)
    .await?;
    Ok(moved.rows_affected() == 1)
}

async fn touch(tx: &mut sqlx::Transaction<'_, sqlx::Any>, cart_id: &str, now: i64) -> Result<()> {
    sqlx::query("UPDATE carts SET version = version + 1, updated_at = $1 WHERE id = $2")
        .bind(now)
        .bind(cart_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

impl Store {
    pub async fn create_cart(
        &self,
        new: NewCart<'_>,
        items: &[NewItem<'_>],
        now: i64,
    ) -> Result<Cart> {
        let mut tx = self.pool().begin().await?;
        let row = sqlx::query(&format!(
            "INSERT INTO carts (id, store_id, channel_id, customer_id, session_digest, version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, 1, $6, $6) RETURNING {CART_COLS}"
        ))
        .bind(new.id)
        .bind(new.store_id)
        .bind(new.channel_id)
        .bind(new.customer_id)
        .bind(new.session_digest)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        add_items(&mut tx, new.id, items).await?;
        tx.commit().await?;
        cart_from(&row)
    }

    pub async fn cart(&self, store_id: i64, id: &str) -> Result<Option<Cart>> {
        let row = sqlx::query(&format!(
            "SELECT {CART_COLS} FROM carts WHERE store_id = $1 AND id = $2"
        ))
        .bind(store_id)
        .bind(id)
        .fetch_optional(self.pool())
        .await?;
        row.as_ref().map(cart_from).transpose()
    }

    /// The customer's newest cart on this channel from which no order was placed.
    pub async fn customer_cart(
        &self,
        store_id: i64,
        channel_id: i64,
        customer_id: i64,
    ) -> Result<Option<Cart>> {
        let row = sqlx::query(&format!(
            "SELECT {CART_COLS} FROM carts WHERE store_id = $1 AND channel_id = $2 AND customer_id = $3 AND {OPEN} ORDER BY updated_at DESC, created_at DESC LIMIT 1"
        ))
        .bind(store_id)
        .bind(channel_id)
        .bind(customer_id)
        .fetch_optional(self.pool())
        .await?;
        row.as_ref().map(cart_from).transpose()
    }

    /// The open carts of a guest storefront session (REST Storefront API).
    pub async fn session_carts(&self, store_id: i64, session_digest: &str) -> Result<Vec<Cart>> {
        let rows = sqlx::query(&format!(
            "SELECT {CART_COLS} FROM carts WHERE store_id = $1 AND session_digest = $2 AND customer_id IS NULL AND {OPEN} ORDER BY created_at"
        ))
        .bind(store_id)
        .bind(session_digest)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(cart_from).collect()
    }

    pub async fn cart_items(&self, cart_id: &str) -> Result<Vec<CartItem>> {
        let rows = sqlx::query(
            "SELECT id, cart_id, product_id, variant_id, quantity, selected_options FROM cart_items WHERE cart_id = $1 ORDER BY seq",
        )
        .bind(cart_id)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(CartItem {
                    id: get(r, "id")?,
                    cart_id: get(r, "cart_id")?,
                    product_id: get(r, "product_id")?,
                    variant_id: get(r, "variant_id")?,
                    quantity: get(r, "quantity")?,
                    selected_options: get(r, "selected_options")?,
                })
            })
            .collect()
    }

    pub async fn add_cart_items(
        &self,
        cart_id: &str,
        items: &[NewItem<'_>],
        now: i64,
    ) -> Result<()> {
        let mut tx = self.pool().begin().await?;
        add_items(&mut tx, cart_id, items).await?;
        touch(&mut tx, cart_id, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Sets one line's variant, quantity and options. `Ok(None)` when the cart has no such
    /// line; `Ok(Some(false))` when `expected_version` is given and the cart has moved on
    /// (checked and bumped in one statement, so two writers cannot both pass).
    pub async fn update_cart_item(
        &self,
        cart_id: &str,
        item_id: &str,
        item: &NewItem<'_>,
        expected_version: Option<i64>,
        now: i64,
    ) -> Result<Option<bool>> {
        let mut tx = self.pool().begin().await?;
        if let Some(version) = expected_version {
            let bumped = sqlx::query(
                "UPDATE carts SET version = version + 1, updated_at = $1 WHERE id = $2 AND version = $3",
            )
            .bind(now)
            .bind(cart_id)
            .bind(version)
            .execute(&mut *tx)
            .await?;
            if bumped.rows_affected() == 0 {
                return Ok(Some(false));
            }
        } else {
            touch(&mut tx, cart_id, now).await?;
        }
        let done = sqlx::query(
            "UPDATE cart_items SET variant_id = $1, quantity = $2, selected_options = $3 WHERE cart_id = $4 AND id = $5 AND product_id = $6",
        )
        .bind(item.variant_id)
        .bind(item.quantity)
        .bind(item.selected_options)
        .bind(cart_id)
        .bind(item_id)
        .bind(item.product_id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Ok(None);
        }
        tx.commit().await?;
        Ok(Some(true))
    }

    /// Removes one line; false when the cart has no such line.
    pub async fn delete_cart_item(&self, cart_id: &str, item_id: &str, now: i64) -> Result<bool> {
        let mut tx = self.pool().begin().await?;
        let done = sqlx::query("DELETE FROM cart_items WHERE cart_id = $1 AND id = $2")
            .bind(cart_id)
            .bind(item_id)
            .execute(&mut *tx)
            .await?;
        touch(&mut tx, cart_id, now).await?;
        tx.commit().await?;
        Ok(done.rows_affected() > 0)
    }

    /// Deletes an open cart; false when it is gone or an order was placed from it.
    pub async fn delete_cart(&self, cart_id: &str) -> Result<bool> {
        let done = sqlx::query(&format!("DELETE FROM carts WHERE id = $1 AND {OPEN}"))
            .bind(cart_id)
            .execute(self.pool())
            .await?;
        Ok(done.rows_affected() > 0)
    }

    /// Gives the cart to a customer (or back to guests with `None`).
    pub async fn set_cart_customer(
        &self,
        cart_id: &str,
        customer_id: Option<i64>,
        now: i64,
    ) -> Result<()> {
        let mut tx = self.pool().begin().await?;
        sqlx::query("UPDATE carts SET customer_id = $1, session_digest = NULL WHERE id = $2")
            .bind(customer_id)
            .bind(cart_id)
            .execute(&mut *tx)
            .await?;
        touch(&mut tx, cart_id, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Moves every line of `from` into `into` (quantities of the same product add up) and
    /// deletes `from`, in one transaction.
    pub async fn merge_carts(&self, from: &str, into: &str, now: i64) -> Result<()> {
        let mut tx = self.pool().begin().await?;
        let rows = sqlx::query(
            "SELECT id, product_id, variant_id, quantity, selected_options FROM cart_items WHERE cart_id = $1 ORDER BY seq",
        )
        .bind(from)
        .fetch_all(&mut *tx)
        .await?;
        let mut moved = Vec::new();
        for r in &rows {
            moved.push((
                get::<String>(r, "id")?,
                get::<i64>(r, "product_id")?,
                get::<Option<i64>>(r, "variant_id")?,
                get::<i64>(r, "quantity")?,
                get::<String>(r, "selected_options")?,
            ));
        }
        sqlx::query("DELETE FROM carts WHERE id = $1")
            .bind(from)
            .execute(&mut *tx)
            .await?;
        let items: Vec<NewItem> = moved
            .iter()
            .map(|(id, p, v, q, o)| NewItem {
                id,
                product_id: *p,
                variant_id: *v,
                quantity: *q,
                selected_options: o,
            })
            .collect();
        add_items(&mut tx, into, &items).await?;
        touch(&mut tx, into, now).await?;
        tx.commit().await?;
        Ok(())
    }
}
