//! A signed-in customer changing their own account: name, email and phone, and their password
//! (which needs the current one, and is throttled like sign-in, so a stolen access token
//! cannot be used to guess it).

use storefront_auth_store::{Customer, StoreError};

use super::customers::{reserve, LoginError};
use super::registration::{password_problem, Problem, Registration};
use super::Domain;

#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error("the change is invalid")]
    Invalid(Vec<Problem>),
    #[error("The customer does not exist.")]
    NoSuchCustomer,
    #[error("The current password is not correct.")]
    WrongPassword,
    #[error("Too many attempts. Try again in {retry_after_secs} seconds.")]
    Throttled { retry_after_secs: i64 },
    #[error("Password hashing failed; try again.")]
    Hashing,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<LoginError> for AccountError {
    fn from(e: LoginError) -> Self {
        match e {
            LoginError::Throttled { retry_after_secs } => {
                AccountError::Throttled { retry_after_secs }
            }
            LoginError::Unavailable(s) => AccountError::Store(s),
            _ => AccountError::WrongPassword,
        }
    }
}

/// The fields a profile change may set; `None` keeps the current value.
#[derive(Clone, Debug, Default)]
pub struct ProfileChange {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
}

/// Applies the change, checked by the registration rules (email shape, lengths, the email not
/// another customer's).
pub async fn update_profile(
    domain: &Domain,
    customer: &Customer,
    change: ProfileChange,
) -> Result<Customer, AccountError> {
    let keep = |v: Option<String>, current: &str| v.unwrap_or_else(|| current.to_string());
    let r = Registration {
        email: keep(change.email, &customer.email),
        first_name: keep(change.first_name, &customer.first_name),
        last_name: keep(change.last_name, &customer.last_name),
        phone: keep(change.phone, &customer.phone),
        // A valid stand-in: the password is not part of this change.
        password: "unchanged".into(),
        group_id: None,
    };
    let problems = r.shape_problems();
    if !problems.is_empty() {
        return Err(AccountError::Invalid(problems));
    }
    let (email, first_name, last_name, phone) = r.trimmed();
    let changed = Customer {
        email: email.to_string(),
        first_name: first_name.to_string(),
        last_name: last_name.to_string(),
        phone: phone.to_string(),
        ..customer.clone()
    };
    match domain.store().update_customer_profile(&changed).await {
        Ok(Some(c)) => {
            // The cached sign-ins hold the old record: this instance forgets them now; others
            // re-read within `sign_ins::FRESH`.
            domain.0.sign_ins.forget_customer(c.store_id, c.id);
            Ok(c)
        }
        Ok(None) => Err(AccountError::NoSuchCustomer),
        Err(StoreError::Conflict(_)) => Err(AccountError::Invalid(vec![Problem::EmailInUse])),
        Err(e) => Err(e.into()),
    }
}

/// Sets a new password after checking the current one. Wrong guesses count against the
/// customer's sign-in throttle; the customer stays signed in on this device.
pub async fn change_password(
    domain: &Domain,
    customer: &Customer,
    current: &str,
    new: &str,
) -> Result<(), AccountError> {
    if let Some(p) = password_problem(new) {
        return Err(AccountError::Invalid(vec![p]));
    }
    let cfg = &domain.settings().customers;
    let subject = format!("email:{}", customer.email.to_lowercase());
    let limit = (cfg.failed_login_window_secs, cfg.max_failed_logins);
    reserve(domain, customer.store_id, &subject, limit, &[]).await?;
    let stored = domain
        .store()
        .customer(customer.store_id, customer.id)
        .await?
        .ok_or(AccountError::NoSuchCustomer)?;
    let hash = Some(stored.password_hash.clone());
    if !domain.0.passwords.verify(current.to_string(), hash).await {
        return Err(AccountError::WrongPassword);
    }
    domain
        .store()
        .clear_attempts(customer.store_id, &subject)
        .await?;
    let hash = domain
        .0
        .passwords
        .hash(new.to_string())
        .await
        .ok_or(AccountError::Hashing)?;
    if !domain
        .store()
        .set_customer_password(customer.store_id, customer.id, &hash)
        .await?
    {
        return Err(AccountError::NoSuchCustomer);
    }
    domain
        .0
        .sign_ins
        .forget_customer(customer.store_id, customer.id);
    Ok(())
}
