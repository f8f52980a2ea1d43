//! B2B companies: a company, its users (a customer belongs to at most one company of a store)
//! and its addresses. Registering writes all three in one transaction, so a customer's second
//! registration, even a concurrent one, leaves nothing behind.

use crate::addresses::{address_from, bind_fields, Address, COLS as ADDRESS_COLS};
use crate::{get, Result, Store};

/// A company as registered. `extra_fields` and `files` are the JSON arrays the domain wrote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompanyRecord {
    pub id: i64,
    pub channel_id: i64,
    pub name: String,
    pub email: String,
    pub phone: String,
    pub status: String,
    pub extra_fields: String,
    pub files: String,
}

/// A customer's membership of a company: the company, the role and the user's extra fields.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompanyMembership {
    pub company: CompanyRecord,
    pub role: String,
    pub user_extra_fields: String,
}

/// What `register_company` writes: the company, its first user (the registering customer,
/// as `role`) and its first address (with its extra fields as JSON).
#[derive(Clone, Debug)]
pub struct NewCompany<'a> {
    pub store_id: i64,
    pub customer_id: i64,
    pub company: &'a CompanyRecord,
    pub role: &'a str,
    pub user_extra_fields: &'a str,
    pub address: &'a Address,
    pub address_extra_fields: &'a str,
}

fn company_from(r: &sqlx::any::AnyRow) -> Result<CompanyRecord> {
    Ok(CompanyRecord {
        id: get(r, "id")?,
        channel_id: get(r, "channel_id")?,
        name: get(r, "name")?,
        email: get(r, "email")?,
        phone: get(r, "phone")?,
        status: get(r, "status")?,
        extra_fields: get(r, "extra_fields")?,
        files: get(r, "files")?,
    })
}

impl Store {
    /// Registers a company with the customer as its first user; `None` (and nothing
    /// written) when the customer already belongs to a company of the store.
    pub async fn register_company(&self, c: &NewCompany<'_>, now: i64) -> Result<Option<i64>> {
        let mut tx = self.pool().begin().await?;
        let company = c.company;
        let id: i64 = sqlx::query(
            "INSERT INTO companies (store_id, channel_id, name, email, phone, status, extra_fields, files, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(c.store_id)
        .bind(company.channel_id)
        .bind(&company.name)
        .bind(&company.email)
        .bind(&company.phone)
        .bind(&company.status)
        .bind(&company.extra_fields)
        .bind(&company.files)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .and_then(|r| sqlx::Row::try_get(&r, "id"))?;
        let joined = sqlx::query(
            "INSERT INTO company_users (store_id, customer_id, company_id, role, extra_fields) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (store_id, customer_id) DO NOTHING",
        )
        .bind(c.store_id)
        .bind(c.customer_id)
        .bind(id)
        .bind(c.role)
        .bind(c.user_extra_fields)
        .execute(&mut *tx)
        .await?;
        if joined.rows_affected() != 1 {
            return Ok(None); // dropping the transaction rolls the company back
        }
        let sql = "INSERT INTO company_addresses (company_id, first_name, last_name, company, address1, address2, city, state_or_province, postal_code, country_code, phone, extra_fields) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)";
        bind_fields(sqlx::query(sql).bind(id), c.address)
            .bind(c.address_extra_fields)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(Some(id))
    }

    /// The company the customer belongs to in the store, if any.
    pub async fn company_of(
        &self,
        store_id: i64,
        customer_id: i64,
    ) -> Result<Option<CompanyMembership>> {
        let row = sqlx::query(
            "SELECT c.id, c.channel_id, c.name, c.email, c.phone, c.status, c.extra_fields, c.files, \
             u.role, u.extra_fields AS user_extra_fields \
             FROM company_users u JOIN companies c ON c.id = u.company_id \
             WHERE u.store_id = $1 AND u.customer_id = $2",
        )
        .bind(store_id)
        .bind(customer_id)
        .fetch_optional(self.pool())
        .await?;
        row.map(|r| {
            Ok(CompanyMembership {
                company: company_from(&r)?,
                role: get(&r, "role")?,
                user_extra_fields: get(&r, "user_extra_fields")?,
            })
        })
        .transpose()
    }

    /// A company's addresses in the order they were added, each with its extra fields' JSON;
    /// at most `limit` after id `after`.
    pub async fn company_addresses(
        &self,
        company_id: i64,
        after: i64,
        limit: i64,
    ) -> Result<Vec<(Address, String)>> {
        let sql = format!(
            "SELECT {ADDRESS_COLS}, extra_fields FROM company_addresses \
             WHERE company_id = $1 AND id > $2 ORDER BY id LIMIT $3"
        );
        let rows = sqlx::query(&sql)
            .bind(company_id)
            .bind(after)
            .bind(limit)
            .fetch_all(self.pool())
            .await?;
        rows.iter()
            .map(|r| Ok((address_from(r)?, get(r, "extra_fields")?)))
            .collect()
    }
}
