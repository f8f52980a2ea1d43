//! The storage contract: the same suite on SQLite (always) and on PostgreSQL when
//! `TEST_DATABASE_URL` is set (each test in a fresh schema).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use storefront_auth_core::Secret;
use storefront_auth_store::*;

#[macro_use]
mod common;

use common::demo_store;

contract!(stores_and_channels, |s: Store| async move {
    let st = demo_store(&s).await;
    assert_eq!(
        s.store_by_hash("abc123").await.expect("get"),
        Some(st.clone())
    );
    assert_eq!(
        s.store_by_id(st.id).await.expect("by id").map(|x| x.hash),
        Some("abc123".into())
    );
    assert!(matches!(
        s.create_store(1_000_000_002, "abc123", "Dup", "http://x", 1)
            .await,
        Err(StoreError::Conflict(_))
    ));
    let c2 = s
        .create_channel(st.id, "Second", "http://localhost:3001", 101)
        .await
        .expect("channel");
    assert_eq!(c2.channel_id, 2);
    assert_eq!(c2.origin.as_deref(), Some("http://localhost:3001"));
    let c3 = s
        .create_channel(st.id, "Third", "https://shop.example/store/?x=1", 102)
        .await
        .expect("channel");
    let listed = s.channels(st.id).await.expect("channels");
    assert_eq!(
        listed
            .iter()
            .find(|c| c.channel_id == c3.channel_id)
            .map(|c| c.origin.as_deref()),
        Some(Some("https://shop.example")),
        "the origin is derived from the site URL when the channel is read"
    );
    let ids: Vec<_> = s
        .channels(st.id)
        .await
        .expect("channels")
        .iter()
        .map(|c| c.channel_id)
        .collect();
    assert_eq!(ids, vec![1, 2, 3]);
    assert!(s.channel(st.id, 4).await.expect("none").is_none());
});

contract!(accounts_store_only_digests, |s: Store| async move {
    let st = demo_store(&s).await;
    let token = Secret::new("raw-access-token");
    let secret = Secret::new("client-secret");
    let scopes = vec![
        "store_storefront_api".to_string(),
        "store_v2_customers_read_only".to_string(),
    ];
    let acct = s
        .create_account(
            NewAccount {
                client_id: "cid1",
                store_id: st.id,
                kind: AccountKind::Store,
                name: "a",
                client_secret: &secret,
                access_token: &token,
                scopes: &scopes,
            },
            5,
        )
        .await
        .expect("account");
    assert!(acct.has_scope("store_storefront_api", false));
    assert!(acct.has_scope("store_v2_customers", true));
    assert!(!acct.has_scope("store_v2_customers", false));
    let found = s
        .account_by_token_digest(&token.digest())
        .await
        .expect("lookup")
        .expect("found");
    assert_eq!(found.client_id, "cid1");
    assert!(s
        .account_by_token_digest("raw-access-token")
        .await
        .expect("lookup")
        .is_none());
    assert!(s.delete_account("cid1").await.expect("delete"));
    assert!(s
        .account_by_token_digest(&token.digest())
        .await
        .expect("lookup")
        .is_none());
});

contract!(token_registry, |s: Store| async move {
    let st = demo_store(&s).await;
    let t = IssuedToken {
        jti: "j1".into(),
        store_id: st.id,
        kind: "private".into(),
        channels: vec![],
        origins: vec![],
        scopes: Some(vec!["Customer".into()]),
        subject: "cid".into(),
        sub_type: 2,
        issued_at: 10,
        expires_at: 99,
        revoked_at: None,
        last_used_at: None,
        s2s_uses: 0,
        browser_uses: 0,
    };
    s.insert_token(&t).await.expect("insert");
    assert!(matches!(
        s.insert_token(&t).await,
        Err(StoreError::Conflict(_))
    ));
    assert_eq!(s.token("j1").await.expect("get"), Some(t.clone()));
    assert_eq!(s.token_revocation("j1").await.expect("state"), Some(None));
    assert_eq!(s.token_revocation("nope").await.expect("state"), None);
    assert!(!s
        .revoke_token(st.id + 1, "j1", 20)
        .await
        .expect("foreign store"));
    assert!(s.revoke_token(st.id, "j1", 20).await.expect("revoke"));
    assert!(s.revoke_token(st.id, "j1", 30).await.expect("again"));
    assert_eq!(
        s.token_revocation("j1").await.expect("state"),
        Some(Some(20))
    );
    assert_eq!(
        s.revoked_since(20).await.expect("since"),
        vec![("j1".to_string(), 20)]
    );
    assert!(s.revoked_since(21).await.expect("since").is_empty());
    s.record_usage(&[TokenUsage {
        jti: "j1".into(),
        last_used_at: 50,
        s2s: 3,
        browser: 1,
        ..Default::default()
    }])
    .await
    .expect("usage");
    s.record_usage(&[TokenUsage {
        jti: "j1".into(),
        last_used_at: 40,
        s2s: 1,
        browser: 0,
        ..Default::default()
    }])
    .await
    .expect("usage");
    let got = s.token("j1").await.expect("get").expect("some");
    assert_eq!(
        (got.s2s_uses, got.browser_uses, got.last_used_at),
        (4, 1, Some(50))
    );
    for i in 0..5 {
        let mut t2 = t.clone();
        t2.jti = format!("k{i}");
        t2.issued_at = 100 + i;
        s.insert_token(&t2).await.expect("insert");
    }
    let page1 = s.tokens(st.id, 2, None).await.expect("page");
    assert_eq!(
        page1.iter().map(|t| t.jti.as_str()).collect::<Vec<_>>(),
        vec!["k4", "k3"]
    );
    let last = page1.last().expect("last");
    let page2 = s
        .tokens(st.id, 10, Some((last.issued_at, &last.jti)))
        .await
        .expect("page");
    assert_eq!(
        page2.iter().map(|t| t.jti.as_str()).collect::<Vec<_>>(),
        vec!["k2", "k1", "k0", "j1"]
    );
    assert_eq!(s.count_tokens(st.id).await.expect("count"), 6);
});

contract!(signing_keys_rotate_and_retire, |s: Store| async move {
    let key = |kid: &str, at| StoredKey {
        kid: kid.into(),
        private_key: "plain:x".into(),
        public_point: "04".into(),
        created_at: at,
        retired_at: None,
    };
    s.insert_key(&key("a", 1)).await.expect("a");
    assert!(!s.retire_key("a", 5).await.expect("only live key stays"));
    s.insert_key(&key("b", 1)).await.expect("b");
    let kids: Vec<_> = s
        .keys()
        .await
        .expect("keys")
        .into_iter()
        .map(|k| k.kid)
        .collect();
    assert_eq!(kids, vec!["b", "a"]);
    assert!(s.retire_key("a", 6).await.expect("retire"));
    assert!(!s.retire_key("a", 7).await.expect("twice"));
    assert_eq!(s.keys().await.expect("keys")[1].retired_at, Some(6));
});

contract!(customers_and_catalog, |s: Store| async move {
    let st = demo_store(&s).await;
    let g = s
        .create_customer_group(st.id, "VIP", 1000)
        .await
        .expect("group");
    assert_eq!(
        s.customer_group(st.id, g.id).await.expect("get"),
        Some(g.clone())
    );
    let new = |email| NewCustomer {
        store_id: st.id,
        email,
        first_name: "A",
        last_name: "B",
        phone: "",
        group_id: Some(g.id),
        password_hash: "$argon2id$x",
    };
    let c = s
        .create_customer(new("Ann@Example.com"), 1)
        .await
        .expect("customer");
    assert!(matches!(
        s.create_customer(new("ann@example.COM"), 2).await,
        Err(StoreError::Conflict(_))
    ));
    assert_eq!(
        s.customer_by_email(st.id, "ANN@example.com")
            .await
            .expect("by email"),
        Some(c.clone())
    );
    assert_eq!(s.customers(st.id, 10, 0).await.expect("list").len(), 1);
    for (i, sku) in ["A", "B", "C"].iter().enumerate() {
        s.create_product(
            NewProduct {
                store_id: st.id,
                name: sku,
                sku,
                price_cents: 100 * (i as i64 + 1),
            },
            1,
        )
        .await
        .expect("product");
    }
    assert!(matches!(
        s.create_product(
            NewProduct {
                store_id: st.id,
                name: "dup",
                sku: "A",
                price_cents: 1
            },
            1
        )
        .await,
        Err(StoreError::Conflict(_))
    ));
    let first_two = s
        .products(st.id, 0, i64::MAX, 2, false)
        .await
        .expect("first");
    assert_eq!(
        first_two.iter().map(|p| p.sku.as_str()).collect::<Vec<_>>(),
        vec!["A", "B"]
    );
    let last_two = s.products(st.id, 0, i64::MAX, 2, true).await.expect("last");
    assert_eq!(
        last_two.iter().map(|p| p.sku.as_str()).collect::<Vec<_>>(),
        vec!["B", "C"]
    );
    assert_eq!(s.count_products(st.id).await.expect("count"), 3);
});

contract!(
    newsletter_list_is_bounded_and_case_blind,
    |s: Store| async move {
        let st = demo_store(&s).await;
        let sub = |email: &'static str| {
            let s = s.clone();
            async move {
                s.subscribe_to_newsletter(st.id, email, ("A", "B"), 2, 1)
                    .await
                    .expect("subscribe")
            }
        };
        assert_eq!(sub("a@example.com").await, Some(true));
        assert_eq!(
            sub("A@Example.com").await,
            Some(false),
            "one address, any case"
        );
        assert_eq!(sub("b@example.com").await, Some(true));
        assert_eq!(sub("c@example.com").await, None, "full at the limit");
        assert!(s
            .is_subscribed_to_newsletter(st.id, "a@EXAMPLE.com")
            .await
            .unwrap());
        assert!(s
            .unsubscribe_from_newsletter(st.id, "A@example.COM")
            .await
            .unwrap());
        assert!(!s
            .unsubscribe_from_newsletter(st.id, "a@example.com")
            .await
            .unwrap());
        assert!(!s
            .is_subscribed_to_newsletter(st.id, "a@example.com")
            .await
            .unwrap());
        assert_eq!(sub("c@example.com").await, Some(true), "room again");
        // Twelve new addresses at once against room for one more (limit 3): exactly one lands.
        let mut racers = tokio::task::JoinSet::new();
        for i in 0..12 {
            let s = s.clone();
            racers.spawn(async move {
                let email = format!("racer{i}@example.com");
                s.subscribe_to_newsletter(st.id, &email, ("", ""), 3, 2)
                    .await
                    .expect("race")
            });
        }
        let results = racers.join_all().await;
        let added = results.iter().filter(|r| **r == Some(true)).count();
        let full = results.iter().filter(|r| r.is_none()).count();
        assert_eq!((added, full), (1, 11), "{results:?}");
    }
);

contract!(images_replace_and_name_the_logo, |s: Store| async move {
    let st = demo_store(&s).await;
    assert_eq!(s.image(st.id, "a/logo.png").await.unwrap(), None);
    let bytes: Vec<u8> = (0..=255).collect();
    s.put_image(st.id, "a/logo.png", "image/png", &bytes, 5)
        .await
        .unwrap();
    let got = s.image(st.id, "a/logo.png").await.unwrap().expect("stored");
    assert_eq!(
        (
            got.content_type.as_str(),
            got.body.as_slice(),
            got.created_at
        ),
        ("image/png", bytes.as_slice(), 5)
    );
    s.put_image(st.id, "a/logo.png", "image/svg+xml", b"<svg/>", 6)
        .await
        .unwrap();
    let got = s
        .image(st.id, "a/logo.png")
        .await
        .unwrap()
        .expect("replaced");
    assert_eq!(
        (got.content_type.as_str(), got.body.as_slice()),
        ("image/svg+xml", b"<svg/>".as_slice())
    );
    s.set_store_images(st.id, "a/logo.png", "").await.unwrap();
    let record = s.store_by_hash("abc123").await.unwrap().unwrap();
    assert_eq!(
        (record.logo_image.as_str(), record.favicon_image.as_str()),
        ("a/logo.png", "")
    );
});

#[tokio::test]
async fn sqlite_data_survives_reopen() {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite://{}/data.db", dir.path().display());
    let s = Store::open(&url).await.expect("open");
    demo_store(&s).await;
    s.close().await;
    let again = Store::open(&url).await.expect("reopen");
    assert!(again.store_by_hash("abc123").await.expect("get").is_some());
}

#[tokio::test]
async fn bad_urls_are_configuration_errors() {
    assert!(matches!(
        Store::open("mysql://x").await,
        Err(StoreError::Config(_))
    ));
}

contract!(
    sessions_one_device_and_logout_everywhere,
    |s: Store| async move {
        let st = demo_store(&s).await;
        let new = |digest, kind| NewSession {
            digest,
            store_id: st.id,
            channel_id: 1,
            customer_id: 7,
            kind,
            expires_at: 1_000,
        };
        s.start_session(new("a", SessionKind::AccessToken), 10)
            .await
            .expect("a");
        s.start_session(new("b", SessionKind::Cookie), 11)
            .await
            .expect("b");
        assert_eq!(
            s.session("a", SessionKind::AccessToken)
                .await
                .expect("a")
                .expect("a")
                .ended_at,
            Some(11),
            "a new sign-in ends the earlier one"
        );
        assert_eq!(
            s.session("b", SessionKind::Cookie)
                .await
                .expect("b")
                .expect("b")
                .ended_at,
            None
        );
        assert!(matches!(
            s.start_session(new("b", SessionKind::Cookie), 12).await,
            Err(StoreError::Conflict(_))
        ));
        assert_eq!(s.end_customer_sessions(st.id, 7, 20).await.expect("end"), 1);
        assert_eq!(
            s.session("b", SessionKind::Cookie)
                .await
                .expect("b")
                .expect("b")
                .ended_at,
            Some(20)
        );
        assert!(s
            .session("zzz", SessionKind::Cookie)
            .await
            .expect("none")
            .is_none());
        assert!(
            s.session("b", SessionKind::AccessToken)
                .await
                .expect("kind")
                .is_none(),
            "a session cookie is not a customer access token"
        );
    }
);

contract!(login_throttle_and_single_use_jti, |s: Store| async move {
    let st = demo_store(&s).await;
    // Three attempts fit a window of three; the fourth is refused until the window ends.
    let reserve = |t| s.reserve_attempt(st.id, "email:a@b.c", t, 100, 3);
    let mut window = 0;
    for t in [10, 20, 30] {
        match reserve(t).await.expect("reserve") {
            Reservation::Reserved { window_start } => window = window_start,
            other => panic!("refused at {t}: {other:?}"),
        }
    }
    assert_eq!(window, 10, "the window starts with its first attempt");
    assert_eq!(
        reserve(40).await.expect("full"),
        Reservation::Refused {
            retry_after_secs: 70
        }
    );
    // A released attempt makes room again; a new window starts once the old one ended.
    s.release_attempt(st.id, "email:a@b.c", 10)
        .await
        .expect("release");
    assert!(matches!(
        reserve(50).await.expect("room"),
        Reservation::Reserved { .. }
    ));
    assert!(matches!(
        reserve(60).await.expect("full"),
        Reservation::Refused { .. }
    ));
    assert_eq!(
        reserve(110).await.expect("next window"),
        Reservation::Reserved { window_start: 110 }
    );
    s.clear_attempts(st.id, "email:a@b.c").await.expect("clear");
    for t in [111, 112, 113] {
        assert!(matches!(
            reserve(t).await.expect("cleared"),
            Reservation::Reserved { .. }
        ));
    }
    // Concurrent attempts: exactly the window's worth go ahead.
    let attempts = (0..40).map(|_| {
        let s = s.clone();
        tokio::spawn(async move {
            s.reserve_attempt(st.id, "ip:9.9.9.9", 500, 100, 10)
                .await
                .expect("reserve")
        })
    });
    let mut reserved = 0;
    for a in attempts {
        if let Reservation::Reserved { .. } = a.await.expect("join") {
            reserved += 1;
        }
    }
    assert_eq!(reserved, 10);

    assert!(s
        .claim_login_jti(st.id, "client", "j1", 1)
        .await
        .expect("first"));
    assert!(!s
        .claim_login_jti(st.id, "client", "j1", 2)
        .await
        .expect("replay"));
    assert!(s
        .claim_login_jti(st.id, "other-client", "j1", 2)
        .await
        .expect("other issuer"));
    // Concurrent claims of one id: exactly one wins.
    let claims = (0..8).map(|_| {
        let s = s.clone();
        tokio::spawn(async move {
            s.claim_login_jti(st.id, "client", "race", 3)
                .await
                .expect("claim")
        })
    });
    let mut wins = 0;
    for c in claims {
        wins += c.await.expect("join") as i32;
    }
    assert_eq!(wins, 1);
});

contract!(wishlists_belong_to_their_customer, |s: Store| async move {
    let st = demo_store(&s).await;
    let w = s
        .create_wishlist(
            NewWishlist {
                store_id: st.id,
                customer_id: Some(7),
                name: "Gifts",
                is_public: false,
                token: "tok1",
                items: &[(1, None), (2, Some(2))],
            },
            1,
        )
        .await
        .expect("create");
    assert_eq!(s.customer_wishlists(st.id, 7).await.expect("mine").len(), 1);
    assert!(s
        .customer_wishlists(st.id, 8)
        .await
        .expect("theirs")
        .is_empty());
    let items = s.wishlist_items(w.id).await.expect("items");
    assert_eq!(items.len(), 2);
    s.add_wishlist_items(w.id, &[(3, None)]).await.expect("add");
    s.delete_wishlist_items(w.id, &[items[0].id])
        .await
        .expect("delete");
    let left: Vec<i64> = s
        .wishlist_items(w.id)
        .await
        .expect("items")
        .iter()
        .map(|i| i.product_id)
        .collect();
    assert_eq!(left, vec![2, 3]);
    assert_eq!(
        s.wishlist(st.id, w.id)
            .await
            .expect("get")
            .map(|w| w.is_public),
        Some(false)
    );
});
