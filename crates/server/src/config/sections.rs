//! The configuration's sections: outbound calls, HTTP limits, customers, the deprecation
//! dates and the management API's rate limit, each with its defaults.

use serde::Deserialize;

use super::ConfigError;

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
    /// How long an outbound call may take.
    pub fn timeout(&self) -> std::time::Duration {
        std::time::Duration::from_secs(self.timeout_secs.unwrap_or(10))
    }

    pub(super) fn check(&self) -> Result<(), ConfigError> {
        for a in &self.allow {
            storefront_auth_core::net::Allowed::parse(a)
                .map_err(|e| ConfigError::Invalid(format!("outbound.allow: {e}")))?;
        }
        Ok(())
    }
}

pub(super) fn list_or_commas<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Vec<String>, D::Error> {
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
    /// Threads that serve connections, each connection on one of them (0: one per core).
    pub threads: usize,
}

impl Default for HttpConfig {
    fn default() -> Self {
        HttpConfig {
            header_read_timeout_secs: 15,
            request_timeout_secs: 30,
            tls_handshake_timeout_secs: 10,
            max_connections_per_client: 256,
            max_connections: 16_384,
            threads: 0,
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
    /// How long a hosted checkout link (`createCartRedirectUrls`) may wait to be opened.
    pub checkout_link_lifetime_secs: i64,
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
            checkout_link_lifetime_secs: 600,
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

/// Development mode (issue 20): the control API under `/_dev/`. Off unless asked for.
#[derive(Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DevConfig {
    /// Serve the control API (`serve --dev`). Implied by nothing else.
    pub enabled: bool,
    /// The control API's credential, sent as `X-Dev-Token`; when unset, a random one is made
    /// at start and printed.
    pub token: Option<String>,
    /// Requests from a loopback address need no credential.
    pub open_on_loopback: bool,
    /// Allow development mode on a PostgreSQL database (`database_url`), which other
    /// instances and people may share; refused unless set.
    pub allow_shared_database: bool,
}

impl std::fmt::Debug for DevConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DevConfig")
            .field("enabled", &self.enabled)
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .field("open_on_loopback", &self.open_on_loopback)
            .field("allow_shared_database", &self.allow_shared_database)
            .finish()
    }
}
