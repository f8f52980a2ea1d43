//! Customer sign-ins: browser sessions (`SHOP_TOKEN`) and customer access tokens, both stored
//! only as digests; the failed-login throttle; single-use Customer Login JWT ids.

use crate::{get, Result, Store, StoreError};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SessionKind {
    /// `X-Bc-Customer-Access-Token` (server-to-server).
    AccessToken,
    /// The `SHOP_TOKEN` cookie (browser).
    Cookie,
}

impl SessionKind {
    fn as_str(self) -> &'static str {
        match self {
            SessionKind::AccessToken => "cat",
            SessionKind::Cookie => "cookie",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    pub digest: String,
    pub store_id: i64,
    pub channel_id: i64,
    pub customer_id: i64,
    pub created_at: i64,
    pub expires_at: i64,
    pub ended_at: Option<i64>,
}

pub struct NewSession<'a> {
    pub digest: &'a str,
    pub store_id: i64,
    pub channel_id: i64,
    pub customer_id: i64,
    pub kind: SessionKind,
    pub expires_at: i64,
}

fn session_from(row: &sqlx::any::AnyRow) -> Result<Session> {
    Ok(Session {
        digest: get(row, "digest")?,
        store_id: get(row, "store_id")?,
        channel_id: get(row, "channel_id")?,
        customer_id: get(row, "customer_id")?,
        created_at: get(row, "created_at")?,
        expires_at: get(row, "expires_at")?,
        ended_at: get(row, "ended_at")?,
    })
}

/// How often a sign-in is retried when a concurrent one of the same customer won the race for
/// the one live sign-in (PostgreSQL; SQLite serializes writers).
const SIGN_IN_ATTEMPTS: usize = 5;

impl Store {
    /// Signs a customer in on one device: every earlier session and access token of the
    /// customer ends in the same transaction as the new one begins. A unique index allows one
    /// live sign-in per customer, so of concurrent sign-ins each ends the one before it and
    /// exactly one stays live.
    pub async fn start_session(&self, new: NewSession<'_>, now: i64) -> Result<()> {
        let mut last = None;
        for _ in 0..SIGN_IN_ATTEMPTS {
            match self.try_start_session(&new, now).await {
                Err(StoreError::Conflict(why)) => last = Some(why),
                other => return other,
            }
        }
        Err(StoreError::Conflict(last.unwrap_or_default()))
    }

    async fn try_start_session(&self, new: &NewSession<'_>, now: i64) -> Result<()> {
        let mut tx = self.pool().begin().await?;
        sqlx::query("UPDATE customer_sessions SET ended_at = $1 WHERE customer_id = $2 AND store_id = $3 AND ended_at IS NULL")
            .bind(now)
            .bind(new.customer_id)
            .bind(new.store_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO customer_sessions (digest, store_id, channel_id, customer_id, kind, created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(new.digest)
        .bind(new.store_id)
        .bind(new.channel_id)
        .bind(new.customer_id)
        .bind(new.kind.as_str())
        .bind(now)
        .bind(new.expires_at)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The sign-in with this digest, if it is of `kind`: a customer access token is never a
    /// session cookie, nor the other way round.
    pub async fn session(&self, digest: &str, kind: SessionKind) -> Result<Option<Session>> {
        let row = sqlx::query(
            "SELECT digest, store_id, channel_id, customer_id, created_at, expires_at, ended_at FROM customer_sessions WHERE digest = $1 AND kind = $2",
        )
        .bind(digest)
        .bind(kind.as_str())
        .fetch_optional(self.pool())
        .await?;
        row.as_ref().map(session_from).transpose()
    }

    /// Ends every session and access token of a customer (logout is on all devices).
    pub async fn end_customer_sessions(
        &self,
        store_id: i64,
        customer_id: i64,
        now: i64,
    ) -> Result<u64> {
        let done = sqlx::query("UPDATE customer_sessions SET ended_at = $1 WHERE customer_id = $2 AND store_id = $3 AND ended_at IS NULL")
            .bind(now)
            .bind(customer_id)
            .bind(store_id)
            .execute(self.pool())
            .await?;
        Ok(done.rows_affected())
    }

    pub async fn record_login_failure(&self, store_id: i64, subject: &str, now: i64) -> Result<()> {
        sqlx::query("INSERT INTO login_failures (store_id, subject, at) VALUES ($1, $2, $3)")
            .bind(store_id)
            .bind(subject)
            .bind(now)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Failures of `subject` at or after `since`: how many, and the oldest one's time.
    pub async fn login_failures(
        &self,
        store_id: i64,
        subject: &str,
        since: i64,
    ) -> Result<(i64, Option<i64>)> {
        let row = sqlx::query("SELECT COUNT(*) AS n, MIN(at) AS oldest FROM login_failures WHERE store_id = $1 AND subject = $2 AND at >= $3")
            .bind(store_id)
            .bind(subject)
            .bind(since)
            .fetch_one(self.pool())
            .await?;
        Ok((get(&row, "n")?, get(&row, "oldest")?))
    }

    pub async fn clear_login_failures(&self, store_id: i64, subject: &str) -> Result<()> {
        sqlx::query("DELETE FROM login_failures WHERE store_id = $1 AND subject = $2")
            .bind(store_id)
            .bind(subject)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Claims a Customer Login JWT id. The primary key makes exactly one claimant win, even
    /// across instances; a second use returns `false`.
    pub async fn claim_login_jti(
        &self,
        store_id: i64,
        issuer: &str,
        jti: &str,
        now: i64,
    ) -> Result<bool> {
        let result = sqlx::query(
            "INSERT INTO used_login_jtis (store_id, issuer, jti, used_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(store_id)
        .bind(issuer)
        .bind(jti)
        .bind(now)
        .execute(self.pool())
        .await;
        match result.map_err(StoreError::from) {
            Ok(_) => Ok(true),
            Err(StoreError::Conflict(_)) => Ok(false),
            Err(e) => Err(e),
        }
    }
}
