//! Forgotten passwords: a reset link mailed to the customer (kept in the store's outbox, see
//! `mail`), and a new password set with it. Requests are throttled per email, known or not,
//! and answer the same for an email with no account, so they tell nobody which emails have
//! accounts. A link works once, for an hour; a newer request replaces it; using it ends every
//! sign-in of the customer.

use storefront_auth_core::password_reset::{self, LinkError};
use storefront_auth_core::secret::Secret;
use storefront_auth_core::validate::is_email;
use storefront_auth_store::{Channel, NewMail, StoreError, StoreRecord};

use super::customers::{reserve, LoginError};
use super::registration::{password_problem, Problem};
use super::{mail, revocation, Domain};

/// Reset requests allowed per email address within the window.
const MAX_REQUESTS: i64 = 5;
const REQUEST_WINDOW_SECS: i64 = 3_600;

#[derive(Debug, thiserror::Error)]
pub enum ResetError {
    #[error("Enter a valid email address.")]
    Email,
    #[error(transparent)]
    Path(#[from] LinkError),
    #[error(
        "Too many password reset requests for this email. Try again in {retry_after_secs} seconds."
    )]
    Throttled { retry_after_secs: i64 },
    #[error("the new password is invalid")]
    Password(Problem),
    #[error("The password reset link is invalid or has expired. Ask for a new one.")]
    Link,
    #[error("Password hashing failed; try again.")]
    Hashing,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<LoginError> for ResetError {
    fn from(e: LoginError) -> Self {
        match e {
            LoginError::Throttled { retry_after_secs } => {
                ResetError::Throttled { retry_after_secs }
            }
            LoginError::Unavailable(s) => ResetError::Store(s),
            _ => ResetError::Link,
        }
    }
}

/// Mails a reset link for the account with this email, if there is one, pointing at `path` on
/// the channel's site. `Ok` whether or not the account exists.
pub async fn request_reset(
    domain: &Domain,
    (store, channel): (&StoreRecord, &Channel),
    email: &str,
    path: Option<&str>,
) -> Result<(), ResetError> {
    let email = email.trim();
    if !is_email(email) {
        return Err(ResetError::Email);
    }
    // The path is checked before anything is looked up, with a stand-in token.
    password_reset::link(&channel.site_url, path, 0, &"0".repeat(64))?;
    let subject = format!("reset:{}", email.to_lowercase());
    reserve(
        domain,
        store.id,
        &subject,
        (REQUEST_WINDOW_SECS, MAX_REQUESTS),
        &[],
    )
    .await?;
    let Some(customer) = domain.store().customer_by_email(store.id, email).await? else {
        return Ok(());
    };
    let token = password_reset::new_token();
    let link = password_reset::link(&channel.site_url, path, customer.id, token.expose())?;
    let body = format!(
        "Hello {first},\n\nSomeone asked to reset the password of your account at {shop}. \
         To choose a new password, open this link within {minutes} minutes:\n\n{link}\n\n\
         If you did not ask for this, ignore this mail: your password stays as it is.\n",
        first = customer.first_name,
        shop = store.name,
        minutes = password_reset::LIFETIME_SECS / 60,
    );
    let now = domain.now_for(store.id);
    let sealed = mail::seal_body(domain, &body);
    domain
        .store()
        .start_password_reset(
            (store.id, customer.id),
            &token.digest(),
            now + password_reset::LIFETIME_SECS,
            NewMail {
                recipient: &customer.email,
                subject: &format!("Reset your password at {}", store.name),
                body: &sealed,
            },
            now,
        )
        .await?;
    Ok(())
}

/// Sets a new password with a reset link's customer id and token, then ends every sign-in of
/// the customer and lifts their sign-in throttle.
pub async fn reset_password(
    domain: &Domain,
    store_id: i64,
    customer_id: i64,
    token: &str,
    new_password: &str,
) -> Result<(), ResetError> {
    if let Some(p) = password_problem(new_password) {
        return Err(ResetError::Password(p));
    }
    if !password_reset::is_token_shaped(token) {
        return Err(ResetError::Link);
    }
    let digest = Secret::new(token).digest();
    let now = domain.now_for(store_id);
    let who = (store_id, customer_id);
    // Checked before hashing, so a guessed token costs no password hash.
    if !domain
        .store()
        .password_reset_live(who, &digest, now)
        .await?
    {
        return Err(ResetError::Link);
    }
    let hash = domain
        .0
        .passwords
        .hash(new_password.to_string())
        .await
        .ok_or(ResetError::Hashing)?;
    if !domain
        .store()
        .finish_password_reset(who, &digest, &hash, domain.now_for(store_id))
        .await?
    {
        return Err(ResetError::Link);
    }
    revocation::sign_out_everywhere(domain, store_id, customer_id).await?;
    if let Some(c) = domain.store().customer(store_id, customer_id).await? {
        let subject = format!("email:{}", c.email.to_lowercase());
        domain.store().clear_attempts(store_id, &subject).await?;
    }
    Ok(())
}
