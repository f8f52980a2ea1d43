//! Signing customers in and out (SPEC §5.7, §6): password and Customer Login JWT checks, the
//! failed-login throttle, and the one-device rule. Used by GraphQL and by `/login/token`.

use storefront_auth_core::customer_session::{new_access_token, new_session_id};
use storefront_auth_core::Secret;
use storefront_auth_store::{
    Customer, NewSession, Reservation, SessionKind, StoreError, StoreRecord,
};

use crate::service::credentials::{CheckUnavailable, Credentials};
use crate::service::Domain;

#[derive(Debug)]
pub enum LoginError {
    InvalidCredentials,
    Throttled {
        retry_after_secs: i64,
    },
    Unavailable(StoreError),
    /// `gateway.login = "delegate:URL"`: the operator's check gave no answer.
    CheckUnavailable(String),
}

impl From<StoreError> for LoginError {
    fn from(e: StoreError) -> Self {
        LoginError::Unavailable(e)
    }
}

impl LoginError {
    pub fn message(&self) -> String {
        match self {
            LoginError::InvalidCredentials => "Invalid credentials".into(),
            LoginError::Throttled { retry_after_secs } => {
                format!("Too many failed login attempts. Try again in {retry_after_secs} seconds.")
            }
            LoginError::Unavailable(_) | LoginError::CheckUnavailable(_) => {
                "The service is temporarily unavailable; retry shortly.".into()
            }
        }
    }
}

/// Email and password, throttled per email and per client IP. Each attempt is reserved in the
/// database before the password is checked, so a concurrent burst gets no more guesses than a
/// patient one. Unknown emails cost the same Argon2 verification as wrong passwords and get
/// the same answer.
pub async fn password_login(
    domain: &Domain,
    store: &StoreRecord,
    email: &str,
    password: &str,
    client_ip: &str,
) -> Result<Customer, LoginError> {
    let cfg = &domain.settings().customers;
    let email_subject = format!("email:{}", email.trim().to_lowercase());
    let ip_subject = format!("ip:{client_ip}");
    let limit = (cfg.failed_login_window_secs, cfg.max_failed_logins);
    let email_window = reserve(domain, store.id, &email_subject, limit, &[]).await?;
    let ip_window = reserve(
        domain,
        store.id,
        &ip_subject,
        limit,
        &[(&email_subject, email_window)],
    )
    .await?;
    let customer = domain
        .store()
        .customer_by_email(store.id, email.trim())
        .await?;
    let valid = match password_matches(domain, store, customer.as_ref(), email, password).await {
        Ok(valid) => valid,
        // No answer is no failed attempt: an outage of the check locks nobody out.
        Err(e) => {
            let db = domain.store();
            db.release_attempt(store.id, &email_subject, email_window)
                .await?;
            db.release_attempt(store.id, &ip_subject, ip_window).await?;
            return Err(LoginError::CheckUnavailable(e.to_string()));
        }
    };
    if let (true, Some(c)) = (valid, customer) {
        // A success clears the email's failures, and does not count against the address.
        domain
            .store()
            .clear_attempts(store.id, &email_subject)
            .await?;
        domain
            .store()
            .release_attempt(store.id, &ip_subject, ip_window)
            .await?;
        return Ok(c);
    }
    Err(LoginError::InvalidCredentials)
}

/// Whether `password` is the customer's: against the stored hash, or by the operator's check
/// (`gateway.login`), asked whether the customer is known here or not (it takes as long).
async fn password_matches(
    domain: &Domain,
    store: &StoreRecord,
    customer: Option<&Customer>,
    email: &str,
    password: &str,
) -> Result<bool, CheckUnavailable> {
    match &domain.0.credentials {
        Credentials::Local => {
            let hash = customer.map(|c| c.password_hash.clone());
            Ok(domain.0.passwords.verify(password.to_string(), hash).await)
        }
        Credentials::Delegate { url, outbound } => {
            Credentials::delegated(url, outbound, &store.hash, email.trim(), password).await
        }
    }
}

/// Reserves an attempt of `subject` within `(window, max)`; when refused, gives back the
/// attempts already reserved for this request (`held`) and answers `Throttled`.
pub(super) async fn reserve(
    domain: &Domain,
    store_id: i64,
    subject: &str,
    (window, max): (i64, i64),
    held: &[(&str, i64)],
) -> Result<i64, LoginError> {
    match domain
        .store()
        .reserve_attempt(store_id, subject, domain.now_for(store_id), window, max)
        .await?
    {
        Reservation::Reserved { window_start } => Ok(window_start),
        Reservation::Refused { retry_after_secs } => {
            for (held, window_start) in held {
                domain
                    .store()
                    .release_attempt(store_id, held, *window_start)
                    .await?;
            }
            Err(LoginError::Throttled { retry_after_secs })
        }
    }
}

/// A new sign-in for one device: ends every earlier one of the customer. Returns the raw
/// value (CAT or cookie) and its expiry; only the digest is stored.
pub async fn start_sign_in(
    domain: &Domain,
    store_id: i64,
    channel_id: i64,
    customer_id: i64,
    kind: SessionKind,
) -> Result<(Secret, i64), StoreError> {
    let now = domain.now_for(store_id);
    let lifetime = domain.settings().customers.session_lifetime_secs;
    let (value, expires_at) = match kind {
        SessionKind::AccessToken => new_access_token(now, lifetime),
        SessionKind::Cookie => (new_session_id(), now + lifetime),
    };
    let digest = value.digest();
    domain
        .store()
        .start_session(
            NewSession {
                digest: &digest,
                store_id,
                channel_id,
                customer_id,
                kind,
                expires_at,
            },
            now,
        )
        .await?;
    // One device: the customer's other sign-ins just ended, here and everywhere.
    super::revocation::sign_ins_ended(domain, store_id, customer_id).await;
    Ok((value, expires_at))
}

/// A page of the store's customers, in id order after `after_id`.
pub async fn list(
    domain: &Domain,
    store_id: i64,
    limit: i64,
    after_id: i64,
) -> Result<Vec<Customer>, StoreError> {
    domain.store().customers(store_id, limit, after_id).await
}

pub async fn find(domain: &Domain, store_id: i64, id: i64) -> Result<Option<Customer>, StoreError> {
    domain.store().customer(store_id, id).await
}

/// An order's lines.
pub async fn order_lines(
    domain: &Domain,
    order_id: i64,
) -> Result<Vec<storefront_auth_store::PlacedLine>, StoreError> {
    domain.store().order_lines(order_id).await
}

/// The customer's orders, oldest first.
pub async fn orders(
    domain: &Domain,
    store_id: i64,
    customer_id: i64,
) -> Result<Vec<storefront_auth_store::Order>, StoreError> {
    domain.store().customer_orders(store_id, customer_id).await
}

/// The customer's group discount in basis points (briefly cached: see `session_cache`).
pub async fn discount_bp(
    domain: &Domain,
    store_id: i64,
    customer: &storefront_auth_store::Customer,
) -> Result<i64, StoreError> {
    let Some(group) = customer.group_id else {
        return Ok(0);
    };
    if let Some(d) = domain.0.sign_ins.group_discount(store_id, group) {
        return Ok(d);
    }
    let d = domain
        .store()
        .customer_group(store_id, group)
        .await?
        .map_or(0, |g| g.discount_bp);
    domain.0.sign_ins.put_group_discount(store_id, group, d);
    Ok(d)
}
