//! `[gateway]` (issue 21, docs/GATEWAY.md): `/graphql` answered by the operator's own GraphQL
//! server behind this token model. Off unless `upstream` is set. The schema and the scope
//! source are read and checked at start, so a server that starts has a complete scope map.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use storefront_auth_core::gateway_scopes::{build, Requirement, ScopeMap, ScopeSource};

use super::ConfigError;

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct GatewayConfig {
    /// The upstream's GraphQL endpoint (`http(s)://host[:port]/path`). Unset: built-in mode.
    pub upstream: Option<String>,
    /// The upstream's schema: `sdl:PATH` (a file of SDL), or `introspect` (asked of the
    /// upstream at start, re-checked every `introspection_recheck_secs`).
    pub schema: Option<String>,
    /// Where scope decisions come from: `builtin`, `table:PATH` or `directive:NAME`.
    pub scopes: String,
    /// What a document selecting a denied field gets: `null` (the denied selections are
    /// stripped before the upstream and answered null with an error each, as built-in mode
    /// answers), `reject` (refused whole, locally), or `report` (a dry run: sent as it is,
    /// the would-be denials named in a response header and the decision inspector).
    pub denied: String,
    /// One upstream call, connecting and reading the whole answer included.
    pub timeout_ms: u64,
    /// The largest upstream answer read; a larger one is a 502.
    pub max_response_bytes: usize,
    /// Upstream calls in flight at once (over HTTP/1.1 each holds one connection); more wait
    /// their turn within `timeout_ms`.
    pub max_connections: usize,
    /// `http1` (a connection per call in flight, kept for reuse) or `http2` (every call on one
    /// shared connection: prior knowledge over `http`, ALPN `h2` over `https`; the upstream
    /// must speak it).
    pub upstream_protocol: String,
    /// Client request headers copied to the upstream (case-insensitive). Identity headers
    /// (`Authorization`, `Cookie`, `X-Bc-*`, forwarding headers) are never copied, listed or not.
    #[serde(deserialize_with = "super::sections::list_or_commas")]
    pub forward_headers: Vec<String>,
    /// The assertion's `aud`: what the upstream's verifier expects. Default: the upstream URL's
    /// origin.
    pub assertion_audience: Option<String>,
    /// How long an assertion is valid; it is reused for half of that.
    pub assertion_lifetime_secs: u64,
    /// Consecutive failed calls after which the upstream is not called for `breaker_open_secs`
    /// (answers 502 at once); then one call probes it.
    pub breaker_failures: u32,
    pub breaker_open_secs: u64,
    /// Mutual TLS with an `https` upstream: this client certificate chain and its key (PEM
    /// files), both or neither.
    pub tls_client_cert: Option<String>,
    pub tls_client_key: Option<String>,
    /// CA certificates (PEM) the upstream's certificate may chain to, besides the system's.
    pub tls_ca: Option<String>,
    /// `schema = "introspect"`: how often the upstream's schema is asked again and compared
    /// with the one the server started with (a change is logged; a restart takes it).
    pub introspection_recheck_secs: u64,
    /// Where customers' passwords are checked: `local` (the stored hash) or `delegate:URL`
    /// (the operator's service answers 200 or 401; service/credentials.rs).
    pub login: String,
    /// The SDL printed from the upstream's introspection at start (never configured).
    #[serde(skip)]
    pub introspected: Option<String>,
}

impl Default for GatewayConfig {
    fn default() -> Self {
        GatewayConfig {
            upstream: None,
            schema: None,
            scopes: "builtin".into(),
            denied: "null".into(),
            timeout_ms: 10_000,
            max_response_bytes: 8 << 20,
            max_connections: 128,
            upstream_protocol: "http1".into(),
            forward_headers: vec!["accept-language".into()],
            assertion_audience: None,
            assertion_lifetime_secs: 60,
            breaker_failures: 5,
            breaker_open_secs: 10,
            tls_client_cert: None,
            tls_client_key: None,
            tls_ca: None,
            introspection_recheck_secs: 300,
            login: "local".into(),
            introspected: None,
        }
    }
}

/// Request headers that carry the client's identity or the path it came by: never forwarded,
/// even when the allow-list names them.
pub fn never_forwarded(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    matches!(
        name.as_str(),
        "authorization"
            | "cookie"
            | "proxy-authorization"
            | "host"
            | "forwarded"
            | "true-client-ip"
            | "content-length"
            | "transfer-encoding"
            | "connection"
            | "upgrade"
            | "te"
            | "trailer"
            | "keep-alive"
            | "x-storefront-auth-assertion"
    ) || name.starts_with("x-bc-")
        || name.starts_with("x-forwarded-")
        || name.starts_with("x-real-ip")
}

/// The upstream's schema and scope map, read and checked.
pub struct GatewaySchema {
    pub sdl: String,
    pub map: ScopeMap,
}

fn invalid(message: impl Into<String>) -> ConfigError {
    ConfigError::Invalid(message.into())
}

/// `gateway.denied`'s values: what a document with denied fields gets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeniedMode {
    Null,
    Reject,
    Report,
}

/// `gateway.upstream_protocol`'s values: the protocol spoken to the upstream.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UpstreamProtocol {
    Http1,
    Http2,
}

impl GatewayConfig {
    pub fn enabled(&self) -> bool {
        self.upstream.is_some()
    }

    /// `denied`, read: the one place its values are listed.
    pub fn denied_mode(&self) -> Result<DeniedMode, String> {
        match self.denied.as_str() {
            "null" => Ok(DeniedMode::Null),
            "reject" => Ok(DeniedMode::Reject),
            "report" => Ok(DeniedMode::Report),
            other => Err(format!(
                "gateway.denied = {other:?}: must be null, reject or report"
            )),
        }
    }

    /// `upstream_protocol`, read: the one place its values are listed.
    pub fn protocol(&self) -> Result<UpstreamProtocol, String> {
        match self.upstream_protocol.as_str() {
            "http1" => Ok(UpstreamProtocol::Http1),
            "http2" => Ok(UpstreamProtocol::Http2),
            other => Err(format!(
                "gateway.upstream_protocol = {other:?}: must be http1 or http2"
            )),
        }
    }

    /// The checks that need no file: URL, modes, bounds, the allow-list.
    pub(super) fn check(&self) -> Result<(), ConfigError> {
        self.check_login()?;
        let Some(upstream) = &self.upstream else {
            return Ok(());
        };
        let url = url::Url::parse(upstream)
            .map_err(|_| invalid(format!("gateway.upstream {upstream:?} is not a URL")))?;
        if !matches!(url.scheme(), "http" | "https")
            || url.host_str().is_none()
            || !url.username().is_empty()
            || url.fragment().is_some()
        {
            return Err(invalid(
                "gateway.upstream must be http(s)://host[:port]/path without credentials",
            ));
        }
        self.check_schema()?;
        self.denied_mode().map_err(invalid)?;
        self.protocol().map_err(invalid)?;
        self.check_bounds()?;
        self.check_tls(&url)?;
        if let Some(h) = self.forward_headers.iter().find(|h| {
            axum::http::HeaderName::from_bytes(h.as_bytes()).is_err() || never_forwarded(h)
        }) {
            return Err(invalid(format!(
                "gateway.forward_headers: {h:?} is not a header that may be forwarded"
            )));
        }
        Ok(())
    }

    /// The numeric keys within their bounds.
    fn check_bounds(&self) -> Result<(), ConfigError> {
        let bounds = [
            (
                "introspection_recheck_secs",
                self.introspection_recheck_secs,
                1,
                86_400,
            ),
            ("timeout_ms", self.timeout_ms, 100, 300_000),
            (
                "max_response_bytes",
                self.max_response_bytes as u64,
                1024,
                256 << 20,
            ),
            ("max_connections", self.max_connections as u64, 1, 10_000),
            (
                "assertion_lifetime_secs",
                self.assertion_lifetime_secs,
                10,
                3600,
            ),
            (
                "breaker_failures",
                u64::from(self.breaker_failures),
                1,
                1_000_000,
            ),
            ("breaker_open_secs", self.breaker_open_secs, 1, 3600),
        ];
        for (key, value, low, high) in bounds {
            if !(low..=high).contains(&value) {
                return Err(invalid(format!(
                    "gateway.{key} must be between {low} and {high}"
                )));
            }
        }
        Ok(())
    }

    /// `local`, or `delegate:URL` in gateway mode.
    fn check_login(&self) -> Result<(), ConfigError> {
        match (self.login.as_str(), &self.upstream) {
            ("local", _) => Ok(()),
            (_, None) => Err(invalid(
                "gateway.login needs gateway.upstream (gateway mode)",
            )),
            (l, Some(_)) if l.starts_with("delegate:") => Ok(()),
            (l, Some(_)) => Err(invalid(format!(
                "gateway.login is local or delegate:URL, not {l:?}"
            ))),
        }
    }

    /// `sdl:PATH` or `introspect` (which cannot carry scope directives).
    fn check_schema(&self) -> Result<(), ConfigError> {
        match self.schema.as_deref() {
            Some(s) if s.starts_with("sdl:") && s.len() > 4 => Ok(()),
            Some("introspect") if self.scopes.starts_with("directive:") => {
                Err(invalid(
                    "gateway.scopes = directive:… needs gateway.schema = sdl:PATH (introspection does not show directives on types)",
                ))
            }
            Some("introspect") => Ok(()),
            _ => {
                Err(invalid(
                    "gateway.schema must be sdl:PATH (the upstream's SDL) or introspect",
                ))
            }
        }
    }

    /// The TLS files go with an https upstream, and a client certificate with its key.
    fn check_tls(&self, url: &url::Url) -> Result<(), ConfigError> {
        let tls = [&self.tls_client_cert, &self.tls_client_key, &self.tls_ca];
        if self.tls_client_cert.is_some() != self.tls_client_key.is_some() {
            return Err(invalid(
                "gateway.tls_client_cert and gateway.tls_client_key go together",
            ));
        }
        if url.scheme() != "https" && tls.iter().any(|o| o.is_some()) {
            return Err(invalid("gateway.tls_* need an https upstream"));
        }
        Ok(())
    }

    /// Reads the schema and the scope source and builds the map; refuses conflicts and
    /// unmapped types or root fields (a gateway must know what every field needs).
    pub fn load_schema(&self) -> Result<GatewaySchema, ConfigError> {
        let (path, sdl) = match (self.schema.as_deref(), &self.introspected) {
            (Some("introspect"), Some(sdl)) => ("(introspection)", sdl.clone()),
            (Some(s), _) if s.starts_with("sdl:") => {
                let path = &s[4..];
                let sdl = std::fs::read_to_string(path)
                    .map_err(|e| invalid(format!("gateway.schema: reading {path}: {e}")))?;
                (path, sdl)
            }
            _ => return Err(invalid("gateway.schema must be sdl:PATH or introspect")),
        };
        let source =
            scope_source(&self.scopes).map_err(|e| invalid(format!("gateway.scopes: {e}")))?;
        let map =
            build(&sdl, &source).map_err(|e| invalid(format!("gateway.schema {path}: {e}")))?;
        let listed =
            |items: &[String]| items.iter().take(5).cloned().collect::<Vec<_>>().join(", ");
        if !map.conflicts.is_empty() {
            return Err(invalid(format!(
                "gateway: conflicting scope decisions: {} (see storefront-auth gateway check)",
                listed(&map.conflicts)
            )));
        }
        if !map.unmapped.is_empty() {
            return Err(invalid(format!(
                "gateway: {} types or root fields have no scope decision: {} (see storefront-auth gateway check)",
                map.unmapped.len(),
                listed(&map.unmapped)
            )));
        }
        Ok(GatewaySchema { sdl, map })
    }
}

/// A scope source as configured or given to `gateway check`: `builtin`, `table:FILE` (TOML:
/// `[types]` and `[fields]` of "Unauthenticated", "Customer", "B2B" or "none") or
/// `directive:NAME`.
pub fn scope_source(scopes: &str) -> Result<ScopeSource, String> {
    match scopes.split_once(':') {
        None if scopes == "builtin" => Ok(ScopeSource::Builtin),
        Some(("directive", name)) if !name.is_empty() => Ok(ScopeSource::Directive(name.into())),
        Some(("table", file)) => table(Path::new(file)),
        _ => Err(format!(
            "the scope source is builtin, table:FILE or directive:NAME, not {scopes:?}"
        )),
    }
}

/// A TOML table file: `[types]` and `[fields]` mapping names to requirements.
fn table(path: &Path) -> Result<ScopeSource, String> {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct File {
        #[serde(default)]
        types: BTreeMap<String, String>,
        #[serde(default)]
        fields: BTreeMap<String, String>,
    }
    let shown = path.display();
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("reading the scope table {shown}: {e}"))?;
    let file: File = toml::from_str(&text).map_err(|e| format!("the scope table {shown}: {e}"))?;
    let decide = |list: BTreeMap<String, String>| {
        list.into_iter()
            .map(|(at, r)| match Requirement::parse(&r) {
                Some(r) => Ok((at, r)),
                None => Err(format!(
                    "{shown}: {at} = {r:?} is not \"Unauthenticated\", \"Customer\", \"B2B\" or \"none\""
                )),
            })
            .collect::<Result<Vec<_>, String>>()
    };
    let fields = decide(file.fields)?;
    if let Some((at, _)) = fields.iter().find(|(at, _)| !at.contains('.')) {
        return Err(format!("{shown}: fields are named Type.field, not {at:?}"));
    }
    Ok(ScopeSource::Table {
        types: decide(file.types)?,
        fields,
    })
}
