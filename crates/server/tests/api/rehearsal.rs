//! Rehearsing the cut-off over HTTP and the CLI (issue 19): a store evaluates a future date's
//! rules now; `report` answers 200 with a header naming the rule that would refuse, `enforce`
//! refuses as that date would; tokens that date allows, and stores without a rehearsal, are
//! untouched; the setting is refused when malformed and ends cleanly.

use reqwest::Method;
use serde_json::json;

use crate::helpers::{message, TestApp, NOW};

const JUNE_2026: i64 = 1_780_272_000;
const QUERY: &str = "{ site { settings { storeName } } }";

#[tokio::test]
async fn a_rehearsal_reports_then_enforces_the_second_cut_off() {
    let app = TestApp::spawn().await;
    app.set_now(JUNE_2026);
    let old = app.storefront_token(&[]).await;
    app.set_now(NOW);
    let private = app.private_token(&["Unauthenticated"]).await;

    // No rehearsal: the old storefront token works server-to-server (deprecated).
    let r = app.gql(Some(&old), QUERY, &[]).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert!(r.header("deprecation").is_some());
    assert_eq!(r.header("x-storefront-auth-would-refuse"), None);
    let r = app
        .mgmt(Method::GET, "/v3/storefront/rehearsal", None)
        .await;
    assert_eq!(r.body["data"], json!({ "at": null, "mode": "off" }));

    // Report: it still works, and says what 2027-04-01 would do.
    let body = json!({ "at": "2027-04-01", "mode": "report" });
    let r = app
        .mgmt(Method::PUT, "/v3/storefront/rehearsal", Some(body))
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(
        r.body["data"],
        json!({ "at": "2027-04-01T00:00:00Z", "mode": "report" })
    );
    let r = app.gql(Some(&old), QUERY, &[]).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(
        r.body["data"]["site"]["settings"]["storeName"],
        "Demo Store"
    );
    assert_eq!(
        r.header("x-storefront-auth-would-refuse"),
        Some("storefront_s2s_ended; at=2027-04-01")
    );
    let r = app.gql(Some(&private), QUERY, &[]).await;
    assert_eq!(
        (r.status, r.header("x-storefront-auth-would-refuse")),
        (200, None)
    );

    // Enforce: refused as on that date; the private token is not.
    let out = app.cli(&[
        "stores",
        "rehearse",
        "--store",
        "demo",
        "--at",
        "2027-04-01",
        "--mode",
        "enforce",
    ]);
    assert!(out.status.success(), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout)
        .contains("rehearsing 2027-04-01T00:00:00Z in enforce mode"));
    // The command line is another process: this server sees its change within a second.
    let mut r = app.gql(Some(&old), QUERY, &[]).await;
    for _ in 0..30 {
        if r.status != 200 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        r = app.gql(Some(&old), QUERY, &[]).await;
    }
    assert_eq!(r.status, 403, "{:?}", r.body);
    assert_eq!(
        message(&r),
        "Request not allowed: storefront tokens can no longer be used for server-to-server requests. Use a private token."
    );
    assert_eq!(app.gql(Some(&private), QUERY, &[]).await.status, 200);

    // Off again: back to today's rules.
    let r = app
        .mgmt(Method::DELETE, "/v3/storefront/rehearsal", None)
        .await;
    assert_eq!(r.status, 204);
    let r = app.gql(Some(&old), QUERY, &[]).await;
    assert_eq!(
        (r.status, r.header("x-storefront-auth-would-refuse")),
        (200, None)
    );
}

#[tokio::test]
async fn a_rehearsal_is_refused_when_malformed_and_needs_the_scope() {
    let app = TestApp::spawn().await;
    for (body, field) in [
        (json!({ "at": "someday", "mode": "report" }), "at:invalid"),
        (
            json!({ "at": "2027-04-01", "mode": "pretend" }),
            "mode:invalid",
        ),
        (json!({ "mode": "report" }), "at:invalid"),
    ] {
        let r = app
            .mgmt(Method::PUT, "/v3/storefront/rehearsal", Some(body))
            .await;
        assert_eq!(r.status, 422, "{:?}", r.body);
        assert!(r.body["errors"][field].is_string(), "{:?}", r.body);
    }
    let r = app
        .mgmt(Method::GET, "/v3/storefront/rehearsal", None)
        .await;
    assert_eq!(r.body["data"]["mode"], "off", "nothing was set");
    let out = app.cli(&[
        "stores",
        "rehearse",
        "--store",
        "demo",
        "--at",
        "2027-04-01",
        "--mode",
        "maybe",
    ]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("mode must be report or enforce"));
    let out = app.cli(&["stores", "rehearse", "--store", "demo"]);
    assert!(!out.status.success(), "--at or --off is required");
    let account = crate::management::account(&app, &["store_v2_products"]);
    let token = account["access_token"].as_str().expect("token");
    let body = json!({ "at": "2027-04-01", "mode": "enforce" });
    let r = app
        .mgmt_as(token, Method::PUT, "/v3/storefront/rehearsal", Some(body))
        .await;
    assert_eq!(r.status, 403);
}
