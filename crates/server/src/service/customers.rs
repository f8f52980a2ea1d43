//! Signing customers in and out (SPEC §5.7, §6): password and Customer Login JWT checks, the
//! failed-login throttle, and the one-device rule. Used by GraphQL and by `/login/token`.

use storefront_auth_core::customer_session::{new_access_token, new_session_id};
use storefront_auth_core::sso::{self, LoginClaims, LoginJwtError, LOGIN_SCOPE};
use storefront_auth_core::Secret;
use storefront_auth_store::{
    Channel, Customer, NewSession, Reservation, SessionKind, StoreError, StoreRecord,
};

use crate::state::AppState;

#[derive(Debug)]
pub enum LoginError {
    InvalidCredentials,
    Throttled { retry_after_secs: i64 },
    Unavailable(StoreError),
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
            LoginError::Unavailable(_) => {
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
    state: &AppState,
    store: &StoreRecord,
    email: &str,
    password: &str,
    client_ip: &str,
) -> Result<Customer, LoginError> {
    let cfg = &state.config.customers;
    let email_subject = format!("email:{}", email.trim().to_lowercase());
    let ip_subject = format!("ip:{client_ip}");
    let limit = (cfg.failed_login_window_secs, cfg.max_failed_logins);
    let email_window = reserve(state, store.id, &email_subject, limit, &[]).await?;
    let ip_window = reserve(
        state,
        store.id,
        &ip_subject,
        limit,
        &[(&email_subject, email_window)],
    )
    .await?;
    let customer = state
        .store
        .customer_by_email(store.id, email.trim())
        .await?;
    let hash = customer.as_ref().map(|c| c.password_hash.clone());
    if let (true, Some(c)) = (
        state.passwords.verify(password.to_string(), hash).await,
        customer,
    ) {
        // A success clears the email's failures, and does not count against the address.
        state.store.clear_attempts(store.id, &email_subject).await?;
        state
            .store
            .release_attempt(store.id, &ip_subject, ip_window)
            .await?;
        return Ok(c);
    }
    Err(LoginError::InvalidCredentials)
}

/// Reserves an attempt of `subject` within `(window, max)`; when refused, gives back the
/// attempts already reserved for this request (`held`) and answers `Throttled`.
async fn reserve(
    state: &AppState,
    store_id: i64,
    subject: &str,
    (window, max): (i64, i64),
    held: &[(&str, i64)],
) -> Result<i64, LoginError> {
    match state
        .store
        .reserve_attempt(store_id, subject, state.now(), window, max)
        .await?
    {
        Reservation::Reserved { window_start } => Ok(window_start),
        Reservation::Refused { retry_after_secs } => {
            for (held, window_start) in held {
                state
                    .store
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
    state: &AppState,
    store_id: i64,
    channel_id: i64,
    customer_id: i64,
    kind: SessionKind,
) -> Result<(Secret, i64), StoreError> {
    let now = state.now();
    let lifetime = state.config.customers.session_lifetime_secs;
    let (value, expires_at) = match kind {
        SessionKind::AccessToken => new_access_token(now, lifetime),
        SessionKind::Cookie => (new_session_id(), now + lifetime),
    };
    let digest = value.digest();
    state
        .store
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
    signed_out(state, store_id, customer_id).await;
    Ok((value, expires_at))
}

/// Ends every sign-in of a customer, on all devices (logout).
pub async fn sign_out_everywhere(
    state: &AppState,
    store_id: i64,
    customer_id: i64,
) -> Result<(), StoreError> {
    state
        .store
        .end_customer_sessions(store_id, customer_id, state.now())
        .await?;
    signed_out(state, store_id, customer_id).await;
    Ok(())
}

/// A customer's sign-ins ended: this instance forgets them at once, and every other instance
/// is told (on PostgreSQL; elsewhere its cache entries go stale within `session_cache::FRESH`).
async fn signed_out(state: &AppState, store_id: i64, customer_id: i64) {
    state.sessions.forget_customer(store_id, customer_id);
    crate::state::notify(
        state,
        storefront_auth_store::Event::SignInsEnded {
            store_id,
            customer_id,
        },
    )
    .await;
}

/// Every rule of SPEC §6 for a Customer Login JWT, ending with the single-use claim of its
/// `jti` in the database.
pub async fn verify_login_jwt(
    state: &AppState,
    store: &StoreRecord,
    channels: &[Channel],
    token: &str,
    client_ip: &str,
) -> Result<(LoginClaims, Customer, Channel), LoginJwtError> {
    let unavailable = |_| LoginJwtError::Unavailable;
    let issuer = sso::issuer(token)?;
    // The issuer is a store API account, or an app installed on the store, holding the
    // Customer Login scope (the platform's docs name both).
    let account = state
        .store
        .account(&issuer)
        .await
        .map_err(unavailable)?
        .filter(|a| a.store_id == store.id && a.has_scope(LOGIN_SCOPE, false));
    let secret = match account {
        Some(a) => a.client_secret,
        None => {
            let install = state
                .store
                .install(&issuer, store.id)
                .await
                .map_err(unavailable)?
                .filter(|i| {
                    i.installed_at.is_some()
                        && i.uninstalled_at.is_none()
                        && i.scopes.iter().any(|s| s == LOGIN_SCOPE)
                });
            let app = match install {
                Some(_) => state.store.app(&issuer).await.map_err(unavailable)?,
                None => None,
            };
            app.ok_or(LoginJwtError::Issuer)?.client_secret
        }
    };
    let leeway = state.config.customers.login_jwt_leeway_secs;
    let claims = sso::verify(
        token,
        secret.expose().as_bytes(),
        &store.hash,
        state.now(),
        leeway,
        Some(client_ip),
    )?;
    let channel = channels
        .iter()
        .find(|c| c.channel_id == claims.channel_id)
        .cloned()
        .ok_or(LoginJwtError::UnknownChannel)?;
    let customer = state
        .store
        .customer(store.id, claims.customer_id)
        .await
        .map_err(unavailable)?
        .ok_or(LoginJwtError::UnknownCustomer)?;
    let site = storefront_auth_core::validate::origin_of(&channel.site_url)
        .unwrap_or_default()
        .to_string();
    sso::safe_redirect(claims.redirect_to.as_deref(), &site)?;
    if !state
        .store
        .claim_login_jti(store.id, &claims.iss, &claims.jti, state.now())
        .await
        .map_err(unavailable)?
    {
        return Err(LoginJwtError::Replayed);
    }
    Ok((claims, customer, channel))
}
