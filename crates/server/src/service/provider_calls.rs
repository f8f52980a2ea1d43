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
    /// When the calls of the request this one serves must be done (a checkout asks several
    /// carriers per consignment: together they get one timeout, not one each).
    pub deadline: Option<tokio::time::Instant>,
}

/// An id of a provider or carrier (and of a connection field): 1–64 of `a-z`, `0-9`, `-`, `_`.
pub fn valid_id(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

/// What every provider registration checks: the id, a name of 1–100 characters and a base URL
/// the outbound rules allow. The trimmed name and the URL without a trailing `/`, or the field
/// and message of the first failure.
pub(super) fn checked_registration(
    domain: &Domain,
    id: &str,
    name: &str,
    base_url: &str,
) -> Result<(String, String), (&'static str, String)> {
    if !valid_id(id) {
        return Err((
            "id",
            "id must be 1-64 characters of a-z, 0-9, - and _.".into(),
        ));
    }
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(("name", "name is required (at most 100 characters).".into()));
    }
    domain
        .0
        .outbound
        .check(base_url)
        .map_err(|e| ("url", format!("url: {e}")))?;
    Ok((name.to_string(), base_url.trim_end_matches('/').to_string()))
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
    let post = domain
        .0
        .outbound
        .post_json(&call.url, &call.headers, call.body.clone());
    let answer = match call.deadline {
        Some(at) => tokio::time::timeout_at(at, post).await.map_err(|_| {
            failed("timed out: the time for this checkout's provider calls ran out".into())
        })?,
        None => post.await,
    }
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
