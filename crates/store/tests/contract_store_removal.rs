//! Removing a store removes everything it owns and nothing of another store; every table with
//! a `store_id` is one the removal knows. On SQLite and (with `TEST_DATABASE_URL`) PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use storefront_auth_store::*;

#[macro_use]
mod common;

contract!(
    a_removed_store_leaves_no_row_and_others_keep_theirs,
    |s: Store| async move {
        for table in s.tables_with_store_id().await.unwrap() {
            assert!(
                OWNED_TABLES.contains(&table.as_str()),
                "{table} has a store_id but delete_store does not remove its rows"
            );
        }
        let gone = s
            .create_store(1_000_000_001, "gone", "Gone", "http://localhost:4000", 1)
            .await
            .unwrap();
        let kept = s
            .create_store(1_000_000_002, "kept", "Kept", "http://localhost:4000", 1)
            .await
            .unwrap();
        for st in [&gone, &kept] {
            s.create_channel(st.id, "Second", "http://localhost:4001", 1)
                .await
                .unwrap();
            s.create_customer_group(st.id, "VIP", 1_000).await.unwrap();
            s.change_store_clock(st.id, |_| {
                Some(ClockChange {
                    changed_at: 1,
                    from_time: 1,
                    to_time: 2,
                    offset: Some(1),
                    changed_by: "cli".into(),
                })
            })
            .await
            .unwrap();
        }
        assert!(!s.owned_rows(gone.id).await.unwrap().is_empty());
        assert!(s.delete_store(gone.id).await.unwrap());
        assert_eq!(s.owned_rows(gone.id).await.unwrap(), vec![]);
        assert_eq!(s.store_by_hash("gone").await.unwrap(), None);
        assert!(!s.delete_store(gone.id).await.unwrap(), "already gone");
        let left = s.owned_rows(kept.id).await.unwrap();
        let count = |t: &str| left.iter().find(|(n, _)| n == t).map(|(_, c)| *c);
        assert_eq!(count("channels"), Some(2));
        assert_eq!(count("customer_groups"), Some(1));
        assert_eq!(count("store_clock_changes"), Some(1));
    }
);
