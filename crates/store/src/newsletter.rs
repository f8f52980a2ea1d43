//! A store's newsletter list: addresses keyed by their lower-cased form, with the list's size
//! kept beside it (`newsletter_counts`), so the bound is one row update, never a count.

use crate::{get, Result, Store};

impl Store {
    /// Adds an address unless it is already on the list or the list holds `limit` addresses.
    /// `Some(true)`: added; `Some(false)`: already there; `None`: the list is full. One
    /// transaction: concurrent writers of one store queue on its count row, so the bound is
    /// exact on PostgreSQL too.
    pub async fn subscribe_to_newsletter(
        &self,
        store_id: i64,
        email: &str,
        names: (&str, &str),
        limit: i64,
        now: i64,
    ) -> Result<Option<bool>> {
        let mut tx = self.pool().begin().await?;
        let added = sqlx::query(
            "INSERT INTO newsletter_subscribers (store_id, email_key, email, first_name, last_name, created_at)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (store_id, email_key) DO NOTHING",
        )
        .bind(store_id)
        .bind(email.to_lowercase())
        .bind(email)
        .bind(names.0)
        .bind(names.1)
        .bind(now)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if added == 0 {
            return Ok(Some(false));
        }
        sqlx::query(
            "INSERT INTO newsletter_counts (store_id, subscribers) VALUES ($1, 0)
             ON CONFLICT (store_id) DO NOTHING",
        )
        .bind(store_id)
        .execute(&mut *tx)
        .await?;
        let counted = sqlx::query(
            "UPDATE newsletter_counts SET subscribers = subscribers + 1
             WHERE store_id = $1 AND subscribers < $2",
        )
        .bind(store_id)
        .bind(limit)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if counted == 0 {
            return Ok(None);
        }
        tx.commit().await?;
        Ok(Some(true))
    }

    /// Takes an address off the list; `false` when it was not on it.
    pub async fn unsubscribe_from_newsletter(&self, store_id: i64, email: &str) -> Result<bool> {
        let mut tx = self.pool().begin().await?;
        let removed = sqlx::query(
            "DELETE FROM newsletter_subscribers WHERE store_id = $1 AND email_key = $2",
        )
        .bind(store_id)
        .bind(email.to_lowercase())
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if removed == 0 {
            return Ok(false);
        }
        sqlx::query(
            "UPDATE newsletter_counts SET subscribers = subscribers - 1 WHERE store_id = $1",
        )
        .bind(store_id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    pub async fn is_subscribed_to_newsletter(&self, store_id: i64, email: &str) -> Result<bool> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS n FROM newsletter_subscribers WHERE store_id = $1 AND email_key = $2",
        )
        .bind(store_id)
        .bind(email.to_lowercase())
        .fetch_one(self.pool())
        .await?;
        Ok(get::<i64>(&row, "n")? > 0)
    }
}
