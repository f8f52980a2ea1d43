//! Coupons: a store's coupons, the one a checkout has applied, and their uses (counted when
//! an order is placed with one, in the placing transaction).

use crate::carts::step_open_cart;
use crate::{get, Result, Store};

/// A coupon as stored: `kind` is `percent` (amount in basis points) or `amount` (in cents);
/// `max_uses` 0 is no limit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CouponRecord {
    pub id: i64,
    pub store_id: i64,
    pub code: String,
    pub kind: String,
    pub amount: i64,
    pub max_uses: i64,
    pub uses: i64,
}

/// The coupon an order is placed with, and what it took off.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlacedCoupon<'a> {
    pub id: i64,
    pub code: &'a str,
    pub cents: i64,
}

const COLS: &str = "c.id, c.store_id, c.code, c.kind, c.amount, c.max_uses, c.uses";

fn coupon_from(r: &sqlx::any::AnyRow) -> Result<CouponRecord> {
    Ok(CouponRecord {
        id: get(r, "id")?,
        store_id: get(r, "store_id")?,
        code: get(r, "code")?,
        kind: get(r, "kind")?,
        amount: get(r, "amount")?,
        max_uses: get(r, "max_uses")?,
        uses: get(r, "uses")?,
    })
}

/// Counts a use of the coupon, unless it is used up: `false` then.
pub(crate) async fn use_coupon(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    id: i64,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE coupons SET uses = uses + 1 WHERE id = $1 AND (max_uses = 0 OR uses < max_uses)",
    )
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

impl Store {
    /// Adds a coupon unless the store has `max` already (`None`); a code the store has (in
    /// any case) is a Conflict.
    pub async fn create_coupon(
        &self,
        c: &CouponRecord,
        max: i64,
        now: i64,
    ) -> Result<Option<CouponRecord>> {
        let row = sqlx::query(
            "INSERT INTO coupons (store_id, code, code_lower, kind, amount, max_uses, uses, created_at) \
             SELECT $1, $2, $3, $4, $5, $6, 0, $7 \
             WHERE (SELECT COUNT(*) FROM coupons WHERE store_id = $1) < $8 RETURNING id",
        )
        .bind(c.store_id)
        .bind(&c.code)
        .bind(c.code.to_lowercase())
        .bind(&c.kind)
        .bind(c.amount)
        .bind(c.max_uses)
        .bind(now)
        .bind(max)
        .fetch_optional(self.pool())
        .await?;
        row.map(|r| {
            Ok(CouponRecord {
                id: get(&r, "id")?,
                uses: 0,
                ..c.clone()
            })
        })
        .transpose()
    }

    pub async fn coupons(&self, store_id: i64) -> Result<Vec<CouponRecord>> {
        sqlx::query(&format!(
            "SELECT {COLS} FROM coupons c WHERE c.store_id = $1 ORDER BY c.id"
        ))
        .bind(store_id)
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(coupon_from)
        .collect()
    }

    /// The store's coupon with this code, in any case.
    pub async fn coupon_by_code(&self, store_id: i64, code: &str) -> Result<Option<CouponRecord>> {
        let row = sqlx::query(&format!(
            "SELECT {COLS} FROM coupons c WHERE c.store_id = $1 AND c.code_lower = $2"
        ))
        .bind(store_id)
        .bind(code.to_lowercase())
        .fetch_optional(self.pool())
        .await?;
        row.as_ref().map(coupon_from).transpose()
    }

    /// Deletes a coupon; checkouts that applied it no longer have it.
    pub async fn delete_coupon(&self, store_id: i64, id: i64) -> Result<bool> {
        let done = sqlx::query("DELETE FROM coupons WHERE store_id = $1 AND id = $2")
            .bind(store_id)
            .bind(id)
            .execute(self.pool())
            .await?;
        Ok(done.rows_affected() > 0)
    }

    /// The coupon the checkout has applied, if any.
    pub async fn checkout_coupon(&self, cart_id: &str) -> Result<Option<CouponRecord>> {
        let row = sqlx::query(&format!(
            "SELECT {COLS} FROM checkout_coupons k JOIN coupons c ON c.id = k.coupon_id WHERE k.cart_id = $1"
        ))
        .bind(cart_id)
        .fetch_optional(self.pool())
        .await?;
        row.as_ref().map(coupon_from).transpose()
    }

    /// Applies a coupon to the open checkout at `version` (or removes it with `None`), as one
    /// change of its cart. `false`: the cart moved on or was ordered, and nothing changed.
    pub async fn set_checkout_coupon(
        &self,
        cart_id: &str,
        version: i64,
        coupon_id: Option<i64>,
        now: i64,
    ) -> Result<bool> {
        let mut tx = self.pool().begin().await?;
        if !step_open_cart(&mut tx, cart_id, version, now).await? {
            return Ok(false);
        }
        sqlx::query("DELETE FROM checkout_coupons WHERE cart_id = $1")
            .bind(cart_id)
            .execute(&mut *tx)
            .await?;
        if let Some(id) = coupon_id {
            sqlx::query("INSERT INTO checkout_coupons (cart_id, coupon_id) VALUES ($1, $2)")
                .bind(cart_id)
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(true)
    }
}
