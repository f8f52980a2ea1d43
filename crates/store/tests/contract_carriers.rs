//! The storage contract of carrier connections: a store connects to at most `max` carriers,
//! also when many connections are made at once (PostgreSQL runs them concurrently; SQLite
//! serializes writers), and reconnecting a carrier already connected is a change, not another.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use storefront_auth_store::*;

#[macro_use]
mod common;

use common::demo_store;

contract!(
    a_store_connects_to_at_most_max_carriers_even_at_once,
    |s: Store| async move {
        let st = demo_store(&s).await;
        for i in 0..8 {
            let c = CarrierRecord {
                id: format!("c{i}"),
                owner_store_id: None,
                name: format!("Carrier {i}"),
                base_url: "https://rates.example".into(),
                connection_fields: "[]".into(),
            };
            assert!(s.create_carrier(&c, 100, 1).await.expect("carrier"));
        }
        let connect = |i: usize| {
            let s = s.clone();
            let c = CarrierConnection {
                store_id: st.id,
                carrier_id: format!("c{i}"),
                options: "{}".into(),
            };
            async move { s.connect_carrier(&c, 5, 2).await.expect("connect") }
        };
        for _ in 0..3 {
            let results = futures_join(connect).await;
            assert_eq!(results.iter().filter(|ok| **ok).count(), 5, "{results:?}");
            assert_eq!(s.carrier_connections(st.id).await.expect("list").len(), 5);
            for i in 0..8 {
                s.disconnect_carrier(st.id, &format!("c{i}"))
                    .await
                    .expect("disconnect");
            }
        }
        // A connected carrier's options change in place, at the bound too.
        for i in 0..5 {
            assert!(connect(i).await);
        }
        assert!(connect(0).await, "reconnecting is a change");
        assert!(!connect(6).await);
    }
);

/// All eight connections at once, each on its own task.
async fn futures_join<F, Fut>(connect: F) -> Vec<bool>
where
    F: Fn(usize) -> Fut,
    Fut: std::future::Future<Output = bool> + Send + 'static,
{
    let mut set = tokio::task::JoinSet::new();
    for i in 0..8 {
        set.spawn(connect(i));
    }
    set.join_all().await
}
