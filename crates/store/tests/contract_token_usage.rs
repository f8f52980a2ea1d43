//! The storage contract of the audit's evidence: usage batches add up, the first use is the
//! earliest seen, and a token keeps a bounded number of values per dimension (the rest count
//! under "(other)"). On SQLite and (with `TEST_DATABASE_URL`) PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use storefront_auth_store::*;

#[macro_use]
mod common;

use common::demo_store;

fn detail(dimension: &str, value: &str, uses: i64, scopes: i64, at: i64) -> UseDetail {
    UseDetail {
        dimension: dimension.into(),
        value: value.into(),
        uses,
        scopes,
        first_used_at: at,
        last_used_at: at,
    }
}

contract!(
    usage_evidence_adds_up_and_stays_bounded,
    |s: Store| async move {
        let st = demo_store(&s).await;
        let t = IssuedToken {
            jti: "j1".into(),
            store_id: st.id,
            kind: "storefront".into(),
            channels: vec![],
            origins: vec![],
            scopes: None,
            subject: "BC".into(),
            sub_type: 0,
            issued_at: 10,
            expires_at: 99_999,
            revoked_at: None,
            last_used_at: None,
            s2s_uses: 0,
            browser_uses: 0,
        };
        s.insert_token(&t).await.expect("insert");
        let batch = |first, last, details| TokenUsage {
            jti: "j1".into(),
            first_used_at: first,
            last_used_at: last,
            s2s: 2,
            browser: 0,
            details,
        };
        s.record_usage(&[batch(
            50,
            60,
            vec![detail("s2s_operation", "Cart", 2, 1, 50)],
        )])
        .await
        .expect("usage");
        s.record_usage(&[batch(
            40,
            45,
            vec![detail("s2s_operation", "Cart", 1, 2, 40)],
        )])
        .await
        .expect("usage");
        let e = evidence(&s, "j1").await;
        assert_eq!(e.first_used_at, Some(40));
        assert_eq!(e.details.len(), 1);
        let cart = &e.details[0];
        assert_eq!(
            (
                cart.uses,
                cart.scopes,
                cart.first_used_at,
                cart.last_used_at
            ),
            (3, 3, 40, 50)
        );
        // Past the bound, new values count under "(other)", in one batch or across batches.
        let many: Vec<UseDetail> = (0..MAX_VALUES_PER_DIMENSION + 1)
            .map(|i| detail("origin", &format!("https://{i}.example"), 1, 0, 70))
            .collect();
        s.record_usage(&[batch(70, 70, many)]).await.expect("usage");
        s.record_usage(&[batch(
            71,
            71,
            vec![detail("origin", "https://late.example", 4, 0, 71)],
        )])
        .await
        .expect("usage");
        let e = evidence(&s, "j1").await;
        let origins: Vec<&UseDetail> = e
            .details
            .iter()
            .filter(|d| d.dimension == "origin")
            .collect();
        assert_eq!(
            origins.len() as i64,
            MAX_VALUES_PER_DIMENSION + 1,
            "the bound and (other)"
        );
        let other = origins.iter().find(|d| d.value == OTHER).expect("other");
        assert_eq!(other.uses, 1 + 4);
        assert_eq!(s.token("j1").await.expect("token").expect("j1").s2s_uses, 8);
    }
);

async fn evidence(s: &Store, jti: &str) -> UseEvidence {
    let mut all = s
        .use_evidence(&[jti.to_string(), "never-used".to_string()])
        .await
        .expect("evidence");
    assert_eq!(all.len(), 2);
    assert_eq!(
        all[1],
        UseEvidence::default(),
        "a token without use has no evidence"
    );
    all.remove(0)
}
