//! Orders: placed once per cart, with their lines priced as they were placed.

use crate::coupons::{use_coupon, PlacedCoupon};
use crate::order_details::{insert_order_address, OrderAddress};
use crate::{get, Cart, Result, Store, StoreError};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Order {
    pub id: i64,
    pub store_id: i64,
    pub channel_id: i64,
    pub customer_id: Option<i64>,
    pub cart_id: String,
    pub status: String,
    /// At list prices, before the shopper's discount; `total_cents` is what the order costs.
    pub base_cents: i64,
    /// What shipping cost; included in `total_cents`.
    pub shipping_cents: i64,
    /// The coupon the order was placed with, and what it took off `total_cents`.
    pub coupon_code: Option<String>,
    pub coupon_cents: i64,
    /// The tax charged (included in `total_cents`), the provider that quoted it, and whether
    /// the provider took the commit (`committed`, `failed`; `None` without a provider).
    pub tax_cents: i64,
    pub tax_provider_id: Option<String>,
    pub tax_commit: Option<String>,
    pub total_cents: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

/// One line of an order, priced when the order was placed.
pub struct OrderLine<'a> {
    pub product_id: i64,
    pub name: &'a str,
    pub quantity: i64,
    /// The list price per unit, and what the shopper paid per unit.
    pub list_cents: i64,
    pub unit_cents: i64,
    /// As on the cart line (JSON).
    pub selected_options: &'a str,
}

/// What placing an order writes: its lines, its totals and the addresses as they are now.
pub struct NewOrder<'a> {
    /// The cart's version the order was priced at: a cart changed since is not ordered.
    pub cart_version: i64,
    pub lines: &'a [OrderLine<'a>],
    pub base_cents: i64,
    /// What shipping costs; included in `total_cents`.
    pub shipping_cents: i64,
    /// The coupon applied, its use counted as the order is placed; taken off `total_cents`.
    pub coupon: Option<PlacedCoupon<'a>>,
    /// The tax quoted, and by which provider; included in `total_cents`.
    pub tax_cents: i64,
    pub tax_provider_id: Option<&'a str>,
    pub total_cents: i64,
    pub billing: Option<&'a OrderAddress>,
    pub shipping: Option<&'a OrderAddress>,
}

/// A line of a placed order, as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlacedLine {
    pub id: i64,
    pub product_id: i64,
    pub name: String,
    pub quantity: i64,
    pub list_cents: i64,
    pub unit_cents: i64,
    pub selected_options: String,
}

const ORDER_COLS: &str =
    "id, store_id, channel_id, customer_id, cart_id, status, base_cents, shipping_cents, coupon_code, coupon_cents, tax_cents, tax_provider_id, tax_commit, total_cents, created_at, updated_at";

fn order_from(row: &sqlx::any::AnyRow) -> Result<Order> {
    Ok(Order {
        id: get(row, "id")?,
        store_id: get(row, "store_id")?,
        channel_id: get(row, "channel_id")?,
        customer_id: get(row, "customer_id")?,
        cart_id: get(row, "cart_id")?,
        status: get(row, "status")?,
        base_cents: get(row, "base_cents")?,
        shipping_cents: get(row, "shipping_cents")?,
        coupon_code: get(row, "coupon_code")?,
        coupon_cents: get(row, "coupon_cents")?,
        tax_cents: get(row, "tax_cents")?,
        tax_provider_id: get(row, "tax_provider_id")?,
        tax_commit: get(row, "tax_commit")?,
        total_cents: get(row, "total_cents")?,
        created_at: get(row, "created_at")?,
        updated_at: get(row, "updated_at")?,
    })
}

impl Store {
    /// Places the order for a cart: exactly once per cart, only while the cart is at
    /// `cart_version`, and with a coupon only while it has uses left (each refusal is a
    /// Conflict, and nothing is written).
    pub async fn place_order(&self, cart: &Cart, new: NewOrder<'_>, now: i64) -> Result<Order> {
        let mut tx = self.pool().begin().await?;
        let current = sqlx::query(
            "UPDATE carts SET version = version + 1, updated_at = $1 WHERE id = $2 AND version = $3",
        )
        .bind(now)
        .bind(&cart.id)
        .bind(new.cart_version)
        .execute(&mut *tx)
        .await?;
        if current.rows_affected() != 1 {
            return Err(StoreError::Conflict("the cart changed".into()));
        }
        let row = sqlx::query(&format!(
            "INSERT INTO orders (store_id, channel_id, customer_id, cart_id, status, base_cents, shipping_cents, coupon_code, coupon_cents, tax_cents, tax_provider_id, total_cents, created_at, updated_at) VALUES ($1, $2, $3, $4, 'INCOMPLETE', $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING {ORDER_COLS}"
        ))
        .bind(cart.store_id)
        .bind(cart.channel_id)
        .bind(cart.customer_id)
        .bind(&cart.id)
        .bind(new.base_cents)
        .bind(new.shipping_cents)
        .bind(new.coupon.as_ref().map(|c| c.code))
        .bind(new.coupon.as_ref().map_or(0, |c| c.cents))
        .bind(new.tax_cents)
        .bind(new.tax_provider_id)
        .bind(new.total_cents)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        let order = order_from(&row)?;
        if let Some(c) = &new.coupon {
            if !use_coupon(&mut tx, c.id).await? {
                return Err(StoreError::Conflict("the coupon is used up".into()));
            }
        }
        for l in new.lines {
            sqlx::query("INSERT INTO order_lines (order_id, product_id, name, quantity, list_cents, unit_cents, selected_options) VALUES ($1, $2, $3, $4, $5, $6, $7)")
                .bind(order.id)
                .bind(l.product_id)
                .bind(l.name)
                .bind(l.quantity)
                .bind(l.list_cents)
                .bind(l.unit_cents)
                .bind(l.selected_options)
                .execute(&mut *tx)
                .await?;
        }
        for (kind, address) in [("billing", new.billing), ("shipping", new.shipping)] {
            if let Some(a) = address {
                insert_order_address(&mut tx, order.id, kind, a).await?;
            }
        }
        tx.commit().await?;
        Ok(order)
    }

    /// An order's lines, in the order they were placed.
    pub async fn order_lines(&self, order_id: i64) -> Result<Vec<PlacedLine>> {
        sqlx::query("SELECT seq, product_id, name, quantity, list_cents, unit_cents, selected_options FROM order_lines WHERE order_id = $1 ORDER BY seq")
            .bind(order_id)
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(|r| {
                Ok(PlacedLine {
                    id: get(r, "seq")?,
                    product_id: get(r, "product_id")?,
                    name: get(r, "name")?,
                    quantity: get(r, "quantity")?,
                    list_cents: get(r, "list_cents")?,
                    unit_cents: get(r, "unit_cents")?,
                    selected_options: get(r, "selected_options")?,
                })
            })
            .collect()
    }

    pub async fn order(&self, store_id: i64, id: i64) -> Result<Option<Order>> {
        let row = sqlx::query(&format!(
            "SELECT {ORDER_COLS} FROM orders WHERE store_id = $1 AND id = $2"
        ))
        .bind(store_id)
        .bind(id)
        .fetch_optional(self.pool())
        .await?;
        row.as_ref().map(order_from).transpose()
    }

    pub async fn order_for_cart(&self, cart_id: &str) -> Result<Option<Order>> {
        let row = sqlx::query(&format!(
            "SELECT {ORDER_COLS} FROM orders WHERE cart_id = $1"
        ))
        .bind(cart_id)
        .fetch_optional(self.pool())
        .await?;
        row.as_ref().map(order_from).transpose()
    }

    pub async fn customer_orders(&self, store_id: i64, customer_id: i64) -> Result<Vec<Order>> {
        let rows = sqlx::query(&format!(
            "SELECT {ORDER_COLS} FROM orders WHERE store_id = $1 AND customer_id = $2 ORDER BY id"
        ))
        .bind(store_id)
        .bind(customer_id)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(order_from).collect()
    }
}
