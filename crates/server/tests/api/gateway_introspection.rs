//! `gateway.schema = "introspect"` (issue 21) with the real binary: the upstream's schema is
//! asked of it at start (its hash logged), documents are validated and scope-mapped against it
//! as against an SDL file, a change is noticed and logged, and an upstream that will not answer
//! keeps the server from starting, with the reason.

use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::response::IntoResponse;
use serde_json::{json, Value};
use storefront_auth_core::analysis::SchemaIndex;
use storefront_auth_core::gateway_introspection::{sdl_from_introspection, INTROSPECTION_QUERY};

use crate::process::ServerProcess;

/// The built-in schema's answer to the gateway's introspection query, as its executor gives it.
async fn builtin_introspection() -> Value {
    let schema = storefront_auth::graphql::schema::build();
    let response = schema.execute(INTROSPECTION_QUERY).await;
    assert!(response.errors.is_empty(), "{:?}", response.errors);
    json!({ "data": serde_json::to_value(&response.data).unwrap() })
}

/// The printed SDL describes the same schema: every field's type, nullability included.
#[tokio::test]
async fn the_sdl_printed_from_introspection_is_the_schema() {
    let printed = sdl_from_introspection(&builtin_introspection().await).unwrap();
    let ours = SchemaIndex::from_sdl(&storefront_auth::graphql::schema::build().sdl()).unwrap();
    let theirs = SchemaIndex::from_sdl(&printed).unwrap_or_else(|e| panic!("{e}\n{printed}"));
    let mut fields = 0;
    for (t, f) in ours.coordinates() {
        let (a, b) = (ours.field_def_type(t, f), theirs.field_def_type(t, f));
        assert_eq!(
            a.map(ToString::to_string),
            b.map(ToString::to_string),
            "{t}.{f}"
        );
        assert_eq!(ours.objects(t), theirs.objects(t), "{t}");
        fields += 1;
    }
    assert!(fields > 500, "{fields}");
    assert_eq!(theirs.coordinates().count(), fields);
    assert!(sdl_from_introspection(&json!({ "data": null })).is_err());
}

#[derive(Clone)]
struct Upstream {
    introspection: Arc<Mutex<Value>>,
}

async fn answer(
    axum::extract::State(u): axum::extract::State<Upstream>,
    body: Bytes,
) -> axum::response::Response {
    let body: Value = serde_json::from_slice(&body).unwrap();
    let answer = if body["query"] == INTROSPECTION_QUERY {
        u.introspection.lock().unwrap().clone()
    } else {
        json!({ "data": { "site": { "settings": { "storeName": "Introspected" } } } })
    };
    ([("content-type", "application/json")], answer.to_string()).into_response()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_gateway_starts_from_the_upstreams_introspection_and_notices_a_change() {
    let introspection = builtin_introspection().await;
    let upstream = Upstream {
        introspection: Arc::new(Mutex::new(introspection.clone())),
    };
    let router = axum::Router::new()
        .route("/graphql", axum::routing::post(answer))
        .with_state(upstream.clone());
    let url = format!(
        "{}/graphql",
        crate::gateway_toy::serve_locally(router).await
    );
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap().to_string();
    let env = [
        ("STOREFRONT_AUTH_GATEWAY__UPSTREAM", url.as_str()),
        ("STOREFRONT_AUTH_GATEWAY__SCHEMA", "introspect"),
        ("STOREFRONT_AUTH_GATEWAY__INTROSPECTION_RECHECK_SECS", "1"),
    ];
    let mut server = ServerProcess::start(&["--data-dir", &data], &env);
    let sdl = sdl_from_introspection(&introspection).unwrap();
    let hash = storefront_auth_core::secret::sha256_hex(sdl.as_bytes());
    assert!(
        server
            .seen
            .iter()
            .any(|l| l.contains("by introspection") && l.contains(&hash)),
        "{:?}",
        server.seen
    );
    let client = reqwest::Client::new();
    let private = server.private_token(&["Unauthenticated"]).await;
    let ask = async |query: &str| -> Value {
        let req = client.post(server.url("/graphql")).bearer_auth(&private);
        let r = req.json(&json!({ "query": query })).send().await.unwrap();
        r.json().await.unwrap()
    };
    let ok = ask("{ site { settings { storeName } } }").await;
    assert_eq!(
        ok["data"]["site"]["settings"]["storeName"], "Introspected",
        "{ok}"
    );
    // Validated against the introspected schema, and scope-mapped by it: a field it lacks is
    // refused here, a Customer field is nulled.
    let bad = ask("{ site { nosuch } }").await;
    let message = bad["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(message.contains("nosuch"), "{bad}");
    let denied = ask("{ customer { email } }").await;
    let code = &denied["errors"][0]["extensions"]["code"];
    assert_eq!(code, "INSUFFICIENT_ACCESS_SCOPE", "{denied}");

    // The upstream's schema changes: a type is gone. The re-check logs both hashes.
    let mut changed = introspection;
    let types = changed["data"]["__schema"]["types"].as_array_mut().unwrap();
    types.retain(|t| t["name"] != "Wishlist");
    *upstream.introspection.lock().unwrap() = changed;
    let line = server.until("schema changed since start");
    assert!(line.contains(&hash), "{line}");
    drop(server);

    // An upstream that refuses introspection keeps the server from starting, and scope
    // directives (not in an introspection answer) cannot go with introspection.
    *upstream.introspection.lock().unwrap() =
        json!({ "errors": [{ "message": "introspection is off" }] });
    for (extra, expected) in [
        (None, "introspection is off"),
        (Some("directive:scope"), "needs gateway.schema = sdl:PATH"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_storefront-auth"));
        cmd.args(["--data-dir", dir.path().to_str().unwrap()])
            .args(["serve", "--listen", "127.0.0.1:0"])
            .env_remove("STOREFRONT_AUTH_CONFIG")
            .envs(env);
        if let Some(scopes) = extra {
            cmd.env("STOREFRONT_AUTH_GATEWAY__SCOPES", scopes);
        }
        let out = cmd.output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            !out.status.success() && stderr.contains(expected),
            "{stderr}"
        );
    }
}
