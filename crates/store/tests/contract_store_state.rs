//! A store's state is exported and restored exactly, within its store only, on SQLite and
//! (with `TEST_DATABASE_URL`) PostgreSQL; a state that does not fit is refused and changes
//! nothing.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use serde_json::json;
use storefront_auth_store::*;

#[macro_use]
mod common;

/// A store with a row in most kinds of table: channel, group, customer, cart with an item,
/// image (bytes), own tax provider, clock change.
async fn furnished(s: &Store, id: i64, hash: &str) -> StoreRecord {
    let st = s
        .create_store(id, hash, "Shop", "http://localhost:4000", 1)
        .await
        .unwrap();
    s.create_channel(st.id, "Second", "http://localhost:4001", 1)
        .await
        .unwrap();
    let group = s.create_customer_group(st.id, "VIP", 1_000).await.unwrap();
    let email = format!("ann@{hash}.test");
    let customer = s
        .create_customer(
            NewCustomer {
                store_id: st.id,
                email: &email,
                first_name: "Ann",
                last_name: "Lee",
                phone: "",
                group_id: Some(group.id),
                password_hash: "x",
            },
            5,
        )
        .await
        .unwrap();
    let cart_id = format!("cart-{hash}");
    s.create_cart(
        NewCart {
            id: &cart_id,
            store_id: st.id,
            channel_id: 1,
            customer_id: Some(customer.id),
            session_digest: None,
        },
        &[],
        6,
    )
    .await
    .unwrap();
    s.put_image(st.id, "a/b.png", "image/png", &[0, 159, 255, 1], 7)
        .await
        .unwrap();
    let provider = TaxProviderRecord {
        id: format!("tax-{hash}"),
        owner_store_id: Some(st.id),
        name: "Own".into(),
        base_url: "http://127.0.0.1:9".into(),
    };
    assert!(s.create_tax_provider(&provider, 100, 8).await.unwrap());
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
    st
}

fn rows_of<'a>(state: &'a StoreState, table: &str) -> &'a TableRows {
    state.tables.iter().find(|t| t.table == table).unwrap()
}

contract!(
    a_restored_store_is_exactly_its_export_and_others_keep_theirs,
    |s: Store| async move {
        let a = furnished(&s, 1_000_000_001, "aaa").await;
        let b = furnished(&s, 1_000_000_002, "bbb").await;
        let before_a = s.export_store(a.id).await.unwrap().unwrap();
        let before_b = s.export_store(b.id).await.unwrap().unwrap();
        assert_eq!(rows_of(&before_a, "channels").rows.len(), 2);
        assert_eq!(rows_of(&before_a, "customers").rows.len(), 1);
        assert_eq!(rows_of(&before_a, "tax_providers").rows.len(), 1);
        let image = &rows_of(&before_a, "store_images");
        let body = image.columns.iter().position(|c| c == "body").unwrap();
        assert_eq!(image.rows[0][body], json!({ "base64": "AJ//AQ==" }));

        // Changes after the export: more rows, fewer rows, a changed store row.
        s.create_channel(a.id, "Third", "http://localhost:4002", 1)
            .await
            .unwrap();
        s.create_customer_group(a.id, "Later", 0).await.unwrap();
        assert!(s.delete_store(a.id).await.unwrap());
        assert_eq!(s.export_store(a.id).await.unwrap(), None);

        assert_eq!(s.restore_store(&before_a).await.unwrap(), a.id);
        assert_eq!(s.export_store(a.id).await.unwrap().unwrap(), before_a);
        s.create_channel(a.id, "Again", "http://localhost:4003", 1)
            .await
            .unwrap();
        assert_eq!(s.restore_store(&before_a).await.unwrap(), a.id);
        assert_eq!(s.export_store(a.id).await.unwrap().unwrap(), before_a);
        assert_eq!(s.export_store(b.id).await.unwrap().unwrap(), before_b);

        // Rows written with their ids leave the sequences past them: new rows still insert.
        s.create_customer_group(a.id, "After", 0).await.unwrap();
        s.create_channel(a.id, "After", "http://localhost:4004", 1)
            .await
            .unwrap();
    }
);

contract!(
    a_state_that_reaches_into_another_store_or_another_schema_is_refused,
    |s: Store| async move {
        let a = furnished(&s, 1_000_000_001, "aaa").await;
        let b = furnished(&s, 1_000_000_002, "bbb").await;
        let good = s.export_store(a.id).await.unwrap().unwrap();
        let before_b = s.export_store(b.id).await.unwrap().unwrap();
        let refused = |state: StoreState, says: &'static str| {
            let s = s.clone();
            async move {
                match s.restore_store(&state).await {
                    Err(StateError::Invalid(m)) => assert!(m.contains(says), "{m}"),
                    other => panic!("expected Invalid({says}), got {other:?}"),
                }
            }
        };
        let edit = |f: &dyn Fn(&mut StoreState)| {
            let mut state = good.clone();
            f(&mut state);
            state
        };
        let col = |state: &StoreState, table: &str, column: &str| {
            rows_of(state, table)
                .columns
                .iter()
                .position(|c| c == column)
                .unwrap()
        };
        let cs = col(&good, "customers", "store_id");
        let another_store = edit(&|st| {
            let t = st
                .tables
                .iter_mut()
                .find(|t| t.table == "customers")
                .unwrap();
            t.rows[0][cs] = json!(b.id);
        });
        refused(another_store, "does not belong to store aaa").await;
        let ci = col(&good, "cart_items", "cart_id");
        let foreign_child = edit(&|st| {
            let t = st
                .tables
                .iter_mut()
                .find(|t| t.table == "cart_items")
                .unwrap();
            let mut row = vec![json!(null); t.columns.len()];
            row[ci] = json!("cart-bbb");
            t.rows.push(row);
        });
        refused(foreign_child, "does not belong to store aaa").await;
        refused(edit(&|st| st.format = 2), "format 2").await;
        refused(
            edit(&|st| st.tables[3].columns.push("extra".into())),
            "another version",
        )
        .await;
        refused(
            edit(&|st| {
                st.tables.pop();
            }),
            "tables",
        )
        .await;
        let ch = col(&good, "channels", "name");
        refused(
            edit(&|st| {
                st.tables
                    .iter_mut()
                    .find(|t| t.table == "channels")
                    .unwrap()
                    .rows[0][ch] = json!(7);
            }),
            "not a string",
        )
        .await;
        refused(
            edit(&|st| st.store_hash = "bbb".into()),
            "exactly the store bbb",
        )
        .await;
        // Nothing of either store changed.
        assert_eq!(s.export_store(a.id).await.unwrap().unwrap(), good);
        assert_eq!(s.export_store(b.id).await.unwrap().unwrap(), before_b);
    }
);

contract!(
    a_state_imports_into_another_database_and_a_seed_state_is_kept,
    |s: Store| async move {
        let a = furnished(&s, 1_000_000_001, "aaa").await;
        let state = s.export_store(a.id).await.unwrap().unwrap();
        let (other, _dir) = common::sqlite().await;
        other.restore_store(&state).await.unwrap();
        assert_eq!(other.export_store(a.id).await.unwrap().unwrap(), state);

        assert_eq!(s.seed_state(a.id).await.unwrap(), None);
        s.keep_seed_state(a.id, &state, 9).await.unwrap();
        s.keep_seed_state(a.id, &state, 10).await.unwrap();
        assert_eq!(s.seed_state(a.id).await.unwrap(), Some(state.clone()));
        // A restore (a reset) keeps the seed state it returns to.
        s.restore_store(&state).await.unwrap();
        assert_eq!(s.seed_state(a.id).await.unwrap(), Some(state.clone()));
        // The kept seed state is not part of the state, and goes with the store.
        assert_eq!(s.export_store(a.id).await.unwrap().unwrap(), state);
        assert!(s.delete_store(a.id).await.unwrap());
        assert_eq!(s.seed_state(a.id).await.unwrap(), None);
    }
);
