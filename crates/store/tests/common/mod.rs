//! What every storage contract test needs: a fresh store on SQLite and, when
//! `TEST_DATABASE_URL` is set, on PostgreSQL (each in a fresh schema), and a store record.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use storefront_auth_store::*;

pub async fn sqlite() -> (Store, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite://{}/data.db", dir.path().display());
    (Store::open(&url).await.expect("open sqlite"), dir)
}

pub async fn postgres() -> Option<Store> {
    let base = std::env::var("TEST_DATABASE_URL").ok()?;
    sqlx::any::install_default_drivers();
    let schema = format!(
        "contract_{}",
        storefront_auth_core::secret::random_alnum(12)
    );
    let admin = sqlx::AnyPool::connect(&base)
        .await
        .expect("connect TEST_DATABASE_URL");
    sqlx::query(&format!("CREATE SCHEMA {schema}"))
        .execute(&admin)
        .await
        .expect("schema");
    admin.close().await;
    let sep = if base.contains('?') { '&' } else { '?' };
    let url = format!("{base}{sep}options=-c%20search_path%3D{schema}");
    Some(Store::open(&url).await.expect("open postgres"))
}

/// Runs `body` against SQLite and, when configured, PostgreSQL.
macro_rules! contract {
    ($name:ident, $body:expr) => {
        #[tokio::test]
        async fn $name() {
            let (store, _dir) = $crate::common::sqlite().await;
            ($body)(store).await;
            if let Some(store) = $crate::common::postgres().await {
                ($body)(store).await;
            }
        }
    };
}

pub async fn demo_store(s: &Store) -> StoreRecord {
    s.create_store(
        1_000_000_001,
        "abc123",
        "Shop",
        "http://localhost:3000",
        100,
    )
    .await
    .expect("store")
}
