//! `gateway.schema = "introspect"` (issue 21): the upstream's schema asked of it at start,
//! before anything is built from it, and asked again every `introspection_recheck_secs`. The
//! server validates and maps scopes against the schema it started with; a change is logged with
//! both hashes (a restart takes the new schema), and so is an upstream that stops answering.
//!
//! The introspection request carries no assertion (there is no client to assert): an upstream
//! that demands one for introspection is given its schema as `sdl:PATH` instead.

use std::time::Duration;

use axum::http::HeaderMap;
use storefront_auth_core::gateway_introspection::{sdl_from_introspection, INTROSPECTION_QUERY};
use storefront_auth_core::secret::sha256_hex;

use super::upstream::{Attempt, Upstream};
use crate::config::GatewayConfig;

/// One call at a time: introspection is asked at start and then every few minutes.
fn client(config: &GatewayConfig) -> Result<Upstream, String> {
    Upstream::of(config, 1)
}

/// The upstream's schema as SDL, from its answer to the introspection query.
async fn fetch(upstream: &Upstream) -> Result<String, String> {
    let body = serde_json::json!({ "query": INTROSPECTION_QUERY }).to_string();
    let why = |e: String| format!("gateway.schema = introspect: the upstream {e}");
    let answer = upstream
        .post(HeaderMap::new(), body.into(), Attempt::Query)
        .await
        .map_err(|e| why(e.to_string()))?;
    if answer.status != 200 {
        return Err(why(format!(
            "answered the introspection query with {}",
            answer.status
        )));
    }
    let json: serde_json::Value = serde_json::from_slice(&answer.body)
        .map_err(|e| why(format!("answered something other than JSON: {e}")))?;
    if let Some(errors) = json["errors"].as_array().filter(|e| !e.is_empty()) {
        return Err(why(format!(
            "refused the introspection query: {}",
            errors[0]["message"]
        )));
    }
    sdl_from_introspection(&json).map_err(why)
}

/// Resolves `introspect` into the SDL the gateway is built from (a no-op for `sdl:PATH`).
pub async fn prepare(config: &mut GatewayConfig) -> Result<(), String> {
    if config.enabled() && config.schema.as_deref() == Some("introspect") {
        let sdl = fetch(&client(config)?).await?;
        tracing::info!(schema_sha256 = %sha256_hex(sdl.as_bytes()), "gateway: the upstream's schema, by introspection");
        config.introspected = Some(sdl);
    }
    Ok(())
}

/// Asks the upstream for its schema every `introspection_recheck_secs` and logs when it is not
/// the one the server started with. Runs until the process ends.
pub fn spawn_recheck(config: &GatewayConfig) {
    let Some(started) = config
        .introspected
        .as_deref()
        .map(|s| sha256_hex(s.as_bytes()))
    else {
        return;
    };
    let Ok(upstream) = client(config) else {
        return;
    };
    let every = Duration::from_secs(config.introspection_recheck_secs);
    tokio::spawn(async move {
        let mut last = started.clone();
        loop {
            tokio::time::sleep(every).await;
            match fetch(&upstream).await {
                Ok(sdl) => {
                    let now = sha256_hex(sdl.as_bytes());
                    if now != last {
                        tracing::error!(started = %started, now = %now, "gateway: the upstream's schema changed since start; documents are still validated against the one the server started with (restart to take the new one)");
                        last = now;
                    }
                }
                Err(e) => {
                    tracing::warn!(error = %e, "gateway: the upstream's schema could not be re-checked")
                }
            }
        }
    });
}
