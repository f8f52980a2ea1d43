//! The storefront host's other surfaces (SPEC §2, §6–§8, §11): the pages a shopper sees, the
//! REST Storefront API (carts), the Customer Login API and the Current Customer API. All are
//! cookie-only browser surfaces: they read the session cookie, never API headers.

pub mod current_customer;
pub mod customer_login;
mod hosted_checkout;
mod images;
pub mod pages;
pub mod rest;
mod rest_checkout;
pub mod same_origin;
mod sitemap;

use axum::extract::FromRef;
use axum::Router;

use axum::http::HeaderMap;

use storefront_auth_core::Secret;
use storefront_auth_store::{Customer, StoreError};

use crate::config::Config;
use crate::http::cookies::CookieJar;
use crate::http::cookies::GUEST_SESSION_COOKIE;
use crate::service::carts::Shopper;
use crate::service::customer_context::{self, ContextError, CustomerContext};
use crate::service::directory::Storefront;
use crate::service::Domain;

/// What these surfaces share: the domain and how cookies are set.
#[derive(Clone, Debug)]
pub struct Storefronts {
    pub domain: Domain,
    pub cookies: CookieJar,
}

impl Storefronts {
    pub fn new(domain: Domain, config: &Config) -> Self {
        Storefronts {
            domain,
            cookies: CookieJar::of(config),
        }
    }
}

/// The shopper of a cookie-only surface: the session cookie's customer on this storefront.
pub async fn signed_in(
    domain: &Domain,
    headers: &HeaderMap,
    at: &Storefront,
) -> Result<CustomerContext, ContextError> {
    let cookie = crate::http::cookies::session(headers);
    let (store_id, channel_id) = (at.entry.store.id, at.channel.channel_id);
    customer_context::of_session_cookie(domain, cookie.as_deref(), store_id, channel_id).await
}

/// The shopper of a cookie-only surface, once its customer is known: the customer (with their
/// group's discount) or a guest, with the guest storefront session the browser holds.
pub async fn shopper(
    domain: &Domain,
    at: &Storefront,
    customer: Option<&Customer>,
    headers: &HeaderMap,
) -> Result<Shopper, StoreError> {
    let store_id = at.entry.store.id;
    let discount_bp = match customer {
        Some(c) => crate::service::customers::discount_bp(domain, store_id, c).await?,
        None => 0,
    };
    Ok(Shopper {
        store_id,
        channel_id: at.channel.channel_id,
        customer_id: customer.map(|c| c.id),
        session_digest: crate::http::cookies::read(headers, GUEST_SESSION_COOKIE)
            .map(|v| Secret::new(v).digest()),
        discount_bp,
    })
}

pub fn router<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    Storefronts: FromRef<S>,
    Domain: FromRef<S>,
{
    Router::new()
        .merge(pages::router())
        .merge(rest::router())
        .merge(rest_checkout::router())
        .merge(hosted_checkout::router())
        .merge(customer_login::router())
        .merge(current_customer::router())
        .merge(images::router())
        .merge(sitemap::router())
}
