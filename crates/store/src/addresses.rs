//! A customer's address book. An address belongs to one customer of one store; every read and
//! write names both, so an id alone never reaches another customer's address.

use crate::{get, Result, Store};

/// An address as stored (and as a new or changed address is written, with `id` ignored).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Address {
    pub id: i64,
    pub first_name: String,
    pub last_name: String,
    pub company: Option<String>,
    pub address1: String,
    pub address2: Option<String>,
    pub city: String,
    pub state_or_province: Option<String>,
    pub postal_code: Option<String>,
    pub country_code: String,
    pub phone: Option<String>,
}

pub(crate) const COLS: &str = "id, first_name, last_name, company, address1, address2, city, state_or_province, postal_code, country_code, phone";

pub(crate) fn address_from(row: &sqlx::any::AnyRow) -> Result<Address> {
    Ok(Address {
        id: get(row, "id")?,
        first_name: get(row, "first_name")?,
        last_name: get(row, "last_name")?,
        company: get(row, "company")?,
        address1: get(row, "address1")?,
        address2: get(row, "address2")?,
        city: get(row, "city")?,
        state_or_province: get(row, "state_or_province")?,
        postal_code: get(row, "postal_code")?,
        country_code: get(row, "country_code")?,
        phone: get(row, "phone")?,
    })
}

pub(crate) type Query<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>;

/// Binds the ten fields of an address, in `COLS` order after `id`.
pub(crate) fn bind_fields<'q>(q: Query<'q>, a: &'q Address) -> Query<'q> {
    q.bind(&a.first_name)
        .bind(&a.last_name)
        .bind(&a.company)
        .bind(&a.address1)
        .bind(&a.address2)
        .bind(&a.city)
        .bind(&a.state_or_province)
        .bind(&a.postal_code)
        .bind(&a.country_code)
        .bind(&a.phone)
}

impl Store {
    /// The customer's addresses, oldest first.
    pub async fn customer_addresses(
        &self,
        store_id: i64,
        customer_id: i64,
    ) -> Result<Vec<Address>> {
        let rows = sqlx::query(&format!(
            "SELECT {COLS} FROM customer_addresses WHERE store_id = $1 AND customer_id = $2 ORDER BY id"
        ))
        .bind(store_id)
        .bind(customer_id)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(address_from).collect()
    }

    /// Adds an address unless the customer already has `limit` (checked in the same
    /// statement); `None` when full.
    pub async fn add_customer_address(
        &self,
        store_id: i64,
        customer_id: i64,
        a: &Address,
        limit: i64,
        now: i64,
    ) -> Result<Option<Address>> {
        let sql = format!(
            "INSERT INTO customer_addresses (store_id, customer_id, first_name, last_name, company, address1, address2, city, state_or_province, postal_code, country_code, phone, created_at) \
             SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13 \
             WHERE (SELECT COUNT(*) FROM customer_addresses WHERE store_id = $1 AND customer_id = $2) < $14 \
             RETURNING {COLS}"
        );
        let query = sqlx::query(&sql).bind(store_id).bind(customer_id);
        let row = bind_fields(query, a)
            .bind(now)
            .bind(limit)
            .fetch_optional(self.pool())
            .await?;
        row.as_ref().map(address_from).transpose()
    }

    /// Replaces every field of the customer's address `a.id`; false when they have no such
    /// address.
    pub async fn update_customer_address(
        &self,
        store_id: i64,
        customer_id: i64,
        a: &Address,
    ) -> Result<bool> {
        let query = sqlx::query(
            "UPDATE customer_addresses SET first_name = $1, last_name = $2, company = $3, address1 = $4, address2 = $5, city = $6, state_or_province = $7, postal_code = $8, country_code = $9, phone = $10 \
             WHERE store_id = $11 AND customer_id = $12 AND id = $13",
        );
        let done = bind_fields(query, a)
            .bind(store_id)
            .bind(customer_id)
            .bind(a.id)
            .execute(self.pool())
            .await?;
        Ok(done.rows_affected() > 0)
    }

    /// Deletes the customer's address; false when they have no such address.
    pub async fn delete_customer_address(
        &self,
        store_id: i64,
        customer_id: i64,
        id: i64,
    ) -> Result<bool> {
        let done = sqlx::query(
            "DELETE FROM customer_addresses WHERE store_id = $1 AND customer_id = $2 AND id = $3",
        )
        .bind(store_id)
        .bind(customer_id)
        .bind(id)
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() > 0)
    }
}
