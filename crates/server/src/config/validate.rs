//! The rules a configuration must meet before anything starts, each section on its own.

use super::{Config, ConfigError};

fn invalid(message: impl Into<String>) -> ConfigError {
    ConfigError::Invalid(message.into())
}

impl Config {
    pub(super) fn validate(&self) -> Result<(), ConfigError> {
        self.schedule()?;
        self.simulated_now()?;
        if !matches!(self.log_format.as_str(), "text" | "json") {
            return Err(invalid("log_format must be \"text\" or \"json\""));
        }
        if self.rate_limit.quota == 0 || self.rate_limit.window_ms == 0 {
            return Err(invalid(
                "rate_limit.quota and rate_limit.window_ms must be positive",
            ));
        }
        self.validate_customers()?;
        self.validate_http()?;
        self.validate_outbound()?;
        self.validate_dev()?;
        self.gateway.check()?;
        self.validate_listening()
    }

    fn validate_customers(&self) -> Result<(), ConfigError> {
        let c = &self.customers;
        let within = |name: &str, v: i64, min: i64, max: i64| {
            if (min..=max).contains(&v) {
                Ok(())
            } else {
                Err(invalid(format!(
                    "customers.{name} must be between {min} and {max}"
                )))
            }
        };
        // Bounded, so that every time computed from them stays far inside i64.
        let year = 365 * 86_400;
        within(
            "session_lifetime_secs",
            c.session_lifetime_secs,
            60,
            10 * year,
        )?;
        within("max_failed_logins", c.max_failed_logins, 1, 1_000_000)?;
        within(
            "failed_login_window_secs",
            c.failed_login_window_secs,
            1,
            year,
        )?;
        within("login_jwt_leeway_secs", c.login_jwt_leeway_secs, 0, 86_400)?;
        within(
            "checkout_link_lifetime_secs",
            c.checkout_link_lifetime_secs,
            10,
            30 * 86_400,
        )?;
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
            year,
        )
    }

    fn validate_http(&self) -> Result<(), ConfigError> {
        let h = &self.http;
        let timeouts = [
            h.header_read_timeout_secs,
            h.request_timeout_secs,
            h.tls_handshake_timeout_secs,
        ];
        if timeouts.iter().any(|t| !(1..=3_600).contains(t))
            || h.max_connections_per_client == 0
            || h.max_connections < h.max_connections_per_client
        {
            return Err(invalid(
                "http: timeouts must be 1 to 3600 seconds, and 1 <= max_connections_per_client <= max_connections",
            ));
        }
        Ok(())
    }

    fn validate_outbound(&self) -> Result<(), ConfigError> {
        self.outbound.check()?;
        if self
            .outbound
            .timeout_secs
            .is_some_and(|t| !(1..=120).contains(&t))
        {
            return Err(invalid("outbound.timeout_secs must be 1 to 120"));
        }
        Ok(())
    }

    fn validate_dev(&self) -> Result<(), ConfigError> {
        let dev = &self.dev;
        if dev.enabled && self.database_url.is_some() && !dev.allow_shared_database {
            return Err(invalid(
                "development mode (--dev) is refused with database_url: its control API can \
                 delete stores and inject faults, and a PostgreSQL database may be shared; set \
                 dev.allow_shared_database = true to allow it",
            ));
        }
        if dev
            .token
            .as_ref()
            .is_some_and(|t| t.len() < 16 || t.len() > 256)
        {
            return Err(invalid("dev.token must be 16 to 256 characters"));
        }
        Ok(())
    }

    fn validate_listening(&self) -> Result<(), ConfigError> {
        if self.tls_cert.is_some() != self.tls_key.is_some() {
            return Err(invalid("tls_cert and tls_key must be given together"));
        }
        if self.dev_tls && self.tls_cert.is_some() {
            return Err(invalid("dev_tls and tls_cert exclude each other"));
        }
        if self.listen.parse::<std::net::SocketAddr>().is_err() {
            return Err(invalid(format!(
                "listen: {:?} is not an address such as 127.0.0.1:4000",
                self.listen
            )));
        }
        Ok(())
    }
}
