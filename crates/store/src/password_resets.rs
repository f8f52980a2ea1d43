//! Password resets and the mail outbox: a reset is one row per customer holding the digest of
//! the link's token; the mail that carries the link is written in the same transaction, so a
//! link is never live without its mail nor mailed without being live.

use crate::{get, Result, Store};

/// A mail as kept in the outbox. `body` is as stored (sealed when a master key is configured).
#[derive(Clone)]
pub struct Mail {
    pub id: i64,
    pub store_id: i64,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub created_at: i64,
}

impl std::fmt::Debug for Mail {
    // The body may hold a live reset link.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mail")
            .field("id", &self.id)
            .field("recipient", &self.recipient)
            .field("subject", &self.subject)
            .finish_non_exhaustive()
    }
}

/// A new mail for the outbox: recipient, subject, body (already sealed if it must be).
pub struct NewMail<'a> {
    pub recipient: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
}

/// How many mails a store's outbox keeps; older ones are dropped as new ones arrive.
pub const OUTBOX_KEEP: i64 = 200;

impl Store {
    /// Starts a reset for the customer (replacing any earlier one, whose link stops working)
    /// and queues its mail, in one transaction.
    pub async fn start_password_reset(
        &self,
        (store_id, customer_id): (i64, i64),
        token_digest: &str,
        expires_at: i64,
        mail: NewMail<'_>,
        now: i64,
    ) -> Result<()> {
        let mut tx = self.pool().begin().await?;
        sqlx::query(
            "INSERT INTO password_resets (store_id, customer_id, token_digest, expires_at, created_at)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (store_id, customer_id)
             DO UPDATE SET token_digest = excluded.token_digest, expires_at = excluded.expires_at,
                           created_at = excluded.created_at",
        )
        .bind(store_id)
        .bind(customer_id)
        .bind(token_digest)
        .bind(expires_at)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO mail_outbox (store_id, recipient, subject, body, created_at)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(store_id)
        .bind(mail.recipient)
        .bind(mail.subject)
        .bind(mail.body)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        // Keep the newest OUTBOX_KEEP: one indexed probe for the boundary, then a range delete.
        sqlx::query(
            "DELETE FROM mail_outbox WHERE store_id = $1 AND id <= (
                 SELECT id FROM mail_outbox WHERE store_id = $1 ORDER BY id DESC LIMIT 1 OFFSET $2)",
        )
        .bind(store_id)
        .bind(OUTBOX_KEEP)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Whether the customer has a live reset with this token digest.
    pub async fn password_reset_live(
        &self,
        (store_id, customer_id): (i64, i64),
        token_digest: &str,
        now: i64,
    ) -> Result<bool> {
        let row = sqlx::query(
            "SELECT 1 AS live FROM password_resets
             WHERE store_id = $1 AND customer_id = $2 AND token_digest = $3 AND expires_at > $4",
        )
        .bind(store_id)
        .bind(customer_id)
        .bind(token_digest)
        .bind(now)
        .fetch_optional(self.pool())
        .await?;
        Ok(row.is_some())
    }

    /// Uses the reset: removes it and sets the new password hash, in one transaction, so a
    /// link works once even when two requests race. `false`: no live reset with this digest.
    pub async fn finish_password_reset(
        &self,
        (store_id, customer_id): (i64, i64),
        token_digest: &str,
        password_hash: &str,
        now: i64,
    ) -> Result<bool> {
        let mut tx = self.pool().begin().await?;
        let used = sqlx::query(
            "DELETE FROM password_resets
             WHERE store_id = $1 AND customer_id = $2 AND token_digest = $3 AND expires_at > $4",
        )
        .bind(store_id)
        .bind(customer_id)
        .bind(token_digest)
        .bind(now)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if used == 0 {
            return Ok(false);
        }
        let set =
            sqlx::query("UPDATE customers SET password_hash = $1 WHERE store_id = $2 AND id = $3")
                .bind(password_hash)
                .bind(store_id)
                .bind(customer_id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
        if set == 0 {
            return Ok(false);
        }
        tx.commit().await?;
        Ok(true)
    }

    /// The store's outbox, newest first, at most `limit` mails.
    pub async fn outbox(&self, store_id: i64, limit: i64) -> Result<Vec<Mail>> {
        let rows = sqlx::query(
            "SELECT id, store_id, recipient, subject, body, created_at FROM mail_outbox
             WHERE store_id = $1 ORDER BY id DESC LIMIT $2",
        )
        .bind(store_id)
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Mail {
                    id: get(r, "id")?,
                    store_id: get(r, "store_id")?,
                    recipient: get(r, "recipient")?,
                    subject: get(r, "subject")?,
                    body: get(r, "body")?,
                    created_at: get(r, "created_at")?,
                })
            })
            .collect()
    }
}
