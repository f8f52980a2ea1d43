//! The storage contract of hosted checkout links and the sign-ins they carry: a link is used
//! once, within its lifetime, for its own cart and storefront; a cart keeps its newest few; a
//! synced sign-in starts only from a live one, ends no other, and ends with its source. On
//! SQLite and (with `TEST_DATABASE_URL`) PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use storefront_auth_store::*;

#[macro_use]
mod common;

use common::demo_store;

async fn cart(s: &Store, store_id: i64, id: &str) {
    let new = NewCart {
        id,
        store_id,
        channel_id: 1,
        customer_id: Some(7),
        session_digest: None,
    };
    s.create_cart(new, &[], 1).await.expect("cart");
}

fn link<'a>(
    store_id: i64,
    digest: &'a str,
    cart_id: &'a str,
    source: Option<&'a str>,
) -> NewCheckoutLink<'a> {
    NewCheckoutLink {
        digest,
        store_id,
        channel_id: 1,
        cart_id,
        customer_id: Some(7),
        source_digest: source,
        expires_at: 100,
    }
}

contract!(
    a_checkout_link_is_used_once_for_its_own_cart_and_in_time,
    |s: Store| async move {
        let st = demo_store(&s).await;
        cart(&s, st.id, "c1").await;
        cart(&s, st.id, "c2").await;
        s.insert_checkout_link(&link(st.id, "d1", "c1", Some("src")), 10)
            .await
            .expect("insert");
        // Another cart, channel or store: not claimed, and not used up.
        assert_eq!(
            s.claim_checkout_link("d1", st.id, 1, "c2", 11)
                .await
                .expect("claim"),
            None
        );
        assert_eq!(
            s.claim_checkout_link("d1", st.id, 2, "c1", 11)
                .await
                .expect("claim"),
            None
        );
        assert_eq!(
            s.claim_checkout_link("d1", st.id + 1, 1, "c1", 11)
                .await
                .expect("claim"),
            None
        );
        let claimed = s
            .claim_checkout_link("d1", st.id, 1, "c1", 11)
            .await
            .expect("claim");
        assert_eq!(
            claimed,
            Some(ClaimedLink {
                customer_id: Some(7),
                source_digest: Some("src".into())
            })
        );
        assert_eq!(
            s.claim_checkout_link("d1", st.id, 1, "c1", 12)
                .await
                .expect("again"),
            None
        );
        // Expired at its expiry.
        s.insert_checkout_link(&link(st.id, "d2", "c1", None), 20)
            .await
            .expect("insert");
        assert_eq!(
            s.claim_checkout_link("d2", st.id, 1, "c1", 100)
                .await
                .expect("late"),
            None
        );
        // The newest LINKS_PER_CART stay, made in the same second or not.
        let digests: Vec<String> = (0..=LINKS_PER_CART).map(|i| format!("n{i}")).collect();
        for d in &digests {
            s.insert_checkout_link(&link(st.id, d, "c2", None), 30)
                .await
                .expect("insert");
        }
        assert_eq!(
            s.claim_checkout_link("n0", st.id, 1, "c2", 31)
                .await
                .expect("dropped"),
            None
        );
        for d in &digests[1..] {
            assert!(
                s.claim_checkout_link(d, st.id, 1, "c2", 31)
                    .await
                    .expect("kept")
                    .is_some(),
                "{d}"
            );
        }
    }
);

fn sign_in(store_id: i64, digest: &str, kind: SessionKind, expires_at: i64) -> NewSession<'_> {
    NewSession {
        digest,
        store_id,
        channel_id: 1,
        customer_id: 7,
        kind,
        expires_at,
    }
}

contract!(
    a_synced_sign_in_lives_only_as_long_as_its_source,
    |s: Store| async move {
        let st = demo_store(&s).await;
        let new = |digest, kind, expires_at| sign_in(st.id, digest, kind, expires_at);
        s.start_session(new("cat", SessionKind::AccessToken, 500), 10)
            .await
            .expect("cat");
        // Expires no later than its source; the source stays live beside it.
        let synced = s
            .start_synced_session(new("cookie", SessionKind::Cookie, 900), "cat", 11)
            .await;
        assert_eq!(synced.expect("synced"), Some(500));
        let cat = s
            .session("cat", SessionKind::AccessToken)
            .await
            .expect("read")
            .expect("cat");
        assert_eq!(cat.ended_at, None);
        // A sync of the synced one rides on the same source.
        let again = s
            .start_synced_session(new("cookie2", SessionKind::Cookie, 400), "cookie", 12)
            .await;
        assert_eq!(again.expect("synced"), Some(400));
        // Only from a live source of this customer and store.
        let other = NewSession {
            customer_id: 8,
            ..new("x", SessionKind::Cookie, 900)
        };
        assert_eq!(
            s.start_synced_session(other, "cat", 12)
                .await
                .expect("other"),
            None
        );
        assert_eq!(
            s.start_synced_session(new("y", SessionKind::Cookie, 900), "cat", 500)
                .await
                .expect("expired"),
            None
        );
        assert_eq!(
            s.start_synced_session(new("z", SessionKind::Cookie, 900), "nope", 12)
                .await
                .expect("unknown"),
            None
        );
        // Logout ends them all; nothing syncs from the ended source.
        s.end_customer_sessions(st.id, 7, 40).await.expect("end");
        for d in ["cookie", "cookie2"] {
            let read = s
                .session(d, SessionKind::Cookie)
                .await
                .expect("read")
                .expect(d);
            assert_eq!(read.ended_at, Some(40), "{d}");
        }
        assert_eq!(
            s.start_synced_session(new("w", SessionKind::Cookie, 900), "cat", 41)
                .await
                .expect("ended"),
            None
        );
        // A logout racing a sync: whichever commits first, the synced session reads as ended
        // (PostgreSQL runs them at once; SQLite serializes them).
        for round in 0..40 {
            let (source, synced) = (format!("src{round}"), format!("sync{round}"));
            let now = 100 + round;
            s.start_session(
                sign_in(st.id, &source, SessionKind::AccessToken, 5_000),
                now,
            )
            .await
            .expect("source");
            let (started, _) = tokio::join!(
                s.start_synced_session(
                    sign_in(st.id, &synced, SessionKind::Cookie, 5_000),
                    &source,
                    now
                ),
                s.end_customer_sessions(st.id, 7, now),
            );
            if started.expect("sync").is_some() {
                let read = s
                    .session(&synced, SessionKind::Cookie)
                    .await
                    .expect("read")
                    .expect("synced");
                assert!(
                    read.ended_at.is_some(),
                    "round {round}: a synced sign-in outlived its source"
                );
            }
        }
    }
);

contract!(
    a_cart_keeps_its_newest_links_even_when_made_at_once,
    |s: Store| async move {
        let st = demo_store(&s).await;
        cart(&s, st.id, "c1").await;
        let mut made = tokio::task::JoinSet::new();
        for i in 0..12 {
            let (s, store_id) = (s.clone(), st.id);
            made.spawn(async move {
                let digest = format!("d{i}");
                s.insert_checkout_link(&link(store_id, &digest, "c1", None), 10)
                    .await
                    .expect("insert");
            });
        }
        while let Some(done) = made.join_next().await {
            done.expect("join");
        }
        let kept = s.owned_rows(st.id).await.unwrap();
        let links = kept
            .iter()
            .find(|(t, _)| t == "checkout_links")
            .map(|(_, n)| *n);
        assert_eq!(links, Some(LINKS_PER_CART), "{kept:?}");
    }
);
