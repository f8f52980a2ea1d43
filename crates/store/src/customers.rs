//! Customer groups and customers. Emails are unique per store, case-insensitively; passwords
//! arrive already hashed (Argon2id, computed by the caller off the async threads).

use crate::{get, Result, Store};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CustomerGroup {
    pub id: i64,
    pub store_id: i64,
    pub name: String,
    /// Price discount in basis points (1000 = 10 %).
    pub discount_bp: i64,
}

/// `Debug` leaves the password hash out.
#[derive(Clone, PartialEq, Eq)]
pub struct Customer {
    pub id: i64,
    pub store_id: i64,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub phone: String,
    pub group_id: Option<i64>,
    pub password_hash: String,
    pub created_at: i64,
}

impl std::fmt::Debug for Customer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Customer")
            .field("id", &self.id)
            .field("store_id", &self.store_id)
            .field("email", &self.email)
            .field("first_name", &self.first_name)
            .field("last_name", &self.last_name)
            .field("phone", &self.phone)
            .field("group_id", &self.group_id)
            .field("password_hash", &"<redacted>")
            .field("created_at", &self.created_at)
            .finish()
    }
}

pub struct NewCustomer<'a> {
    pub store_id: i64,
    pub email: &'a str,
    pub first_name: &'a str,
    pub last_name: &'a str,
    pub phone: &'a str,
    pub group_id: Option<i64>,
    pub password_hash: &'a str,
}

const COLS: &str =
    "id, store_id, email, first_name, last_name, phone, group_id, password_hash, created_at";

fn customer_from(row: &sqlx::any::AnyRow) -> Result<Customer> {
    Ok(Customer {
        id: get(row, "id")?,
        store_id: get(row, "store_id")?,
        email: get(row, "email")?,
        first_name: get(row, "first_name")?,
        last_name: get(row, "last_name")?,
        phone: get(row, "phone")?,
        group_id: get(row, "group_id")?,
        password_hash: get(row, "password_hash")?,
        created_at: get(row, "created_at")?,
    })
}

fn group_from(row: &sqlx::any::AnyRow) -> Result<CustomerGroup> {
    Ok(CustomerGroup {
        id: get(row, "id")?,
        store_id: get(row, "store_id")?,
        name: get(row, "name")?,
        discount_bp: get(row, "discount_bp")?,
    })
}

impl Store {
    pub async fn create_customer_group(
        &self,
        store_id: i64,
        name: &str,
        discount_bp: i64,
    ) -> Result<CustomerGroup> {
        let row = sqlx::query(
            "INSERT INTO customer_groups (store_id, name, discount_bp) VALUES ($1, $2, $3) RETURNING id, store_id, name, discount_bp",
        )
        .bind(store_id)
        .bind(name)
        .bind(discount_bp)
        .fetch_one(self.pool())
        .await?;
        group_from(&row)
    }

    pub async fn customer_groups(&self, store_id: i64) -> Result<Vec<CustomerGroup>> {
        let rows = sqlx::query("SELECT id, store_id, name, discount_bp FROM customer_groups WHERE store_id = $1 ORDER BY id")
            .bind(store_id)
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(group_from).collect()
    }

    pub async fn customer_group(&self, store_id: i64, id: i64) -> Result<Option<CustomerGroup>> {
        let row = sqlx::query("SELECT id, store_id, name, discount_bp FROM customer_groups WHERE store_id = $1 AND id = $2")
            .bind(store_id)
            .bind(id)
            .fetch_optional(self.pool())
            .await?;
        row.as_ref().map(group_from).transpose()
    }

    /// Creates a customer; a taken email (any case) is `StoreError::Conflict`.
    pub async fn create_customer(&self, new: NewCustomer<'_>, now: i64) -> Result<Customer> {
        let row = sqlx::query(&format!(
            "INSERT INTO customers (store_id, email, email_lower, first_name, last_name, phone, group_id, password_hash, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING {COLS}"
        ))
        .bind(new.store_id)
        .bind(new.email)
        .bind(new.email.to_lowercase())
        .bind(new.first_name)
        .bind(new.last_name)
        .bind(new.phone)
        .bind(new.group_id)
        .bind(new.password_hash)
        .bind(now)
        .fetch_one(self.pool())
        .await?;
        customer_from(&row)
    }

    /// Sets a customer's name, email and phone; a taken email (any case) is
    /// `StoreError::Conflict` (the unique index decides, so two racing changes cannot both
    /// take it). `None` when there is no such customer.
    pub async fn update_customer_profile(&self, c: &Customer) -> Result<Option<Customer>> {
        let row = sqlx::query(&format!(
            "UPDATE customers SET email = $1, email_lower = $2, first_name = $3, last_name = $4, phone = $5
             WHERE store_id = $6 AND id = $7 RETURNING {COLS}"
        ))
        .bind(&c.email)
        .bind(c.email.to_lowercase())
        .bind(&c.first_name)
        .bind(&c.last_name)
        .bind(&c.phone)
        .bind(c.store_id)
        .bind(c.id)
        .fetch_optional(self.pool())
        .await?;
        row.as_ref().map(customer_from).transpose()
    }

    /// Replaces a customer's password hash; false when there is no such customer.
    pub async fn set_customer_password(&self, store_id: i64, id: i64, hash: &str) -> Result<bool> {
        let done =
            sqlx::query("UPDATE customers SET password_hash = $1 WHERE store_id = $2 AND id = $3")
                .bind(hash)
                .bind(store_id)
                .bind(id)
                .execute(self.pool())
                .await?;
        Ok(done.rows_affected() > 0)
    }

    pub async fn customer(&self, store_id: i64, id: i64) -> Result<Option<Customer>> {
        let row = sqlx::query(&format!(
            "SELECT {COLS} FROM customers WHERE store_id = $1 AND id = $2"
        ))
        .bind(store_id)
        .bind(id)
        .fetch_optional(self.pool())
        .await?;
        row.as_ref().map(customer_from).transpose()
    }

    pub async fn customer_by_email(&self, store_id: i64, email: &str) -> Result<Option<Customer>> {
        let row = sqlx::query(&format!(
            "SELECT {COLS} FROM customers WHERE store_id = $1 AND email_lower = $2"
        ))
        .bind(store_id)
        .bind(email.to_lowercase())
        .fetch_optional(self.pool())
        .await?;
        row.as_ref().map(customer_from).transpose()
    }

    pub async fn customers(
        &self,
        store_id: i64,
        limit: i64,
        after_id: i64,
    ) -> Result<Vec<Customer>> {
        let rows = sqlx::query(&format!(
            "SELECT {COLS} FROM customers WHERE store_id = $1 AND id > $2 ORDER BY id LIMIT $3"
        ))
        .bind(store_id)
        .bind(after_id)
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(customer_from).collect()
    }
}

impl Store {
    /// The ids of every customer of the store.
    pub async fn customer_ids(&self, store_id: i64) -> Result<Vec<i64>> {
        let rows = sqlx::query("SELECT id FROM customers WHERE store_id = $1")
            .bind(store_id)
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(|r| get(r, "id")).collect()
    }
}
