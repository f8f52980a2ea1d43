//! The README's worked example of gateway mode ("Put storefront-auth in front of your GraphQL
//! server"), run as a reader would run it: its `shop.graphql` and `scopes.toml`, read from the
//! README, pass `gateway check --strict` with the summary it quotes; the binary serves in front
//! of an upstream answering what the example's server answers; the README's query gets the
//! README's answer, and the upstream receives what the README says it receives.

use serde_json::{json, Value};

use crate::gateway_check::{storefront_auth, text};
use crate::gateway_toy::{toy, Mode};
use crate::helpers::{decode, JANE, PASSWORD};
use crate::process::ServerProcess;

/// The README's gateway section.
fn section() -> String {
    let readme = include_str!("../../../../README.md");
    let start = readme
        .find("## Put storefront-auth in front of your GraphQL server")
        .expect("the gateway section");
    let rest = &readme[start + 3..];
    rest[..rest.find("\n## ").unwrap_or(rest.len())].to_string()
}

/// The first fenced block of `lang` in `text`.
fn block<'a>(text: &'a str, lang: &str) -> &'a str {
    let open = format!("```{lang}\n");
    let start = text.find(&open).expect("block") + open.len();
    &text[start..start + text[start..].find("```").expect("block end")]
}

/// `text` with every run of white space made one space, as a reader reads wrapped prose.
fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The text between `before` and the next backtick, in the flattened section.
fn quoted(section: &str, before: &str) -> String {
    let start = section.find(before).expect(before) + before.len();
    section[start..start + section[start..].find('`').expect("`")].to_string()
}

async fn graphql(
    client: &reqwest::Client,
    server: &ServerProcess,
    headers: &[(&str, &str)],
    body: &Value,
) -> Value {
    let mut req = client.post(server.url("/graphql")).json(body);
    for (name, value) in headers {
        req = req.header(*name, *value);
    }
    req.send().await.expect("send").json().await.expect("json")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_readmes_gateway_example_works_as_written() {
    let section = section();
    let prose = flat(&section);
    let dir = tempfile::tempdir().expect("dir");
    let (schema, scopes) = (
        dir.path().join("shop.graphql"),
        dir.path().join("scopes.toml"),
    );
    std::fs::write(&schema, block(&section, "graphql")).expect("write");
    std::fs::write(&scopes, block(&section, "toml")).expect("write");
    let (schema_arg, scopes_arg) = (
        format!("sdl:{}", schema.display()),
        format!("table:{}", scopes.display()),
    );

    // 1. The check passes strict, and ends with the summary the README quotes.
    let schema_path = schema.to_str().expect("path");
    let check = [
        "gateway",
        "check",
        "--schema",
        schema_path,
        "--scopes",
        &scopes_arg,
        "--strict",
    ];
    let out = storefront_auth(dir.path(), &check);
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    let summary = stdout.lines().last().unwrap_or_default();
    assert_eq!(summary, quoted(&prose, "ends `"), "{stdout}");

    // 2. Served in front of an upstream answering as the example's server does.
    let (toy, upstream) = toy().await;
    *toy.mode.lock().unwrap() =
        Mode::Data(json!({ "shop": { "name": "Demo shop", "products": [{ "name": "Mug" }] } }));
    let data = dir.path().join("data");
    let env = [
        ("STOREFRONT_AUTH_GATEWAY__UPSTREAM", upstream.as_str()),
        ("STOREFRONT_AUTH_GATEWAY__SCHEMA", schema_arg.as_str()),
        ("STOREFRONT_AUTH_GATEWAY__SCOPES", scopes_arg.as_str()),
    ];
    let server = ServerProcess::start(&["--data-dir", data.to_str().expect("path")], &env);
    let client = reqwest::Client::new();

    // 4. The README's query from an Unauthenticated-only token gets the README's answer.
    let request = quoted(&prose, "-d '")
        .trim()
        .trim_end_matches('\'')
        .to_string();
    let request: Value = serde_json::from_str(&request).expect("the README's request body");
    let unauthenticated = server.private_token(&["Unauthenticated"]).await;
    let bearer = format!("Bearer {unauthenticated}");
    let answer = graphql(&client, &server, &[("Authorization", &bearer)], &request).await;
    let expected: Value = serde_json::from_str(block(&section, "json")).expect("README's answer");
    assert_eq!(answer, expected);
    let received = toy.received.lock().unwrap()[0].1["query"].clone();
    assert_eq!(
        flat(received.as_str().unwrap_or_default()),
        quoted(&prose, "Your server receives `"),
        "{received}"
    );

    // With Customer and Jane's CAT, `me` arrives whole and the assertion names her.
    *toy.mode.lock().unwrap() = Mode::Data(json!({ "me": { "email": JANE } }));
    let full = server.private_token(&["Unauthenticated", "Customer"]).await;
    let bearer = format!("Bearer {full}");
    let login = json!({ "query": "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { customerAccessToken { value } } }",
                        "variables": { "e": JANE, "p": PASSWORD } });
    let cat = graphql(&client, &server, &[("Authorization", &bearer)], &login).await;
    let cat = cat["data"]["login"]["customerAccessToken"]["value"]
        .as_str()
        .expect("a CAT")
        .to_string();
    let me = json!({ "query": "{ me { email } }" });
    let headers = [
        ("Authorization", bearer.as_str()),
        ("X-Bc-Customer-Access-Token", &cat),
    ];
    let answer = graphql(&client, &server, &headers, &me).await;
    assert_eq!(answer, json!({ "data": { "me": { "email": JANE } } }));
    let (headers, body) = toy.received.lock().unwrap()[1].clone();
    assert_eq!(
        body["query"], "{ me { email } }",
        "reaches the server whole"
    );
    let assertion = headers["x-storefront-auth-assertion"]
        .to_str()
        .expect("assertion");
    let named = quoted(&prose, "the assertion names the customer: `");
    let named: Value = serde_json::from_str(&format!("{{{named}}}")).expect("README's claim");
    assert_eq!(decode(assertion).1["customer"], named["customer"]);
}
