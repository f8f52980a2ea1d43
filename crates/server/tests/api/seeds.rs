//! Seeds as files (issue 20): `serve --seed FILE` loads a store described in TOML (with fixed
//! credentials and image files) on an empty database and only there; a bad seed stops the
//! server with the seed's own words and writes nothing; `POST /_dev/stores` makes stores from
//! a seed in its body (JSON or TOML, images as data: URLs), concurrently, and a seed that
//! fails half way leaves no store behind.

use std::process::Command;

use base64::Engine;
use reqwest::Method;
use serde_json::{json, Value};

use crate::dev_mode::{dev, dev_app, DEV_TOKEN};
use crate::helpers::Resp;
use crate::process::ServerProcess;

const SVG: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><rect width="8" height="8" fill="#123456"/></svg>"##;
const FIXED_TOKEN: &str = "seedAccessToken0123456789abcdef";

fn seed_toml(image: &str) -> String {
    format!(
        r#"
[store]
hash = "shop1"
name = "Seeded Shop"

[[channels]]
site_url = "http://localhost:3000"

[[api_accounts]]
name = "CI account"
client_id = "seedClientId0123456789"
client_secret = "seedClientSecret0123456789"
access_token = "{FIXED_TOKEN}"

[[customer_groups]]
name = "Staff"
discount_percent = 20

[[customers]]
email = "sam@example.com"
first_name = "Sam"
last_name = "Seed"
group = "Staff"
password = "Seeded-pass-1"

[[categories]]
name = "Tools"

[[categories]]
name = "Saws"
parent = "Tools"

[[products]]
name = "Hand Saw"
sku = "SAW-1"
price = 19.99
brand = "Acme"
categories = ["Saws"]
stock = 3
image = "{image}"
"#
    )
}

async fn management(base: &str, path: &str) -> Resp {
    let r = reqwest::Client::new()
        .get(format!("{base}/stores/shop1{path}"))
        .header("X-Auth-Token", FIXED_TOKEN)
        .send()
        .await
        .expect("send");
    Resp::from(r).await
}

async fn graphql(base: &str, token: &str, query: &str) -> Resp {
    let r = reqwest::Client::new()
        .post(format!("{base}/graphql"))
        .header("Host", "store-shop1-1.localhost")
        .bearer_auth(token)
        .json(&json!({ "query": query }))
        .send()
        .await
        .expect("send");
    Resp::from(r).await
}

#[tokio::test]
async fn serve_seed_loads_a_file_with_fixed_credentials_and_images_once() {
    let dir = tempfile::tempdir().expect("dir");
    std::fs::create_dir(dir.path().join("img")).expect("img dir");
    std::fs::write(dir.path().join("img/saw.svg"), SVG).expect("image");
    let seed = dir.path().join("shop.toml");
    std::fs::write(&seed, seed_toml("img/saw.svg")).expect("seed");
    let data = dir.path().join("data").display().to_string();
    let seed_arg = seed.display().to_string();
    let served = ServerProcess::start_serving(&["--data-dir", &data], &["--seed", &seed_arg], &[]);
    assert_eq!(served.value("store_hash:"), "shop1");
    assert_eq!(served.value("access_token:"), FIXED_TOKEN);
    assert!(served.seen.iter().any(|l| l.contains("sam@example.com")));
    let base = served.base.clone();

    let store = management(&base, "/v2/store").await;
    assert_eq!(store.status, 200, "{:?}", store.body);
    assert_eq!(store.body["name"], "Seeded Shop");
    let token = reqwest::Client::new()
        .post(format!("{base}/stores/shop1/v3/storefront/api-token-private"))
        .header("X-Auth-Token", FIXED_TOKEN)
        .json(&json!({ "channel_id": 1, "expires_at": 2_147_483_647, "scopes": ["Unauthenticated", "Customer"] }))
        .send()
        .await
        .expect("send");
    let token: Value = token.json().await.expect("json");
    let token = token["data"]["token"].as_str().expect("token").to_string();
    let q = "{ site { products { edges { node { sku name prices { price { value } } brand { name } inventory { aggregated { availableToSell } } categories { edges { node { name breadcrumbs(depth: 5) { edges { node { name } } } } } } defaultImage { url(width: 8) } } } } } }";
    let r = graphql(&base, &token, q).await;
    let product = &r.body["data"]["site"]["products"]["edges"][0]["node"];
    assert_eq!(product["sku"], "SAW-1", "{:?}", r.body);
    assert_eq!(product["prices"]["price"]["value"], 19.99);
    assert_eq!(product["brand"]["name"], "Acme");
    assert_eq!(product["inventory"]["aggregated"]["availableToSell"], 3);
    let crumbs = &product["categories"]["edges"][0]["node"]["breadcrumbs"]["edges"];
    assert_eq!(
        (
            crumbs[0]["node"]["name"].as_str(),
            crumbs[1]["node"]["name"].as_str()
        ),
        (Some("Tools"), Some("Saws"))
    );
    // The image URL serves the seed's file.
    let url = product["defaultImage"]["url"].as_str().expect("image url");
    let path = url
        .split_once("://")
        .and_then(|(_, rest)| rest.split_once('/'))
        .map(|(_, p)| p)
        .expect("path");
    let image = reqwest::Client::new()
        .get(format!("{base}/{path}"))
        .header("Host", "store-shop1-1.localhost")
        .send()
        .await
        .expect("send");
    assert_eq!(image.status(), 200);
    assert_eq!(image.text().await.expect("body"), SVG);
    // The seed's customer signs in with the seed's password.
    let login = "mutation { login(email: \"sam@example.com\", password: \"Seeded-pass-1\") { customer { email } } }";
    let r = graphql(&base, &token, login).await;
    assert_eq!(
        r.body["data"]["login"]["customer"]["email"], "sam@example.com",
        "{:?}",
        r.body
    );
    let (status, _) = served.terminate();
    assert!(status.success());

    // Only an empty database is seeded: a second start with the seed changes nothing.
    let again = ServerProcess::start_serving(&["--data-dir", &data], &["--seed", &seed_arg], &[]);
    assert!(!again.seen.iter().any(|l| l.contains("Created the store")));
    assert_eq!(management(&again.base, "/v2/store").await.status, 200);
}

#[test]
fn a_bad_seed_stops_the_server_with_its_own_words_and_writes_nothing() {
    let dir = tempfile::tempdir().expect("dir");
    let data = dir.path().join("data");
    let cases = [
        (
            "typo.toml",
            "[store]\nname = \"S\"\nnmae = \"x\"\n".to_string(),
            "nmae",
        ),
        (
            "refs.toml",
            seed_toml("img/saw.svg").replace("parent = \"Tools\"", "parent = \"Nowhere\""),
            "categories[1].parent: no category \"Nowhere\"",
        ),
        (
            "image.toml",
            seed_toml("img/missing.svg"),
            "img/missing.svg",
        ),
        (
            "escape.toml",
            seed_toml("../outside.svg"),
            "below the seed file's directory",
        ),
    ];
    for (name, text, expected) in cases {
        let seed = dir.path().join(name);
        std::fs::write(&seed, text).expect("seed");
        let out = Command::new(env!("CARGO_BIN_EXE_storefront-auth"))
            .args([
                "--data-dir",
                &data.display().to_string(),
                "--listen",
                "127.0.0.1:0",
                "serve",
                "--seed",
            ])
            .arg(&seed)
            .env_remove("STOREFRONT_AUTH_CONFIG")
            .output()
            .expect("run");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{name}: started");
        assert!(
            stderr.contains(expected),
            "{name}: {expected:?} not in {stderr}"
        );
    }
    let listed = Command::new(env!("CARGO_BIN_EXE_storefront-auth"))
        .args(["--data-dir", &data.display().to_string(), "stores", "list"])
        .output()
        .expect("run");
    let stdout = String::from_utf8_lossy(&listed.stdout);
    assert!(
        listed.status.success(),
        "{}",
        String::from_utf8_lossy(&listed.stderr)
    );
    assert!(
        !stdout.contains("shop1"),
        "a refused seed left a store: {stdout}"
    );
}

fn data_url() -> String {
    format!(
        "data:image/svg+xml;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(SVG)
    )
}

async fn create(app: &crate::helpers::TestApp, body: Value) -> Resp {
    dev(
        app,
        Method::POST,
        "/_dev/stores",
        Some(DEV_TOKEN),
        Some(body),
    )
    .await
}

#[tokio::test]
async fn isolated_stores_come_from_a_seed_in_the_body() {
    let app = dev_app().await;
    // TOML text without fixed credentials and with a data: image: two at once, apart.
    let toml = seed_toml(&data_url())
        .replace(&format!("access_token = \"{FIXED_TOKEN}\""), "")
        .replace("client_id = \"seedClientId0123456789\"", "")
        .replace("client_secret = \"seedClientSecret0123456789\"", "");
    let (a, b) = tokio::join!(
        create(&app, json!({ "seed": toml, "name": "Worker A" })),
        create(&app, json!({ "seed": toml })),
    );
    assert_eq!(
        (a.status, b.status),
        (201, 201),
        "{:?} {:?}",
        a.body,
        b.body
    );
    let (a, b) = (&a.body["data"], &b.body["data"]);
    assert_ne!(a["store_hash"], b["store_hash"]);
    assert_eq!(
        (a["name"].as_str(), b["name"].as_str()),
        (Some("Worker A"), Some("Seeded Shop"))
    );
    assert_eq!(
        a["customers"],
        json!([{ "email": "sam@example.com", "password": "Seeded-pass-1" }])
    );
    let host = a["storefront_hosts"]["1"].as_str().expect("host");
    let token = a["private_token"].as_str().expect("token");
    let q = json!({ "query": "{ site { products { edges { node { sku defaultImage { url(width: 8) } } } } } }" });
    let r = app.gql_body(Some(token), q, &[("Host", host)]).await;
    assert_eq!(
        r.body["data"]["site"]["products"]["edges"][0]["node"]["sku"], "SAW-1",
        "{:?}",
        r.body
    );

    // The seed as JSON, and a reset goes back to it.
    let json_seed = json!({ "store": { "name": "Json Shop" }, "api_accounts": [{ "name": "a" }],
        "products": [{ "name": "P", "sku": "P-1", "price": 5 }] });
    let r = create(&app, json!({ "seed": json_seed })).await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    assert_eq!(r.body["data"]["channels"].as_array().map(Vec::len), Some(1));
    let hash = r.body["data"]["store_hash"]
        .as_str()
        .expect("hash")
        .to_string();
    let reset = format!("/_dev/stores/{hash}/reset");
    assert_eq!(
        dev(&app, Method::POST, &reset, Some(DEV_TOKEN), None)
            .await
            .status,
        204
    );
}

#[tokio::test]
async fn a_refused_seed_over_http_names_its_problem_and_leaves_no_store() {
    let app = dev_app().await;
    let domain = &app.server.as_ref().expect("server").state.domain;
    let before = storefront_auth::service::stores::list(domain)
        .await
        .expect("stores")
        .len();
    for (body, expected) in [
        (
            json!({ "seed": { "store": { "name": "S" }, "products": [{ "name": "P", "sku": "X", "price": -1 }] } }),
            "products[0].price",
        ),
        (json!({ "seed": "[store]\nname = 5\n" }), "invalid type"),
        (json!({ "seed": seed_toml("img/saw.svg") }), "data: URLs"),
        (
            json!({ "seed": { "store": { "name": "S" } }, "name": 5 }),
            "name must be",
        ),
    ] {
        let r = create(&app, body.clone()).await;
        assert_eq!(r.status, 422, "{body}: {:?}", r.body);
        assert!(
            r.body.to_string().contains(expected),
            "{expected:?} not in {:?}",
            r.body
        );
    }
    // Fixed credentials make one store: the second from the same seed fails half way (its
    // account's credentials are taken) and is removed.
    let seed = seed_toml(&data_url());
    assert_eq!(create(&app, json!({ "seed": seed })).await.status, 201);
    let r = create(&app, json!({ "seed": seed })).await;
    assert_eq!(r.status, 409, "{:?}", r.body);
    assert!(
        r.body.to_string().contains("api_accounts[0]"),
        "{:?}",
        r.body
    );
    let after = storefront_auth::service::stores::list(domain)
        .await
        .expect("stores")
        .len();
    assert_eq!(after, before + 1);
    let r = dev(&app, Method::POST, "/_dev/stores", Some(DEV_TOKEN), None).await;
    assert_eq!(
        r.status, 201,
        "an empty body is the demo seed: {:?}",
        r.body
    );
    // A body that is not JSON is refused, never taken for the demo seed.
    let text = app
        .client
        .post(app.url("/_dev/stores"))
        .header("X-Dev-Token", DEV_TOKEN);
    let text = text
        .body("[store]\nname = \"S\"\n")
        .send()
        .await
        .expect("send");
    assert_eq!(text.status(), 415);
    let after_text = storefront_auth::service::stores::list(domain)
        .await
        .expect("stores")
        .len();
    assert_eq!(after_text, before + 2);
}

#[tokio::test]
async fn a_seeded_app_is_the_stores_own_and_goes_with_it() {
    let app = dev_app().await;
    let seed = json!({
        "store": { "name": "App Shop" },
        "api_accounts": [{ "name": "ci" }],
        "apps": [{ "name": "Reviews", "auth_callback": "http://127.0.0.1:9/auth",
                   "load_callback": "http://127.0.0.1:9/load", "scopes": ["store_v2_products"],
                   "client_id": "reviewsAppClientId01", "client_secret": "reviewsAppClientSecret01" }],
    });
    let made = create(&app, json!({ "seed": seed })).await;
    assert_eq!(made.status, 201, "{:?}", made.body);
    let store = &made.body["data"];
    assert_eq!(store["apps"][0]["client_id"], "reviewsAppClientId01");
    let hash = store["store_hash"].as_str().expect("hash");
    let token = store["api_account"]["access_token"]
        .as_str()
        .expect("token");
    let listed = app
        .client
        .get(app.url(&format!("/stores/{hash}/v3/apps")))
        .header("X-Auth-Token", token);
    let listed = Resp::from(listed.send().await.expect("send")).await;
    assert_eq!(listed.status, 200, "{:?}", listed.body);
    assert!(
        listed.body.to_string().contains("reviewsAppClientId01"),
        "{:?}",
        listed.body
    );
    // The demo store does not see another store's own app.
    let demo = app.mgmt(Method::GET, "/v3/apps", None).await;
    assert!(
        !demo.body.to_string().contains("reviewsAppClientId01"),
        "{:?}",
        demo.body
    );
    // Its state holds the app; removing the store removes the app, so the seed (with its
    // fixed client id) makes a store again.
    let export = dev(
        &app,
        Method::GET,
        &format!("/_dev/stores/{hash}/export"),
        Some(DEV_TOKEN),
        None,
    )
    .await;
    let apps = export.body["tables"]
        .as_array()
        .expect("tables")
        .iter()
        .find(|t| t["table"] == "apps")
        .cloned();
    assert_eq!(
        apps.map(|t| t["rows"].as_array().map(Vec::len)),
        Some(Some(1))
    );
    assert_eq!(create(&app, json!({ "seed": seed })).await.status, 409);
    assert_eq!(
        dev(
            &app,
            Method::DELETE,
            &format!("/_dev/stores/{hash}"),
            Some(DEV_TOKEN),
            None
        )
        .await
        .status,
        204
    );
    assert_eq!(create(&app, json!({ "seed": seed })).await.status, 201);
}

fn two_stores(second_image: &str) -> Value {
    let store = |hash: &str, token: &str, image: &str| {
        json!({
            "store": { "hash": hash, "name": format!("Shop {hash}") },
            "api_accounts": [{ "name": "ci", "client_id": format!("{token}ClientId"), "access_token": token }],
            "products": [{ "name": "P", "sku": "P-1", "price": 1.5, "image": image }],
        })
    };
    json!({ "stores": [
        store("north", "northAccessToken0123456", "img/saw.svg"),
        store("south", "southAccessToken0123456", second_image),
    ] })
}

#[tokio::test]
async fn one_seed_file_seeds_several_stores_or_none() {
    let dir = tempfile::tempdir().expect("dir");
    std::fs::create_dir(dir.path().join("img")).expect("img dir");
    std::fs::write(dir.path().join("img/saw.svg"), SVG).expect("image");
    let data = dir.path().join("data").display().to_string();
    let run = |name: &str, seed: Value| {
        let path = dir.path().join(name);
        std::fs::write(&path, seed.to_string()).expect("seed");
        Command::new(env!("CARGO_BIN_EXE_storefront-auth"))
            .args([
                "--data-dir",
                &data,
                "--listen",
                "127.0.0.1:0",
                "serve",
                "--seed",
            ])
            .arg(&path)
            .env_remove("STOREFRONT_AUTH_CONFIG")
            .output()
            .expect("run")
    };
    // Refused whole: a missing hash, a hash twice, an image the second store lacks.
    let mut no_hash = two_stores("img/saw.svg");
    no_hash["stores"][1]["store"]
        .as_object_mut()
        .expect("store")
        .remove("hash");
    let mut twice = two_stores("img/saw.svg");
    twice["stores"][1]["store"]["hash"] = json!("north");
    for (name, seed, expected) in [
        ("no-hash.json", no_hash, "stores[1].store.hash: required"),
        (
            "twice.json",
            twice,
            "stores[1].store.hash: \"north\" is seeded twice",
        ),
        ("image.json", two_stores("img/none.svg"), "img/none.svg"),
    ] {
        let out = run(name, seed);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            !out.status.success() && stderr.contains(expected),
            "{name}: {stderr}"
        );
    }
    let listed = Command::new(env!("CARGO_BIN_EXE_storefront-auth"))
        .args(["--data-dir", &data, "stores", "list"])
        .output()
        .expect("run");
    let stores = String::from_utf8_lossy(&listed.stdout);
    assert!(
        !stores.contains("north") && !stores.contains("south"),
        "{stores}"
    );

    let path = dir.path().join("shops.json");
    std::fs::write(&path, two_stores("img/saw.svg").to_string()).expect("seed");
    let path = path.display().to_string();
    let served = ServerProcess::start_serving(&["--data-dir", &data], &["--seed", &path], &[]);
    for (hash, token) in [
        ("north", "northAccessToken0123456"),
        ("south", "southAccessToken0123456"),
    ] {
        let r = reqwest::Client::new()
            .get(format!("{}/stores/{hash}/v2/store", served.base))
            .header("X-Auth-Token", token)
            .send()
            .await
            .expect("send");
        let r = Resp::from(r).await;
        assert_eq!(
            (r.status, r.body["name"].clone()),
            (200, json!(format!("Shop {hash}")))
        );
    }
}
