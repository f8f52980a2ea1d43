//! Removing a store and everything it owns (development mode's isolated stores, issue 20).

use crate::{get, Backend, Result, Store};

/// A transaction on either backend.
pub(crate) type Tx<'c> = sqlx::Transaction<'c, sqlx::Any>;

/// Rows owned through a parent of the store, removed first: (table, column, parent table,
/// the parent's key, the parent's column naming the store).
pub(crate) const CHILDREN: [(&str, &str, &str, &str, &str); 12] = [
    (
        "wishlist_items",
        "wishlist_id",
        "wishlists",
        "id",
        "store_id",
    ),
    ("cart_items", "cart_id", "carts", "id", "store_id"),
    (
        "checkout_consignments",
        "cart_id",
        "carts",
        "id",
        "store_id",
    ),
    ("checkout_coupons", "cart_id", "carts", "id", "store_id"),
    (
        "checkout_billing_addresses",
        "cart_id",
        "carts",
        "id",
        "store_id",
    ),
    ("order_lines", "order_id", "orders", "id", "store_id"),
    ("order_addresses", "order_id", "orders", "id", "store_id"),
    (
        "company_addresses",
        "company_id",
        "companies",
        "id",
        "store_id",
    ),
    (
        "token_use_details",
        "jti",
        "issued_tokens",
        "jti",
        "store_id",
    ),
    // Other stores' connections to a carrier this store registered (none today: a store's
    // own carriers are listed to it alone, but the schema allows them).
    (
        "carrier_connections",
        "carrier_id",
        "shipping_carriers",
        "id",
        "owner_store_id",
    ),
    // Installs of an app this store registered (on any store) and their pending codes.
    (
        "app_installs",
        "app_client_id",
        "apps",
        "client_id",
        "owner_store_id",
    ),
    (
        "oauth_codes",
        "app_client_id",
        "apps",
        "client_id",
        "owner_store_id",
    ),
];

/// Providers a store registered for itself alone: (table, its column naming the store).
pub(crate) const OWNED_PROVIDERS: [(&str, &str); 3] = [
    ("tax_providers", "owner_store_id"),
    ("shipping_carriers", "owner_store_id"),
    ("apps", "owner_store_id"),
];

/// Tables with a `store_id`, children before the rows they point at. A contract test fails
/// when a table with a `store_id` is missing here.
pub const OWNED_TABLES: [&str; 41] = [
    "store_seed_states",
    "checkout_links",
    "payment_access_tokens",
    "payments",
    "orders",
    "carts",
    "wishlists",
    "company_users",
    "companies",
    "customer_addresses",
    "password_resets",
    "customer_sessions",
    "newsletter_subscribers",
    "newsletter_counts",
    "mail_outbox",
    "login_failures",
    "used_login_jtis",
    "login_attempts",
    "token_origins",
    "auto_tokens",
    "issued_tokens",
    "oauth_codes",
    "app_installs",
    "product_categories",
    "product_option_values",
    "product_options",
    "product_custom_fields",
    "products",
    "categories",
    "brands",
    "web_pages",
    "store_images",
    "shipping_methods",
    "coupons",
    "tax_connections",
    "carrier_connections",
    "customers",
    "customer_groups",
    "api_accounts",
    "channels",
    "store_clock_changes",
];

impl Store {
    /// Removes the store and every row it owns, in one transaction; `false` if there was no
    /// such store.
    pub async fn delete_store(&self, store_id: i64) -> Result<bool> {
        let mut tx = self.pool().begin().await?;
        delete_owned(&mut tx, store_id, false).await?;
        let done = sqlx::query("DELETE FROM stores WHERE id = $1")
            .bind(store_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(done.rows_affected() == 1)
    }

    /// Every table with a `store_id` column, as the database's own catalog lists them.
    pub async fn tables_with_store_id(&self) -> Result<Vec<String>> {
        let sql = match self.backend() {
            Backend::Sqlite => {
                "SELECT m.name AS name FROM sqlite_master m JOIN pragma_table_info(m.name) p \
                 WHERE m.type = 'table' AND p.name = 'store_id' ORDER BY m.name"
            }
            Backend::Postgres => {
                "SELECT CAST(table_name AS TEXT) AS name FROM information_schema.columns \
                 WHERE column_name = 'store_id' AND table_schema = current_schema() ORDER BY table_name"
            }
        };
        let rows = sqlx::query(sql).fetch_all(self.pool()).await?;
        rows.iter().map(|r| get(r, "name")).collect()
    }

    /// How many rows each table holds for `store_id` (tables holding none are left out).
    pub async fn owned_rows(&self, store_id: i64) -> Result<Vec<(String, i64)>> {
        let mut out = Vec::new();
        for table in self.tables_with_store_id().await? {
            let n: i64 =
                sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table} WHERE store_id = $1"))
                    .bind(store_id)
                    .fetch_one(self.pool())
                    .await?;
            if n > 0 {
                out.push((table, n));
            }
        }
        Ok(out)
    }
}

/// Deletes every row the store owns except its `stores` row (and, with `keep_seed_state`, its
/// kept seed state), children first.
pub(crate) async fn delete_owned(
    tx: &mut Tx<'_>,
    store_id: i64,
    keep_seed_state: bool,
) -> Result<()> {
    for (table, column, parent, key, owner) in CHILDREN {
        sqlx::query(&format!(
            "DELETE FROM {table} WHERE {column} IN (SELECT {key} FROM {parent} WHERE {owner} = $1)"
        ))
        .bind(store_id)
        .execute(&mut **tx)
        .await?;
    }
    let owned = OWNED_TABLES.iter();
    for table in owned.filter(|t| !(keep_seed_state && **t == "store_seed_states")) {
        sqlx::query(&format!("DELETE FROM {table} WHERE store_id = $1"))
            .bind(store_id)
            .execute(&mut **tx)
            .await?;
    }
    // Other stores' connections to a tax provider this store registered, then its providers.
    sqlx::query(
        "DELETE FROM tax_connections WHERE provider_id IN \
         (SELECT id FROM tax_providers WHERE owner_store_id = $1)",
    )
    .bind(store_id)
    .execute(&mut **tx)
    .await?;
    for (table, owner) in OWNED_PROVIDERS {
        sqlx::query(&format!("DELETE FROM {table} WHERE {owner} = $1"))
            .bind(store_id)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}
