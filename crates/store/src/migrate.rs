//! Schema migrations: an ordered list per backend, applied once each, under a lock so that
//! several instances starting together migrate exactly once.

use sqlx::Executor;

use crate::{Backend, Result, Store, StoreError};

const SQLITE: &[(i64, &str)] = &[
    (1, include_str!("../migrations/sqlite/0001_init.sql")),
    (2, include_str!("../migrations/sqlite/0002_customers.sql")),
    (3, include_str!("../migrations/sqlite/0003_commerce.sql")),
    (4, include_str!("../migrations/sqlite/0004_hardening.sql")),
    (
        5,
        include_str!("../migrations/sqlite/0005_storefront_content.sql"),
    ),
    (
        6,
        include_str!("../migrations/sqlite/0006_product_page.sql"),
    ),
    (
        7,
        include_str!("../migrations/sqlite/0007_order_options.sql"),
    ),
    (
        8,
        include_str!("../migrations/sqlite/0008_customer_addresses.sql"),
    ),
    (
        9,
        include_str!("../migrations/sqlite/0009_store_images.sql"),
    ),
    (10, include_str!("../migrations/sqlite/0010_newsletter.sql")),
    (
        11,
        include_str!("../migrations/sqlite/0011_newsletter_counts.sql"),
    ),
    (
        12,
        include_str!("../migrations/sqlite/0012_password_resets.sql"),
    ),
    (
        13,
        include_str!("../migrations/sqlite/0013_order_details.sql"),
    ),
    (
        14,
        include_str!("../migrations/sqlite/0014_checkout_shipping.sql"),
    ),
    (15, include_str!("../migrations/sqlite/0015_coupons.sql")),
    (16, include_str!("../migrations/sqlite/0016_companies.sql")),
    (
        17,
        include_str!("../migrations/sqlite/0017_tax_providers.sql"),
    ),
    (
        18,
        include_str!("../migrations/sqlite/0018_shipping_carriers.sql"),
    ),
    (
        19,
        include_str!("../migrations/sqlite/0019_checkout_billing.sql"),
    ),
    (
        20,
        include_str!("../migrations/sqlite/0020_checkout_links.sql"),
    ),
    (
        21,
        include_str!("../migrations/sqlite/0021_token_use_details.sql"),
    ),
    (22, include_str!("../migrations/sqlite/0022_rehearsal.sql")),
    (
        23,
        include_str!("../migrations/sqlite/0023_store_clocks.sql"),
    ),
    (
        24,
        include_str!("../migrations/sqlite/0024_store_seed_states.sql"),
    ),
    (
        25,
        include_str!("../migrations/sqlite/0025_assertion_keys.sql"),
    ),
];
const POSTGRES: &[(i64, &str)] = &[
    (1, include_str!("../migrations/postgres/0001_init.sql")),
    (2, include_str!("../migrations/postgres/0002_customers.sql")),
    (3, include_str!("../migrations/postgres/0003_commerce.sql")),
    (4, include_str!("../migrations/postgres/0004_hardening.sql")),
    (
        5,
        include_str!("../migrations/postgres/0005_storefront_content.sql"),
    ),
    (
        6,
        include_str!("../migrations/postgres/0006_product_page.sql"),
    ),
    (
        7,
        include_str!("../migrations/postgres/0007_order_options.sql"),
    ),
    (
        8,
        include_str!("../migrations/postgres/0008_customer_addresses.sql"),
    ),
    (
        9,
        include_str!("../migrations/postgres/0009_store_images.sql"),
    ),
    (
        10,
        include_str!("../migrations/postgres/0010_newsletter.sql"),
    ),
    (
        11,
        include_str!("../migrations/postgres/0011_newsletter_counts.sql"),
    ),
    (
        12,
        include_str!("../migrations/postgres/0012_password_resets.sql"),
    ),
    (
        13,
        include_str!("../migrations/postgres/0013_order_details.sql"),
    ),
    (
        14,
        include_str!("../migrations/postgres/0014_checkout_shipping.sql"),
    ),
    (15, include_str!("../migrations/postgres/0015_coupons.sql")),
    (
        16,
        include_str!("../migrations/postgres/0016_companies.sql"),
    ),
    (
        17,
        include_str!("../migrations/postgres/0017_tax_providers.sql"),
    ),
    (
        18,
        include_str!("../migrations/postgres/0018_shipping_carriers.sql"),
    ),
    (
        19,
        include_str!("../migrations/postgres/0019_checkout_billing.sql"),
    ),
    (
        20,
        include_str!("../migrations/postgres/0020_checkout_links.sql"),
    ),
    (
        21,
        include_str!("../migrations/postgres/0021_token_use_details.sql"),
    ),
    (
        22,
        include_str!("../migrations/postgres/0022_rehearsal.sql"),
    ),
    (
        23,
        include_str!("../migrations/postgres/0023_store_clocks.sql"),
    ),
    (
        24,
        include_str!("../migrations/postgres/0024_store_seed_states.sql"),
    ),
    (
        25,
        include_str!("../migrations/postgres/0025_assertion_keys.sql"),
    ),
];

/// Arbitrary constant naming our advisory lock.
const PG_LOCK_KEY: i64 = 0x5f_a0_7e_01;

pub(crate) async fn run(store: &Store) -> Result<()> {
    let mut conn = store.pool().acquire().await?;
    let steps = match store.backend() {
        Backend::Sqlite => SQLITE,
        Backend::Postgres => POSTGRES,
    };
    if store.backend() == Backend::Postgres {
        conn.execute(format!("SELECT pg_advisory_lock({PG_LOCK_KEY})").as_str())
            .await?;
    }
    let result = apply(&mut conn, steps, store.backend()).await;
    if store.backend() == Backend::Postgres {
        conn.execute(format!("SELECT pg_advisory_unlock({PG_LOCK_KEY})").as_str())
            .await?;
    }
    result
}

async fn apply(
    conn: &mut sqlx::pool::PoolConnection<sqlx::Any>,
    steps: &[(i64, &str)],
    backend: Backend,
) -> Result<()> {
    conn.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_at BIGINT NOT NULL)")
        .await?;
    let begin = if backend == Backend::Sqlite {
        "BEGIN IMMEDIATE"
    } else {
        "BEGIN"
    };
    for (version, sql) in steps {
        conn.execute(begin).await?;
        let applied: Option<i64> =
            sqlx::query_scalar("SELECT version FROM schema_migrations WHERE version = $1")
                .bind(*version)
                .fetch_optional(&mut **conn)
                .await?;
        if applied.is_some() {
            conn.execute("COMMIT").await?;
            continue;
        }
        let outcome = async {
            sqlx::raw_sql(sql).execute(&mut **conn).await?;
            sqlx::query("INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)")
                .bind(*version)
                .bind(storefront_auth_core::clock::system_now())
                .execute(&mut **conn)
                .await?;
            Ok::<_, sqlx::Error>(())
        }
        .await;
        match outcome {
            Ok(()) => {
                conn.execute("COMMIT").await?;
            }
            Err(e) => {
                let _ = conn.execute("ROLLBACK").await;
                return Err(StoreError::Unavailable(format!(
                    "migration {version} failed: {e}"
                )));
            }
        }
    }
    Ok(())
}
