//! Customer sign-ins: browser sessions (`SHOP_TOKEN`) and customer access tokens, both stored
//! only as digests; the failed-login and registration throttles; single-use Customer Login JWT ids.

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

/// The outcome of `reserve_attempt`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reservation {
    /// The attempt may go ahead; it counts in the window that started then.
    Reserved { window_start: i64 },
    /// The window is full.
    Refused { retry_after_secs: i64 },
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
        // A synced sign-in ends when its source does.
        let row = sqlx::query(
            "SELECT s.digest, s.store_id, s.channel_id, s.customer_id, s.created_at, s.expires_at,
                    COALESCE(s.ended_at, src.ended_at) AS ended_at
             FROM customer_sessions s LEFT JOIN customer_sessions src ON src.digest = s.source_digest
             WHERE s.digest = $1 AND s.kind = $2",
        )
        .bind(digest)
        .bind(kind.as_str())
        .fetch_optional(self.pool())
        .await?;
        row.as_ref().map(session_from).transpose()
    }

    /// Starts a session cookie that carries the live sign-in `source` into a browser (the
    /// hosted checkout's session sync): no other sign-in ends, the new one expires no later
    /// than its source, and it ends when its source does (logout, or a sign-in elsewhere).
    /// Returns the new session's expiry, or `None` when the source is no longer live (or is
    /// not this customer's in this store) and nothing was written. A source that ends at any
    /// time after ends this one too: `session` reads the source's end with it.
    pub async fn start_synced_session(
        &self,
        new: NewSession<'_>,
        source: &str,
        now: i64,
    ) -> Result<Option<i64>> {
        let row = sqlx::query(
            "INSERT INTO customer_sessions (digest, store_id, channel_id, customer_id, kind, created_at, expires_at, source_digest)
             SELECT $1, src.store_id, $2, src.customer_id, $3, $4,
                    CASE WHEN src.expires_at < $5 THEN src.expires_at ELSE $5 END,
                    COALESCE(src.source_digest, src.digest)
             FROM customer_sessions src
             WHERE src.digest = $6 AND src.store_id = $7 AND src.customer_id = $8
               AND src.ended_at IS NULL AND src.expires_at > $4
             RETURNING expires_at",
        )
        .bind(new.digest)
        .bind(new.channel_id)
        .bind(new.kind.as_str())
        .bind(now)
        .bind(new.expires_at)
        .bind(source)
        .bind(new.store_id)
        .bind(new.customer_id)
        .fetch_optional(self.pool())
        .await?;
        row.map(|r| get(&r, "expires_at")).transpose()
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

    /// Reserves one attempt for `subject` (an email, a client IP…) in its current window,
    /// before the attempt is made: one conditional upsert, so concurrent attempts cannot all
    /// see room and all go ahead (PostgreSQL locks the row; SQLite serializes writers). A
    /// window starts with the first attempt after the previous one ended.
    pub async fn reserve_attempt(
        &self,
        store_id: i64,
        subject: &str,
        now: i64,
        window: i64,
        max: i64,
    ) -> Result<Reservation> {
        let expired = now.saturating_sub(window);
        let row = sqlx::query(
            "INSERT INTO login_attempts (store_id, subject, window_start, attempts) VALUES ($1, $2, $3, 1)
             ON CONFLICT (store_id, subject) DO UPDATE SET
               attempts = CASE WHEN login_attempts.window_start <= $4 THEN 1 ELSE login_attempts.attempts + 1 END,
               window_start = CASE WHEN login_attempts.window_start <= $4 THEN $3 ELSE login_attempts.window_start END
             WHERE login_attempts.window_start <= $4 OR login_attempts.attempts < $5
             RETURNING window_start",
        )
        .bind(store_id)
        .bind(subject)
        .bind(now)
        .bind(expired)
        .bind(max)
        .fetch_optional(self.pool())
        .await?;
        if let Some(row) = row {
            return Ok(Reservation::Reserved {
                window_start: get(&row, "window_start")?,
            });
        }
        let start: Option<i64> = sqlx::query_scalar(
            "SELECT window_start FROM login_attempts WHERE store_id = $1 AND subject = $2",
        )
        .bind(store_id)
        .bind(subject)
        .fetch_optional(self.pool())
        .await?;
        let ends = start.unwrap_or(now).saturating_add(window);
        Ok(Reservation::Refused {
            retry_after_secs: ends.saturating_sub(now).max(1),
        })
    }

    /// Gives back an attempt reserved in the window that started at `window_start` (an attempt
    /// that turned out not to count, such as a successful sign-in).
    pub async fn release_attempt(
        &self,
        store_id: i64,
        subject: &str,
        window_start: i64,
    ) -> Result<()> {
        sqlx::query("UPDATE login_attempts SET attempts = attempts - 1 WHERE store_id = $1 AND subject = $2 AND window_start = $3 AND attempts > 0")
            .bind(store_id)
            .bind(subject)
            .bind(window_start)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Forgets every attempt of `subject` (a successful sign-in clears its email's failures).
    pub async fn clear_attempts(&self, store_id: i64, subject: &str) -> Result<()> {
        sqlx::query("DELETE FROM login_attempts WHERE store_id = $1 AND subject = $2")
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
