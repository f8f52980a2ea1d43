//! Shipping carriers and each store's connection options (issue 18). A carrier registered by a
//! store's API account belongs to that store; one registered by the operator is offered to
//! every store.

use crate::{get, Result, Store};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CarrierRecord {
    pub id: String,
    pub owner_store_id: Option<i64>,
    pub name: String,
    pub base_url: String,
    /// The fields a connection needs, as the domain wrote them (JSON).
    pub connection_fields: String,
}

/// A store's connection to a carrier: its options as stored (sealed), never shown.
#[derive(Clone, PartialEq, Eq)]
pub struct CarrierConnection {
    pub store_id: i64,
    pub carrier_id: String,
    pub options: String,
}

impl std::fmt::Debug for CarrierConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CarrierConnection")
            .field("store_id", &self.store_id)
            .field("carrier_id", &self.carrier_id)
            .finish_non_exhaustive()
    }
}

fn carrier_from(r: &sqlx::any::AnyRow) -> Result<CarrierRecord> {
    Ok(CarrierRecord {
        id: get(r, "id")?,
        owner_store_id: get(r, "owner_store_id")?,
        name: get(r, "name")?,
        base_url: get(r, "base_url")?,
        connection_fields: get(r, "connection_fields")?,
    })
}

impl Store {
    /// Registers a carrier unless `max` are registered already (`false`); a taken id is a
    /// Conflict.
    pub async fn create_carrier(&self, c: &CarrierRecord, max: i64, now: i64) -> Result<bool> {
        let done = sqlx::query(
            "INSERT INTO shipping_carriers (id, owner_store_id, name, base_url, connection_fields, created_at) \
             SELECT $1, $2, $3, $4, $5, $6 WHERE (SELECT COUNT(*) FROM shipping_carriers) < $7",
        )
        .bind(&c.id)
        .bind(c.owner_store_id)
        .bind(&c.name)
        .bind(&c.base_url)
        .bind(&c.connection_fields)
        .bind(now)
        .bind(max)
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// The carriers a store may connect (all of them with `None`), by id.
    pub async fn carriers(&self, store_id: Option<i64>) -> Result<Vec<CarrierRecord>> {
        let rows = sqlx::query(
            "SELECT id, owner_store_id, name, base_url, connection_fields FROM shipping_carriers \
             WHERE $1 IS NULL OR owner_store_id IS NULL OR owner_store_id = $1 ORDER BY id",
        )
        .bind(store_id)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(carrier_from).collect()
    }

    pub async fn delete_carrier(&self, id: &str) -> Result<bool> {
        let done = sqlx::query("DELETE FROM shipping_carriers WHERE id = $1")
            .bind(id)
            .execute(self.pool())
            .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Sets a store's connection options for a carrier, unless the store is connected to
    /// `max` other carriers already (`false`). The store's row is locked first, so concurrent
    /// connections of one store count one after another (PostgreSQL; SQLite serializes
    /// writers): without it each saw room and the store ended up with more than `max`.
    pub async fn connect_carrier(&self, c: &CarrierConnection, max: i64, now: i64) -> Result<bool> {
        let mut tx = self.pool().begin().await?;
        sqlx::query("UPDATE stores SET id = id WHERE id = $1")
            .bind(c.store_id)
            .execute(&mut *tx)
            .await?;
        let done = sqlx::query(
            "INSERT INTO carrier_connections (store_id, carrier_id, options, updated_at) \
             SELECT $1, $2, $3, $4 WHERE (SELECT COUNT(*) FROM carrier_connections WHERE store_id = $1 AND carrier_id <> $2) < $5 \
             ON CONFLICT (store_id, carrier_id) DO UPDATE SET options = excluded.options, updated_at = excluded.updated_at",
        )
        .bind(c.store_id)
        .bind(&c.carrier_id)
        .bind(&c.options)
        .bind(now)
        .bind(max)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(done.rows_affected() == 1)
    }

    pub async fn disconnect_carrier(&self, store_id: i64, carrier_id: &str) -> Result<bool> {
        let done =
            sqlx::query("DELETE FROM carrier_connections WHERE store_id = $1 AND carrier_id = $2")
                .bind(store_id)
                .bind(carrier_id)
                .execute(self.pool())
                .await?;
        Ok(done.rows_affected() == 1)
    }

    /// The store's connections with their carriers, by carrier id.
    pub async fn carrier_connections(
        &self,
        store_id: i64,
    ) -> Result<Vec<(CarrierConnection, CarrierRecord)>> {
        let rows = sqlx::query(
            "SELECT c.store_id, c.carrier_id, c.options, s.id, s.owner_store_id, s.name, s.base_url, s.connection_fields \
             FROM carrier_connections c JOIN shipping_carriers s ON s.id = c.carrier_id \
             WHERE c.store_id = $1 ORDER BY c.carrier_id",
        )
        .bind(store_id)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                let connection = CarrierConnection {
                    store_id: get(r, "store_id")?,
                    carrier_id: get(r, "carrier_id")?,
                    options: get(r, "options")?,
                };
                Ok((connection, carrier_from(r)?))
            })
            .collect()
    }
}
