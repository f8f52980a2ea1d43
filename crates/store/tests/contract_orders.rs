//! The storage contract of placed orders: what an order keeps (list and paid prices, the
//! addresses as they were) and the payments made for it, on SQLite and (with
//! `TEST_DATABASE_URL`) PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use storefront_auth_store::*;

#[macro_use]
mod common;

use common::demo_store;

async fn cart(s: &Store, store_id: i64, id: &str) -> Cart {
    let new = NewCart {
        id,
        store_id,
        channel_id: 1,
        customer_id: None,
        session_digest: None,
    };
    s.create_cart(new, &[], 1).await.expect("cart")
}

fn line(list_cents: i64, unit_cents: i64) -> OrderLine<'static> {
    OrderLine {
        product_id: 7,
        name: "Kettle",
        quantity: 2,
        list_cents,
        unit_cents,
        selected_options: "[]",
    }
}

fn address(city: &str) -> OrderAddress {
    OrderAddress {
        address: Address {
            first_name: "Ann".into(),
            last_name: "Lee".into(),
            address1: "1 Main St".into(),
            city: city.into(),
            state_or_province: Some("TX".into()),
            postal_code: Some("78701".into()),
            country_code: "US".into(),
            ..Address::default()
        },
        email: Some("ann@example.com".into()),
    }
}

contract!(
    an_order_keeps_its_prices_and_addresses,
    |s: Store| async move {
        let st = demo_store(&s).await;
        let (billing, shipping) = (address("Austin"), address("Dallas"));
        let lines = [line(1_000, 900)];
        let placed = s
            .place_order(
                &cart(&s, st.id, "c1").await,
                NewOrder {
                    cart_version: 1,
                    lines: &lines,
                    base_cents: 2_000,
                    shipping_cents: 0,
                    coupon: None,
                    tax_cents: 0,
                    tax_provider_id: None,
                    total_cents: 1_800,
                    billing: Some(&billing),
                    shipping: Some(&shipping),
                },
                5,
            )
            .await
            .expect("order");
        assert_eq!((placed.base_cents, placed.total_cents), (2_000, 1_800));
        assert_eq!(
            s.order(st.id, placed.id).await.unwrap(),
            Some(placed.clone())
        );
        let kept = s.order_lines(placed.id).await.unwrap();
        assert_eq!((kept[0].list_cents, kept[0].unit_cents), (1_000, 900));
        let addresses = s.order_addresses(placed.id).await.unwrap();
        let city = |a: &Option<OrderAddress>| a.as_ref().map(|a| a.address.city.clone());
        assert_eq!(city(&addresses.billing).as_deref(), Some("Austin"));
        assert_eq!(city(&addresses.shipping).as_deref(), Some("Dallas"));
        assert_eq!(
            addresses.billing.unwrap().email.as_deref(),
            Some("ann@example.com")
        );

        // A second order of one cart is refused.
        let c1 = s.cart(st.id, "c1").await.expect("read").expect("cart c1");
        let none = |total_cents| NewOrder {
            cart_version: 1,
            lines: &lines,
            base_cents: total_cents,
            shipping_cents: 0,
            coupon: None,
            tax_cents: 0,
            tax_provider_id: None,
            total_cents,
            billing: None,
            shipping: None,
        };
        let dup = s.place_order(&c1, none(1), 6).await;
        assert!(matches!(dup, Err(StoreError::Conflict(_))), "{dup:?}");
        // A cart changed since it was priced is not ordered.
        let c4 = cart(&s, st.id, "c4").await;
        let stale = s
            .place_order(
                &c4,
                NewOrder {
                    cart_version: 0,
                    ..none(1)
                },
                6,
            )
            .await;
        assert!(matches!(stale, Err(StoreError::Conflict(_))), "{stale:?}");
        assert_eq!(s.order_for_cart("c4").await.unwrap(), None);
        // An order placed without addresses has none.
        let guest = s
            .place_order(&cart(&s, st.id, "c2").await, none(2_000), 5)
            .await
            .expect("guest order");
        assert_eq!(
            s.order_addresses(guest.id).await.unwrap(),
            OrderAddresses::default()
        );
    }
);

contract!(
    payments_are_listed_with_their_card_and_the_success_last,
    |s: Store| async move {
        let st = demo_store(&s).await;
        let lines = [line(500, 500)];
        let order = s
            .place_order(
                &cart(&s, st.id, "p1").await,
                NewOrder {
                    cart_version: 1,
                    lines: &lines,
                    base_cents: 1_000,
                    shipping_cents: 0,
                    coupon: None,
                    tax_cents: 0,
                    tax_provider_id: None,
                    total_cents: 1_000,
                    billing: None,
                    shipping: None,
                },
                5,
            )
            .await
            .expect("order");
        let pay = |jti: &'static str, approved: bool, last4: &'static str| {
            let s = &s;
            async move {
                s.insert_payment_access_token(&PaymentAccessToken {
                    jti: jti.into(),
                    store_id: st.id,
                    order_id: order.id,
                    amount_cents: 1_000,
                    issued_at: 5,
                    expires_at: 100,
                })
                .await
                .expect("pat");
                let id = format!("pay-{jti}");
                s.take_payment(
                    NewPayment {
                        id: &id,
                        store_id: st.id,
                        jti,
                        amount_cents: 1_000,
                        approved,
                        method_id: "testgateway.card",
                        card_brand: "Visa",
                        card_last4: last4,
                    },
                    10,
                )
                .await
                .expect("take")
            }
        };
        // Made in one second: a declined card, the success, then a payment of the paid order
        // (refused, so not recorded).
        assert_eq!(pay("a", false, "0002").await, Ok(order.id));
        assert_eq!(pay("z", true, "1111").await, Ok(order.id));
        assert_eq!(pay("b", false, "0003").await, Err(PaymentRefused::Order));
        let made = s.order_payments(order.id).await.unwrap();
        let seen: Vec<(&str, Option<&str>, Option<&str>)> = made
            .iter()
            .map(|p| {
                (
                    p.status.as_str(),
                    p.card_last4.as_deref(),
                    p.method_id.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            seen,
            [
                ("declined", Some("0002"), Some("testgateway.card")),
                ("success", Some("1111"), Some("testgateway.card"))
            ]
        );
        assert_eq!(made[1].card_brand.as_deref(), Some("Visa"));
        assert_eq!(made[1].amount_cents, 1_000);
    }
);

fn consignment(id: &str, country: &str, lines: &[&str]) -> Consignment {
    Consignment {
        id: id.into(),
        address: ConsignmentAddress {
            city: Some("Austin".into()),
            country_code: country.into(),
            ..ConsignmentAddress::default()
        },
        line_item_ids: lines.iter().map(|l| l.to_string()).collect(),
        selected_option: None,
    }
}

contract!(
    consignments_change_with_their_cart_version,
    |s: Store| async move {
        let st = demo_store(&s).await;
        let c = cart(&s, st.id, "k1").await;
        let added = [
            consignment("a", "US", &["l1"]),
            consignment("b", "CA", &["l2", "l3"]),
        ];
        assert!(s
            .change_consignments("k1", 1, ConsignmentChange::Add(&added), 2)
            .await
            .unwrap());
        // The version moved on: a change at the old one writes nothing.
        let select = |id: &'static str, v: i64| {
            let s = &s;
            async move {
                s.change_consignments(
                    "k1",
                    v,
                    ConsignmentChange::Select {
                        id,
                        option_id: "carrier:acme:GND",
                    },
                    3,
                )
                .await
                .unwrap()
            }
        };
        assert!(!select("a", 1).await);
        assert_eq!(s.consignments("k1").await.unwrap(), added.to_vec());
        assert!(select("a", 2).await);
        let now = s.consignments("k1").await.unwrap();
        assert_eq!(now[0].selected_option.as_deref(), Some("carrier:acme:GND"));
        assert_eq!(now[1].line_item_ids, ["l2", "l3"]);
        // Replacing a consignment clears its choice.
        let moved = consignment("a", "GB", &["l1"]);
        assert!(s
            .change_consignments("k1", 3, ConsignmentChange::Replace(&moved), 4)
            .await
            .unwrap());
        assert_eq!(s.consignments("k1").await.unwrap()[0], moved);
        // Once ordered, the checkout no longer changes.
        let k1 = s.cart(st.id, "k1").await.unwrap().unwrap();
        assert_eq!(k1.version, 4);
        let lines = [line(1, 1)];
        let order = NewOrder {
            cart_version: 4,
            lines: &lines,
            base_cents: 2,
            shipping_cents: 0,
            coupon: None,
            tax_cents: 0,
            tax_provider_id: None,
            total_cents: 2,
            billing: None,
            shipping: None,
        };
        s.place_order(&k1, order, 5).await.expect("order");
        assert!(!select("b", 5).await);
        drop(c);
    }
);

contract!(
    a_coupon_is_used_at_most_its_limit_under_concurrent_orders,
    |s: Store| async move {
        let st = demo_store(&s).await;
        let coupon = CouponRecord {
            id: 0,
            store_id: st.id,
            code: "Save5".into(),
            kind: "amount".into(),
            amount: 500,
            max_uses: 2,
            uses: 0,
        };
        let created = s
            .create_coupon(&coupon, 10, 1)
            .await
            .unwrap()
            .expect("created");
        // Codes match in any case, and one code is one coupon.
        let found = s.coupon_by_code(st.id, "SAVE5").await.unwrap();
        assert_eq!(found.map(|c| c.id), Some(created.id));
        let again = s
            .create_coupon(
                &CouponRecord {
                    code: "save5".into(),
                    ..coupon.clone()
                },
                10,
                1,
            )
            .await;
        assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");
        assert_eq!(
            s.create_coupon(
                &CouponRecord {
                    code: "other".into(),
                    ..coupon.clone()
                },
                1,
                1
            )
            .await
            .unwrap(),
            None,
            "at the store's limit"
        );

        // Applied with the cart's version, like every checkout change.
        let c = cart(&s, st.id, "q0").await;
        assert!(!s
            .set_checkout_coupon("q0", 7, Some(created.id), 2)
            .await
            .unwrap());
        assert!(s
            .set_checkout_coupon("q0", c.version, Some(created.id), 2)
            .await
            .unwrap());
        assert_eq!(
            s.checkout_coupon("q0").await.unwrap().map(|c| c.code),
            Some("Save5".into())
        );

        // Six orders at once with a coupon good for two: two are placed.
        let mut carts = Vec::new();
        for i in 0..6 {
            carts.push(cart(&s, st.id, &format!("q{}", i + 1)).await);
        }
        let mut racers = tokio::task::JoinSet::new();
        for c in carts {
            let (s, coupon_id) = (s.clone(), created.id);
            racers.spawn(async move {
                let lines = [line(1_000, 1_000)];
                let placed = PlacedCoupon {
                    id: coupon_id,
                    code: "Save5",
                    cents: 500,
                };
                let new = NewOrder {
                    cart_version: c.version,
                    lines: &lines,
                    base_cents: 2_000,
                    shipping_cents: 0,
                    coupon: Some(placed),
                    tax_cents: 0,
                    tax_provider_id: None,
                    total_cents: 1_500,
                    billing: None,
                    shipping: None,
                };
                s.place_order(&c, new, 3).await
            });
        }
        let mut results = Vec::new();
        while let Some(r) = racers.join_next().await {
            results.push(r.expect("racer"));
        }
        let placed: Vec<&Order> = results.iter().filter_map(|r| r.as_ref().ok()).collect();
        assert_eq!(placed.len(), 2, "{results:?}");
        assert!(results
            .iter()
            .all(|r| r.is_ok() || matches!(r, Err(StoreError::Conflict(_)))));
        assert!(placed
            .iter()
            .all(|o| o.coupon_code.as_deref() == Some("Save5") && o.coupon_cents == 500));
        let used = s
            .coupon_by_code(st.id, "save5")
            .await
            .unwrap()
            .expect("coupon");
        assert_eq!(used.uses, 2);
        // Deleting it takes it off checkouts; orders keep theirs.
        assert!(s.delete_coupon(st.id, used.id).await.unwrap());
        assert_eq!(s.checkout_coupon("q0").await.unwrap(), None);
        assert_eq!(
            s.order(st.id, placed[0].id)
                .await
                .unwrap()
                .unwrap()
                .coupon_cents,
            500
        );
    }
);
