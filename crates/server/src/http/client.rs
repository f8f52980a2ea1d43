//! Who is calling a storefront host: the client's address (through a trusted proxy) and
//! whether the request is a browser's (SPEC §5.1).

use std::net::IpAddr;

use axum::http::{HeaderMap, HeaderName};
use storefront_auth_core::request::{RequestSignals, SignalsPresent};
use storefront_auth_core::secret::{digests_equal, sha256_hex};
use storefront_auth_core::RequestOrigin;

// Parsed once: a header looked up by a string is parsed on every lookup.
const TRUSTED_PROXY_SECRET: HeaderName = HeaderName::from_static("x-bc-trusted-proxy-secret");
const TRUE_CLIENT_IP: HeaderName = HeaderName::from_static("true-client-ip");

/// Does the request carry the store's `X-BC-Trusted-Proxy-Secret`?
pub fn trusted_proxy(headers: &HeaderMap, proxy_secret_digest: Option<&str>) -> bool {
    let given = headers
        .get(&TRUSTED_PROXY_SECRET)
        .and_then(|v| v.to_str().ok());
    match (proxy_secret_digest, given) {
        (Some(expected), Some(given)) => digests_equal(expected, &sha256_hex(given.as_bytes())),
        _ => false,
    }
}

/// The client's IP: `True-Client-IP` when a trusted proxy vouches for it, else the peer.
pub fn client_ip(headers: &HeaderMap, trusted_proxy: bool, peer: IpAddr) -> IpAddr {
    let forwarded = headers
        .get(&TRUE_CLIENT_IP)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<IpAddr>().ok());
    match (trusted_proxy, forwarded) {
        (true, Some(ip)) => ip,
        _ => peer,
    }
}

/// Browser or server-to-server, from the request's signals (SPEC §5.1), and which signals
/// the request carried.
pub fn classify(headers: &HeaderMap, trusted_proxy: bool) -> (RequestOrigin, SignalsPresent) {
    let signals = RequestSignals {
        // Any `Origin`, readable or not, makes the request a browser's (fail closed): an
        // unreadable one is kept lossily, so it can only fail to match an allowed origin.
        origin: headers
            .get(axum::http::header::ORIGIN)
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned()),
        has_sec_fetch: headers
            .keys()
            .any(|k| storefront_auth_core::request::is_browser_fetch_metadata(k.as_str())),
        has_session_cookie: super::cookies::session(headers).is_some(),
        trusted_proxy,
    };
    let present = signals.present();
    (RequestOrigin::classify(signals), present)
}
