//! Configuration: one `Config`, filled from (lowest to highest precedence) its defaults, a TOML
//! file, `STOREFRONT_AUTH_*` environment variables and command-line flags. Unknown keys are
//! rejected wherever they come from. Documented in README.md ("Configuration").

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

pub mod gateway;
mod sections;
mod validate;

pub use gateway::GatewayConfig;
pub use sections::{
    CustomersConfig, DeprecationConfig, DevConfig, HttpConfig, OutboundConfig, RateLimitConfig,
};
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
    /// Seed this file (TOML, or JSON by its `.json` name) on an empty database instead of the
    /// demo (issue 20).
    pub seed: Option<PathBuf>,
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
    pub dev: DevConfig,
    pub gateway: GatewayConfig,
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
            .field("seed", &self.seed)
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
            .field("dev", &self.dev)
            .field("gateway", &self.gateway)
            .finish()
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            listen: "127.0.0.1:4000".into(),
            data_dir: PathBuf::from("data"),
            database_url: None,
            domain: "localhost".into(),
            default_store: "demo".into(),
            demo: true,
            seed: None,
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
            dev: DevConfig::default(),
            gateway: GatewayConfig::default(),
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
mod tests;
