//! Calls to providers (tax and shipping, SPEC §12): through the outbound rules (SPEC §11),
//! answered from this instance's cache when the same request was answered readably before,
//! and every failure (unreachable, slow, not 2xx, unreadable) one `ProviderFailure` that
//! says which and is logged without credentials.

use super::caches::provider_answers::key;
use super::outbound::safe_for_logs;
use super::Domain;

/// A request to a provider: its URL, extra headers (credentials among them) and JSON body.
pub(super) struct ProviderCall<'a> {
    /// Who is called, for messages and logs (the provider's or carrier's id).
    pub provider: &'a str,
    pub url: String,
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
}

/// Why a provider gave no usable answer.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ProviderFailure(pub String);

/// Makes the call (or finds its answer in the cache, when `cached`) and reads the answer.
pub(super) async fn ask<T>(
    domain: &Domain,
    call: ProviderCall<'_>,
    cached: bool,
    read: impl Fn(&[u8]) -> Result<T, String>,
) -> Result<T, ProviderFailure> {
    let header_bytes: Vec<u8> = call
        .headers
        .iter()
        .flat_map(|(n, v)| [n.as_bytes(), b":", v.as_bytes(), b"\n"].concat())
        .collect();
    let request_key = key(&[call.url.as_bytes(), &header_bytes, &call.body]);
    if cached {
        if let Some(answer) = domain.0.provider_answers.get(&request_key) {
            if let Ok(value) = read(&answer) {
                return Ok(value);
            }
        }
    }
    let failed = |why: String| {
        tracing::warn!(
            provider = %crate::logs::escaped(call.provider),
            url = %safe_for_logs(&call.url),
            why = %crate::logs::escaped(&why),
            "provider call failed"
        );
        ProviderFailure(why)
    };
    let answer = domain
        .0
        .outbound
        .post_json(&call.url, &call.headers, call.body.clone())
        .await
        .map_err(|e| failed(e.to_string()))?;
    if !(200..300).contains(&answer.status) {
        return Err(failed(format!("it answered HTTP {}", answer.status)));
    }
    let value =
        read(&answer.body).map_err(|why| failed(format!("its answer could not be read: {why}")))?;
    if cached {
        domain.0.provider_answers.keep(request_key, answer.body);
    }
    Ok(value)
}
