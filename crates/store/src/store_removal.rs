//! Removing a store and everything it owns (development mode's isolated stores, issue 20).

use crate::{get, Backend, Result, Store};

/// Rows owned through a parent of the store, removed first: (table, column, parent query).
const CHILDREN: [(&str, &str, &str); 10] = [
    (
        "wishlist_items",
        "wishlist_id",
        "SELECT id FROM wishlists WHERE store_id = $1",
    ),
    (
        "cart_items",
        "cart_id",
        "SELECT id FROM carts WHERE store_id = $1",
    ),
    (
        "checkout_consignments",
        "cart_id",
        "SELECT id FROM carts WHERE store_id = $1",
    ),
    (
        "checkout_coupons",
        "cart_id",
        "SELECT id FROM carts WHERE store_id = $1",
    ),
    (
        "checkout_billing_addresses",
        "cart_id",
        "SELECT id FROM carts WHERE store_id = $1",
    ),
    (
        "order_lines",
        "order_id",
        "SELECT id FROM orders WHERE store_id = $1",
    ),
    (
        "order_addresses",
        "order_id",
        "SELECT id FROM orders WHERE store_id = $1",
    ),
    (
        "company_addresses",
        "company_id",
        "SELECT id FROM companies WHERE store_id = $1",
    ),
    (
        "token_use_details",
        "jti",
        "SELECT jti FROM issued_tokens WHERE store_id = $1",
    ),
    (
        "carrier_connections",
        "carrier_id",
        "SELECT id FROM shipping_carriers WHERE owner_store_id = $1",
    ),
];

/// Tables with a `store_id`, children before the rows they point at. A contract test fails
/// when a table with a `store_id` is missing here.
pub const OWNED_TABLES: [&str; 40] = [
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
        for (table, column, parents) in CHILDREN {
            sqlx::query(&format!(
                "DELETE FROM {table} WHERE {column} IN ({parents})"
            ))
            .bind(store_id)
            .execute(&mut *tx)
            .await?;
        }
        for table in OWNED_TABLES {
            sqlx::query(&format!("DELETE FROM {table} WHERE store_id = $1"))
                .bind(store_id)
                .execute(&mut *tx)
                .await?;
        }
        // Providers the store registered for itself alone (other stores' connections to them
        // went with the children above).
        for table in ["tax_connections", "tax_providers", "shipping_carriers"] {
            let filter = match table {
                "tax_connections" => {
                    "provider_id IN (SELECT id FROM tax_providers WHERE owner_store_id = $1)"
                }
                _ => "owner_store_id = $1",
            };
            sqlx::query(&format!("DELETE FROM {table} WHERE {filter}"))
                .bind(store_id)
                .execute(&mut *tx)
                .await?;
        }
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
