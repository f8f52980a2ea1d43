//! Gateway mode (issue 21, docs/GATEWAY.md): `/graphql` answered by the operator's own
//! GraphQL server. Everything up to the answer is the built-in pipeline's (`execute`):
//! admission, tokens, classification, CORS, dates, customer context and limits, with the
//! scope analysis run against the upstream's schema and scope map. `forward` replaces only
//! the last step: it refuses what must not reach the upstream, answers the sign-in mutations
//! here, and sends the rest with a signed assertion in place of the client's identity.

pub mod assertion;
pub mod breaker;
pub mod connection;
pub mod denials;
pub mod forward;
pub mod introspection;
pub mod reply;
pub mod tls;
pub mod upstream;
pub mod validation;

use std::time::Duration;

use axum::extract::State;
use axum::http::{header, HeaderName, HeaderValue};
use axum::response::{IntoResponse, Response};
use storefront_auth_core::analysis::SchemaIndex;
use storefront_auth_core::secret::sha256_hex;

use crate::config::GatewayConfig;
use crate::service::assertion_keys::AssertionKeys;

/// The gateway's parts, built once at start.
#[derive(Debug)]
pub struct Gateway {
    pub upstream: upstream::Upstream,
    /// Documents are validated against the upstream's schema before anything is sent.
    pub validator: validation::UpstreamValidator,
    pub breaker: breaker::Breaker,
    pub keys: AssertionKeys,
    pub assertions: assertion::Assertions,
    /// What a document selecting fields the token may not see gets.
    pub denied: crate::config::gateway::DeniedMode,
    /// Client headers copied to the upstream.
    pub forward_headers: Vec<HeaderName>,
    /// The SDL's SHA-256, logged at start.
    pub schema_hash: String,
}

impl Gateway {
    /// The gateway of `config` (checked by `Config::load`) and the upstream's schema index
    /// with its scope map, in place of the built-in schema's.
    pub fn new(config: &GatewayConfig) -> Result<(Gateway, SchemaIndex), String> {
        let schema = config.load_schema().map_err(|e| e.to_string())?;
        let index = SchemaIndex::from_sdl(&schema.sdl)
            .map_err(|e| format!("gateway.schema: {e}"))?
            .with_scope_map(&schema.map);
        let raw = config
            .upstream
            .as_deref()
            .ok_or("gateway.upstream is not set")?;
        let upstream = upstream::Upstream::of(config, config.max_connections)?;
        let audience = config
            .assertion_audience
            .clone()
            .unwrap_or_else(|| upstream.origin().to_string());
        let forward_headers = config
            .forward_headers
            .iter()
            .filter_map(|h| HeaderName::from_bytes(h.to_ascii_lowercase().as_bytes()).ok())
            .collect();
        let validator = validation::UpstreamValidator::from_sdl(&schema.sdl)
            .map_err(|e| format!("gateway.schema: {e}"))?;
        let denied = config.denied_mode()?;
        let gateway = Gateway {
            denied,
            validator,
            breaker: breaker::Breaker::new(
                config.breaker_failures,
                Duration::from_secs(config.breaker_open_secs),
            ),
            keys: AssertionKeys::default(),
            assertions: assertion::Assertions::new(audience, config.assertion_lifetime_secs),
            forward_headers,
            schema_hash: sha256_hex(schema.sdl.as_bytes()),
            upstream,
        };
        tracing::info!(
            upstream = %crate::service::outbound::safe_for_logs(raw),
            schema_sha256 = %gateway.schema_hash,
            types = schema.map.types.len(),
            "gateway mode: /graphql is answered by the upstream"
        );
        Ok((gateway, index))
    }
}

/// `GET /.well-known/storefront-auth-assertion-jwks.json`: the keys an upstream verifies the
/// gateway's assertions with (every live assertion key; not the token keys). 404 in built-in
/// mode.
pub async fn jwks(State(g): State<super::Graphql>) -> Response {
    let Some(gw) = &g.gateway else {
        return crate::http::error::ApiError::NotFound.into_response();
    };
    match gw.keys.ring(&g.domain).await {
        Ok(ring) => (
            [(
                header::CACHE_CONTROL,
                HeaderValue::from_static("max-age=30"),
            )],
            axum::Json(ring.jwks()),
        )
            .into_response(),
        // Never an empty key set: an upstream would cache it and refuse every assertion.
        Err(e) => crate::http::error::ApiError::Unavailable(format!(
            "gateway: the assertion key ring could not be read: {e}"
        ))
        .into_response(),
    }
}
