//! SPEC §3.1 and §4 over HTTP: each token kind and its claims, every 422 case, revocation and
//! the inventory.

use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::{decode, TestApp, NOW};

#[tokio::test]
async fn each_kind_carries_the_documented_claims() {
    let app = TestApp::spawn().await;
    let jwks = app
        .client
        .get(app.url("/.well-known/jwks.json"))
        .send()
        .await
        .expect("jwks")
        .json::<Value>()
        .await
        .expect("json");
    let kid = jwks["keys"][0]["kid"].as_str().expect("kid").to_string();
    let cases = [
        (
            "api-token",
            json!({ "channel_id": 1, "expires_at": 2_147_483_647, "allowed_cors_origins": ["http://localhost:4000"] }),
            1,
            json!(["http://localhost:4000"]),
            None,
        ),
        (
            "api-token-private",
            json!({ "channel_ids": [1, 2], "expires_at": 1_885_635_176, "scopes": ["Unauthenticated", "Customer"] }),
            3,
            json!([]),
            Some(json!(["Unauthenticated", "Customer"])),
        ),
        (
            "api-token-customer-impersonation",
            json!({ "channel_ids": [], "expires_at": 1_885_635_176 }),
            2,
            json!([]),
            None,
        ),
    ];
    for (endpoint, body, token_type, cors, scopes) in cases {
        let r = app.create_token(endpoint, body.clone()).await;
        assert_eq!(r.status, 200, "{endpoint}: {:?}", r.body);
        assert_eq!(r.body["meta"], json!({}));
        let jwt = r.body["data"]["token"].as_str().expect("token");
        let (header, claims) = decode(jwt);
        assert_eq!(header, json!({ "typ": "JWT", "alg": "ES256", "kid": kid }));
        let keys: Vec<&String> = claims.as_object().expect("obj").keys().collect();
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(keys, sorted, "claims are emitted in sorted order");
        assert_eq!(claims["iss"], "BC");
        assert_eq!(claims["iat"], NOW);
        assert_eq!(claims["eat"], body["expires_at"]);
        assert_eq!(claims["sid"], app.creds.store_id);
        assert_eq!(claims["sub"], app.creds.client_id.as_str());
        assert_eq!(claims["sub_type"], 2);
        assert_eq!(claims["token_type"], token_type);
        assert_eq!(claims["cors"], cors);
        assert_eq!(
            claims["cid"],
            body.get("channel_ids").cloned().unwrap_or(json!([1]))
        );
        assert_eq!(claims.get("scopes").cloned(), scopes);
        assert!(claims.get("exp").is_none());
        assert_eq!(claims["jti"].as_str().expect("jti").len(), 36);
        assert_eq!(
            jwt.split('.').nth(2).expect("sig").len(),
            86,
            "raw R||S signature"
        );
    }
}

/// Every 422 case of SPEC §3.1, each with its own `errors` key.
#[tokio::test]
async fn invalid_bodies_get_their_own_error_keys() {
    let app = TestApp::spawn().await;
    let ok = |extra: Value| {
        let mut b = json!({ "channel_id": 1, "expires_at": 2_147_483_647 });
        for (k, v) in extra.as_object().expect("obj") {
            if v.is_null() {
                b.as_object_mut().expect("obj").remove(k);
            } else {
                b[k] = v.clone();
            }
        }
        b
    };
    let cases: Vec<(&str, Value, &str)> = vec![
        (
            "api-token",
            ok(json!({ "expires_at": null })),
            "expires_at:required",
        ),
        (
            "api-token",
            ok(json!({ "expires_at": "soon" })),
            "expires_at:invalid_type",
        ),
        (
            "api-token",
            ok(json!({ "expires_at": 1.5 })),
            "expires_at:invalid_type",
        ),
        (
            "api-token",
            ok(json!({ "expires_at": NOW })),
            "expires_at:not_in_future",
        ),
        (
            "api-token",
            ok(json!({ "expires_at": 0 })),
            "expires_at:not_in_future",
        ),
        (
            "api-token",
            ok(json!({ "channel_ids": [1] })),
            "channel_id:mutually_exclusive",
        ),
        (
            "api-token",
            ok(json!({ "channel_id": null })),
            "channel_id:required",
        ),
        (
            "api-token",
            ok(json!({ "channel_id": 0 })),
            "channel_id:invalid_type",
        ),
        (
            "api-token",
            ok(json!({ "channel_id": 99 })),
            "channel_id:unknown_channel",
        ),
        (
            "api-token",
            ok(json!({ "channel_id": null, "channel_ids": [1, 98] })),
            "channel_ids:unknown_channel",
        ),
        (
            "api-token",
            ok(json!({ "channel_id": null, "channel_ids": "1" })),
            "channel_ids:invalid_type",
        ),
        (
            "api-token",
            ok(
                json!({ "allowed_cors_origins": ["https://a.example", "https://b.example", "https://c.example"] }),
            ),
            "allowed_cors_origins:max_items",
        ),
        (
            "api-token",
            ok(json!({ "allowed_cors_origins": ["https://a.example/"] })),
            "allowed_cors_origins:has_invalid_suffix",
        ),
        (
            "api-token",
            ok(json!({ "allowed_cors_origins": ["https://a.example/shop"] })),
            "allowed_cors_origins:has_invalid_suffix",
        ),
        (
            "api-token",
            ok(json!({ "allowed_cors_origins": ["a.example"] })),
            "allowed_cors_origins:invalid_origin",
        ),
        (
            "api-token",
            ok(json!({ "allowed_cors_origins": "https://a.example" })),
            "allowed_cors_origins:invalid_type",
        ),
        (
            "api-token",
            ok(json!({ "scopes": ["Customer"] })),
            "scopes:unknown_field",
        ),
        (
            "api-token",
            ok(json!({ "colour": "red" })),
            "colour:unknown_field",
        ),
        (
            "api-token-private",
            ok(json!({ "allowed_cors_origins": ["https://a.example"], "scopes": ["Customer"] })),
            "allowed_cors_origins:not_allowed",
        ),
        (
            "api-token-customer-impersonation",
            ok(json!({ "allowed_cors_origins": [] })),
            "allowed_cors_origins:not_allowed",
        ),
        ("api-token-private", ok(json!({})), "scopes:required"),
        (
            "api-token-private",
            ok(json!({ "scopes": [] })),
            "scopes:min_items",
        ),
        (
            "api-token-private",
            ok(json!({ "scopes": ["Admin"] })),
            "scopes:invalid_value",
        ),
        (
            "api-token-private",
            ok(json!({ "scopes": ["Customer", "Customer"] })),
            "scopes:duplicate",
        ),
        (
            "api-token-private",
            ok(json!({ "scopes": "Customer" })),
            "scopes:invalid_type",
        ),
        (
            "api-token-customer-impersonation",
            ok(json!({ "scopes": ["Customer"] })),
            "scopes:unknown_field",
        ),
        ("api-token", json!([1, 2]), "body:invalid_type"),
    ];
    let before = app.inventory().await.len();
    for (endpoint, body, key) in cases {
        let r = app.create_token(endpoint, body.clone()).await;
        assert_eq!(r.status, 422, "{endpoint} {body}: {:?}", r.body);
        assert!(
            r.body["errors"].get(key).is_some(),
            "{endpoint} {body}: expected {key} in {:?}",
            r.body
        );
        let keys: Vec<String> = r.body["errors"]
            .as_object()
            .expect("errors")
            .keys()
            .cloned()
            .collect();
        assert_eq!(
            r.body["title"],
            format!("The following fields are invalid: {}", keys.join(", "))
        );
        assert_eq!(
            r.body["type"],
            "https://developer.bigcommerce.com/api-docs/getting-started/api-status-codes"
        );
    }
    assert_eq!(
        app.inventory().await.len(),
        before,
        "no refused request issued a token"
    );

    let r = app
        .create_token(
            "api-token",
            ok(json!({ "allowed_cors_origins": ["https://a.example/"] })),
        )
        .await;
    assert_eq!(
        r.body,
        json!({
            "status": 422,
            "title": "The following fields are invalid: allowed_cors_origins:has_invalid_suffix",
            "type": "https://developer.bigcommerce.com/api-docs/getting-started/api-status-codes",
            "errors": { "allowed_cors_origins:has_invalid_suffix": "A supplied origin has a trailing slash or other special character following the end of the domain. Please remove any trailing characters in supplied origins." }
        })
    );
    let r = app.create_token("api-token", ok(json!({ "allowed_cors_origins": ["https://a.example", "https://b.example", "https://c.example"] }))).await;
    assert_eq!(
        r.body["errors"]["allowed_cors_origins:max_items"],
        "Allowed CORS origins list length should not be greater than 2"
    );
}

#[tokio::test]
async fn accepted_variants() {
    let app = TestApp::spawn().await;
    for (endpoint, body, cid) in [
        (
            "api-token",
            json!({ "channel_ids": [], "expires_at": 2_147_483_647 }),
            json!([]),
        ),
        (
            "api-token",
            json!({ "channel_ids": [2, 1, 2], "expires_at": 2_147_483_647, "allowed_cors_origins": [] }),
            json!([1, 2]),
        ),
        (
            "api-token",
            json!({ "channel_id": 2, "expires_at": 2_147_483_647, "allowed_cors_origins": ["https://a.example", "http://localhost:5173"] }),
            json!([2]),
        ),
        (
            "api-token-private",
            json!({ "channel_id": 1, "expires_at": 2_147_483_647, "scopes": ["B2B"] }),
            json!([1]),
        ),
    ] {
        let r = app.create_token(endpoint, body.clone()).await;
        assert_eq!(r.status, 200, "{body}: {:?}", r.body);
        assert_eq!(
            decode(r.body["data"]["token"].as_str().expect("token")).1["cid"],
            cid
        );
    }
}

#[tokio::test]
async fn revocation_marks_the_token_and_bad_revocations_are_422() {
    let app = TestApp::spawn().await;
    let token = app.private_token(&["Customer"]).await;
    let jti = decode(&token).1["jti"].as_str().expect("jti").to_string();
    let entry = |inv: &[Value]| {
        inv.iter()
            .find(|t| t["id"] == jti.as_str())
            .cloned()
            .expect("in inventory")
    };
    let before = entry(&app.inventory().await);
    assert_eq!(before["revoked"], false);
    assert_eq!(before["kind"], "private");
    assert_eq!(before["scopes"], json!(["Customer"]));
    assert!(
        !serde_json::to_string(&app.inventory().await)
            .expect("json")
            .contains(&token),
        "the inventory never shows token strings"
    );

    let r = app.revoke(&token).await;
    assert_eq!(
        (r.status, r.body.clone()),
        (200, json!({ "data": {}, "meta": {} }))
    );
    let after = entry(&app.inventory().await);
    assert_eq!(after["revoked"], true);
    assert_eq!(after["revoked_at"], NOW);

    let invalid = json!({
        "status": 422,
        "title": "Invalid JWT Token provided or missing JWT token header",
        "type": "https://developer.bigcommerce.com/api-docs/getting-started/api-status-codes",
        "errors": {}
    });
    // Missing header.
    let r = app
        .mgmt(Method::DELETE, "/v3/storefront/api-token", None)
        .await;
    assert_eq!((r.status, r.body), (422, invalid.clone()));
    // Malformed, tampered, and a token of another store.
    let mut parts: Vec<String> = token.split('.').map(String::from).collect();
    parts[2] = parts[2].chars().rev().collect();
    let other = TestApp::spawn().await;
    let foreign = other.private_token(&["Customer"]).await;
    for bad in ["not-a-jwt".to_string(), parts.join("."), foreign] {
        let r = app.revoke(&bad).await;
        assert_eq!((r.status, r.body.clone()), (422, invalid.clone()), "{bad}");
    }
}

#[tokio::test]
async fn inventory_pages_through_tokens() {
    let app = TestApp::spawn().await;
    for _ in 0..5 {
        app.private_token(&["Unauthenticated"]).await;
    }
    let first = app
        .mgmt(Method::GET, "/v3/storefront/api-tokens?limit=2", None)
        .await;
    assert_eq!(first.status, 200);
    assert_eq!(first.body["meta"]["pagination"]["total"], 5);
    let cursor = first.body["meta"]["pagination"]["next_cursor"]
        .as_str()
        .expect("cursor")
        .to_string();
    let rest = app
        .mgmt(
            Method::GET,
            &format!("/v3/storefront/api-tokens?limit=10&before={cursor}"),
            None,
        )
        .await;
    assert_eq!(rest.body["data"].as_array().expect("arr").len(), 3);
    let bad = app
        .mgmt(
            Method::GET,
            "/v3/storefront/api-tokens?before=garbage",
            None,
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.body["errors"].get("before:invalid_cursor").is_some());
}
