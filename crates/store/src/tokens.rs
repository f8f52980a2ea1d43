//! The issued-token registry: every token we signed, its revocation and its usage counters.

use crate::{get, json_vec, Result, Store};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IssuedToken {
    pub jti: String,
    pub store_id: i64,
    /// `storefront`, `customer_impersonation` or `private`.
    pub kind: String,
    /// Empty means every channel of the store.
    pub channels: Vec<i64>,
    pub origins: Vec<String>,
    pub scopes: Option<Vec<String>>,
    pub subject: String,
    pub sub_type: i64,
    pub issued_at: i64,
    pub expires_at: i64,
    pub revoked_at: Option<i64>,
    pub last_used_at: Option<i64>,
    pub s2s_uses: i64,
    pub browser_uses: i64,
}

const COLS: &str = "jti, store_id, kind, channels, origins, scopes, subject, sub_type, issued_at, expires_at, revoked_at, last_used_at, s2s_uses, browser_uses";

fn token_from(row: &sqlx::any::AnyRow) -> Result<IssuedToken> {
    let channels: String = get(row, "channels")?;
    let origins: String = get(row, "origins")?;
    let scopes: Option<String> = get(row, "scopes")?;
    Ok(IssuedToken {
        jti: get(row, "jti")?,
        store_id: get(row, "store_id")?,
        kind: get(row, "kind")?,
        channels: json_vec(&channels)?,
        origins: json_vec(&origins)?,
        scopes: scopes.as_deref().map(json_vec).transpose()?,
        subject: get(row, "subject")?,
        sub_type: get(row, "sub_type")?,
        issued_at: get(row, "issued_at")?,
        expires_at: get(row, "expires_at")?,
        revoked_at: get(row, "revoked_at")?,
        last_used_at: get(row, "last_used_at")?,
        s2s_uses: get(row, "s2s_uses")?,
        browser_uses: get(row, "browser_uses")?,
    })
}

fn to_json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "[]".into())
}

fn insert_query(
    t: &IssuedToken,
) -> sqlx::query::Query<'static, sqlx::Any, sqlx::any::AnyArguments<'static>> {
    sqlx::query(
        "INSERT INTO issued_tokens (jti, store_id, kind, channels, origins, scopes, subject, sub_type, issued_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(t.jti.clone())
    .bind(t.store_id)
    .bind(t.kind.clone())
    .bind(to_json(&t.channels))
    .bind(to_json(&t.origins))
    .bind(t.scopes.as_ref().map(to_json))
    .bind(t.subject.clone())
    .bind(t.sub_type)
    .bind(t.issued_at)
    .bind(t.expires_at)
}

/// The `token_origins` rows of a storefront token: one per (origin, channel), channel 0
/// standing for every channel.
fn origin_rows(t: &IssuedToken) -> Vec<(&str, i64)> {
    if t.kind != "storefront" {
        return Vec::new();
    }
    let channels: &[i64] = if t.channels.is_empty() {
        &[0]
    } else {
        &t.channels
    };
    t.origins
        .iter()
        .flat_map(|o| channels.iter().map(move |c| (o.as_str(), *c)))
        .collect()
}

async fn insert_with_origins(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    t: &IssuedToken,
) -> Result<()> {
    insert_query(t).execute(&mut **tx).await?;
    for (origin, channel) in origin_rows(t) {
        sqlx::query(
            "INSERT INTO token_origins (jti, store_id, origin, channel_id, expires_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&t.jti)
        .bind(t.store_id)
        .bind(origin)
        .bind(channel)
        .bind(t.expires_at)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

impl Store {
    /// Records a token before it is handed out, so an acknowledged token always exists here.
    pub async fn insert_token(&self, t: &IssuedToken) -> Result<()> {
        let mut tx = self.pool().begin().await?;
        insert_with_origins(&mut tx, t).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records many tokens in one transaction (bulk loads such as the benchmark's scaling run).
    pub async fn insert_tokens(&self, tokens: &[IssuedToken]) -> Result<()> {
        let mut tx = self.pool().begin().await?;
        for t in tokens {
            insert_with_origins(&mut tx, t).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    pub async fn token(&self, jti: &str) -> Result<Option<IssuedToken>> {
        let row = sqlx::query(&format!("SELECT {COLS} FROM issued_tokens WHERE jti = $1"))
            .bind(jti)
            .fetch_optional(self.pool())
            .await?;
        row.as_ref().map(token_from).transpose()
    }

    /// `Some(revoked_at)` for a known token (inner `None` while it is live), `None` if unknown.
    pub async fn token_revocation(&self, jti: &str) -> Result<Option<Option<i64>>> {
        let row = sqlx::query("SELECT revoked_at FROM issued_tokens WHERE jti = $1")
            .bind(jti)
            .fetch_optional(self.pool())
            .await?;
        row.as_ref()
            .map(|r| get::<Option<i64>>(r, "revoked_at"))
            .transpose()
    }

    /// Marks a token of `store_id` revoked. Returns false when the store has no such token.
    /// Revoking twice keeps the first revocation time.
    pub async fn revoke_token(&self, store_id: i64, jti: &str, now: i64) -> Result<bool> {
        let mut tx = self.pool().begin().await?;
        let done = sqlx::query(
            "UPDATE issued_tokens SET revoked_at = COALESCE(revoked_at, $1) WHERE jti = $2 AND store_id = $3",
        )
        .bind(now)
        .bind(jti)
        .bind(store_id)
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM token_origins WHERE jti = $1 AND store_id = $2")
            .bind(jti)
            .bind(store_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(done.rows_affected() > 0)
    }

    /// Tokens of a store, newest first, `limit` at a time after the `before` cursor (issued_at, jti).
    pub async fn tokens(
        &self,
        store_id: i64,
        limit: i64,
        before: Option<(i64, &str)>,
    ) -> Result<Vec<IssuedToken>> {
        // "~" sorts after every jti (UUIDs), so no cursor means "from the newest".
        let (at, jti) = before.unwrap_or((i64::MAX, "~"));
        let rows = sqlx::query(&format!(
            "SELECT {COLS} FROM issued_tokens WHERE store_id = $1 AND (issued_at < $2 OR (issued_at = $2 AND jti < $3))
             ORDER BY issued_at DESC, jti DESC LIMIT $4"
        ))
        .bind(store_id)
        .bind(at)
        .bind(jti)
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(token_from).collect()
    }

    pub async fn count_tokens(&self, store_id: i64) -> Result<i64> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM issued_tokens WHERE store_id = $1")
            .bind(store_id)
            .fetch_one(self.pool())
            .await?;
        Ok(n)
    }

    /// Tokens revoked at or after `since`, for the revocation catch-up of every instance.
    pub async fn revoked_since(&self, since: i64) -> Result<Vec<(String, i64)>> {
        let rows = sqlx::query("SELECT jti, revoked_at FROM issued_tokens WHERE revoked_at >= $1")
            .bind(since)
            .fetch_all(self.pool())
            .await?;
        rows.iter()
            .map(|r| Ok((get(r, "jti")?, get(r, "revoked_at")?)))
            .collect()
    }

    /// Does a live storefront token of this store allow `origin` on `channel_id`? (CORS
    /// preflight, SPEC §5.3.) One indexed look-up of the exact origin: no pattern, no case
    /// folding, whatever the store's number of tokens. `origin` should be a validated origin.
    pub async fn storefront_origin_allowed(
        &self,
        store_id: i64,
        channel_id: i64,
        origin: &str,
        now: i64,
    ) -> Result<bool> {
        let row = sqlx::query(
            "SELECT jti FROM token_origins
             WHERE store_id = $1 AND origin = $2 AND expires_at >= $3 AND (channel_id = $4 OR channel_id = 0)
             LIMIT 1",
        )
        .bind(store_id)
        .bind(origin)
        .bind(now)
        .bind(channel_id)
        .fetch_optional(self.pool())
        .await?;
        Ok(row.is_some())
    }

    /// The channel's current auto-generated storefront token: (jti, token, expires_at).
    pub async fn auto_token(
        &self,
        store_id: i64,
        channel_id: i64,
    ) -> Result<Option<(String, String, i64)>> {
        let row = sqlx::query(
            "SELECT jti, token, expires_at FROM auto_tokens WHERE store_id = $1 AND channel_id = $2",
        )
        .bind(store_id)
        .bind(channel_id)
        .fetch_optional(self.pool())
        .await?;
        row.map(|r| Ok((get(&r, "jti")?, get(&r, "token")?, get(&r, "expires_at")?)))
            .transpose()
    }

    /// Makes `token` the channel's auto-generated token. It is public (pages embed it), so it
    /// is stored as is; the registry row was written when it was issued.
    pub async fn set_auto_token(
        &self,
        store_id: i64,
        channel_id: i64,
        jti: &str,
        token: &str,
        expires_at: i64,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO auto_tokens (store_id, channel_id, jti, token, expires_at) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (store_id, channel_id) DO UPDATE SET jti = $3, token = $4, expires_at = $5",
        )
        .bind(store_id)
        .bind(channel_id)
        .bind(jti)
        .bind(token)
        .bind(expires_at)
        .execute(self.pool())
        .await?;
        Ok(())
    }
}

impl Store {
    /// Every token the store issued, by id, and whether it is revoked (development mode's
    /// reset ends those its seed did not have).
    pub async fn token_ids(&self, store_id: i64) -> Result<Vec<(String, bool)>> {
        let rows = sqlx::query("SELECT jti, revoked_at FROM issued_tokens WHERE store_id = $1")
            .bind(store_id)
            .fetch_all(self.pool())
            .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    get(r, "jti")?,
                    get::<Option<i64>>(r, "revoked_at")?.is_some(),
                ))
            })
            .collect()
    }
}
