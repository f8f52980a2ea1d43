//! The Current Customer API's token (SPEC §7): the signed-in customer as an HS256 JWT for an
//! app, signed with the app's client secret, valid 15 minutes.

use serde_json::json;
use storefront_auth_core::{hs256, Secret};
use storefront_auth_store::{Customer, StoreError, StoreRecord};

use super::Domain;

/// Who signs: the store's own API account, or any registered app visible to the store (the
/// Current Customer API needs no install and no scope, only the app's credentials).
/// `None`: the client id names no app of this store.
pub async fn signer(
    domain: &Domain,
    store: &StoreRecord,
    client_id: &str,
) -> Result<Option<AppSigner>, StoreError> {
    let found = match domain.store().account(client_id).await? {
        Some(a) if a.store_id == store.id => Some((a.client_id, a.client_secret)),
        _ => domain
            .store()
            .app(client_id)
            .await?
            .filter(|a| a.visible_to(store.id))
            .map(|a| (a.client_id, a.client_secret)),
    };
    Ok(found.map(|(client_id, secret)| AppSigner { client_id, secret }))
}

/// The app a Current Customer token is for, and its key.
pub struct AppSigner {
    client_id: String,
    secret: Secret,
}

/// The customer's JWT for the app.
pub fn token(domain: &Domain, store: &StoreRecord, customer: &Customer, app: &AppSigner) -> String {
    let (client_id, secret) = (&app.client_id, &app.secret);
    let now = domain.now_for(store.id);
    let claims = json!({
        "customer": { "id": customer.id, "email": customer.email, "group_id": customer.group_id.unwrap_or(0).to_string() },
        "iss": "bc/apps",
        "sub": store.hash,
        "aud": client_id,
        "iat": now,
        "exp": now + 900,
        "version": 1,
        "application_id": client_id,
        "store_hash": store.hash,
        "operation": "current_customer",
    });
    hs256::sign(&claims, secret.expose().as_bytes())
}
