//! A store state's values on their way in and out of the database: each column read as a
//! number, a string or `{"base64": …}` bytes, and rows written back with their own ids.

use base64::Engine;
use serde_json::{json, Value};
use sqlx::Row;

use crate::store_removal::Tx;
use crate::store_state::TableRows;
use crate::Result;

/// How a column's values are read and bound.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Kind {
    Int,
    Text,
    Bytes,
}

/// The bytes a `{"base64": …}` value holds (checked for every kind: `Ok(None)` for others).
pub(crate) fn bytes_of(value: &Value, kind: Kind) -> std::result::Result<Option<Vec<u8>>, ()> {
    match (kind, value) {
        (_, Value::Null) => Ok(None),
        (Kind::Int, v) if v.as_i64().is_some() => Ok(None),
        (Kind::Text, Value::String(_)) => Ok(None),
        (Kind::Bytes, Value::Object(o)) if o.len() == 1 => {
            let text = o.get("base64").and_then(Value::as_str).ok_or(())?;
            let engine = base64::engine::general_purpose::STANDARD;
            engine.decode(text).map(Some).map_err(|_| ())
        }
        _ => Err(()),
    }
}

pub(crate) fn row_values(
    row: &sqlx::any::AnyRow,
    columns: &[(String, Kind)],
) -> Result<Vec<Value>> {
    columns
        .iter()
        .enumerate()
        .map(|(i, (_, kind))| {
            Ok(match kind {
                Kind::Int => json!(row.try_get::<Option<i64>, _>(i)?),
                Kind::Text => json!(row.try_get::<Option<String>, _>(i)?),
                Kind::Bytes => match row.try_get::<Option<Vec<u8>>, _>(i)? {
                    Some(b) => {
                        json!({ "base64": base64::engine::general_purpose::STANDARD.encode(b) })
                    }
                    None => Value::Null,
                },
            })
        })
        .collect()
}

/// Gives the store's existing row the state's values.
pub(crate) async fn update_store_row(
    tx: &mut Tx<'_>,
    rows: &TableRows,
    kinds: &[Kind],
    id: i64,
) -> Result<()> {
    let Some(row) = rows.rows.first() else {
        return Ok(());
    };
    let sets = rows
        .columns
        .iter()
        .enumerate()
        .map(|(i, c)| format!("{c} = ${}", i + 1))
        .collect::<Vec<_>>();
    let sql = format!(
        "UPDATE stores SET {} WHERE id = ${}",
        sets.join(", "),
        sets.len() + 1
    );
    bind_row(sqlx::query(&sql), row, kinds)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

fn bind_row<'q>(
    mut query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    row: &[Value],
    kinds: &[Kind],
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    for (value, kind) in row.iter().zip(kinds) {
        query = match kind {
            Kind::Int => query.bind(value.as_i64()),
            Kind::Text => query.bind(value.as_str().map(str::to_string)),
            Kind::Bytes => query.bind(bytes_of(value, *kind).ok().flatten()),
        };
    }
    query
}

/// Writes the rows with their own ids, a few hundred values per statement.
pub(crate) async fn insert_rows(tx: &mut Tx<'_>, rows: &TableRows, kinds: &[Kind]) -> Result<()> {
    if rows.rows.is_empty() {
        return Ok(());
    }
    let per_statement = (900 / kinds.len().max(1)).max(1);
    for chunk in rows.rows.chunks(per_statement) {
        let mut n = 0;
        let tuples = chunk
            .iter()
            .map(|_| {
                let marks = kinds.iter().map(|_| {
                    n += 1;
                    format!("${n}")
                });
                format!("({})", marks.collect::<Vec<_>>().join(", "))
            })
            .collect::<Vec<_>>();
        let sql = format!(
            "INSERT INTO {} ({}) VALUES {}",
            rows.table,
            rows.columns.join(", "),
            tuples.join(", ")
        );
        let mut query = sqlx::query(&sql);
        for row in chunk {
            query = bind_row(query, row, kinds);
        }
        query.execute(&mut **tx).await?;
    }
    Ok(())
}
