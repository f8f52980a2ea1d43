//! `storefront-auth gateway check` (issue 21): an operator's schema against a scope source,
//! through the binary as an operator runs it. The built-in schema under the built-in table is
//! the reference: nothing unmapped, nothing in conflict. And a `[gateway]` configuration that
//! cannot work stops `serve` with its reason.

use std::path::Path;
use std::process::{Command, Output};

pub(crate) fn storefront_auth(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_storefront-auth"))
        .arg("--data-dir")
        .arg(dir.join("data"))
        .args(args)
        .env_remove("STOREFRONT_AUTH_CONFIG")
        .output()
        .expect("run storefront-auth")
}

pub(crate) fn text(out: &Output) -> (String, String) {
    let s = |b: &[u8]| String::from_utf8_lossy(b).to_string();
    (s(&out.stdout), s(&out.stderr))
}

#[test]
fn the_built_in_schema_is_fully_mapped_by_the_built_in_table() {
    let dir = tempfile::tempdir().expect("dir");
    let sdl = storefront_auth(dir.path(), &["schema"]);
    assert!(sdl.status.success());
    let schema = dir.path().join("schema.graphql");
    std::fs::write(&schema, &sdl.stdout).expect("write");
    let out = storefront_auth(
        dir.path(),
        &[
            "gateway",
            "check",
            "--schema",
            schema.to_str().expect("path"),
            "--strict",
        ],
    );
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    assert!(stdout.contains(" 0 unmapped, 0 conflicts"), "{stdout}");
    for line in [
        "type  Product: Unauthenticated",
        "type  Customer: Customer",
        "type  Money: none",
        "field Query.customer: Customer",
        "field Mutation.cart: none",
    ] {
        assert!(
            stdout.lines().any(|l| l == line),
            "{line:?} not in the report"
        );
    }
}

#[test]
fn an_operator_schema_is_checked_against_a_table_or_a_directive() {
    let dir = tempfile::tempdir().expect("dir");
    let schema = dir.path().join("shop.graphql");
    std::fs::write(
        &schema,
        "type Query { shop: Shop me: Me }\ntype Shop { name: String }\ntype Me { email: String }\n",
    )
    .expect("write");
    let table = dir.path().join("scopes.toml");
    std::fs::write(&table, "[types]\nShop = \"Unauthenticated\"\nGhost = \"none\"\n[fields]\n\"Query.shop\" = \"Unauthenticated\"\n").expect("write");
    let schema_arg = schema.to_str().expect("path");
    let scopes = format!("table:{}", table.display());

    let out = storefront_auth(
        dir.path(),
        &[
            "gateway", "check", "--schema", schema_arg, "--scopes", &scopes,
        ],
    );
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stderr}");
    for line in [
        "unmapped: Me",
        "unmapped: Query.me",
        "unknown: Ghost",
        "type  Shop: Unauthenticated",
    ] {
        assert!(
            stdout.lines().any(|l| l == line),
            "{line:?} not in:\n{stdout}"
        );
    }
    let strict = storefront_auth(
        dir.path(),
        &[
            "gateway", "check", "--schema", schema_arg, "--scopes", &scopes, "--strict",
        ],
    );
    let (_, stderr) = text(&strict);
    assert!(!strict.status.success());
    assert!(
        stderr.contains("unmapped: Me") && stderr.contains("--strict"),
        "{stderr}"
    );

    let directive = dir.path().join("directive.graphql");
    std::fs::write(&directive, "type Query { shop: Shop @needs(scope: \"Unauthenticated\") }\ntype Shop @needs(scope: \"Customer\") @needs(scope: \"B2B\") { name: String }\n").expect("write");
    let out = storefront_auth(
        dir.path(),
        &[
            "gateway",
            "check",
            "--schema",
            directive.to_str().expect("path"),
            "--scopes",
            "directive:needs",
        ],
    );
    let (_, stderr) = text(&out);
    assert!(!out.status.success());
    assert!(
        stderr.contains("conflict: Shop: Customer and B2B"),
        "{stderr}"
    );
}

#[test]
fn bad_inputs_are_named() {
    let dir = tempfile::tempdir().expect("dir");
    let schema = dir.path().join("s.graphql");
    std::fs::write(&schema, "type Query { x: Int }\n").expect("write");
    let broken = dir.path().join("broken.graphql");
    std::fs::write(&broken, "type Query {\n").expect("write");
    let table = dir.path().join("t.toml");
    std::fs::write(&table, "[types]\nQuery = \"Admin\"\n").expect("write");
    let table_arg = format!("table:{}", table.display());
    for (args, expected) in [
        (
            vec![
                "--schema",
                schema.to_str().unwrap(),
                "--scopes",
                "everything",
            ],
            "--scopes: the scope source is builtin, table:FILE or directive:NAME",
        ),
        (
            vec![
                "--schema",
                schema.to_str().unwrap(),
                "--scopes",
                table_arg.as_str(),
            ],
            "Query = \"Admin\" is not",
        ),
        (
            vec!["--schema", broken.to_str().unwrap()],
            "is not valid SDL",
        ),
        (
            vec!["--schema", "/nonexistent/schema.graphql"],
            "reading the schema",
        ),
    ] {
        let mut all = vec!["gateway", "check"];
        all.extend(args);
        let out = storefront_auth(dir.path(), &all);
        let (_, stderr) = text(&out);
        assert!(
            !out.status.success() && stderr.contains(expected),
            "{expected:?} not in {stderr}"
        );
    }
}

#[test]
fn a_gateway_configuration_that_cannot_work_stops_the_server_with_its_reason() {
    let dir = tempfile::tempdir().unwrap();
    let sdl = dir.path().join("shop.graphql");
    std::fs::write(
        &sdl,
        "type Query { shop: Shop }\ntype Shop { name: String }\n",
    )
    .unwrap();
    let table = dir.path().join("scopes.toml");
    std::fs::write(&table, "[fields]\n\"Query.shop\" = \"none\"\n").unwrap();
    let schema = format!("sdl:{}", sdl.display());
    let scopes = format!("table:{}", table.display());
    let base = [
        (
            "STOREFRONT_AUTH_GATEWAY__UPSTREAM",
            "http://127.0.0.1:9/graphql",
        ),
        ("STOREFRONT_AUTH_GATEWAY__SCHEMA", schema.as_str()),
        ("STOREFRONT_AUTH_GATEWAY__SCOPES", scopes.as_str()),
    ];
    for (extra, expected) in [
        (
            ("STOREFRONT_AUTH_GATEWAY__DENIED", "strip"),
            "gateway.denied = \"strip\": must be null, reject or report",
        ),
        (
            ("STOREFRONT_AUTH_GATEWAY__UPSTREAM", "ftp://shop/graphql"),
            "gateway.upstream must be http(s)",
        ),
        (
            (
                "STOREFRONT_AUTH_GATEWAY__FORWARD_HEADERS",
                "accept-language,authorization",
            ),
            "\"authorization\" is not a header that may be forwarded",
        ),
        (
            ("STOREFRONT_AUTH_GATEWAY__SCHEMA", "/nowhere.graphql"),
            "gateway.schema must be sdl:PATH",
        ),
        (
            ("STOREFRONT_AUTH_GATEWAY__SCHEMA", "sdl:/nowhere.graphql"),
            "gateway.schema: reading /nowhere.graphql",
        ),
        (
            ("STOREFRONT_AUTH_GATEWAY__SCOPES", "builtin"),
            "have no scope decision: Query.shop, Shop",
        ),
        (
            ("STOREFRONT_AUTH_GATEWAY__UPSTREAM_PROTOCOL", "http3"),
            "gateway.upstream_protocol = \"http3\": must be http1 or http2",
        ),
        (
            ("STOREFRONT_AUTH_GATEWAY__TIMEOUT_MS", "5"),
            "gateway.timeout_ms must be between",
        ),
        (
            ("STOREFRONT_AUTH_GATEWAY__LOGIN", "remote"),
            "gateway.login is local or delegate:URL, not \"remote\"",
        ),
        (
            ("STOREFRONT_AUTH_GATEWAY__TLS_CA", "/nowhere.pem"),
            "gateway.tls_* need an https upstream",
        ),
        (
            ("STOREFRONT_AUTH_GATEWAY__TLS_CLIENT_CERT", "/nowhere.pem"),
            "gateway.tls_client_cert and gateway.tls_client_key go together",
        ),
    ] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_storefront-auth"))
            .args([
                "--data-dir",
                dir.path().join("data").to_str().unwrap(),
                "serve",
                "--listen",
                "127.0.0.1:0",
            ])
            .env_remove("STOREFRONT_AUTH_CONFIG")
            .envs(base)
            .env(extra.0, extra.1)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{extra:?} started");
        assert!(stderr.contains(expected), "{extra:?}: {stderr}");
    }
    // An https upstream whose CA file cannot be read or holds no certificate, under a
    // complete scope map (the one above leaves `Shop` out, so nothing there can start).
    let empty = dir.path().join("empty.pem");
    std::fs::write(&empty, "not a certificate").unwrap();
    let complete = dir.path().join("complete.toml");
    std::fs::write(
        &complete,
        "[types]\nShop = \"none\"\n[fields]\n\"Query.shop\" = \"none\"\n",
    )
    .unwrap();
    let complete = format!("table:{}", complete.display());
    for (ca, expected) in [
        (
            "/nowhere.pem".to_string(),
            "gateway.tls_ca: reading /nowhere.pem",
        ),
        (empty.display().to_string(), "holds no PEM certificate"),
    ] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_storefront-auth"))
            .args(["--data-dir", dir.path().join("data").to_str().unwrap()])
            .args(["serve", "--listen", "127.0.0.1:0"])
            .env_remove("STOREFRONT_AUTH_CONFIG")
            .envs(base)
            .env(
                "STOREFRONT_AUTH_GATEWAY__UPSTREAM",
                "https://127.0.0.1:9/graphql",
            )
            .env("STOREFRONT_AUTH_GATEWAY__TLS_CA", &ca)
            .env("STOREFRONT_AUTH_GATEWAY__SCOPES", &complete)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            !out.status.success() && stderr.contains(expected),
            "{ca}: {stderr}"
        );
    }
}
