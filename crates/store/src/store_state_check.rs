//! What a store state must be before anything of it is written: of this format and this
//! schema, naming one store, with every row within that store (an import must not write into
//! another store), and every value of its column's kind.

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use crate::store_removal::CHILDREN;
use crate::store_state::{state_tables, Owner, StateError, StoreState, TableRows, STATE_FORMAT};
use crate::store_state_rows::{bytes_of, Kind};
use crate::Store;

type Checked<T> = std::result::Result<T, StateError>;

/// Each table's column kinds, and the store the state is of.
pub(crate) struct Plan {
    pub(crate) store_id: i64,
    pub(crate) kinds: Vec<Vec<Kind>>,
}

fn invalid<T>(message: String) -> Checked<T> {
    Err(StateError::Invalid(message))
}

impl Store {
    /// Checks the whole state against this database; the plan to write it.
    pub(crate) async fn check_state(&self, state: &StoreState) -> Checked<Plan> {
        if state.format != STATE_FORMAT {
            return invalid(format!(
                "This state is of format {}; this server reads format {STATE_FORMAT}.",
                state.format
            ));
        }
        let expected = state_tables();
        if state.tables.len() != expected.len() {
            return invalid(format!(
                "The state holds {} tables; this server's stores have {}.",
                state.tables.len(),
                expected.len()
            ));
        }
        let mut plan = Plan {
            store_id: 0,
            kinds: Vec::new(),
        };
        // The keys of the parent rows seen so far, for the children that point at them.
        let mut parent_keys: HashMap<&str, HashSet<String>> = HashMap::new();
        for (rows, (table, owner)) in state.tables.iter().zip(&expected) {
            let columns = self.columns(table).await?;
            let names = columns.iter().map(|c| c.0.as_str()).collect::<Vec<_>>();
            if rows.table != *table || rows.columns != names {
                return invalid(format!(
                    "The state's table {} does not match this server's {table} ({}): it was \
                     exported by another version.",
                    rows.table,
                    names.join(", ")
                ));
            }
            let kinds = columns.iter().map(|c| c.1).collect::<Vec<_>>();
            check_rows(rows, &kinds)?;
            if *table == "stores" {
                plan.store_id = stores_row(state, rows, &names)?;
            } else {
                check_owner(state, rows, &names, owner, plan.store_id, &parent_keys)?;
            }
            if let Some(key) = CHILDREN.iter().find(|c| c.2 == *table).map(|c| c.3) {
                let keys = rows.rows.iter().filter_map(|r| value_of(r, &names, key));
                parent_keys.insert(table, keys.collect());
            }
            plan.kinds.push(kinds);
        }
        Ok(plan)
    }
}

/// The value of `column` in `row`, as text, for comparing keys.
fn value_of(row: &[Value], names: &[&str], column: &str) -> Option<String> {
    let at = names.iter().position(|n| *n == column)?;
    Some(row[at].to_string())
}

/// Every row of the table names the store, or a parent row the store owns.
fn check_owner(
    state: &StoreState,
    rows: &TableRows,
    names: &[&str],
    owner: &Owner,
    store_id: i64,
    parent_keys: &HashMap<&str, HashSet<String>>,
) -> Checked<()> {
    let (column, allowed) = match owner {
        Owner::Column(c) => (*c, HashSet::from([store_id.to_string()])),
        Owner::Parent(c, parent, _) => (*c, parent_keys.get(parent).cloned().unwrap_or_default()),
    };
    let stranger = rows
        .rows
        .iter()
        .find_map(|r| match value_of(r, names, column) {
            Some(v) if allowed.contains(&v) => None,
            other => Some(other.unwrap_or_default()),
        });
    match stranger {
        Some(named) => invalid(format!(
            "A row of {} does not belong to store {}: its {column} is {named}.",
            rows.table, state.store_hash,
        )),
        None => Ok(()),
    }
}
/// The `stores` table holds exactly the store the state names; its id.
fn stores_row(state: &StoreState, rows: &TableRows, names: &[&str]) -> Checked<i64> {
    let at = |c: &str| names.iter().position(|n| *n == c);
    let (Some(id), Some(hash)) = (at("id"), at("hash")) else {
        return Err(StateError::Invalid(
            "The stores table lacks id or hash.".into(),
        ));
    };
    match rows.rows.as_slice() {
        [row] if row[hash].as_str() == Some(state.store_hash.as_str()) => row[id]
            .as_i64()
            .ok_or_else(|| StateError::Invalid("The store's id is not a number.".into())),
        _ => Err(StateError::Invalid(format!(
            "The stores table must hold exactly the store {}.",
            state.store_hash
        ))),
    }
}

/// Every row has a value of its column's kind in every column.
fn check_rows(rows: &TableRows, kinds: &[Kind]) -> Checked<()> {
    for row in &rows.rows {
        if row.len() != kinds.len() {
            return Err(StateError::Invalid(format!(
                "A row of {} has {} values for {} columns.",
                rows.table,
                row.len(),
                kinds.len()
            )));
        }
        for ((value, kind), column) in row.iter().zip(kinds).zip(&rows.columns) {
            if bytes_of(value, *kind).is_err() {
                return Err(StateError::Invalid(format!(
                    "{}.{column} holds {value}, which is not {}.",
                    rows.table,
                    match kind {
                        Kind::Int => "an integer",
                        Kind::Text => "a string",
                        Kind::Bytes => "{\"base64\": …}",
                    }
                )));
            }
        }
    }
    Ok(())
}
