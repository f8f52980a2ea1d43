//! What an order's details show beyond its lines: the billing and shipping addresses as they
//! were when it was placed, and the payments made for it.

use crate::addresses::{address_from, bind_fields};
use crate::{get, Address, Result, Store};

/// An address kept with an order: a copy, so later edits of the address book leave it alone.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OrderAddress {
    pub address: Address,
    pub email: Option<String>,
}

/// An order's addresses; either may be missing (a guest order placed without one).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OrderAddresses {
    pub billing: Option<OrderAddress>,
    pub shipping: Option<OrderAddress>,
}

/// A payment as recorded: `status` is `success`, `declined` or `duplicate` (an extra success
/// set aside by migration 4); only a card's brand and last four digits are kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PaymentRecord {
    pub id: String,
    pub status: String,
    pub amount_cents: i64,
    pub method_id: Option<String>,
    pub card_brand: Option<String>,
    pub card_last4: Option<String>,
    pub created_at: i64,
}

pub(crate) async fn insert_order_address(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    order_id: i64,
    kind: &str,
    a: &OrderAddress,
) -> Result<()> {
    let query = sqlx::query(
        "INSERT INTO order_addresses (order_id, kind, first_name, last_name, company, address1, address2, city, state_or_province, postal_code, country_code, phone, email) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
    )
    .bind(order_id)
    .bind(kind);
    bind_fields(query, &a.address)
        .bind(&a.email)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

impl Store {
    /// The addresses kept with an order.
    pub async fn order_addresses(&self, order_id: i64) -> Result<OrderAddresses> {
        let rows = sqlx::query(
            "SELECT kind, email, order_id AS id, first_name, last_name, company, address1, address2, city, state_or_province, postal_code, country_code, phone \
             FROM order_addresses WHERE order_id = $1",
        )
        .bind(order_id)
        .fetch_all(self.pool())
        .await?;
        let mut found = OrderAddresses::default();
        for row in &rows {
            let kept = OrderAddress {
                address: address_from(row)?,
                email: get(row, "email")?,
            };
            match get::<String>(row, "kind")?.as_str() {
                "billing" => found.billing = Some(kept),
                _ => found.shipping = Some(kept),
            }
        }
        Ok(found)
    }

    /// The payments made for an order, oldest first. Within one second the success comes
    /// last: once an order is paid no further payment of it is recorded.
    pub async fn order_payments(&self, order_id: i64) -> Result<Vec<PaymentRecord>> {
        sqlx::query(
            "SELECT id, status, amount_cents, method_id, card_brand, card_last4, created_at FROM payments \
             WHERE order_id = $1 ORDER BY created_at, CASE WHEN status = 'success' THEN 1 ELSE 0 END, id",
        )
        .bind(order_id)
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|r| {
            Ok(PaymentRecord {
                id: get(r, "id")?,
                status: get(r, "status")?,
                amount_cents: get(r, "amount_cents")?,
                method_id: get(r, "method_id")?,
                card_brand: get(r, "card_brand")?,
                card_last4: get(r, "card_last4")?,
                created_at: get(r, "created_at")?,
            })
        })
        .collect()
    }
}
