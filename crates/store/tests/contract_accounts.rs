//! The storage contract of customer accounts: password resets, the mail outbox and B2B
//! companies, on SQLite and (with `TEST_DATABASE_URL`) PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use storefront_auth_store::*;

#[macro_use]
mod common;

use common::demo_store;

async fn customer(s: &Store, store_id: i64, email: &str) -> Customer {
    s.create_customer(
        NewCustomer {
            store_id,
            email,
            first_name: "A",
            last_name: "B",
            phone: "",
            group_id: None,
            password_hash: "old-hash",
        },
        1,
    )
    .await
    .expect("customer")
}

fn mail(body: &str) -> NewMail<'_> {
    NewMail {
        recipient: "a@example.com",
        subject: "Reset your password",
        body,
    }
}

contract!(
    a_reset_link_works_once_and_only_the_newest,
    |s: Store| async move {
        let st = demo_store(&s).await;
        let c = customer(&s, st.id, "a@example.com").await;
        let who = (st.id, c.id);
        s.start_password_reset(who, "first", 100, mail("one"), 10)
            .await
            .expect("start");
        assert!(s.password_reset_live(who, "first", 50).await.expect("live"));
        // A second request replaces the first link.
        s.start_password_reset(who, "second", 100, mail("two"), 20)
            .await
            .expect("restart");
        assert!(!s.password_reset_live(who, "first", 50).await.expect("gone"));
        assert!(!s
            .finish_password_reset(who, "first", "h1", 50)
            .await
            .expect("old link"));
        // Expired at 100.
        assert!(!s
            .finish_password_reset(who, "second", "h1", 100)
            .await
            .expect("expired"));
        assert!(s
            .finish_password_reset(who, "second", "new-hash", 99)
            .await
            .expect("use"));
        assert_eq!(
            s.customer(st.id, c.id)
                .await
                .expect("get")
                .map(|c| c.password_hash),
            Some("new-hash".into())
        );
        assert!(!s
            .finish_password_reset(who, "second", "again", 99)
            .await
            .expect("used once"));
        // Another customer's id with this digest is nothing.
        let other = customer(&s, st.id, "b@example.com").await;
        s.start_password_reset(who, "third", 1000, mail("three"), 30)
            .await
            .expect("third");
        assert!(!s
            .finish_password_reset((st.id, other.id), "third", "x", 40)
            .await
            .expect("other customer"));
        let bodies: Vec<String> = s
            .outbox(st.id, 10)
            .await
            .expect("outbox")
            .into_iter()
            .map(|m| m.body)
            .collect();
        assert_eq!(bodies, ["three", "two", "one"]);
    }
);

contract!(
    concurrent_uses_of_one_link_succeed_once,
    |s: Store| async move {
        let st = demo_store(&s).await;
        let c = customer(&s, st.id, "a@example.com").await;
        s.start_password_reset((st.id, c.id), "d", 100, mail("m"), 1)
            .await
            .expect("start");
        let mut racers = tokio::task::JoinSet::new();
        for i in 0..8 {
            let s = s.clone();
            racers.spawn(async move {
                s.finish_password_reset((st.id, c.id), "d", &format!("h{i}"), 2)
                    .await
            });
        }
        let won = racers
            .join_all()
            .await
            .into_iter()
            .filter(|r| matches!(r, Ok(true)))
            .count();
        assert_eq!(won, 1);
    }
);

contract!(
    the_outbox_keeps_the_newest_per_store,
    |s: Store| async move {
        let st = demo_store(&s).await;
        let other = s
            .create_store(1_000_000_002, "other1", "Other", "http://localhost:4001", 1)
            .await
            .expect("other store");
        let c = customer(&s, st.id, "a@example.com").await;
        let o = customer(&s, other.id, "a@example.com").await;
        s.start_password_reset((other.id, o.id), "x", 100, mail("other"), 1)
            .await
            .expect("other");
        for i in 0..OUTBOX_KEEP + 5 {
            let body = format!("m{i}");
            s.start_password_reset((st.id, c.id), "d", 100, mail(&body), i)
                .await
                .expect("start");
        }
        let kept = s.outbox(st.id, 1000).await.expect("outbox");
        assert_eq!(kept.len() as i64, OUTBOX_KEEP);
        assert_eq!(kept[0].body, format!("m{}", OUTBOX_KEEP + 4));
        assert_eq!(kept.last().map(|m| m.body.clone()), Some("m5".into()));
        assert_eq!(s.outbox(other.id, 10).await.expect("other").len(), 1);
    }
);

fn company(name: &str) -> CompanyRecord {
    CompanyRecord {
        id: 0,
        channel_id: 1,
        name: name.into(),
        email: "buyers@acme.example".into(),
        phone: "555".into(),
        status: "PENDING".into(),
        extra_fields: "[]".into(),
        files: "[]".into(),
    }
}

contract!(
    a_customer_registers_one_company_and_a_second_leaves_nothing,
    |s: Store| async move {
        let st = demo_store(&s).await;
        let address = Address {
            first_name: "Ann".into(),
            last_name: "Lee".into(),
            address1: "1 Main St".into(),
            city: "Austin".into(),
            country_code: "US".into(),
            ..Address::default()
        };
        let (first, second) = (company("Acme"), company("Second"));
        let new = |c| NewCompany {
            store_id: st.id,
            customer_id: 7,
            company: c,
            role: "Admin",
            user_extra_fields: "[]",
            address: &address,
            address_extra_fields: r#"[{"name":"Dock","kind":"text","value":"Rear"}]"#,
        };
        let id = s
            .register_company(&new(&first), 10)
            .await
            .unwrap()
            .expect("registered");
        assert_eq!(s.register_company(&new(&second), 11).await.unwrap(), None);
        let member = s.company_of(st.id, 7).await.unwrap().expect("member");
        assert_eq!(
            (member.company.id, member.company.name.as_str()),
            (id, "Acme")
        );
        assert_eq!(member.role, "Admin");
        assert_eq!(s.company_of(st.id, 8).await.unwrap(), None);
        let kept = s.company_addresses(id, 0, 10).await.unwrap();
        assert_eq!(kept.len(), 1);
        assert_eq!(kept[0].0.city, "Austin");
        assert!(kept[0].1.contains("Dock"));
        // The refused registration's company and address were rolled back.
        assert!(s.company_addresses(id + 1, 0, 10).await.unwrap().is_empty());
        let again = s
            .register_company(&new(&company("Third")), 12)
            .await
            .unwrap();
        assert_eq!(again, None);
    }
);
