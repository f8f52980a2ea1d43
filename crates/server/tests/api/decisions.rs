//! The decision inspector over HTTP (issue 19): every storefront-API decision, allowed or
//! refused, is kept per store with its checks in order, its classification, customer source,
//! scopes and rehearsal verdict, filterable, and never a token, a CAT or a cookie value.

use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::{TestApp, JANE};

async fn decisions(app: &TestApp, query: &str) -> Vec<Value> {
    let r = app
        .mgmt(
            Method::GET,
            &format!("/v3/storefront/decisions{query}"),
            None,
        )
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    r.body["data"].as_array().expect("data").clone()
}

#[tokio::test]
async fn each_decision_is_explained_check_by_check_and_holds_no_secret() {
    let app = TestApp::spawn().await;
    let broad = app.private_token(&["Unauthenticated", "Customer"]).await;
    let cat = app.login_cat(&broad, JANE).await;
    let token = app.private_token(&["Unauthenticated"]).await;
    let orders = "query MyOrders { customer { entityId } }";
    let r = app
        .gql(
            Some(&token),
            orders,
            &[("X-Bc-Customer-Access-Token", &cat)],
        )
        .await;
    assert_eq!(r.status, 200);
    // A private token from a browser: refused at the last token check.
    let r = app
        .gql(
            Some(&token),
            "query Home { site { settings { storeName } } }",
            &[("Origin", "https://shop.example")],
        )
        .await;
    assert_eq!(r.status, 403);

    let all = decisions(&app, "").await;
    assert!(
        all.windows(2)
            .all(|w| w[0]["id"].as_u64() > w[1]["id"].as_u64()),
        "newest first"
    );
    let refused = &all[0];
    assert_eq!(
        (refused["status"].clone(), refused["reason"].clone()),
        (json!(403), json!("private_from_browser"))
    );
    assert_eq!(refused["operation"], "Home");
    assert_eq!(
        refused["classification"],
        json!({ "as": "browser", "by": ["Origin"] })
    );
    assert_eq!(refused["origin"], "https://shop.example");
    let checks = refused["checks"].as_array().unwrap();
    assert_eq!(
        checks.last().unwrap(),
        &json!({ "check": "its kind may be used from here, today", "outcome": "failed" })
    );
    assert!(checks[..checks.len() - 1]
        .iter()
        .all(|c| c["outcome"] == "passed"));

    let allowed = all
        .iter()
        .find(|d| d["operation"] == "MyOrders")
        .expect("MyOrders");
    assert_eq!(
        (allowed["status"].clone(), allowed["decision"].clone()),
        (json!(200), json!("allow"))
    );
    assert_eq!(allowed["classification"]["as"], "server-to-server");
    assert_eq!(allowed["customer_source"], "X-Bc-Customer-Access-Token");
    assert_eq!(
        allowed["scopes"],
        json!({ "required": ["Customer"], "granted": ["Unauthenticated"], "missing": ["Customer"] })
    );
    assert_eq!(allowed["token"]["kind"], "private");
    let text = serde_json::to_string(&all).unwrap();
    assert!(
        !text.contains(&token) && !text.contains(&cat),
        "no token or CAT in the inspector"
    );

    // Filters: by status, by operation, by token, by time.
    let only = decisions(&app, "?status=403").await;
    assert!(!only.is_empty() && only.iter().all(|d| d["status"] == 403));
    assert_eq!(decisions(&app, "?operation=MyOrders").await.len(), 1);
    let jti = crate::helpers::decode(&token).1["jti"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(decisions(&app, &format!("?token={jti}"))
        .await
        .iter()
        .all(|d| d["token"]["id"] == jti.as_str()));
    assert!(decisions(&app, "?until=2020-01-01").await.is_empty());
    assert_eq!(decisions(&app, "?limit=1").await.len(), 1);
    let r = app
        .mgmt(
            Method::GET,
            "/v3/storefront/decisions?since=yesterday",
            None,
        )
        .await;
    assert_eq!(r.status, 422, "{:?}", r.body);
}

#[tokio::test]
async fn a_rehearsal_and_a_bad_token_are_explained_too() {
    let app = TestApp::spawn().await;
    app.set_now(1_780_272_000);
    let old = app.storefront_token(&[]).await;
    app.set_now(crate::helpers::NOW);
    let body = json!({ "at": "2027-04-01", "mode": "report" });
    app.mgmt(Method::PUT, "/v3/storefront/rehearsal", Some(body))
        .await;
    app.gql(
        Some(&old),
        "query Settings { site { settings { storeName } } }",
        &[],
    )
    .await;
    let r = app
        .gql(
            Some("not-a-token"),
            "{ site { settings { storeName } } }",
            &[],
        )
        .await;
    assert_eq!(r.status, 401);
    let all = decisions(&app, "").await;
    let bad = &all[0];
    assert_eq!(bad["reason"], "not_jwt");
    assert_eq!(
        bad["checks"][1],
        json!({ "check": "the token is a JWT", "outcome": "failed" })
    );
    assert_eq!(bad["checks"][2]["outcome"], "not run");
    let rehearsed = all
        .iter()
        .find(|d| d["operation"] == "Settings")
        .expect("Settings");
    assert_eq!(
        rehearsed["rehearsal"],
        "storefront_s2s_ended; at=2027-04-01"
    );
    assert_eq!(rehearsed["status"], 200);
    let account = crate::management::account(&app, &["store_v2_products"]);
    let r = app
        .mgmt_as(
            account["access_token"].as_str().unwrap(),
            Method::GET,
            "/v3/storefront/decisions",
            None,
        )
        .await;
    assert_eq!(r.status, 403);
}

/// `tokens inspect` judges a request shape with the same checks, and names the one that fails.
#[tokio::test]
async fn tokens_inspect_says_which_check_would_refuse_a_request_shape() {
    let app = TestApp::spawn().await;
    app.set_now(1_780_272_000);
    let old = app.storefront_token(&["https://shop.example"]).await;
    app.set_now(crate::helpers::NOW);
    let inspect = |args: &[&str]| {
        let mut all = vec!["tokens", "inspect", old.as_str()];
        all.extend_from_slice(args);
        let out = app.cli(&all);
        assert!(out.status.success(), "{out:?}");
        serde_json::from_slice::<Value>(&out.stdout).expect("json")
    };
    let failed = |v: &Value| -> Vec<String> {
        v["verdict"]["checks"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["outcome"] == "failed")
            .map(|c| c["check"].as_str().unwrap().to_string())
            .collect()
    };
    let today = inspect(&[]);
    assert_eq!(
        (
            today["verdict"]["status"].clone(),
            today["request"]["as"].clone()
        ),
        (json!(200), json!("server-to-server"))
    );
    assert!(failed(&today).is_empty());
    let after = inspect(&["--at", "2027-04-01"]);
    assert_eq!(
        (
            after["verdict"]["status"].clone(),
            after["verdict"]["reason"].clone()
        ),
        (json!(403), json!("storefront_s2s_ended"))
    );
    assert_eq!(
        failed(&after),
        vec!["its kind may be used from here, today"]
    );
    assert!(after["verdict"]["message"]
        .as_str()
        .unwrap()
        .contains("can no longer be used for server-to-server"));
    let stranger = inspect(&["--origin", "https://evil.example"]);
    assert_eq!(stranger["verdict"]["reason"], "origin_not_allowed");
    assert_eq!(
        inspect(&["--origin", "https://shop.example"])["verdict"]["status"],
        200
    );
    let other_channel = inspect(&["--channel", "7"]);
    assert_eq!(other_channel["verdict"]["reason"], "channel_mismatch");
    let out = app.cli(&["tokens", "inspect", &old, "--at", "later"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("--at must be a day"));
    let mut forged = old.clone();
    forged.pop();
    forged.push(if old.ends_with('A') { 'B' } else { 'A' });
    let out = app.cli(&["tokens", "inspect", &forged]);
    let v: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["verdict"]["reason"], "bad_signature");
}
