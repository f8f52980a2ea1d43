//! Issuing storefront API tokens and reading the registry (SPEC §3.1, §4, §9). A token is
//! written to the registry before it is handed out, so every acknowledged token exists
//! durably. Revoking is `revocation`'s; what a request may ask for is `token_request`'s.

use serde_json::Value;
use storefront_auth_core::token::{
    self, Claims, TokenKind, SUB_TYPE_API_ACCOUNT, SUB_TYPE_PLATFORM,
};
use storefront_auth_store::{IssuedToken, StoreError};

use super::fields::FieldError;
pub use super::token_request::TokenSpec;
use super::{token_request, Domain};

#[derive(Debug, thiserror::Error)]
pub enum IssueError {
    #[error("no signing key is available")]
    NoSigner,
    #[error(transparent)]
    Store(#[from] StoreError),
}

#[derive(Debug, thiserror::Error)]
pub enum CreateError {
    #[error("invalid token request")]
    Invalid(Vec<FieldError>),
    #[error(transparent)]
    Issue(#[from] IssueError),
}

impl From<StoreError> for CreateError {
    fn from(e: StoreError) -> Self {
        CreateError::Issue(IssueError::Store(e))
    }
}

/// Validates a creation body (SPEC §3.1) against the store's channels and issues the token
/// for `subject` (an API account's client id; `None`: a platform token).
pub async fn create(
    domain: &Domain,
    store_id: i64,
    subject: Option<&str>,
    kind: TokenKind,
    body: &Value,
) -> Result<(String, Claims), CreateError> {
    let channels: Vec<i64> = domain
        .store()
        .channels(store_id)
        .await?
        .iter()
        .map(|c| c.channel_id)
        .collect();
    let mut spec = token_request::parse(body, kind, &channels, domain.now_for(store_id))
        .map_err(CreateError::Invalid)?;
    spec.subject = subject.map(str::to_string);
    let (jwt, claims) = issue(domain, store_id, spec).await?;
    tracing::info!(token_id = %claims.jti, kind = kind.as_str(), subject = %claims.sub, "token issued");
    Ok((jwt, claims))
}

/// Signs and registers a token of a validated spec.
pub async fn issue(
    domain: &Domain,
    store_id: i64,
    spec: TokenSpec,
) -> Result<(String, Claims), IssueError> {
    let now = domain.now_for(store_id);
    let keys = domain.keys();
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
    domain
        .store()
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

/// One page of a store's registry, newest first, and the store's total.
pub async fn inventory(
    domain: &Domain,
    store_id: i64,
    limit: i64,
    before: Option<(i64, &str)>,
) -> Result<(Vec<IssuedToken>, i64), StoreError> {
    let rows = domain.store().tokens(store_id, limit, before).await?;
    let total = domain.store().count_tokens(store_id).await?;
    Ok((rows, total))
}

#[derive(Debug, thiserror::Error)]
pub enum InspectError {
    #[error("not a storefront token: {0}")]
    NotAToken(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// May a browser at `origin` use this channel's storefront tokens: the channel's own origin,
/// or an origin some live token of the channel allows (SPEC §5.1)? Only a well-formed origin
/// is looked up (exactly, by index).
pub async fn origin_allowed(
    domain: &Domain,
    store_id: i64,
    channel: &storefront_auth_store::Channel,
    origin: &str,
) -> bool {
    channel.origin.as_deref() == Some(origin)
        || storefront_auth_core::validate::check_origin(origin).is_ok()
            && domain
                .store()
                .storefront_origin_allowed(
                    store_id,
                    channel.channel_id,
                    origin,
                    domain.now_for(store_id),
                )
                .await
                .unwrap_or(false)
}
