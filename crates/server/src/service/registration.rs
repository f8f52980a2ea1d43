//! What registering a customer checks (SPEC §3.2, §5.6), once for every surface: the
//! management API's `POST /v3/customers`, GraphQL's `registerCustomer` and `customers create`
//! on the command line. Each surface renders the problems in its own words; the rules are
//! here. Registrations from strangers (GraphQL) are also throttled per client IP, and may be
//! answered without saying whether the email already had an account.

use storefront_auth_core::validate::is_email;
use storefront_auth_store::{Customer, NewCustomer, Reservation, StoreError};

use crate::service::Domain;

/// The longest name, email or phone a customer may have, and the longest password (Argon2
/// hashes any length; nobody needs more).
const MAX_TEXT: usize = 255;
const MAX_PASSWORD: usize = 1024;
pub const MIN_PASSWORD: usize = 7;

/// A customer to register, as a surface received it (not yet trimmed). `Debug` leaves the
/// password out.
#[derive(Clone, Default)]
pub struct Registration {
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub password: String,
    pub phone: String,
    pub group_id: Option<i64>,
}

impl std::fmt::Debug for Registration {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Registration")
            .field("email", &self.email)
            .field("first_name", &self.first_name)
            .field("last_name", &self.last_name)
            .field("password", &"<redacted>")
            .field("group_id", &self.group_id)
            .finish_non_exhaustive()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    Email,
    FirstName,
    LastName,
    Password,
    Phone,
    Group,
}

/// Why a registration cannot be made, field by field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Problem {
    /// Missing (names, password).
    Required(Field),
    /// Not an email address.
    Invalid(Field),
    TooShort(Field),
    TooLong(Field),
    /// The customer group does not exist in the store.
    UnknownGroup,
    /// A customer of the store already has this email (in any case).
    EmailInUse,
}

#[derive(Debug, thiserror::Error)]
pub enum RegisterError {
    #[error("the registration is invalid")]
    Invalid(Vec<Problem>),
    #[error("Too many registrations from this address. Try again in {retry_after_secs} seconds.")]
    Throttled { retry_after_secs: i64 },
    #[error("password hashing failed")]
    Hashing,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What is wrong with a new password, if anything (registration and a password change).
pub fn password_problem(password: &str) -> Option<Problem> {
    let length = password.chars().count();
    if length == 0 {
        Some(Problem::Required(Field::Password))
    } else if length < MIN_PASSWORD {
        Some(Problem::TooShort(Field::Password))
    } else if length > MAX_PASSWORD {
        Some(Problem::TooLong(Field::Password))
    } else {
        None
    }
}

impl Registration {
    pub fn trimmed(&self) -> (&str, &str, &str, &str) {
        (
            self.email.trim(),
            self.first_name.trim(),
            self.last_name.trim(),
            self.phone.trim(),
        )
    }

    /// The rules that need nothing stored.
    pub fn shape_problems(&self) -> Vec<Problem> {
        let (email, first, last, phone) = self.trimmed();
        let mut out = Vec::new();
        if !is_email(email) {
            out.push(Problem::Invalid(Field::Email));
        }
        for (value, field) in [(first, Field::FirstName), (last, Field::LastName)] {
            if value.is_empty() {
                out.push(Problem::Required(field));
            } else if value.chars().count() > MAX_TEXT {
                out.push(Problem::TooLong(field));
            }
        }
        if phone.chars().count() > MAX_TEXT {
            out.push(Problem::TooLong(Field::Phone));
        }
        out.extend(password_problem(&self.password));
        out
    }

    /// Every rule: the shape, the customer group, and whether the email is taken.
    pub async fn problems(
        &self,
        domain: &Domain,
        store_id: i64,
    ) -> Result<Vec<Problem>, StoreError> {
        let mut out = self.shape_problems();
        if let Some(group) = self.group_id {
            if domain
                .store()
                .customer_group(store_id, group)
                .await?
                .is_none()
            {
                out.push(Problem::UnknownGroup);
            }
        }
        let email = self.email.trim();
        if is_email(email)
            && domain
                .store()
                .customer_by_email(store_id, email)
                .await?
                .is_some()
        {
            out.push(Problem::EmailInUse);
        }
        Ok(out)
    }
}

/// Registers the customer if every rule holds. A concurrent registration of the same email
/// loses to the unique index and gets `EmailInUse` too.
pub async fn register(
    domain: &Domain,
    store_id: i64,
    r: &Registration,
) -> Result<Customer, RegisterError> {
    let problems = r.problems(domain, store_id).await?;
    if !problems.is_empty() {
        return Err(RegisterError::Invalid(problems));
    }
    let hash = domain
        .0
        .passwords
        .hash(r.password.clone())
        .await
        .ok_or(RegisterError::Hashing)?;
    let (email, first_name, last_name, phone) = r.trimmed();
    let new = NewCustomer {
        store_id,
        email,
        first_name,
        last_name,
        phone,
        group_id: r.group_id,
        password_hash: &hash,
    };
    match domain
        .store()
        .create_customer(new, domain.now_for(store_id))
        .await
    {
        Ok(c) => Ok(c),
        Err(StoreError::Conflict(_)) => Err(RegisterError::Invalid(vec![Problem::EmailInUse])),
        Err(e) => Err(e.into()),
    }
}

/// Why a batch of registrations was refused: every problem of every item, by its index.
#[derive(Debug, thiserror::Error)]
pub enum BatchError {
    #[error("the registrations are invalid")]
    Invalid(Vec<(usize, Problem)>),
    #[error("password hashing failed")]
    Hashing,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Registers every customer of a batch, or none: each item is checked against every rule (and
/// against the batch's other emails) before the first is written. `found` are the problems a
/// surface met reading each item (a group id that is not a number, say).
pub async fn register_all(
    domain: &Domain,
    store_id: i64,
    items: &[(Registration, Vec<Problem>)],
) -> Result<Vec<Customer>, BatchError> {
    let mut errors = Vec::new();
    let mut emails = std::collections::BTreeSet::new();
    for (i, (r, found)) in items.iter().enumerate() {
        let mut problems = r.problems(domain, store_id).await?;
        problems.extend(found.iter().copied());
        let fresh = emails.insert(r.email.trim().to_lowercase());
        if !fresh && !problems.contains(&Problem::EmailInUse) {
            problems.push(Problem::EmailInUse);
        }
        errors.extend(problems.into_iter().map(|p| (i, p)));
    }
    if !errors.is_empty() {
        return Err(BatchError::Invalid(errors));
    }
    let mut created = Vec::new();
    for (r, _) in items {
        match register(domain, store_id, r).await {
            Ok(c) => created.push(c),
            // A concurrent registration took an email between the check and the write.
            Err(RegisterError::Invalid(problems)) => {
                let at = created.len();
                return Err(BatchError::Invalid(
                    problems.into_iter().map(|p| (at, p)).collect(),
                ));
            }
            Err(RegisterError::Store(e)) => return Err(e.into()),
            Err(RegisterError::Hashing | RegisterError::Throttled { .. }) => {
                return Err(BatchError::Hashing)
            }
        }
    }
    Ok(created)
}

/// What a stranger's registration (GraphQL `registerCustomer`) comes to.
#[derive(Debug)]
pub enum Registered {
    Customer(Customer),
    /// `customers.conceal_registered_emails`: created or not, nothing is said about it.
    Concealed,
}

/// A registration from the storefront: throttled per client IP (one attempt reserved in the
/// database before the password is hashed), and, when the store conceals registered emails,
/// answered the same whether the email had an account or not (the password is hashed either
/// way, so both take the same time).
pub async fn register_from_storefront(
    domain: &Domain,
    store_id: i64,
    r: &Registration,
    client_ip: &str,
) -> Result<Registered, RegisterError> {
    let shape = r.shape_problems();
    if !shape.is_empty() {
        return Err(RegisterError::Invalid(shape));
    }
    let cfg = &domain.settings().customers;
    let reserved = domain
        .store()
        .reserve_attempt(
            store_id,
            &format!("register:{client_ip}"),
            domain.now_for(store_id),
            cfg.registration_window_secs,
            cfg.max_registrations_per_ip,
        )
        .await?;
    if let Reservation::Refused { retry_after_secs } = reserved {
        return Err(RegisterError::Throttled { retry_after_secs });
    }
    match (
        register(domain, store_id, r).await,
        cfg.conceal_registered_emails,
    ) {
        (Ok(_), true) => Ok(Registered::Concealed),
        (Err(RegisterError::Invalid(p)), true) if p == [Problem::EmailInUse] => {
            // Hash anyway, so that a taken email answers in the time a new one does.
            let _ = domain.0.passwords.hash(r.password.clone()).await;
            Ok(Registered::Concealed)
        }
        (Ok(c), false) => Ok(Registered::Customer(c)),
        (Err(e), _) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok() -> Registration {
        Registration {
            email: " Jo@Example.com ".into(),
            first_name: "Jo".into(),
            last_name: "Doe".into(),
            password: "Password1!".into(),
            ..Default::default()
        }
    }

    #[test]
    fn shape_rules() {
        assert!(ok().shape_problems().is_empty());
        let cases: Vec<(Registration, Vec<Problem>)> = vec![
            (
                Registration {
                    email: "no-at".into(),
                    ..ok()
                },
                vec![Problem::Invalid(Field::Email)],
            ),
            (
                Registration {
                    first_name: " ".into(),
                    last_name: "x".repeat(256),
                    ..ok()
                },
                vec![
                    Problem::Required(Field::FirstName),
                    Problem::TooLong(Field::LastName),
                ],
            ),
            (
                Registration {
                    password: "short".into(),
                    ..ok()
                },
                vec![Problem::TooShort(Field::Password)],
            ),
            (
                Registration {
                    password: String::new(),
                    phone: "1".repeat(300),
                    ..ok()
                },
                vec![
                    Problem::TooLong(Field::Phone),
                    Problem::Required(Field::Password),
                ],
            ),
            (
                Registration {
                    password: "p".repeat(MAX_PASSWORD + 1),
                    ..ok()
                },
                vec![Problem::TooLong(Field::Password)],
            ),
        ];
        for (r, want) in cases {
            assert_eq!(r.shape_problems(), want, "{r:?}");
        }
    }
}
