//! The Customer Login API's JWT (SPEC §6), checked once for every surface that takes one
//! (`GET /login/token/{jwt}`, GraphQL `loginWithCustomerLoginJwt`): its issuer's key, every
//! claim (`storefront_auth_core::customer_login`), its channel and customer, and its single use.

use storefront_auth_core::customer_login::{self, LoginClaims, LoginJwtError, LOGIN_SCOPE};
use storefront_auth_core::Secret;
use storefront_auth_store::{Channel, Customer, StoreError, StoreRecord};

use super::Domain;

/// The key of a Customer Login JWT's issuer: a store API account, or an app installed on the
/// store, holding the Customer Login scope (the platform's docs name both).
async fn issuer_secret(
    domain: &Domain,
    store: &StoreRecord,
    issuer: &str,
) -> Result<Option<Secret>, StoreError> {
    let account = domain
        .store()
        .account(issuer)
        .await?
        .filter(|a| a.store_id == store.id && a.has_scope(LOGIN_SCOPE, false));
    if let Some(a) = account {
        return Ok(Some(a.client_secret));
    }
    let installed = domain
        .store()
        .install(issuer, store.id)
        .await?
        .is_some_and(|i| {
            i.installed_at.is_some()
                && i.uninstalled_at.is_none()
                && i.scopes.iter().any(|s| s == LOGIN_SCOPE)
        });
    if !installed {
        return Ok(None);
    }
    Ok(domain.store().app(issuer).await?.map(|a| a.client_secret))
}

/// Every rule of SPEC §6 for a Customer Login JWT, ending with the single-use claim of its
/// `jti` in the database.
pub async fn verify_login_jwt(
    domain: &Domain,
    store: &StoreRecord,
    token: &str,
    client_ip: &str,
) -> Result<(LoginClaims, Customer, Channel), LoginJwtError> {
    let unavailable = |_| LoginJwtError::Unavailable;
    let issuer = customer_login::issuer(token)?;
    let secret = issuer_secret(domain, store, &issuer)
        .await
        .map_err(unavailable)?
        .ok_or(LoginJwtError::Issuer)?;
    let leeway = domain.settings().customers.login_jwt_leeway_secs;
    let claims = customer_login::verify(
        token,
        secret.expose().as_bytes(),
        &store.hash,
        domain.now_for(store.id),
        leeway,
        Some(client_ip),
    )?;
    let channel = domain
        .store()
        .channels(store.id)
        .await
        .map_err(unavailable)?
        .into_iter()
        .find(|c| c.channel_id == claims.channel_id)
        .ok_or(LoginJwtError::UnknownChannel)?;
    let customer = domain
        .store()
        .customer(store.id, claims.customer_id)
        .await
        .map_err(unavailable)?
        .ok_or(LoginJwtError::UnknownCustomer)?;
    let site = storefront_auth_core::validate::origin_of(&channel.site_url)
        .unwrap_or_default()
        .to_string();
    customer_login::safe_redirect(claims.redirect_to.as_deref(), &site)?;
    if !domain
        .store()
        .claim_login_jti(store.id, &claims.iss, &claims.jti, domain.now_for(store.id))
        .await
        .map_err(unavailable)?
    {
        return Err(LoginJwtError::Replayed);
    }
    Ok((claims, customer, channel))
}
