//! A store's whole state as data (development mode, issue 20): every row it owns, read into
//! JSON-ready values (`export_store`) and written back in one transaction (`restore_store`),
//! and the copy kept when it was seeded, which `reset` returns to. The tables and their
//! columns come from the database's own catalog, so a column added by a migration is in the
//! state without a change here; a state taken under another schema is refused, not guessed at.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use sqlx::Row;

use crate::store_removal::{delete_owned, CHILDREN, OWNED_PROVIDERS, OWNED_TABLES};
use crate::store_state_rows::{insert_rows, row_values, update_store_row, Kind};
use crate::{get, Backend, Result, Store, StoreError};

/// The format of `StoreState`; a state of another format is refused.
pub const STATE_FORMAT: i64 = 1;

/// Everything a store owns, table by table, parents before children.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoreState {
    pub format: i64,
    pub store_hash: String,
    pub tables: Vec<TableRows>,
}

/// One table's rows of the store: numbers, strings, `{"base64": …}` for bytes, or null.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TableRows {
    pub table: String,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Value>>,
}

/// Why a state could not be restored.
#[derive(Debug, thiserror::Error)]
pub enum StateError {
    /// The state does not fit this database or does not stay within its store.
    #[error("{0}")]
    Invalid(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Which of a table's rows are the store's.
pub(crate) enum Owner {
    /// The column names the store.
    Column(&'static str),
    /// The column points at a parent row (the parent table, its key) the store owns.
    Parent(&'static str, &'static str, &'static str),
}

/// The state's tables in the order they are written back (parents first), each with the rows'
/// owner; `stores` itself first.
pub(crate) fn state_tables() -> Vec<(&'static str, Owner)> {
    let mut out = vec![("stores", Owner::Column("id"))];
    out.extend(OWNED_PROVIDERS.map(|(t, c)| (t, Owner::Column(c))));
    out.extend(
        OWNED_TABLES
            .iter()
            .rev()
            .filter(|t| **t != "store_seed_states")
            .map(|t| (*t, Owner::Column("store_id"))),
    );
    // Children whose parent is the store's through `store_id`; the carrier's other stores'
    // connections are theirs, not this store's.
    out.extend(
        CHILDREN
            .iter()
            .filter(|c| c.4 == "store_id")
            .map(|(t, c, p, k, _)| (*t, Owner::Parent(c, p, k))),
    );
    out
}

fn selection(owner: &Owner) -> String {
    match owner {
        Owner::Column(c) => format!("{c} = $1"),
        Owner::Parent(c, p, k) => format!("{c} IN (SELECT {k} FROM {p} WHERE store_id = $1)"),
    }
}

impl Store {
    /// The table's columns as the catalog lists them, in their order, with their kinds.
    pub(crate) async fn columns(&self, table: &str) -> Result<Vec<(String, Kind)>> {
        let sql = match self.backend() {
            Backend::Sqlite => {
                format!("SELECT name, type FROM pragma_table_info('{table}') ORDER BY cid")
            }
            Backend::Postgres => format!(
                "SELECT CAST(column_name AS TEXT) AS name, CAST(data_type AS TEXT) AS type \
                 FROM information_schema.columns WHERE table_name = '{table}' \
                 AND table_schema = current_schema() ORDER BY ordinal_position"
            ),
        };
        let rows = sqlx::query(&sql).fetch_all(self.pool()).await?;
        rows.iter()
            .map(|r| {
                let name: String = get(r, "name")?;
                let ty: String = get(r, "type")?;
                let ty = ty.to_ascii_lowercase();
                let kind = if ty.contains("int") {
                    Kind::Int
                } else if ty == "blob" || ty == "bytea" {
                    Kind::Bytes
                } else if ty == "text" {
                    Kind::Text
                } else {
                    return Err(StoreError::Corrupt(format!("{table}.{name}: type {ty}")));
                };
                Ok((name, kind))
            })
            .collect()
    }

    /// Every row the store owns; `None` if there is no such store.
    pub async fn export_store(&self, store_id: i64) -> Result<Option<StoreState>> {
        let Some(store) = self.store_by_id(store_id).await? else {
            return Ok(None);
        };
        let mut tables = Vec::new();
        for (table, owner) in state_tables() {
            let columns = self.columns(table).await?;
            let order = (1..=columns.len())
                .map(|i| i.to_string())
                .collect::<Vec<_>>()
                .join(", ");
            let names = columns.iter().map(|c| c.0.as_str()).collect::<Vec<_>>();
            let sql = format!(
                "SELECT {} FROM {table} WHERE {} ORDER BY {order}",
                names.join(", "),
                selection(&owner)
            );
            let found = sqlx::query(&sql)
                .bind(store_id)
                .fetch_all(self.pool())
                .await?;
            let rows = found
                .iter()
                .map(|r| row_values(r, &columns))
                .collect::<Result<Vec<_>>>()?;
            tables.push(TableRows {
                table: table.to_string(),
                columns: names.iter().map(|n| n.to_string()).collect(),
                rows,
            });
        }
        Ok(Some(StoreState {
            format: STATE_FORMAT,
            store_hash: store.hash,
            tables,
        }))
    }

    /// Replaces everything the store named by the state owns with the state, in one
    /// transaction, creating the store if no store has its hash. Returns the store's id.
    pub async fn restore_store(&self, state: &StoreState) -> std::result::Result<i64, StateError> {
        let plan = self.check_state(state).await?;
        let existing = self.store_by_hash(&state.store_hash).await?;
        if let Some(s) = &existing {
            if s.id != plan.store_id {
                return Err(StateError::Invalid(format!(
                    "A store with hash {} exists here under another id ({}, the state's is {}).",
                    state.store_hash, s.id, plan.store_id
                )));
            }
        }
        let mut tx = self.pool().begin().await.map_err(StoreError::from)?;
        // The store's row stays (its kept seed state points at it) and takes the state's values.
        delete_owned(&mut tx, plan.store_id, true).await?;
        let mut tables = state.tables.iter().zip(&plan.kinds);
        if existing.is_some() {
            if let Some((stores, kinds)) = tables.next() {
                update_store_row(&mut tx, stores, kinds, plan.store_id).await?;
            }
        }
        for (rows, kinds) in tables {
            insert_rows(&mut tx, rows, kinds)
                .await
                .map_err(|e| match e {
                    StoreError::Conflict(what) => StateError::Invalid(format!(
                        "Rows of {} collide with another store's ({what}): import into a database \
                     that does not hold them, such as a fresh data directory.",
                        rows.table
                    )),
                    other => other.into(),
                })?;
        }
        tx.commit().await.map_err(StoreError::from)?;
        self.advance_sequences().await?;
        Ok(plan.store_id)
    }

    /// On PostgreSQL, moves each serial column's sequence past the largest id its table holds
    /// (rows written with their ids do not move it); never backwards. SQLite needs nothing.
    async fn advance_sequences(&self) -> Result<()> {
        if self.backend() != Backend::Postgres {
            return Ok(());
        }
        let serials = sqlx::query(
            "SELECT CAST(table_name AS TEXT) AS t, CAST(column_name AS TEXT) AS c, \
             CAST(pg_get_serial_sequence(CAST(table_name AS TEXT), CAST(column_name AS TEXT)) AS TEXT) AS s \
             FROM information_schema.columns WHERE table_schema = current_schema() \
             AND column_default LIKE 'nextval(%'",
        )
        .fetch_all(self.pool())
        .await?;
        for r in &serials {
            let (t, c): (String, String) = (r.try_get("t")?, r.try_get("c")?);
            let Some(seq) = r.try_get::<Option<String>, _>("s")? else {
                continue;
            };
            sqlx::query(&format!(
                "SELECT CAST(setval('{seq}', GREATEST((SELECT COALESCE(MAX({c}), 1) FROM {t}), \
                 (SELECT last_value FROM {seq}))) AS BIGINT) AS v"
            ))
            .fetch_one(self.pool())
            .await?;
        }
        Ok(())
    }

    /// Keeps `state` as the store's seed state, replacing any kept before.
    pub async fn keep_seed_state(&self, store_id: i64, state: &StoreState, now: i64) -> Result<()> {
        let text = serde_json::to_string(state).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let mut tx = self.pool().begin().await?;
        sqlx::query("DELETE FROM store_seed_states WHERE store_id = $1")
            .bind(store_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO store_seed_states (store_id, taken_at, state) VALUES ($1, $2, $3)",
        )
        .bind(store_id)
        .bind(now)
        .bind(text)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The store's seed state, if one was kept.
    pub async fn seed_state(&self, store_id: i64) -> Result<Option<StoreState>> {
        let row = sqlx::query("SELECT state FROM store_seed_states WHERE store_id = $1")
            .bind(store_id)
            .fetch_optional(self.pool())
            .await?;
        row.map(|r| {
            let text: String = get(&r, "state")?;
            serde_json::from_str(&text).map_err(|e| StoreError::Corrupt(e.to_string()))
        })
        .transpose()
    }
}
