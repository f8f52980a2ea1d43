//! Durability across restarts, key rotation, and the command line (SPEC §4, §9, §10).

use reqwest::Method;
use serde_json::Value;

use crate::helpers::{decode, TestApp};

#[tokio::test]
async fn restart_keeps_accounts_tokens_and_revocations() {
    let app = TestApp::spawn().await;
    let kept = app.private_token(&["Customer"]).await;
    let revoked = app.storefront_token(&["https://shop.example"]).await;
    assert_eq!(app.revoke(&revoked).await.status, 200);
    let app = app.restart().await;
    let inv = app.inventory().await;
    let find = |jwt: &str| {
        let jti = decode(jwt).1["jti"].as_str().expect("jti").to_string();
        inv.iter()
            .find(|t| t["id"] == jti.as_str())
            .cloned()
            .expect("token survived the restart")
    };
    assert_eq!(find(&kept)["revoked"], false);
    assert_eq!(find(&revoked)["revoked"], true);
    // The account still authenticates and the old signing key still verifies.
    assert_eq!(app.revoke(&kept).await.status, 200);
}

#[tokio::test]
async fn key_rotation_keeps_old_tokens_verifying() {
    let app = TestApp::spawn().await;
    let old = app.private_token(&["Customer"]).await;
    let old_kid = decode(&old).0["kid"].as_str().expect("kid").to_string();
    // Another token of the old key, in use (cached) through the rotation and the retirement.
    let in_use = app.private_token(&["Unauthenticated"]).await;
    let channel = "{ channel { entityId } }";
    assert_eq!(app.gql(Some(&in_use), channel, &[]).await.status, 200);

    let out = app.cli(&["keys", "rotate"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    let new_kid = stdout
        .split_whitespace()
        .nth(3)
        .expect("kid")
        .trim_end_matches(';')
        .to_string();
    assert_ne!(new_kid, old_kid);

    // The running server picks the rotation up within its one-second sync.
    let mut fresh = String::new();
    for _ in 0..40 {
        fresh = app.private_token(&["Customer"]).await;
        if decode(&fresh).0["kid"] == new_kid.as_str() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(
        decode(&fresh).0["kid"],
        new_kid.as_str(),
        "new tokens carry the new kid"
    );
    let jwks: Value = app
        .client
        .get(app.url("/.well-known/jwks.json"))
        .send()
        .await
        .expect("jwks")
        .json()
        .await
        .expect("json");
    let kids: Vec<&str> = jwks["keys"]
        .as_array()
        .expect("keys")
        .iter()
        .map(|k| k["kid"].as_str().expect("kid"))
        .collect();
    assert!(
        kids.contains(&old_kid.as_str()) && kids.contains(&new_kid.as_str()),
        "{kids:?}"
    );

    // The old key still verifies: revocation verifies the signature before it acts.
    let another_old = old.clone();
    assert_eq!(app.revoke(&another_old).await.status, 200);

    // The old key's token in use still answers after the rotation.
    assert_eq!(app.gql(Some(&in_use), channel, &[]).await.status, 200);

    // Retiring the old key: tokens it signed no longer verify anywhere, the one this server
    // has cached included, within the one-second sync.
    let out = app.cli(&["keys", "retire", &old_kid]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = app.cli(&["keys", "retire", &new_kid]);
    assert!(!out.status.success(), "the last live key cannot be retired");
    assert!(String::from_utf8_lossy(&out.stderr).contains("only live key"));
    let retired_at = std::time::Instant::now();
    let refusal = loop {
        let r = app.gql(Some(&in_use), channel, &[]).await;
        if r.status != 200 {
            break r;
        }
        assert!(
            retired_at.elapsed() < std::time::Duration::from_millis(1_100),
            "a cached token of a retired key answered for more than a second"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    assert_eq!(refusal.status, 401);
    assert_eq!(
        crate::helpers::message(&refusal),
        "GraphQL invalid credentials. JWT signature is invalid"
    );
    let jwks: Value = app
        .client
        .get(app.url("/.well-known/jwks.json"))
        .send()
        .await
        .expect("jwks")
        .json()
        .await
        .expect("json");
    assert_eq!(jwks["keys"].as_array().expect("keys").len(), 1);
    // Tokens of the new key go on.
    assert_eq!(app.gql(Some(&fresh), channel, &[]).await.status, 200);
}

#[tokio::test]
async fn cli_accounts_tokens_and_errors() {
    let app = TestApp::spawn().await;
    let out = app.cli(&[
        "accounts",
        "create",
        "--store",
        "demo",
        "--scope",
        "store_storefront_api",
        "--json",
    ]);
    assert!(out.status.success());
    let acct: Value = serde_json::from_slice(&out.stdout).expect("json");
    for key in ["client_id", "client_secret", "access_token", "store_hash"] {
        assert!(acct[key].as_str().is_some_and(|s| !s.is_empty()), "{key}");
    }
    assert_eq!(acct["client_id"].as_str().expect("id").len(), 31);
    let r = app
        .mgmt_as(
            acct["access_token"].as_str().expect("t"),
            Method::POST,
            "/v3/storefront/api-token",
            Some(serde_json::json!({ "channel_id": 1, "expires_at": 2_147_483_647 })),
        )
        .await;
    assert_eq!(r.status, 200);

    let out = app.cli(&[
        "tokens",
        "create",
        "--store",
        "demo",
        "--kind",
        "private",
        "--scope",
        "Customer",
        "--channel",
        "1",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let jwt = String::from_utf8_lossy(&out.stdout).trim().to_string();
    let (_, claims) = decode(&jwt);
    assert_eq!(
        (
            claims["sub"].as_str(),
            claims["sub_type"].as_i64(),
            claims["token_type"].as_i64()
        ),
        (Some("BC"), Some(0), Some(3))
    );

    let out = app.cli(&["tokens", "inspect", &jwt]);
    let inspected: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(inspected["signature"], "valid");
    assert_eq!(inspected["registry"]["revoked"], false);

    let out = app.cli(&[
        "tokens",
        "revoke",
        "--store",
        "demo",
        claims["jti"].as_str().expect("jti"),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = app.cli(&["tokens", "list", "--store", "demo"]);
    let list: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert!(list
        .as_array()
        .expect("arr")
        .iter()
        .any(|t| t["id"] == claims["jti"] && t["revoked"] == true));

    for (args, needle) in [
        (
            vec![
                "tokens",
                "create",
                "--store",
                "demo",
                "--kind",
                "private",
                "--channel",
                "1",
            ],
            "scopes:min_items",
        ),
        (
            vec!["tokens", "create", "--store", "nope", "--kind", "private"],
            "no store",
        ),
        (
            vec!["tokens", "revoke", "--store", "demo", "not.a.token"],
            "not a valid token",
        ),
        (vec!["accounts", "create", "--store", "demo"], "--scope"),
        (
            vec!["stores", "create", "--hash", "Bad Hash", "--name", "x"],
            "store hash",
        ),
        (vec!["keys", "retire", "unknown-kid"], "unknown key id"),
    ] {
        let out = app.cli(&args);
        assert!(!out.status.success(), "{args:?} should fail");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(needle), "{args:?}: {err}");
    }
}

#[test]
fn unknown_configuration_is_rejected_by_the_binary() {
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("config.toml");
    std::fs::write(&file, "listen = \"127.0.0.1:0\"\nlistn = \"typo\"\n").expect("write");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_storefront-auth"))
        .args(["--config", file.to_str().expect("path"), "keys", "list"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("listn"));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_storefront-auth"))
        .args([
            "--data-dir",
            dir.path().to_str().expect("path"),
            "keys",
            "list",
        ])
        .env("STOREFRONT_AUTH_DOMIAN", "x")
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("domian"));
}
