//! The auto-generated storefront token (SPEC §8): a platform token (`sub: "BC"`,
//! `sub_type: 0`) for one channel, allowed from that channel's own origin, living 48 hours and
//! replaced once less than 24 hours remain. Storefront pages embed it.
//!
//! The replaced token is not revoked: pages rendered before the rotation keep working until it
//! expires, as on the platform. Two instances rotating at once each issue a valid token and the
//! last write becomes the one pages embed.

use storefront_auth_core::TokenKind;
use storefront_auth_store::{Channel, StoreRecord};

use super::tokens::{self, IssueError, TokenSpec};
use crate::service::Domain;

pub const LIFETIME: i64 = 48 * 3_600;
pub const ROTATE_BELOW: i64 = 24 * 3_600;

/// The channel's current auto-generated token, issuing a new one when there is none, it has
/// less than 24 h left, or it was revoked.
pub async fn current(
    domain: &Domain,
    store: &StoreRecord,
    channel: &Channel,
) -> Result<String, IssueError> {
    let now = domain.now_for(store.id);
    if let Some((jti, token, expires_at)) = domain
        .store()
        .auto_token(store.id, channel.channel_id)
        .await?
    {
        let revoked = matches!(domain.store().token_revocation(&jti).await?, Some(Some(_)));
        if expires_at - now >= ROTATE_BELOW && !revoked {
            return Ok(token);
        }
    }
    let spec = TokenSpec {
        kind: TokenKind::Storefront,
        channels: vec![channel.channel_id],
        origins: channel.origin.clone().into_iter().collect(),
        scopes: None,
        expires_at: now + LIFETIME,
        subject: None,
    };
    let (jwt, claims) = tokens::issue(domain, store.id, spec).await?;
    domain
        .store()
        .set_auto_token(store.id, channel.channel_id, &claims.jti, &jwt, claims.eat)
        .await?;
    tracing::info!(jti = %claims.jti, channel = channel.channel_id, "auto-generated storefront token rotated");
    Ok(jwt)
}
