//! Issuing and revoking storefront API tokens (SPEC §3.1, §4). A token is written to the
//! registry before it is handed out, so every acknowledged token exists durably.

use storefront_auth_core::token::{
    self, Claims, TokenKind, SUB_TYPE_API_ACCOUNT, SUB_TYPE_PLATFORM,
};
use storefront_auth_core::KeyRing;
use storefront_auth_store::{IssuedToken, Store, StoreError};

/// What to issue; validated by the caller (HTTP or CLI).
#[derive(Clone, Debug)]
pub struct TokenSpec {
    pub kind: TokenKind,
    /// Empty = every channel of the store, now and later.
    pub channels: Vec<i64>,
    pub origins: Vec<String>,
    pub scopes: Option<Vec<String>>,
    pub expires_at: i64,
    /// The creating API account's client id, or `None` for a platform token (`sub: "BC"`).
    pub subject: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum IssueError {
    #[error("no signing key is available")]
    NoSigner,
    #[error(transparent)]
    Store(#[from] StoreError),
}

pub async fn issue(
    store: &Store,
    keys: &KeyRing,
    store_id: i64,
    spec: TokenSpec,
    now: i64,
) -> Result<(String, Claims), IssueError> {
    let signer = keys.signer().ok_or(IssueError::NoSigner)?;
    let (sub, sub_type) = match &spec.subject {
        Some(client_id) => (client_id.clone(), SUB_TYPE_API_ACCOUNT),
        None => ("BC".to_string(), SUB_TYPE_PLATFORM),
    };
    let claims = Claims {
        cid: spec.channels.clone(),
        cors: spec.origins.clone(),
        eat: spec.expires_at,
        iat: now,
        iss: "BC".into(),
        jti: uuid::Uuid::new_v4().to_string(),
        scopes: spec.scopes.clone(),
        sid: store_id,
        sub: sub.clone(),
        sub_type,
        token_type: spec.kind.code(),
    };
    let jwt = token::sign(&claims, signer).ok_or(IssueError::NoSigner)?;
    store
        .insert_token(&IssuedToken {
            jti: claims.jti.clone(),
            store_id,
            kind: spec.kind.as_str().to_string(),
            channels: spec.channels,
            origins: spec.origins,
            scopes: spec.scopes,
            subject: sub,
            sub_type,
            issued_at: now,
            expires_at: spec.expires_at,
            revoked_at: None,
            last_used_at: None,
            s2s_uses: 0,
            browser_uses: 0,
        })
        .await?;
    Ok((jwt, claims))
}

/// The registry entry as the inventory (HTTP and CLI) shows it; never the token itself.
pub fn inventory_json(t: &IssuedToken) -> serde_json::Value {
    serde_json::json!({
        "id": t.jti,
        "kind": t.kind,
        "channel_ids": t.channels,
        "allowed_cors_origins": t.origins,
        "scopes": t.scopes,
        "subject": t.subject,
        "issued_at": t.issued_at,
        "expires_at": t.expires_at,
        "revoked": t.revoked_at.is_some(),
        "revoked_at": t.revoked_at,
        "last_used_at": t.last_used_at,
        "server_to_server_uses": t.s2s_uses,
        "browser_uses": t.browser_uses,
    })
}
