//! Configuration: one `Config`, filled from (lowest to highest precedence) its defaults, a TOML
//! file, `STOREFRONT_AUTH_*` environment variables and command-line flags. Unknown keys are
//! rejected wherever they come from. Documented in README.md ("Configuration").

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use storefront_auth_core::clock::parse_rfc3339;
use storefront_auth_core::DeprecationSchedule;

pub const ENV_PREFIX: &str = "STOREFRONT_AUTH_";
/// The embedded SQLite database, in the data directory.
pub const DATABASE_FILE: &str = "storefront-auth.db";

/// `Debug` shows no secret: the master key and the database URL's password are redacted.
#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Address to listen on.
    pub listen: String,
    /// Directory of the embedded SQLite database (and, later, development certificates).
    pub data_dir: PathBuf,
    /// `postgres://…` to share one database between instances; unset means SQLite in data_dir.
    pub database_url: Option<String>,
    /// Storefront hosts are `store-{hash}[-{channel}].{domain}`.
    pub domain: String,
    /// Store served on hosts that match no store (so `http://127.0.0.1:PORT/graphql` works).
    pub default_store: String,
    /// Create the demo store on an empty database.
    pub demo: bool,
    /// Base64 of 32 bytes; seals signing keys at rest when set.
    pub master_key: Option<String>,
    /// Simulated "now" (RFC 3339) at start-up; time advances from there.
    pub clock: Option<String>,
    /// `text` or `json`.
    pub log_format: String,
    /// Serve HTTPS with this PEM certificate chain and key.
    pub tls_cert: Option<PathBuf>,
    pub tls_key: Option<PathBuf>,
    /// Serve HTTPS with a development CA and certificate kept in `{data_dir}/dev-tls`.
    pub dev_tls: bool,
    /// Browsers reach this server through a TLS-terminating proxy: cookies are `Secure` and
    /// responses carry HSTS, as when it serves TLS itself.
    pub behind_tls_proxy: bool,
    pub deprecation: DeprecationConfig,
    pub rate_limit: RateLimitConfig,
    pub customers: CustomersConfig,
    pub http: HttpConfig,
    pub outbound: OutboundConfig,
}

/// Calls this server makes to app callbacks (and provider APIs): see `service::outbound`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct OutboundConfig {
    /// Host names, addresses or ranges (`10.0.0.0/8`) that outbound calls may reach although
    /// they are loopback, private or link-local, and over plain HTTP: for development. A list,
    /// or a comma-separated string (as an environment variable gives it).
    #[serde(deserialize_with = "list_or_commas")]
    pub allow: Vec<String>,
    pub timeout_secs: Option<u64>,
}

impl OutboundConfig {
    pub fn outbound(&self) -> Result<crate::service::outbound::Outbound, ConfigError> {
        let timeout = std::time::Duration::from_secs(self.timeout_secs.unwrap_or(10));
        crate::service::outbound::Outbound::new(&self.allow, timeout)
            .map_err(|e| ConfigError::Invalid(format!("outbound.allow: {e}")))
    }
}

fn list_or_commas<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum ListOrCommas {
        List(Vec<String>),
        Commas(String),
    }
    Ok(match ListOrCommas::deserialize(d)? {
        ListOrCommas::List(l) => l,
        ListOrCommas::Commas(s) => s
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect(),
    })
}

/// How long connections may take and how many there may be (SPEC §11).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct HttpConfig {
    /// A request's headers must arrive within this; also how long an idle keep-alive
    /// connection stays open.
    pub header_read_timeout_secs: u64,
    /// A request, body included, must be answered this long after its headers arrived, or
    /// its connection is closed.
    pub request_timeout_secs: u64,
    pub tls_handshake_timeout_secs: u64,
    /// Open connections allowed per client address, and in all.
    pub max_connections_per_client: usize,
    pub max_connections: usize,
}

impl Default for HttpConfig {
    fn default() -> Self {
        HttpConfig {
            header_read_timeout_secs: 15,
            request_timeout_secs: 30,
            tls_handshake_timeout_secs: 10,
            max_connections_per_client: 256,
            max_connections: 16_384,
        }
    }
}

impl HttpConfig {
    pub fn limits(&self) -> crate::listener::Limits {
        use std::time::Duration;
        crate::listener::Limits {
            header_read: Duration::from_secs(self.header_read_timeout_secs),
            request: Duration::from_secs(self.request_timeout_secs),
            tls_handshake: Duration::from_secs(self.tls_handshake_timeout_secs),
            per_client: self.max_connections_per_client,
            total: self.max_connections,
        }
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CustomersConfig {
    /// Lifetime of customer access tokens and session cookies.
    pub session_lifetime_secs: i64,
    /// Failed logins allowed per email and per client IP within the window.
    pub max_failed_logins: i64,
    pub failed_login_window_secs: i64,
    /// How far a Customer Login JWT's `iat` may be from now.
    pub login_jwt_leeway_secs: i64,
    /// `registerCustomer` calls allowed per client IP within the window.
    pub max_registrations_per_ip: i64,
    pub registration_window_secs: i64,
    /// Answer `registerCustomer` for an email that already has an account as for a new one
    /// (`customer: null`, no errors, for both), so registration cannot tell anyone which
    /// emails have accounts.
    pub conceal_registered_emails: bool,
}

impl Default for CustomersConfig {
    fn default() -> Self {
        CustomersConfig {
            session_lifetime_secs: 7 * 24 * 3600,
            max_failed_logins: 10,
            failed_login_window_secs: 900,
            login_jwt_leeway_secs: 30,
            max_registrations_per_ip: 20,
            registration_window_secs: 3_600,
            conceal_registered_emails: false,
        }
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DeprecationConfig {
    /// Storefront tokens issued after this keep no server-to-server use.
    pub last_s2s_issue: String,
    /// After this no storefront token may be used server-to-server.
    pub last_s2s_use: String,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RateLimitConfig {
    /// Management API requests per window and API account.
    pub quota: u64,
    pub window_ms: u64,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("listen", &self.listen)
            .field("data_dir", &self.data_dir)
            .field(
                "database_url",
                &self
                    .database_url
                    .as_deref()
                    .map(storefront_auth_store::redact),
            )
            .field("domain", &self.domain)
            .field("default_store", &self.default_store)
            .field("demo", &self.demo)
            .field(
                "master_key",
                &self.master_key.as_ref().map(|_| "<redacted>"),
            )
            .field("clock", &self.clock)
            .field("log_format", &self.log_format)
            .field("tls_cert", &self.tls_cert)
            .field("tls_key", &self.tls_key)
            .field("dev_tls", &self.dev_tls)
            .field("behind_tls_proxy", &self.behind_tls_proxy)
            .field("deprecation", &self.deprecation)
            .field("rate_limit", &self.rate_limit)
            .field("customers", &self.customers)
            .field("http", &self.http)
            .field("outbound", &self.outbound)
            .finish()
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            listen: "127.0.0.1:3000".into(),
            data_dir: PathBuf::from("data"),
            database_url: None,
            domain: "localhost".into(),
            default_store: "demo".into(),
            demo: true,
            master_key: None,
            clock: None,
            log_format: "text".into(),
            tls_cert: None,
            tls_key: None,
            dev_tls: false,
            behind_tls_proxy: false,
            deprecation: DeprecationConfig::default(),
            rate_limit: RateLimitConfig::default(),
            customers: CustomersConfig::default(),
            http: HttpConfig::default(),
            outbound: OutboundConfig::default(),
        }
    }
}

impl Default for DeprecationConfig {
    fn default() -> Self {
        DeprecationConfig {
            last_s2s_issue: "2026-06-30T23:59:59Z".into(),
            last_s2s_use: "2027-03-31T23:59:59Z".into(),
        }
    }
}

impl Default for RateLimitConfig {
    fn default() -> Self {
        RateLimitConfig {
            quota: 450,
            window_ms: 30_000,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config file {0}: {1}")]
    Read(PathBuf, std::io::Error),
    #[error("invalid configuration: {0}")]
    Invalid(String),
}

impl Config {
    /// Layers the file (if any), the environment and the flags (dotted keys) over the defaults.
    pub fn load(
        file: Option<&Path>,
        env: impl IntoIterator<Item = (String, String)>,
        flags: BTreeMap<String, toml::Value>,
    ) -> Result<Config, ConfigError> {
        let mut table = match file {
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .map_err(|e| ConfigError::Read(path.to_path_buf(), e))?;
                text.parse::<toml::Table>()
                    .map_err(|e| ConfigError::Invalid(format!("{}: {e}", path.display())))?
            }
            None => toml::Table::new(),
        };
        for (name, value) in env {
            let Some(key) = name.strip_prefix(ENV_PREFIX) else {
                continue;
            };
            // Not configuration keys: the file's path (read by the command line) and the log
            // filter (read by the logger).
            if matches!(key, "CONFIG" | "LOG") {
                continue;
            }
            // `RATE_LIMIT__QUOTA` -> `rate_limit.quota`.
            let dotted = key.to_lowercase().replace("__", ".");
            set_dotted(&mut table, &dotted, env_value(&value));
        }
        for (dotted, value) in flags {
            set_dotted(&mut table, &dotted, value);
        }
        let config: Config = toml::Value::Table(table)
            .try_into()
            .map_err(|e: toml::de::Error| ConfigError::Invalid(e.message().to_string()))?;
        config.validate()?;
        Ok(config)
    }

    fn validate(&self) -> Result<(), ConfigError> {
        self.schedule()?;
        self.simulated_now()?;
        if !matches!(self.log_format.as_str(), "text" | "json") {
            return Err(ConfigError::Invalid(
                "log_format must be \"text\" or \"json\"".into(),
            ));
        }
        if self.rate_limit.quota == 0 || self.rate_limit.window_ms == 0 {
            return Err(ConfigError::Invalid(
                "rate_limit.quota and rate_limit.window_ms must be positive".into(),
            ));
        }
        let c = &self.customers;
        let within = |name: &str, v: i64, min: i64, max: i64| {
            if (min..=max).contains(&v) {
                Ok(())
            } else {
                Err(ConfigError::Invalid(format!(
                    "customers.{name} must be between {min} and {max}"
                )))
            }
        };
        // Bounded, so that every time computed from them stays far inside i64.
        within(
            "session_lifetime_secs",
            c.session_lifetime_secs,
            60,
            10 * 365 * 86_400,
        )?;
        within("max_failed_logins", c.max_failed_logins, 1, 1_000_000)?;
        within(
            "failed_login_window_secs",
            c.failed_login_window_secs,
            1,
            365 * 86_400,
        )?;
        within("login_jwt_leeway_secs", c.login_jwt_leeway_secs, 0, 86_400)?;
        within(
            "max_registrations_per_ip",
            c.max_registrations_per_ip,
            1,
            1_000_000,
        )?;
        within(
            "registration_window_secs",
            c.registration_window_secs,
            1,
            365 * 86_400,
        )?;
        let h = &self.http;
        if [
            h.header_read_timeout_secs,
            h.request_timeout_secs,
            h.tls_handshake_timeout_secs,
        ]
        .iter()
        .any(|t| !(1..=3_600).contains(t))
            || h.max_connections_per_client == 0
            || h.max_connections < h.max_connections_per_client
        {
            return Err(ConfigError::Invalid(
                "http: timeouts must be 1 to 3600 seconds, and 1 <= max_connections_per_client <= max_connections".into(),
            ));
        }
        self.outbound.outbound()?;
        if self
            .outbound
            .timeout_secs
            .is_some_and(|t| !(1..=120).contains(&t))
        {
            return Err(ConfigError::Invalid(
                "outbound.timeout_secs must be 1 to 120".into(),
            ));
        }
        if self.tls_cert.is_some() != self.tls_key.is_some() {
            return Err(ConfigError::Invalid(
                "tls_cert and tls_key must be given together".into(),
            ));
        }
        if self.dev_tls && self.tls_cert.is_some() {
            return Err(ConfigError::Invalid(
                "dev_tls and tls_cert exclude each other".into(),
            ));
        }
        if self.listen.parse::<std::net::SocketAddr>().is_err() {
            return Err(ConfigError::Invalid(format!(
                "listen: {:?} is not an address such as 127.0.0.1:3000",
                self.listen
            )));
        }
        Ok(())
    }

    pub fn schedule(&self) -> Result<DeprecationSchedule, ConfigError> {
        let parse = |name: &str, v: &str| {
            parse_rfc3339(v).ok_or_else(|| {
                ConfigError::Invalid(format!("deprecation.{name}: {v:?} is not an RFC 3339 time"))
            })
        };
        Ok(DeprecationSchedule {
            last_s2s_issue: parse("last_s2s_issue", &self.deprecation.last_s2s_issue)?,
            last_s2s_use: parse("last_s2s_use", &self.deprecation.last_s2s_use)?,
        })
    }

    pub fn simulated_now(&self) -> Result<Option<i64>, ConfigError> {
        self.clock
            .as_deref()
            .map(|c| {
                parse_rfc3339(c).ok_or_else(|| {
                    ConfigError::Invalid(format!("clock: {c:?} is not an RFC 3339 time"))
                })
            })
            .transpose()
    }

    /// The database URL in effect: the configured one, or SQLite in the data directory.
    pub fn effective_database_url(&self) -> String {
        match &self.database_url {
            Some(url) => url.clone(),
            None => format!("sqlite://{}", self.data_dir.join(DATABASE_FILE).display()),
        }
    }
}

fn env_value(raw: &str) -> toml::Value {
    if let Ok(i) = raw.parse::<i64>() {
        return toml::Value::Integer(i);
    }
    match raw {
        "true" => toml::Value::Boolean(true),
        "false" => toml::Value::Boolean(false),
        _ => toml::Value::String(raw.to_string()),
    }
}

fn set_dotted(table: &mut toml::Table, dotted: &str, value: toml::Value) {
    match dotted.split_once('.') {
        None => {
            table.insert(dotted.to_string(), value);
        }
        Some((head, rest)) => {
            let entry = table
                .entry(head.to_string())
                .or_insert_with(|| toml::Value::Table(toml::Table::new()));
            if !entry.is_table() {
                *entry = toml::Value::Table(toml::Table::new());
            }
            if let toml::Value::Table(inner) = entry {
                set_dotted(inner, rest, value);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn layers_file_env_and_flags() {
        let dir = tempfile::tempdir().expect("dir");
        let file = dir.path().join("c.toml");
        std::fs::write(
            &file,
            "domain = \"file.test\"\nlisten = \"127.0.0.1:1\"\n[rate_limit]\nquota = 5\n",
        )
        .expect("write");
        let mut flags = BTreeMap::new();
        flags.insert(
            "listen".to_string(),
            toml::Value::String("127.0.0.1:3".into()),
        );
        let c = Config::load(
            Some(&file),
            env(&[
                ("STOREFRONT_AUTH_DOMAIN", "env.test"),
                ("STOREFRONT_AUTH_RATE_LIMIT__WINDOW_MS", "10"),
                ("STOREFRONT_AUTH_LOG", "debug"),
                ("STOREFRONT_AUTH_CONFIG", "ignored.toml"),
                ("OTHER", "x"),
            ]),
            flags,
        )
        .expect("load");
        assert_eq!(c.domain, "env.test");
        assert_eq!(c.listen, "127.0.0.1:3");
        assert_eq!((c.rate_limit.quota, c.rate_limit.window_ms), (5, 10));
    }

    #[test]
    fn unknown_keys_are_rejected_from_every_source() {
        let dir = tempfile::tempdir().expect("dir");
        let file = dir.path().join("c.toml");
        std::fs::write(&file, "domian = \"typo\"\n").expect("write");
        let err = Config::load(Some(&file), vec![], BTreeMap::new()).expect_err("file");
        assert!(err.to_string().contains("domian"), "{err}");
        let err = Config::load(
            None,
            env(&[("STOREFRONT_AUTH_LISTN", "x")]),
            BTreeMap::new(),
        )
        .expect_err("env");
        assert!(err.to_string().contains("listn"), "{err}");
    }

    #[test]
    fn debug_shows_no_secret() {
        let c = Config {
            master_key: Some("c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3I=".into()),
            database_url: Some("postgres://user:hunter2@db/x".into()),
            ..Config::default()
        };
        let shown = format!("{c:?}");
        assert!(
            !shown.contains("hunter2") && !shown.contains("c2VjcmV0"),
            "{shown}"
        );
        assert!(shown.contains("<redacted>") && shown.contains("postgres://***@db/x"));
    }

    #[test]
    fn bad_values_are_explained() {
        let err = Config::load(
            None,
            env(&[("STOREFRONT_AUTH_CLOCK", "tomorrow")]),
            BTreeMap::new(),
        )
        .expect_err("clock");
        assert!(err.to_string().contains("clock"), "{err}");
        let err = Config::load(
            None,
            env(&[("STOREFRONT_AUTH_LISTEN", "nowhere")]),
            BTreeMap::new(),
        )
        .expect_err("listen");
        assert!(err.to_string().contains("listen"), "{err}");
    }
}
