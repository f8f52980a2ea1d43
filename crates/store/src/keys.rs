//! Signing keys, in two rings: the token keys (`signing_keys`) and gateway mode's assertion
//! keys (`assertion_keys`). In each, the newest key that is not retired signs; every key not
//! retired verifies.

use crate::{get, Result, Store};

/// `Debug` leaves the private key out.
#[derive(Clone)]
pub struct StoredKey {
    pub kid: String,
    /// `plain:<b64 pkcs8>` or `sealed:v1:<b64>` (see `storefront_auth_core::keys`).
    pub private_key: String,
    /// Hex of the uncompressed public point.
    pub public_point: String,
    pub created_at: i64,
    pub retired_at: Option<i64>,
}

fn key_from(row: &sqlx::any::AnyRow) -> Result<StoredKey> {
    Ok(StoredKey {
        kid: get(row, "kid")?,
        private_key: get(row, "private_key")?,
        public_point: get(row, "public_point")?,
        created_at: get(row, "created_at")?,
        retired_at: get(row, "retired_at")?,
    })
}

/// Which ring.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyRingKind {
    /// Access tokens' keys.
    Tokens,
    /// The assertions gateway mode sends to the upstream.
    Assertions,
}

impl KeyRingKind {
    fn table(self) -> &'static str {
        match self {
            KeyRingKind::Tokens => "signing_keys",
            KeyRingKind::Assertions => "assertion_keys",
        }
    }
}

impl Store {
    pub async fn insert_key(&self, key: &StoredKey) -> Result<()> {
        self.insert_key_in(KeyRingKind::Tokens, key).await
    }

    /// Every token key, newest first (the first live one is the signer).
    pub async fn keys(&self) -> Result<Vec<StoredKey>> {
        self.keys_in(KeyRingKind::Tokens).await
    }

    /// Retires a token key unless it is the only live one. Returns whether it was retired.
    pub async fn retire_key(&self, kid: &str, now: i64) -> Result<bool> {
        self.retire_key_in(KeyRingKind::Tokens, kid, now).await
    }

    pub async fn insert_key_in(&self, ring: KeyRingKind, key: &StoredKey) -> Result<()> {
        let table = ring.table();
        sqlx::query(&format!("INSERT INTO {table} (kid, private_key, public_point, created_at) VALUES ($1, $2, $3, $4)"))
            .bind(&key.kid)
            .bind(&key.private_key)
            .bind(&key.public_point)
            .bind(key.created_at)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Every key of `ring`, newest first (the first live one is the signer).
    pub async fn keys_in(&self, ring: KeyRingKind) -> Result<Vec<StoredKey>> {
        let table = ring.table();
        let rows = sqlx::query(&format!("SELECT kid, private_key, public_point, created_at, retired_at FROM {table} ORDER BY seq DESC"))
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(key_from).collect()
    }

    /// Retires a key of `ring` unless it is the only live one.
    pub async fn retire_key_in(&self, ring: KeyRingKind, kid: &str, now: i64) -> Result<bool> {
        let table = ring.table();
        let done = sqlx::query(&format!(
            "UPDATE {table} SET retired_at = $1
             WHERE kid = $2 AND retired_at IS NULL
               AND (SELECT COUNT(*) FROM {table} WHERE retired_at IS NULL) > 1"
        ))
        .bind(now)
        .bind(kid)
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() > 0)
    }
}

impl std::fmt::Debug for StoredKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoredKey")
            .field("kid", &self.kid)
            .field("private_key", &"<redacted>")
            .field("created_at", &self.created_at)
            .field("retired_at", &self.retired_at)
            .finish_non_exhaustive()
    }
}
