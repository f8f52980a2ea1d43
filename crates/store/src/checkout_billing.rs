//! A checkout's billing address: set as one change of the open cart at the version read (so
//! it cannot race another change unseen), kept until the cart goes.

use crate::carts::step_open_cart;
use crate::shipping::{address_from, bind_address, ADDRESS_COLS};
use crate::{ConsignmentAddress, Result, Store};

impl Store {
    /// Sets the checkout's billing address at cart `version`; `false`: the cart moved on or
    /// was ordered, and nothing was written.
    pub async fn set_checkout_billing(
        &self,
        cart_id: &str,
        version: i64,
        address: &ConsignmentAddress,
        now: i64,
    ) -> Result<bool> {
        let mut tx = self.pool().begin().await?;
        if !step_open_cart(&mut tx, cart_id, version, now).await? {
            return Ok(false);
        }
        let sql = format!(
            "INSERT INTO checkout_billing_addresses (cart_id, {ADDRESS_COLS}, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) \
             ON CONFLICT (cart_id) DO UPDATE SET first_name = excluded.first_name, \
             last_name = excluded.last_name, email = excluded.email, company = excluded.company, \
             address1 = excluded.address1, address2 = excluded.address2, city = excluded.city, \
             state_or_province = excluded.state_or_province, postal_code = excluded.postal_code, \
             country_code = excluded.country_code, phone = excluded.phone, updated_at = excluded.updated_at"
        );
        bind_address(sqlx::query(&sql).bind(cart_id), address)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(true)
    }

    pub async fn checkout_billing(&self, cart_id: &str) -> Result<Option<ConsignmentAddress>> {
        let row = sqlx::query(&format!(
            "SELECT {ADDRESS_COLS} FROM checkout_billing_addresses WHERE cart_id = $1"
        ))
        .bind(cart_id)
        .fetch_optional(self.pool())
        .await?;
        row.as_ref().map(address_from).transpose()
    }
}
