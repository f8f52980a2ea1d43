//! Stores and their channels.

use crate::{get, Result, Store, StoreError};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoreRecord {
    pub id: i64,
    pub hash: String,
    pub name: String,
    /// SHA-256 of the store's `X-BC-Trusted-Proxy-Secret`, when one is configured.
    pub trusted_proxy_secret_digest: Option<String>,
    pub created_at: i64,
    /// The store's logo and favicon among its served images (`""`: none).
    pub logo_image: String,
    pub favicon_image: String,
    /// The store's rehearsal of a future date's rules: the date and `report` or `enforce`.
    pub rehearsal: Option<(i64, String)>,
    /// The store's own clock: the system's real time plus this many seconds (`None`: the
    /// process clock).
    pub clock_offset: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Channel {
    pub store_id: i64,
    pub channel_id: i64,
    pub name: String,
    pub site_url: String,
    /// The origin (`scheme://host[:port]`) of `site_url`, worked out once when the channel is
    /// read: every storefront request compares against it.
    pub origin: Option<String>,
}

fn store_from(row: &sqlx::any::AnyRow) -> Result<StoreRecord> {
    Ok(StoreRecord {
        id: get(row, "id")?,
        hash: get(row, "hash")?,
        name: get(row, "name")?,
        trusted_proxy_secret_digest: get(row, "trusted_proxy_secret_digest")?,
        created_at: get(row, "created_at")?,
        logo_image: get(row, "logo_image")?,
        favicon_image: get(row, "favicon_image")?,
        rehearsal: match (get(row, "rehearsal_at")?, get(row, "rehearsal_mode")?) {
            (Some(at), Some(mode)) => Some((at, mode)),
            _ => None,
        },
        clock_offset: get(row, "clock_offset")?,
    })
}

fn channel_from(row: &sqlx::any::AnyRow) -> Result<Channel> {
    let site_url: String = get(row, "site_url")?;
    Ok(Channel {
        store_id: get(row, "store_id")?,
        channel_id: get(row, "channel_id")?,
        name: get(row, "name")?,
        origin: storefront_auth_core::validate::origin_of(&site_url).map(String::from),
        site_url,
    })
}

const STORE_COLS: &str =
    "id, hash, name, trusted_proxy_secret_digest, created_at, logo_image, favicon_image, rehearsal_at, rehearsal_mode, clock_offset";

impl Store {
    /// Creates a store with its default channel 1 in one transaction. The numeric id is chosen
    /// by the caller (BigCommerce store ids are ten-digit numbers).
    pub async fn create_store(
        &self,
        id: i64,
        hash: &str,
        name: &str,
        site_url: &str,
        now: i64,
    ) -> Result<StoreRecord> {
        let mut tx = self.pool().begin().await?;
        sqlx::query("INSERT INTO stores (id, hash, name, created_at) VALUES ($1, $2, $3, $4)")
            .bind(id)
            .bind(hash)
            .bind(name)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO channels (store_id, channel_id, name, site_url, created_at) VALUES ($1, 1, $2, $3, $4)")
            .bind(id)
            .bind(name)
            .bind(site_url)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        self.store_by_hash(hash).await?.ok_or(StoreError::NotFound)
    }

    pub async fn store_by_hash(&self, hash: &str) -> Result<Option<StoreRecord>> {
        let row = sqlx::query(&format!("SELECT {STORE_COLS} FROM stores WHERE hash = $1"))
            .bind(hash)
            .fetch_optional(self.pool())
            .await?;
        row.as_ref().map(store_from).transpose()
    }

    pub async fn store_by_id(&self, id: i64) -> Result<Option<StoreRecord>> {
        let row = sqlx::query(&format!("SELECT {STORE_COLS} FROM stores WHERE id = $1"))
            .bind(id)
            .fetch_optional(self.pool())
            .await?;
        row.as_ref().map(store_from).transpose()
    }

    pub async fn list_stores(&self) -> Result<Vec<StoreRecord>> {
        let rows = sqlx::query(&format!(
            "SELECT {STORE_COLS} FROM stores ORDER BY created_at, hash"
        ))
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(store_from).collect()
    }

    /// Starts, changes or (`None`) ends the store's rehearsal.
    pub async fn set_rehearsal(&self, store_id: i64, rehearsal: Option<(i64, &str)>) -> Result<()> {
        sqlx::query("UPDATE stores SET rehearsal_at = $1, rehearsal_mode = $2 WHERE id = $3")
            .bind(rehearsal.map(|r| r.0))
            .bind(rehearsal.map(|r| r.1))
            .bind(store_id)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    pub async fn set_trusted_proxy_secret_digest(
        &self,
        store_id: i64,
        digest: Option<&str>,
    ) -> Result<()> {
        sqlx::query("UPDATE stores SET trusted_proxy_secret_digest = $1 WHERE id = $2")
            .bind(digest)
            .bind(store_id)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Adds the next channel of a store (ids count up from 1).
    pub async fn create_channel(
        &self,
        store_id: i64,
        name: &str,
        site_url: &str,
        now: i64,
    ) -> Result<Channel> {
        // The primary key makes a concurrent creator fail with a conflict instead of a duplicate.
        let row = sqlx::query(
            "INSERT INTO channels (store_id, channel_id, name, site_url, created_at)
             SELECT $1, COALESCE(MAX(channel_id), 0) + 1, $2, $3, $4 FROM channels WHERE store_id = $1
             RETURNING store_id, channel_id, name, site_url",
        )
        .bind(store_id)
        .bind(name)
        .bind(site_url)
        .bind(now)
        .fetch_one(self.pool())
        .await?;
        channel_from(&row)
    }

    pub async fn channels(&self, store_id: i64) -> Result<Vec<Channel>> {
        let rows = sqlx::query("SELECT store_id, channel_id, name, site_url FROM channels WHERE store_id = $1 ORDER BY channel_id")
            .bind(store_id)
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(channel_from).collect()
    }

    pub async fn channel(&self, store_id: i64, channel_id: i64) -> Result<Option<Channel>> {
        let row = sqlx::query("SELECT store_id, channel_id, name, site_url FROM channels WHERE store_id = $1 AND channel_id = $2")
            .bind(store_id)
            .bind(channel_id)
            .fetch_optional(self.pool())
            .await?;
        row.as_ref().map(channel_from).transpose()
    }
}
