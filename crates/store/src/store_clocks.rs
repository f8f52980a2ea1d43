//! Stores' own simulated clocks (issue 19): a store's time is the system's real time plus its
//! `clock_offset`, or the process clock when it has none. Every change is kept with who made
//! it and the store's time around it.

use crate::{get, Result, Store, StoreError};

/// Changes kept per store; older ones are dropped by the change that makes them surplus.
pub const CLOCK_CHANGES_KEPT: i64 = 100;

/// One change of a store's clock, as recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClockChange {
    /// The system's real time of the change.
    pub changed_at: i64,
    /// The store's time just before and just after the change.
    pub from_time: i64,
    pub to_time: i64,
    /// The offset from real time in force after the change (`None`: the process clock).
    pub offset: Option<i64>,
    /// Who changed it: `cli` or `account:{id}`.
    pub changed_by: String,
}

impl Store {
    /// Changes a store's clock: `decide` is given the offset in force (read under the store
    /// row's lock, so concurrent advances add up) and returns the change to make, or `None`
    /// to make none. Returns the change made; `NotFound` for an unknown store.
    pub async fn change_store_clock(
        &self,
        store_id: i64,
        decide: impl FnOnce(Option<i64>) -> Option<ClockChange>,
    ) -> Result<Option<ClockChange>> {
        let mut tx = self.pool().begin().await?;
        // Takes the row's lock on PostgreSQL (SQLite serializes writers) before reading.
        let locked = sqlx::query("UPDATE stores SET id = id WHERE id = $1")
            .bind(store_id)
            .execute(&mut *tx)
            .await?;
        if locked.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        let old: Option<i64> = sqlx::query_scalar("SELECT clock_offset FROM stores WHERE id = $1")
            .bind(store_id)
            .fetch_one(&mut *tx)
            .await?;
        let Some(change) = decide(old) else {
            return Ok(None);
        };
        sqlx::query("UPDATE stores SET clock_offset = $1 WHERE id = $2")
            .bind(change.offset)
            .bind(store_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO store_clock_changes (store_id, changed_at, from_time, to_time, clock_offset, changed_by) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(store_id)
        .bind(change.changed_at)
        .bind(change.from_time)
        .bind(change.to_time)
        .bind(change.offset)
        .bind(&change.changed_by)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "DELETE FROM store_clock_changes WHERE store_id = $1 AND id NOT IN \
             (SELECT id FROM store_clock_changes WHERE store_id = $1 ORDER BY id DESC LIMIT $2)",
        )
        .bind(store_id)
        .bind(CLOCK_CHANGES_KEPT)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Some(change))
    }

    /// A store's recorded clock changes, newest first.
    pub async fn store_clock_changes(&self, store_id: i64, limit: i64) -> Result<Vec<ClockChange>> {
        let rows = sqlx::query(
            "SELECT changed_at, from_time, to_time, clock_offset, changed_by FROM store_clock_changes \
             WHERE store_id = $1 ORDER BY id DESC LIMIT $2",
        )
        .bind(store_id)
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(ClockChange {
                    changed_at: get(r, "changed_at")?,
                    from_time: get(r, "from_time")?,
                    to_time: get(r, "to_time")?,
                    offset: get(r, "clock_offset")?,
                    changed_by: get(r, "changed_by")?,
                })
            })
            .collect()
    }

    /// Every store with a clock of its own, with its offset from real time: what each
    /// instance loads at start and reloads with its catch-up.
    pub async fn store_clock_offsets(&self) -> Result<Vec<(i64, i64)>> {
        let rows =
            sqlx::query("SELECT id, clock_offset FROM stores WHERE clock_offset IS NOT NULL")
                .fetch_all(self.pool())
                .await?;
        rows.iter()
            .map(|r| Ok((get(r, "id")?, get(r, "clock_offset")?)))
            .collect()
    }
}
