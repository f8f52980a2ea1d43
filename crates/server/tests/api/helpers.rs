//! `TestApp`: the real server on a free port with a fresh database (SQLite in a temp dir, or a
//! fresh PostgreSQL schema when TEST_DATABASE_URL is set), the demo data, a pinned clock, and
//! typed helpers over a real HTTP client.

use std::path::PathBuf;
use std::sync::Arc;

use base64::Engine;
use serde_json::{json, Value};
use storefront_auth::app::AppState;
use storefront_auth::app::RunningServer;
use storefront_auth::config::Config;
use storefront_auth::service::demo::{self, DemoCredentials};
use storefront_auth::service::Domain;
use storefront_auth_core::clock::FixedClock;

/// What the tests' app servers listen on (`outbound.allow` in every test configuration).
pub const LOOPBACK: [&str; 2] = ["127.0.0.1", "localhost"];

/// 2026-11-22T12:00:00Z: after the first deprecation date, before the second.
pub const NOW: i64 = 1_795_348_800;

pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub creds: DemoCredentials,
    pub clock: Arc<FixedClock>,
    pub config: Config,
    pub server: Option<RunningServer>,
    _dir: Arc<tempfile::TempDir>,
}

pub struct Resp {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        Self::spawn_with(|_| {}).await
    }

    pub async fn spawn_with(tune: impl FnOnce(&mut Config)) -> TestApp {
        let dir = Arc::new(tempfile::tempdir().expect("tempdir"));
        let mut config = Config {
            listen: "127.0.0.1:0".into(),
            data_dir: dir.path().to_path_buf(),
            ..Config::default()
        };
        // The tests' own app servers listen on loopback, over plain HTTP: the development
        // allow-list lets callbacks reach them (the adversarial tests clear it).
        config.outbound.allow = LOOPBACK.iter().map(|h| h.to_string()).collect();
        if let Some(url) = postgres_schema_url().await {
            config.database_url = Some(url);
        }
        tune(&mut config);
        Self::start(config, dir, None, NOW).await
    }

    /// Starts a server over the same database as `self` (which should be shut down first).
    pub async fn restart(self) -> TestApp {
        let TestApp {
            config,
            _dir,
            creds,
            server,
            clock,
            ..
        } = self;
        if let Some(s) = server {
            s.shutdown().await.expect("shutdown");
        }
        Self::start(config, _dir, Some(creds), clock.now_value()).await
    }

    /// A second server over this one's database, configured like it and then by `tune`.
    pub async fn beside(&self, tune: impl FnOnce(&mut Config)) -> TestApp {
        let mut config = self.config.clone();
        tune(&mut config);
        let (dir, creds) = (self._dir.clone(), Some(self.creds.clone()));
        Self::start(config, dir, creds, self.clock.now_value()).await
    }

    async fn start(
        config: Config,
        dir: Arc<tempfile::TempDir>,
        creds: Option<DemoCredentials>,
        now: i64,
    ) -> TestApp {
        let clock = Arc::new(FixedClock::new(now));
        let domain = Domain::open(&config, Some(clock.clone()), Arc::default())
            .await
            .expect("open the domain");
        let creds = match creds {
            Some(c) => c,
            None => demo::seed_if_empty(&domain)
                .await
                .expect("seed")
                .expect("fresh database"),
        };
        let state = AppState::new(domain, config.clone()).expect("app state");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let server = storefront_auth::app::start(state, listener)
            .await
            .expect("start");
        TestApp {
            base: format!("http://{}", server.addr),
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("client"),
            creds,
            clock,
            config,
            server: Some(server),
            _dir: dir,
        }
    }

    /// A second connection to the server's database, for setting up what no surface offers
    /// (thousands of rows at once, a row in a state no request makes).
    pub async fn store(&self) -> storefront_auth_store::Store {
        storefront_auth_store::Store::open(&self.config.effective_database_url())
            .await
            .expect("open the store")
    }

    pub fn data_dir(&self) -> PathBuf {
        self.config.data_dir.clone()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// A management request with the demo account's token.
    pub async fn mgmt(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Resp {
        self.mgmt_as(&self.creds.access_token.clone(), method, path, body)
            .await
    }

    pub async fn mgmt_as(
        &self,
        token: &str,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> Resp {
        let mut req = self
            .client
            .request(
                method,
                self.url(&format!("/stores/{}{path}", self.creds.store_hash)),
            )
            .header("X-Auth-Token", token);
        if let Some(b) = body {
            req = req.json(&b);
        }
        Resp::from(req.send().await.expect("send")).await
    }

    pub async fn create_token(&self, endpoint: &str, body: Value) -> Resp {
        self.mgmt(
            reqwest::Method::POST,
            &format!("/v3/storefront/{endpoint}"),
            Some(body),
        )
        .await
    }

    /// Makes a product through the management API (which also drops the catalog the server
    /// holds) and returns its `data`.
    pub async fn made_product(&self, name: &str, sku: &str, price: i64) -> Value {
        let r = self
            .mgmt(
                reqwest::Method::POST,
                "/v3/catalog/products",
                Some(json!({ "name": name, "sku": sku, "price": price })),
            )
            .await;
        assert_eq!(r.status, 200, "{:?}", r.body);
        r.body["data"].clone()
    }

    /// Creates a private token with these scopes on channel 1 and returns the JWT.
    pub async fn private_token(&self, scopes: &[&str]) -> String {
        let r = self
            .create_token(
                "api-token-private",
                json!({ "channel_id": 1, "expires_at": 2_147_483_647, "scopes": scopes }),
            )
            .await;
        assert_eq!(r.status, 200, "{:?}", r.body);
        r.body["data"]["token"].as_str().expect("token").to_string()
    }

    /// A customer impersonation token for channel 1 that does not expire.
    pub async fn impersonation_token(&self) -> String {
        self.token_with(
            "api-token-customer-impersonation",
            json!({ "channel_id": 1, "expires_at": 2_147_483_647 }),
        )
        .await
    }

    /// The text of `/metrics`.
    pub async fn metrics(&self) -> String {
        self.client
            .get(self.url("/metrics"))
            .send()
            .await
            .expect("metrics")
            .text()
            .await
            .expect("text")
    }

    pub async fn storefront_token(&self, origins: &[&str]) -> String {
        let r = self.create_token("api-token", json!({ "channel_id": 1, "expires_at": 2_147_483_647, "allowed_cors_origins": origins })).await;
        assert_eq!(r.status, 200, "{:?}", r.body);
        r.body["data"]["token"].as_str().expect("token").to_string()
    }

    pub async fn revoke(&self, token: &str) -> Resp {
        let req = self
            .client
            .delete(self.url(&format!(
                "/stores/{}/v3/storefront/api-token",
                self.creds.store_hash
            )))
            .header("X-Auth-Token", &self.creds.access_token)
            .header("Sf-Api-Token", token);
        Resp::from(req.send().await.expect("send")).await
    }

    pub async fn inventory(&self) -> Vec<Value> {
        let r = self
            .mgmt(
                reqwest::Method::GET,
                "/v3/storefront/api-tokens?limit=250",
                None,
            )
            .await;
        assert_eq!(r.status, 200, "{:?}", r.body);
        r.body["data"].as_array().expect("array").clone()
    }

    /// Runs the real binary against this app's database.
    pub fn cli(&self, args: &[&str]) -> std::process::Output {
        self.cli_command()(args)
    }

    /// The CLI as a value that can run off the async runtime (for commands that call back
    /// into this server).
    pub fn cli_command(&self) -> impl Fn(&[&str]) -> std::process::Output + Send + 'static {
        let (dir, url) = (self.data_dir(), self.config.database_url.clone());
        move |args| {
            let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_storefront-auth"));
            cmd.arg("--data-dir").arg(&dir);
            if let Some(url) = &url {
                cmd.arg("--database-url").arg(url);
            }
            cmd.args(args)
                .env_remove("STOREFRONT_AUTH_CONFIG")
                .env("STOREFRONT_AUTH_OUTBOUND__ALLOW", LOOPBACK.join(","))
                .output()
                .expect("run cli")
        }
    }
}

impl Resp {
    pub async fn from(r: reqwest::Response) -> Resp {
        let status = r.status().as_u16();
        let headers = r.headers().clone();
        let text = r.text().await.expect("body");
        let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
        Resp {
            status,
            headers,
            body,
        }
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// The decoded header and claims of a JWT.
pub fn decode(jwt: &str) -> (Value, Value) {
    let parts: Vec<&str> = jwt.split('.').collect();
    assert_eq!(parts.len(), 3, "{jwt}");
    let dec = |s: &str| {
        serde_json::from_slice(
            &base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(s)
                .expect("b64"),
        )
        .expect("json")
    };
    (dec(parts[0]), dec(parts[1]))
}

pub trait ClockValue {
    fn now_value(&self) -> i64;
}

impl ClockValue for FixedClock {
    fn now_value(&self) -> i64 {
        use storefront_auth_core::Clock;
        self.now()
    }
}

/// A fresh schema in TEST_DATABASE_URL, as a URL whose connections use it.
async fn postgres_schema_url() -> Option<String> {
    let base = std::env::var("TEST_DATABASE_URL").ok()?;
    sqlx_any_schema(&base).await
}

async fn sqlx_any_schema(base: &str) -> Option<String> {
    let schema = format!("api_{}", storefront_auth_core::secret::random_alnum(12));
    let output = tokio::process::Command::new("psql")
        .arg(base)
        .arg("-qc")
        .arg(format!("CREATE SCHEMA {schema}"))
        .output()
        .await
        .expect("psql");
    assert!(
        output.status.success(),
        "create schema: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let sep = if base.contains('?') { '&' } else { '?' };
    Some(format!("{base}{sep}options=-c%20search_path%3D{schema}"))
}

impl TestApp {
    /// `POST /graphql` with an optional bearer token and extra headers.
    pub async fn gql(&self, token: Option<&str>, query: &str, headers: &[(&str, &str)]) -> Resp {
        self.gql_body(token, json!({ "query": query }), headers)
            .await
    }

    pub async fn gql_body(
        &self,
        token: Option<&str>,
        body: Value,
        headers: &[(&str, &str)],
    ) -> Resp {
        let mut req = self.client.post(self.url("/graphql")).json(&body);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        Resp::from(req.send().await.expect("send")).await
    }

    /// Issues a token of any kind with a raw body.
    pub async fn token_with(&self, endpoint: &str, body: Value) -> String {
        let r = self.create_token(endpoint, body).await;
        assert_eq!(r.status, 200, "{:?}", r.body);
        r.body["data"]["token"].as_str().expect("token").to_string()
    }

    pub fn set_now(&self, t: i64) {
        self.clock.set(t);
    }
}

/// The single error message of a `{"errors":[{"message":…}]}` body.
pub fn message(r: &Resp) -> String {
    r.body["errors"][0]["message"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

pub const PASSWORD: &str = "Password1!";
pub const JANE: &str = "jane@example.com";
pub const VIP: &str = "vip@example.com";

pub const LOGIN: &str = "mutation Login($email: String!, $password: String!) { login(email: $email, password: $password) { result customer { entityId email } customerAccessToken { value expiresAt } } }";

impl TestApp {
    /// Logs in server-to-server with `token` and returns the customer access token.
    pub async fn login_cat(&self, token: &str, email: &str) -> String {
        let r = self
            .gql_body(
                Some(token),
                json!({ "query": LOGIN, "variables": { "email": email, "password": PASSWORD } }),
                &[],
            )
            .await;
        assert_eq!(r.status, 200, "{:?}", r.body);
        r.body["data"]["login"]["customerAccessToken"]["value"]
            .as_str()
            .unwrap_or_else(|| panic!("no CAT: {:?}", r.body))
            .to_string()
    }

    /// A Customer Login JWT signed with the demo account's client secret.
    pub fn login_jwt(&self, claims: Value) -> String {
        let mut c = json!({
            "iss": self.creds.client_id, "iat": self.clock.now_value(), "jti": uuid::Uuid::new_v4().to_string(),
            "operation": "customer_login", "store_hash": "demo", "customer_id": 1,
        });
        for (k, v) in claims.as_object().expect("object") {
            if v.is_null() {
                c.as_object_mut().expect("object").remove(k);
            } else {
                c[k] = v.clone();
            }
        }
        storefront_auth_core::hs256::sign(&c, self.creds.client_secret.as_bytes())
    }
}
