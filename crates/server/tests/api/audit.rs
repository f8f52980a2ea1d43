//! The migration audit over HTTP and the CLI (issue 19): tokens used for real, the usage flush
//! gathering the evidence off the request path, and each token's verdict at a date with its
//! rule, evidence, action and least-privilege findings.

use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::{Resp, TestApp, NOW};

const JUNE_2026: i64 = 1_780_272_000;
const PRODUCTS: &str = "query ProductQuery { site { products { edges { node { name } } } } }";
const ORDERS: &str = "query CustomerAllOrders { customer { entityId } }";

async fn run(app: &TestApp, token: &str, query: &str, origin: Option<&str>) -> Resp {
    let extra: Vec<(&str, &str)> = origin.map(|o| vec![("Origin", o)]).unwrap_or_default();
    let r = app.gql(Some(token), query, &extra).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    r
}

/// The audit at `at`, once the usage flush has written `expected_uses` uses of `jti`.
async fn audit_when_flushed(app: &TestApp, at: &str, jti: &str, expected_uses: i64) -> Value {
    for _ in 0..40 {
        let r = app
            .mgmt(
                Method::GET,
                &format!("/v3/storefront/api-tokens/audit?at={at}"),
                None,
            )
            .await;
        assert_eq!(r.status, 200, "{:?}", r.body);
        let token = find(&r.body["data"], jti);
        if token["evidence"]["server_to_server_uses"].as_i64() == Some(expected_uses) {
            return r.body["data"].clone();
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the usage of {jti} was never flushed");
}

fn find(report: &Value, jti: &str) -> Value {
    report["tokens"]
        .as_array()
        .expect("tokens")
        .iter()
        .find(|t| t["id"] == jti)
        .cloned()
        .unwrap_or(Value::Null)
}

fn jti_of(token: &str) -> String {
    crate::helpers::decode(token).1["jti"]
        .as_str()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn the_audit_says_which_tokens_break_when_why_and_what_to_mint() {
    let app = TestApp::spawn().await;
    // A storefront token made before the first cut-off, used server-to-server.
    app.set_now(JUNE_2026);
    let old = app.storefront_token(&[]).await;
    app.set_now(NOW);
    for query in [PRODUCTS, PRODUCTS, ORDERS] {
        run(&app, &old, query, None).await;
    }
    // A storefront token used only from its browser origin.
    let browser = app.storefront_token(&["https://shop.example"]).await;
    run(&app, &browser, PRODUCTS, Some("https://shop.example")).await;
    // Private tokens: one granted more than it uses, one missing what it needs.
    let broad = app
        .private_token(&["Unauthenticated", "Customer", "B2B"])
        .await;
    run(&app, &broad, PRODUCTS, None).await;
    let narrow = app.private_token(&["Unauthenticated"]).await;
    run(&app, &narrow, ORDERS, None).await;

    let report = audit_when_flushed(&app, "2027-04-01", &jti_of(&old), 3).await;
    assert_eq!(report["at"], "2027-04-01T00:00:00Z");
    let t = find(&report, &jti_of(&old));
    assert_eq!(
        t["verdict"],
        json!({
            "ways": [{ "way": "server-to-server", "uses": 3, "allowed": false, "rule": "storefront_s2s_ended" }],
            "server_to_server_breaks_on": "2027-04-01",
            "action": "replace with a private token with scopes [Unauthenticated, Customer]",
            "least_privilege": null,
        })
    );
    let e = &t["evidence"];
    assert_eq!(
        (
            e["server_to_server_uses"].clone(),
            e["browser_uses"].clone()
        ),
        (json!(3), json!(0))
    );
    assert_eq!(e["first_used_at"], "2026-11-22T12:00:00Z");
    assert_eq!(e["client_ips"][0]["value"], "127.0.0.1");
    let ops: Vec<(String, i64, Value)> = e["operations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (
                o["name"].as_str().unwrap().to_string(),
                o["uses"].as_i64().unwrap(),
                o["needs"].clone(),
            )
        })
        .collect();
    assert!(
        ops.contains(&("ProductQuery".into(), 2, json!(["Unauthenticated"]))),
        "{ops:?}"
    );
    assert!(
        ops.contains(&("CustomerAllOrders".into(), 1, json!(["Customer"]))),
        "{ops:?}"
    );
    let breaking = &report["summary"]["breaking"];
    assert_eq!(
        (breaking[0]["on"].clone(), breaking[0]["tokens"].clone()),
        (json!("2027-04-01"), json!(1)),
        "{breaking:?}"
    );
    assert_eq!(breaking[0]["server_to_server_requests_per_day"], 3.0);

    let b = find(&report, &jti_of(&browser));
    assert_eq!(b["verdict"]["action"], "keep: browser only");
    assert_eq!(
        b["verdict"]["ways"][0]["way"],
        "browser from https://shop.example"
    );
    assert_eq!(b["evidence"]["origins"][0]["value"], "https://shop.example");
    assert_eq!(
        find(&report, &jti_of(&broad))["verdict"]["least_privilege"],
        json!([
            "granted Customer, never needed",
            "granted B2B, never needed"
        ])
    );
    assert_eq!(
        find(&report, &jti_of(&narrow))["verdict"]["least_privilege"],
        json!([
            "granted Unauthenticated, never needed",
            "needs Customer for CustomerAllOrders"
        ])
    );

    // The inventory shows the same findings beside each private token.
    let r = app
        .mgmt(Method::GET, "/v3/storefront/api-tokens", None)
        .await;
    let listed = |jti: String| {
        r.body["data"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["id"] == jti.as_str())
            .cloned()
            .unwrap()
    };
    assert_eq!(
        listed(jti_of(&broad))["least_privilege"],
        json!([
            "granted Customer, never needed",
            "granted B2B, never needed"
        ])
    );
    assert_eq!(listed(jti_of(&old))["least_privilege"], Value::Null);

    // Today the same token still works server-to-server, until the day it breaks.
    let r = app
        .mgmt(Method::GET, "/v3/storefront/api-tokens/audit", None)
        .await;
    let today = find(&r.body["data"], &jti_of(&old));
    assert_eq!(today["verdict"]["ways"][0]["allowed"], true);
    assert_eq!(today["verdict"]["server_to_server_breaks_on"], "2027-04-01");

    // The CLI says the same as text and as JSON.
    let out = app.cli(&["audit", "--store", "demo", "--at", "2027-04-01"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{out:?}");
    assert!(
        text.contains("1 break on 2027-04-01 (3.0 server-to-server requests a day)"),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "{} storefront: replace with a private token with scopes [Unauthenticated, Customer]",
            jti_of(&old)
        )),
        "{text}"
    );
    assert!(
        text.contains("server-to-server (3 uses): refused (storefront_s2s_ended)"),
        "{text}"
    );
    assert!(
        text.contains("least privilege: needs Customer for CustomerAllOrders"),
        "{text}"
    );
    let out = app.cli(&["audit", "--store", "demo", "--at", "2027-04-01", "--json"]);
    let json: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(find(&json, &jti_of(&old))["verdict"], t["verdict"]);
}

#[tokio::test]
async fn the_audit_refuses_bad_dates_stores_and_callers() {
    let app = TestApp::spawn().await;
    let r = app
        .mgmt(
            Method::GET,
            "/v3/storefront/api-tokens/audit?at=next-tuesday",
            None,
        )
        .await;
    assert_eq!(r.status, 422, "{:?}", r.body);
    assert_eq!(
        r.body["errors"]["at:invalid_date"],
        "at must be a day (2027-04-01) or an RFC 3339 time."
    );
    let out = app.cli(&["audit", "--at", "soon"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--at must be a day"));
    let out = app.cli(&["audit", "--store", "nope"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("no store with hash \"nope\""));
    // Without the storefront API scope: 403.
    let account = crate::management::account(&app, &["store_v2_products"]);
    let token = account["access_token"].as_str().expect("token");
    let r = app
        .mgmt_as(token, Method::GET, "/v3/storefront/api-tokens/audit", None)
        .await;
    assert_eq!(r.status, 403, "{:?}", r.body);
}

#[tokio::test]
async fn scopes_explain_reads_a_storefronts_directory_of_documents() {
    let app = TestApp::spawn().await;
    let dir = tempfile::tempdir().expect("dir");
    let write = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).expect("mkdir");
        std::fs::write(path, text).expect("write");
    };
    write(
        "fragments/product.graphql",
        "fragment Card on Product { name entityId }",
    );
    write(
        "pages/home.graphql",
        "{ site { products { edges { node { ...Card } } } } }",
    );
    write(
        "account.gql",
        "query Orders { customer { orders { edges { node { entityId } } } } }\nquery Settings { site { settings { storeName } } }",
    );
    write("notes.txt", "not a document");
    let out = app.cli(&["scopes", "explain", dir.path().to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(
        report["requiredScopes"],
        json!(["Unauthenticated", "Customer"])
    );
    let mut ops: Vec<(String, Value, Value)> = report["operations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (
                o["file"].as_str().unwrap().to_string(),
                o["operationName"].clone(),
                o["requiredScopes"].clone(),
            )
        })
        .collect();
    ops.sort_by(|a, b| (&a.0, a.1.to_string()).cmp(&(&b.0, b.1.to_string())));
    assert_eq!(
        ops,
        vec![
            ("account.gql".into(), json!("Orders"), json!(["Customer"])),
            (
                "account.gql".into(),
                json!("Settings"),
                json!(["Unauthenticated"])
            ),
            (
                "pages/home.graphql".into(),
                Value::Null,
                json!(["Unauthenticated"])
            ),
        ]
    );
    // A broken file is named; a directory without documents says so.
    write("broken.graphql", "query { site { ");
    let out = app.cli(&["scopes", "explain", dir.path().to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("broken.graphql"),
        "{out:?}"
    );
    let empty = tempfile::tempdir().expect("dir");
    let out = app.cli(&["scopes", "explain", empty.path().to_str().unwrap()]);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("holds no .graphql or .gql files"),
        "{out:?}"
    );
}

/// More live tokens than one page of the registry (and one evidence read): the audit is read
/// in pages of at most 250 live tokens, the summary (on the first page) counts them all, and
/// paging through gives every live token once, revoked ones never.
#[tokio::test]
async fn the_audit_pages_through_every_token_of_a_large_registry() {
    let app = TestApp::spawn_with(|c| c.rate_limit.quota = 10_000).await;
    let mut made = std::collections::HashSet::new();
    let mut revoked = std::collections::HashSet::new();
    for i in 0..510 {
        let token = app.private_token(&["Unauthenticated"]).await;
        if i % 100 == 7 {
            assert_eq!(app.revoke(&token).await.status, 200);
            revoked.insert(jti_of(&token));
        } else {
            made.insert(jti_of(&token));
        }
    }
    let mut audited = Vec::new();
    let mut path = "/v3/storefront/api-tokens/audit?limit=250".to_string();
    let mut pages = 0;
    loop {
        let r = app.mgmt(Method::GET, &path, None).await;
        assert_eq!(r.status, 200, "{:?}", r.body);
        let tokens = r.body["data"]["tokens"].as_array().unwrap();
        assert!(tokens.len() <= 250);
        assert_eq!(r.body["meta"]["pagination"]["count"], tokens.len());
        audited.extend(tokens.iter().map(|t| t["id"].as_str().unwrap().to_string()));
        pages += 1;
        let summary = &r.body["data"]["summary"];
        if pages == 1 {
            assert!(
                summary["tokens"].as_u64().is_some_and(|n| n > 500),
                "{summary}"
            );
        } else {
            assert_eq!(
                summary,
                &Value::Null,
                "the summary is on the first page only"
            );
        }
        match r.body["meta"]["pagination"]["next_cursor"].as_str() {
            Some(next) => path = format!("/v3/storefront/api-tokens/audit?limit=250&before={next}"),
            None => break,
        }
    }
    let unique: std::collections::HashSet<String> = audited.iter().cloned().collect();
    assert_eq!(unique.len(), audited.len(), "no token on two pages");
    assert!(
        made.is_subset(&unique),
        "{} of {} audited",
        made.intersection(&unique).count(),
        made.len()
    );
    assert!(revoked.is_disjoint(&unique), "revoked tokens are not live");
    assert!(pages >= 3, "{pages} pages");
    let first = app
        .mgmt(Method::GET, "/v3/storefront/api-tokens/audit?limit=1", None)
        .await;
    assert_eq!(
        first.body["data"]["summary"]["tokens"].as_u64(),
        Some(unique.len() as u64)
    );
    let r = app
        .mgmt(
            Method::GET,
            "/v3/storefront/api-tokens/audit?before=yesterday",
            None,
        )
        .await;
    assert_eq!(r.status, 422, "{:?}", r.body);
    assert!(r.body["errors"]["before:invalid_cursor"].is_string());
}
