//! Shipping: a store's shipping methods, and a checkout's consignments (where its lines ship
//! and the option chosen). A consignment belongs to its cart and goes with it.

use crate::carts::step_open_cart;
use crate::{get, Result, Store, StoreError};

/// A shipping method as stored: `kind` is `flat`, `per_item` or `free`; `countries` is
/// comma-separated, empty for everywhere.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShippingMethodRecord {
    pub id: i64,
    pub store_id: i64,
    pub name: String,
    pub kind: String,
    pub rate_cents: i64,
    pub countries: String,
}

/// Where a consignment ships: only the country is required (a shipping estimate needs no
/// more).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ConsignmentAddress {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub email: Option<String>,
    pub company: Option<String>,
    pub address1: Option<String>,
    pub address2: Option<String>,
    pub city: Option<String>,
    pub state_or_province: Option<String>,
    pub postal_code: Option<String>,
    pub country_code: String,
    pub phone: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Consignment {
    pub id: String,
    pub address: ConsignmentAddress,
    pub line_item_ids: Vec<String>,
    /// The chosen option's id: a shipping method's id in decimal, or a carrier quote's id.
    pub selected_option: Option<String>,
}

/// One change of a checkout's consignments.
pub enum ConsignmentChange<'a> {
    /// New consignments.
    Add(&'a [Consignment]),
    /// A consignment's address and lines replaced; its chosen option is cleared.
    Replace(&'a Consignment),
    /// An option chosen for a consignment, by its id.
    Select { id: &'a str, option_id: &'a str },
}

pub(crate) const ADDRESS_COLS: &str = "first_name, last_name, email, company, address1, address2, city, state_or_province, postal_code, country_code, phone";

/// The address columns (`ADDRESS_COLS`) of a row.
pub(crate) fn address_from(row: &sqlx::any::AnyRow) -> Result<ConsignmentAddress> {
    Ok(ConsignmentAddress {
        first_name: get(row, "first_name")?,
        last_name: get(row, "last_name")?,
        email: get(row, "email")?,
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

fn consignment_from(row: &sqlx::any::AnyRow) -> Result<Consignment> {
    let ids: String = get(row, "line_item_ids")?;
    Ok(Consignment {
        id: get(row, "id")?,
        address: address_from(row)?,
        line_item_ids: serde_json::from_str(&ids)
            .map_err(|e| StoreError::Corrupt(format!("consignment line ids: {e}")))?,
        // Written as text since migration 18 (which clears the method id); a method id is
        // what an instance of the previous version wrote, and is the newer choice.
        selected_option: get::<Option<i64>>(row, "selected_method_id")?
            .map(|m| m.to_string())
            .or(get::<Option<String>>(row, "selected_option")?),
    })
}

pub(crate) type Query<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>;

pub(crate) fn bind_address<'q>(q: Query<'q>, a: &'q ConsignmentAddress) -> Query<'q> {
    q.bind(&a.first_name)
        .bind(&a.last_name)
        .bind(&a.email)
        .bind(&a.company)
        .bind(&a.address1)
        .bind(&a.address2)
        .bind(&a.city)
        .bind(&a.state_or_province)
        .bind(&a.postal_code)
        .bind(&a.country_code)
        .bind(&a.phone)
}

fn ids_json(ids: &[String]) -> String {
    serde_json::Value::from(ids.to_vec()).to_string()
}

impl Store {
    /// Adds a shipping method unless the store has `max` already (`None`).
    pub async fn create_shipping_method(
        &self,
        m: &ShippingMethodRecord,
        max: i64,
        now: i64,
    ) -> Result<Option<ShippingMethodRecord>> {
        let row = sqlx::query(
            "INSERT INTO shipping_methods (store_id, name, kind, rate_cents, countries, created_at) \
             SELECT $1, $2, $3, $4, $5, $6 \
             WHERE (SELECT COUNT(*) FROM shipping_methods WHERE store_id = $1) < $7 RETURNING id",
        )
        .bind(m.store_id)
        .bind(&m.name)
        .bind(&m.kind)
        .bind(m.rate_cents)
        .bind(&m.countries)
        .bind(now)
        .bind(max)
        .fetch_optional(self.pool())
        .await?;
        row.map(|r| {
            Ok(ShippingMethodRecord {
                id: get(&r, "id")?,
                ..m.clone()
            })
        })
        .transpose()
    }

    /// The store's shipping methods, oldest first.
    pub async fn shipping_methods(&self, store_id: i64) -> Result<Vec<ShippingMethodRecord>> {
        sqlx::query("SELECT id, store_id, name, kind, rate_cents, countries FROM shipping_methods WHERE store_id = $1 ORDER BY id")
            .bind(store_id)
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(|r| {
                Ok(ShippingMethodRecord {
                    id: get(r, "id")?,
                    store_id: get(r, "store_id")?,
                    name: get(r, "name")?,
                    kind: get(r, "kind")?,
                    rate_cents: get(r, "rate_cents")?,
                    countries: get(r, "countries")?,
                })
            })
            .collect()
    }

    pub async fn delete_shipping_method(&self, store_id: i64, id: i64) -> Result<bool> {
        let done = sqlx::query("DELETE FROM shipping_methods WHERE store_id = $1 AND id = $2")
            .bind(store_id)
            .bind(id)
            .execute(self.pool())
            .await?;
        Ok(done.rows_affected() > 0)
    }

    /// A checkout's consignments, oldest first.
    pub async fn consignments(&self, cart_id: &str) -> Result<Vec<Consignment>> {
        sqlx::query(&format!(
            "SELECT id, {ADDRESS_COLS}, line_item_ids, selected_method_id, selected_option FROM checkout_consignments WHERE cart_id = $1 ORDER BY created_at, id"
        ))
        .bind(cart_id)
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(consignment_from)
        .collect()
    }

    /// Makes one change of a checkout's consignments as one change of its open cart at
    /// `version` (the cart's version moves on). `false`: the cart moved on or was ordered, and
    /// nothing was written.
    pub async fn change_consignments(
        &self,
        cart_id: &str,
        version: i64,
        change: ConsignmentChange<'_>,
        now: i64,
    ) -> Result<bool> {
        let mut tx = self.pool().begin().await?;
        if !step_open_cart(&mut tx, cart_id, version, now).await? {
            return Ok(false);
        }
        match change {
            ConsignmentChange::Add(added) => {
                let sql = format!(
                    "INSERT INTO checkout_consignments (id, cart_id, {ADDRESS_COLS}, line_item_ids, selected_method_id, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, NULL, $15, $15)"
                );
                for c in added {
                    let q = sqlx::query(&sql).bind(&c.id).bind(cart_id);
                    bind_address(q, &c.address)
                        .bind(ids_json(&c.line_item_ids))
                        .bind(now)
                        .execute(&mut *tx)
                        .await?;
                }
            }
            ConsignmentChange::Replace(c) => {
                let q = sqlx::query(
                    "UPDATE checkout_consignments SET first_name = $1, last_name = $2, email = $3, company = $4, address1 = $5, address2 = $6, city = $7, state_or_province = $8, postal_code = $9, country_code = $10, phone = $11, \
                     line_item_ids = $12, selected_method_id = NULL, selected_option = NULL, updated_at = $13 WHERE cart_id = $14 AND id = $15",
                );
                bind_address(q, &c.address)
                    .bind(ids_json(&c.line_item_ids))
                    .bind(now)
                    .bind(cart_id)
                    .bind(&c.id)
                    .execute(&mut *tx)
                    .await?;
            }
            ConsignmentChange::Select { id, option_id } => {
                sqlx::query("UPDATE checkout_consignments SET selected_option = $1, selected_method_id = NULL, updated_at = $2 WHERE cart_id = $3 AND id = $4")
                    .bind(option_id)
                    .bind(now)
                    .bind(cart_id)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        tx.commit().await?;
        Ok(true)
    }
}
