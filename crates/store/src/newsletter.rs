//! A store's newsletter list: addresses keyed by their lower-cased form.

use crate::{get, Result, Store};

impl Store {
    /// Adds an address unless it is already on the list or the list holds `limit` addresses
    /// (both decided in the one statement). `Some(true)`: added; `Some(false)`: already there;
    /// `None`: the list is full.
    pub async fn subscribe_to_newsletter(
        &self,
        store_id: i64,
        email: &str,
        names: (&str, &str),
        limit: i64,
        now: i64,
    ) -> Result<Option<bool>> {
        let key = email.to_lowercase();
        let added = sqlx::query(
            "INSERT INTO newsletter_subscribers (store_id, email_key, email, first_name, last_name, created_at)
             SELECT $1, $2, $3, $4, $5, $6
             WHERE (SELECT COUNT(*) FROM newsletter_subscribers WHERE store_id = $1) < $7
             ON CONFLICT (store_id, email_key) DO NOTHING",
        )
        .bind(store_id)
        .bind(&key)
        .bind(email)
        .bind(names.0)
        .bind(names.1)
        .bind(now)
        .bind(limit)
        .execute(self.pool())
        .await?
        .rows_affected();
        if added == 1 {
            return Ok(Some(true));
        }
        Ok(self
            .is_subscribed_to_newsletter(store_id, email)
            .await?
            .then_some(false))
    }

    /// Takes an address off the list; `false` when it was not on it.
    pub async fn unsubscribe_from_newsletter(&self, store_id: i64, email: &str) -> Result<bool> {
        let removed = sqlx::query(
            "DELETE FROM newsletter_subscribers WHERE store_id = $1 AND email_key = $2",
        )
        .bind(store_id)
        .bind(email.to_lowercase())
        .execute(self.pool())
        .await?
        .rows_affected();
        Ok(removed > 0)
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
