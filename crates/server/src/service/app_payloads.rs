//! What an app's callbacks carry (SPEC §8): the `signed_payload_jwt` and the legacy
//! `signed_payload` of load and uninstall callbacks, and the URLs that carry them.

use serde_json::{json, Value};
use storefront_auth_core::hs256;
use storefront_auth_store::{App, StoreRecord};

use crate::service::Domain;

/// `exp - iat` of a `signed_payload_jwt`.
pub const PAYLOAD_LIFETIME: i64 = 86_400;

pub(super) fn query_escape(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

pub(super) fn with_query(url: &str, query: &str) -> String {
    let sep = if url.contains('?') { '&' } else { '?' };
    format!("{url}{sep}{query}")
}

/// The merchant the platform reports as the installing user and the store owner.
pub fn owner_json(store: &StoreRecord) -> Value {
    let email = format!("owner@{}.example.com", store.hash);
    json!({ "id": store.id, "username": email, "email": email })
}

/// The `signed_payload_jwt` of a load or uninstall callback.
pub fn signed_payload(domain: &Domain, app: &App, store: &StoreRecord) -> String {
    let now = domain.now_for(store.id);
    let owner = owner_json(store);
    let claims = json!({
        "aud": app.client_id,
        "iss": "bc",
        "iat": now,
        "nbf": now,
        "exp": now + PAYLOAD_LIFETIME,
        "jti": uuid::Uuid::new_v4().to_string(),
        "sub": format!("stores/{}", store.hash),
        "user": { "id": owner["id"], "email": owner["email"], "locale": "en-US" },
        "owner": { "id": owner["id"], "email": owner["email"] },
        "url": "/",
        "channel_id": null,
    });
    hs256::sign(&claims, app.client_secret.expose().as_bytes())
}

/// The pre-JWT `signed_payload` that older app libraries (node-bigcommerce's `verify`, the
/// Python client's `verify_payload`) check: `base64(json) "." base64(hex(HMAC-SHA256))`.
pub fn legacy_signed_payload(domain: &Domain, app: &App, store: &StoreRecord) -> String {
    use base64::Engine;
    let owner = owner_json(store);
    let json = json!({
        "user": { "id": owner["id"], "email": owner["email"] },
        "owner": { "id": owner["id"], "email": owner["email"] },
        "context": format!("stores/{}", store.hash),
        "store_hash": store.hash,
        "timestamp": domain.now_for(store.id) as f64,
    })
    .to_string();
    let key = aws_lc_rs::hmac::Key::new(
        aws_lc_rs::hmac::HMAC_SHA256,
        app.client_secret.expose().as_bytes(),
    );
    let signature = hex::encode(aws_lc_rs::hmac::sign(&key, json.as_bytes()));
    let b64 = base64::engine::general_purpose::STANDARD;
    format!("{}.{}", b64.encode(&json), b64.encode(signature))
}

/// A callback URL carrying both payload forms.
pub(super) fn with_payloads(domain: &Domain, url: &str, app: &App, store: &StoreRecord) -> String {
    with_query(
        url,
        &format!(
            "signed_payload={}&signed_payload_jwt={}",
            query_escape(&legacy_signed_payload(domain, app, store)),
            signed_payload(domain, app, store)
        ),
    )
}

pub fn load_url(domain: &Domain, app: &App, store: &StoreRecord) -> String {
    with_payloads(domain, &app.load_callback, app, store)
}
