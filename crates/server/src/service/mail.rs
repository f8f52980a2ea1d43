//! The mail the platform would send (password reset links), kept in each store's outbox. The
//! stand-in delivers nothing itself: the operator reads the outbox (`storefront-auth mail
//! list`). A body is sealed with the master key when one is configured, like every other
//! secret at rest, because a reset link in it is a credential for an hour.

use storefront_auth_store::StoreError;

use super::Domain;

const SEAL_NAME: &str = "mail outbox";

/// A mail as its recipient would read it.
#[derive(Clone)]
pub struct Mail {
    pub id: i64,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub created_at: i64,
}

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("no store {0:?}")]
    NoSuchStore(String),
    #[error("mail {0} is sealed and cannot be opened: {1}")]
    Sealed(i64, String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The body as stored: sealed when the server has a master key.
pub(super) fn seal_body(domain: &Domain, body: &str) -> String {
    domain.seal(SEAL_NAME, body)
}

/// The store's newest mails, newest first, opened.
pub async fn outbox(domain: &Domain, hash: &str, limit: i64) -> Result<Vec<Mail>, MailError> {
    let store = domain
        .store()
        .store_by_hash(hash)
        .await?
        .ok_or_else(|| MailError::NoSuchStore(hash.to_string()))?;
    let kept = domain
        .store()
        .outbox(store.id, limit.clamp(1, 1_000))
        .await?;
    kept.into_iter()
        .map(|m| {
            let body = domain
                .unseal(SEAL_NAME, &m.body)
                .map_err(|e| MailError::Sealed(m.id, e.to_string()))?;
            Ok(Mail {
                id: m.id,
                recipient: m.recipient,
                subject: m.subject,
                body,
                created_at: m.created_at,
            })
        })
        .collect()
}
