//! Tax providers and each store's connection to them (issue 18). A provider registered by a
//! store's API account belongs to that store; one registered by the operator is offered to
//! every store. A store has at most one active connection: the provider its checkouts ask.

use crate::{get, Result, Store};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TaxProviderRecord {
    pub id: String,
    pub owner_store_id: Option<i64>,
    pub name: String,
    pub base_url: String,
}

/// A store's connection to a provider; `password` as stored (sealed with the master key
/// when one is configured), never shown.
#[derive(Clone, PartialEq, Eq)]
pub struct TaxConnection {
    pub store_id: i64,
    pub provider_id: String,
    pub username: String,
    pub password: String,
    pub profile: Option<String>,
    pub active: bool,
    pub updated_at: i64,
}

impl std::fmt::Debug for TaxConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TaxConnection")
            .field("store_id", &self.store_id)
            .field("provider_id", &self.provider_id)
            .field("username", &self.username)
            .field("active", &self.active)
            .finish_non_exhaustive()
    }
}

fn provider_from(r: &sqlx::any::AnyRow) -> Result<TaxProviderRecord> {
    Ok(TaxProviderRecord {
        id: get(r, "id")?,
        owner_store_id: get(r, "owner_store_id")?,
        name: get(r, "name")?,
        base_url: get(r, "base_url")?,
    })
}

fn connection_from(r: &sqlx::any::AnyRow) -> Result<TaxConnection> {
    let active: i64 = get(r, "active")?;
    Ok(TaxConnection {
        store_id: get(r, "store_id")?,
        provider_id: get(r, "provider_id")?,
        username: get(r, "username")?,
        password: get(r, "password")?,
        profile: get(r, "profile")?,
        active: active == 1,
        updated_at: get(r, "updated_at")?,
    })
}

const CONNECTION_COLS: &str =
    "store_id, provider_id, username, password, profile, active, updated_at";

impl Store {
    /// Registers a provider unless `max` are registered already (`false`); an id taken is a
    /// Conflict.
    pub async fn create_tax_provider(
        &self,
        p: &TaxProviderRecord,
        max: i64,
        now: i64,
    ) -> Result<bool> {
        let done = sqlx::query(
            "INSERT INTO tax_providers (id, owner_store_id, name, base_url, created_at) \
             SELECT $1, $2, $3, $4, $5 WHERE (SELECT COUNT(*) FROM tax_providers) < $6",
        )
        .bind(&p.id)
        .bind(p.owner_store_id)
        .bind(&p.name)
        .bind(&p.base_url)
        .bind(now)
        .bind(max)
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// The providers a store may connect: its own and those offered to every store (all of
    /// them with `None`), by id.
    pub async fn tax_providers(&self, store_id: Option<i64>) -> Result<Vec<TaxProviderRecord>> {
        let rows = sqlx::query(
            "SELECT id, owner_store_id, name, base_url FROM tax_providers \
             WHERE $1 IS NULL OR owner_store_id IS NULL OR owner_store_id = $1 ORDER BY id",
        )
        .bind(store_id)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(provider_from).collect()
    }

    /// Removes a provider and every store's connection to it; false when there was none.
    pub async fn delete_tax_provider(&self, id: &str) -> Result<bool> {
        let done = sqlx::query("DELETE FROM tax_providers WHERE id = $1")
            .bind(id)
            .execute(self.pool())
            .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Sets the store's credentials for a provider and makes it the store's active one.
    pub async fn connect_tax_provider(&self, c: &TaxConnection) -> Result<()> {
        let mut tx = self.pool().begin().await?;
        sqlx::query("UPDATE tax_connections SET active = 0 WHERE store_id = $1")
            .bind(c.store_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO tax_connections (store_id, provider_id, username, password, profile, active, updated_at) \
             VALUES ($1, $2, $3, $4, $5, 1, $6) ON CONFLICT (store_id, provider_id) DO UPDATE SET \
             username = excluded.username, password = excluded.password, profile = excluded.profile, \
             active = 1, updated_at = excluded.updated_at",
        )
        .bind(c.store_id)
        .bind(&c.provider_id)
        .bind(&c.username)
        .bind(&c.password)
        .bind(&c.profile)
        .bind(c.updated_at)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn tax_connection(
        &self,
        store_id: i64,
        provider_id: &str,
    ) -> Result<Option<TaxConnection>> {
        let row = sqlx::query(&format!(
            "SELECT {CONNECTION_COLS} FROM tax_connections WHERE store_id = $1 AND provider_id = $2"
        ))
        .bind(store_id)
        .bind(provider_id)
        .fetch_optional(self.pool())
        .await?;
        row.as_ref().map(connection_from).transpose()
    }

    /// The store's active connection and its provider, if it has one.
    pub async fn active_tax_connection(
        &self,
        store_id: i64,
    ) -> Result<Option<(TaxConnection, TaxProviderRecord)>> {
        let row = sqlx::query(
            "SELECT c.store_id, c.provider_id, c.username, c.password, c.profile, c.active, c.updated_at, \
             p.id, p.owner_store_id, p.name, p.base_url \
             FROM tax_connections c JOIN tax_providers p ON p.id = c.provider_id \
             WHERE c.store_id = $1 AND c.active = 1",
        )
        .bind(store_id)
        .fetch_optional(self.pool())
        .await?;
        row.map(|r| Ok((connection_from(&r)?, provider_from(&r)?)))
            .transpose()
    }

    /// Removes the store's connection to a provider (the store then has no active provider
    /// if it was the active one): the connection removed, if there was one.
    pub async fn disconnect_tax_provider(
        &self,
        store_id: i64,
        provider_id: &str,
    ) -> Result<Option<TaxConnection>> {
        let row = sqlx::query(&format!(
            "DELETE FROM tax_connections WHERE store_id = $1 AND provider_id = $2 RETURNING {CONNECTION_COLS}"
        ))
        .bind(store_id)
        .bind(provider_id)
        .fetch_optional(self.pool())
        .await?;
        row.as_ref().map(connection_from).transpose()
    }

    /// Records whether the provider took an order's tax commit.
    pub async fn set_tax_commit(&self, order_id: i64, outcome: &str) -> Result<()> {
        sqlx::query("UPDATE orders SET tax_commit = $1 WHERE id = $2")
            .bind(outcome)
            .bind(order_id)
            .execute(self.pool())
            .await?;
        Ok(())
    }
}
