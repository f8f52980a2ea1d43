//! Payment access tokens and payments (SPEC §7). A PAT is recorded when issued and claimed by
//! one conditional UPDATE when used, so two instances can never both accept it; the claim, the
//! payment row and the order's new status commit together.

use crate::{get, Result, Store};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PaymentAccessToken {
    pub jti: String,
    pub store_id: i64,
    pub order_id: i64,
    pub amount_cents: i64,
    pub issued_at: i64,
    pub expires_at: i64,
}

/// Why a payment was not taken.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PaymentRefused {
    /// Unknown, expired, already used, or not for this store or amount.
    Token,
    /// The order no longer awaits payment.
    Order,
}

/// What the payment did, as recorded.
pub struct NewPayment<'a> {
    pub id: &'a str,
    pub store_id: i64,
    pub jti: &'a str,
    /// The amount the token was issued for; must still be the order's total.
    pub amount_cents: i64,
    pub approved: bool,
    /// The method the client named, and the card's brand and last four digits (never its
    /// number).
    pub method_id: &'a str,
    pub card_brand: &'a str,
    pub card_last4: &'a str,
}

impl Store {
    /// A named server-wide secret, created on first use. Concurrent first uses agree on one.
    pub async fn server_secret(&self, name: &str, candidate: &str, now: i64) -> Result<String> {
        sqlx::query("INSERT INTO server_secrets (name, value, created_at) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING")
            .bind(name)
            .bind(candidate)
            .bind(now)
            .execute(self.pool())
            .await?;
        let row = sqlx::query("SELECT value FROM server_secrets WHERE name = $1")
            .bind(name)
            .fetch_one(self.pool())
            .await?;
        get(&row, "value")
    }

    /// Replaces a named secret's stored form (sealing a plain one), if it is still `was`.
    pub async fn replace_server_secret(&self, name: &str, was: &str, sealed: &str) -> Result<()> {
        sqlx::query("UPDATE server_secrets SET value = $1 WHERE name = $2 AND value = $3")
            .bind(sealed)
            .bind(name)
            .bind(was)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// How many payments of an order succeeded (at most one, by a unique index).
    pub async fn successful_payments(&self, order_id: i64) -> Result<i64> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM payments WHERE order_id = $1 AND status = 'success'",
        )
        .bind(order_id)
        .fetch_one(self.pool())
        .await?;
        Ok(n)
    }

    /// A named server-wide value, if set.
    pub async fn server_value(&self, name: &str) -> Result<Option<String>> {
        let row = sqlx::query("SELECT value FROM server_secrets WHERE name = $1")
            .bind(name)
            .fetch_optional(self.pool())
            .await?;
        row.as_ref().map(|r| get(r, "value")).transpose()
    }

    pub async fn insert_payment_access_token(&self, t: &PaymentAccessToken) -> Result<()> {
        sqlx::query("INSERT INTO payment_access_tokens (jti, store_id, order_id, amount_cents, issued_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(&t.jti)
            .bind(t.store_id)
            .bind(t.order_id)
            .bind(t.amount_cents)
            .bind(t.issued_at)
            .bind(t.expires_at)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Uses the token once and records the payment; an approved payment moves the order from
    /// `INCOMPLETE` to `AWAITING_FULFILLMENT`. A declined payment uses the token up too.
    /// Returns the order id. Exactly one payment succeeds per order, whatever tokens are used
    /// concurrently: the order moves by one conditional `UPDATE` (which takes the row's lock on
    /// PostgreSQL, so a concurrent second one finds it paid), and a unique index allows one
    /// successful payment per order.
    pub async fn take_payment(
        &self,
        p: NewPayment<'_>,
        now: i64,
    ) -> Result<std::result::Result<i64, PaymentRefused>> {
        let mut tx = self.pool().begin().await?;
        let claimed = sqlx::query(
            "UPDATE payment_access_tokens SET used_at = $1 WHERE jti = $2 AND store_id = $3 AND amount_cents = $4 AND used_at IS NULL AND expires_at > $1 RETURNING order_id",
        )
        .bind(now)
        .bind(p.jti)
        .bind(p.store_id)
        .bind(p.amount_cents)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = claimed else {
            return Ok(Err(PaymentRefused::Token));
        };
        let order_id: i64 = get(&row, "order_id")?;
        let payable = order_payable(&mut tx, &p, order_id, now).await?;
        if !payable {
            // Keep the token used: it was presented for an order it can no longer pay.
            tx.commit().await?;
            return Ok(Err(PaymentRefused::Order));
        }
        let outcome = if p.approved { "success" } else { "declined" };
        sqlx::query("INSERT INTO payments (id, store_id, order_id, pat_jti, status, amount_cents, created_at, method_id, card_brand, card_last4) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)")
            .bind(p.id)
            .bind(p.store_id)
            .bind(order_id)
            .bind(p.jti)
            .bind(outcome)
            .bind(p.amount_cents)
            .bind(now)
            .bind(p.method_id)
            .bind(p.card_brand)
            .bind(p.card_last4)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(Ok(order_id))
    }
}

/// Moves an approved payment's order to `AWAITING_FULFILLMENT`, or for a declined one checks
/// that the order still awaits this amount. `false`: the order cannot be paid (any more).
async fn order_payable(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    p: &NewPayment<'_>,
    order_id: i64,
    now: i64,
) -> Result<bool> {
    if p.approved {
        let moved = sqlx::query(
            "UPDATE orders SET status = 'AWAITING_FULFILLMENT', updated_at = $1
             WHERE id = $2 AND store_id = $3 AND status = 'INCOMPLETE' AND total_cents = $4",
        )
        .bind(now)
        .bind(order_id)
        .bind(p.store_id)
        .bind(p.amount_cents)
        .execute(&mut **tx)
        .await?;
        return Ok(moved.rows_affected() == 1);
    }
    Ok(sqlx::query(
        "SELECT id FROM orders WHERE id = $1 AND store_id = $2 AND status = 'INCOMPLETE' AND total_cents = $3",
    )
    .bind(order_id)
    .bind(p.store_id)
    .bind(p.amount_cents)
    .fetch_optional(&mut **tx)
    .await?
    .is_some())
}
