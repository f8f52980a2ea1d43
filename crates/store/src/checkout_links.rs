//! Hosted checkout links (`createCartRedirectUrls`): single use, short lived, a few per cart.
//! Claiming one and starting the session it carries are each one statement, so two browsers
//! opening the same link cannot both use it, and a sign-in that ended cannot be carried on.

use crate::{get, Result, Store};

/// How many unused links a cart keeps: making another drops the oldest (a stranger with the
/// cart cannot grow the table without bound).
pub const LINKS_PER_CART: i64 = 5;

pub struct NewCheckoutLink<'a> {
    pub digest: &'a str,
    pub store_id: i64,
    pub channel_id: i64,
    pub cart_id: &'a str,
    /// The customer signed in when the link was made, and that sign-in's digest.
    pub customer_id: Option<i64>,
    pub source_digest: Option<&'a str>,
    pub expires_at: i64,
}

/// What a claimed link carries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClaimedLink {
    pub customer_id: Option<i64>,
    pub source_digest: Option<String>,
}

impl Store {
    /// Stores a link, dropping the cart's links beyond the newest `LINKS_PER_CART` (used or
    /// expired ones first, as they are the oldest or worthless).
    pub async fn insert_checkout_link(&self, new: &NewCheckoutLink<'_>, now: i64) -> Result<()> {
        let mut tx = self.pool().begin().await?;
        // The cart's row is locked first, so concurrent links of one cart are kept one after
        // another (PostgreSQL; SQLite serializes writers): without it each trimmed what it
        // saw and the cart kept more than LINKS_PER_CART.
        sqlx::query("UPDATE carts SET id = id WHERE id = $1")
            .bind(new.cart_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO checkout_links (digest, store_id, channel_id, cart_id, customer_id, source_digest, created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(new.digest)
        .bind(new.store_id)
        .bind(new.channel_id)
        .bind(new.cart_id)
        .bind(new.customer_id)
        .bind(new.source_digest)
        .bind(now)
        .bind(new.expires_at)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "DELETE FROM checkout_links WHERE cart_id = $1 AND (used_at IS NOT NULL OR expires_at <= $2 OR id NOT IN (
                SELECT id FROM checkout_links WHERE cart_id = $1 ORDER BY id DESC LIMIT $3))",
        )
        .bind(new.cart_id)
        .bind(now)
        .bind(LINKS_PER_CART)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Uses the link once: `None` when it is unknown, used, expired, or for another cart or
    /// storefront (a link for another cart is not used up by the attempt).
    pub async fn claim_checkout_link(
        &self,
        digest: &str,
        store_id: i64,
        channel_id: i64,
        cart_id: &str,
        now: i64,
    ) -> Result<Option<ClaimedLink>> {
        let row = sqlx::query(
            "UPDATE checkout_links SET used_at = $1 WHERE digest = $2 AND store_id = $3 AND channel_id = $4 AND cart_id = $5
             AND used_at IS NULL AND expires_at > $1 RETURNING customer_id, source_digest",
        )
        .bind(now)
        .bind(digest)
        .bind(store_id)
        .bind(channel_id)
        .bind(cart_id)
        .fetch_optional(self.pool())
        .await?;
        row.map(|r| {
            Ok(ClaimedLink {
                customer_id: get(&r, "customer_id")?,
                source_digest: get(&r, "source_digest")?,
            })
        })
        .transpose()
    }
}
