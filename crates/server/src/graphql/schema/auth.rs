//! `login`, `loginWithCustomerLoginJwt` and `logout` (SPEC §5.7): server-to-server callers get
//! a customer access token in the body; browsers get the `SHOP_TOKEN` cookie instead.

use async_graphql::{Context, Error, Object, Result, SimpleObject};
use storefront_auth_store::{Customer, SessionKind};

use super::cart::CartNode;
use super::customer::CustomerNode;
use super::scalars::DateTime;
use super::GqlContext;
use crate::service::customers::{self, LoginError};
use crate::service::{carts, revocation};

pub const CAT_IN_BODY_FOR_BROWSER: &str = "Customer access token was requested in the body, but it's only returned for server-to-server requests. For browser requests it's set as an httpOnly cookie instead.";

// `Debug` shows the expiry, never the value.
#[derive(SimpleObject, Clone)]
pub struct CustomerAccessToken {
    pub value: String,
    pub expires_at: DateTime,
}

impl std::fmt::Debug for CustomerAccessToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CustomerAccessToken")
            .field("value", &"<redacted>")
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

/// The outcome of a sign-in, shared by both login mutations.
pub struct SignedIn {
    customer: Customer,
    token: Option<CustomerAccessToken>,
    browser: bool,
    /// The customer's cart after merging the guest cart.
    cart: Option<CartNode>,
}

pub struct LoginResult(pub SignedIn);

#[Object]
impl LoginResult {
    #[graphql(deprecation = "Use customer node instead.")]
    async fn result(&self) -> &str {
        "success"
    }
    async fn customer(&self) -> Option<CustomerNode> {
        Some(CustomerNode(self.0.customer.clone()))
    }
    /// The customer's cart after merging the guest cart.
    async fn cart(&self) -> Option<CartNode> {
        self.0.cart.clone()
    }
    async fn customer_access_token(&self) -> Result<Option<CustomerAccessToken>> {
        access_token(&self.0)
    }
}

pub struct LoginWithCustomerLoginJwtResult(pub SignedIn, pub String);

#[Object]
impl LoginWithCustomerLoginJwtResult {
    async fn redirect_to(&self) -> &str {
        &self.1
    }
    async fn customer(&self) -> Option<CustomerNode> {
        Some(CustomerNode(self.0.customer.clone()))
    }
    async fn cart(&self) -> Option<CartNode> {
        self.0.cart.clone()
    }
    async fn customer_access_token(&self) -> Result<Option<CustomerAccessToken>> {
        access_token(&self.0)
    }
}

fn access_token(s: &SignedIn) -> Result<Option<CustomerAccessToken>> {
    if s.browser {
        return Err(Error::new(CAT_IN_BODY_FOR_BROWSER));
    }
    Ok(s.token.clone())
}

#[derive(SimpleObject, Clone, Debug)]
pub struct CartUnassignResult {
    pub cart: Option<CartNode>,
    pub errors: Vec<CartUnassignError>,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct CartUnassignError {
    pub message: String,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct LogoutResult {
    pub result: String,
    pub cart_unassign_result: CartUnassignResult,
}

/// Starts the sign-in on this device: a CAT for servers, the session cookie for browsers;
/// then merges the guest cart into the customer's.
pub async fn sign_in(
    gql: &GqlContext,
    customer: Customer,
    guest_cart: Option<String>,
) -> Result<SignedIn> {
    let discount_bp =
        crate::service::customers::discount_bp(&gql.domain, gql.store.id, &customer).await?;
    let who = carts::Shopper {
        customer_id: Some(customer.id),
        discount_bp,
        ..gql.shopper()
    };
    let cart = match carts::merge_at_login(&gql.domain, &who, guest_cart.as_deref()).await? {
        Some(c) => Some(CartNode(carts::priced(&gql.domain, c, discount_bp).await?)),
        None => None,
    };
    let kind = if gql.browser {
        SessionKind::Cookie
    } else {
        SessionKind::AccessToken
    };
    let (value, expires_at) = customers::start_sign_in(
        &gql.domain,
        gql.store.id,
        gql.channel.channel_id,
        customer.id,
        kind,
    )
    .await?;
    if gql.browser {
        let max_age = expires_at - gql.domain.now_for(gql.store.id);
        gql.set_cookie(gql.cookies.session(value.expose(), max_age));
        return Ok(SignedIn {
            customer,
            token: None,
            browser: true,
            cart,
        });
    }
    let token = CustomerAccessToken {
        value: value.expose().to_string(),
        expires_at: DateTime::from_unix(expires_at),
    };
    Ok(SignedIn {
        customer,
        token: Some(token),
        browser: false,
        cart,
    })
}

pub async fn login(
    ctx: &Context<'_>,
    email: String,
    password: String,
    guest_cart: Option<String>,
) -> Result<LoginResult> {
    let gql = ctx.data::<GqlContext>()?;
    let customer = customers::password_login(
        &gql.domain,
        &gql.store,
        &email,
        &password,
        &gql.client_ip.to_string(),
    )
    .await
    .map_err(|e| {
        match &e {
            LoginError::Unavailable(cause) => {
                tracing::error!(error = %cause, "login: database unavailable")
            }
            LoginError::CheckUnavailable(cause) => {
                tracing::error!(error = %cause, "login: credential check unavailable")
            }
            _ => {}
        }
        Error::new(e.message())
    })?;
    Ok(LoginResult(sign_in(gql, customer, guest_cart).await?))
}

pub async fn login_with_jwt(
    ctx: &Context<'_>,
    jwt: String,
    guest_cart: Option<String>,
) -> Result<LoginWithCustomerLoginJwtResult> {
    let gql = ctx.data::<GqlContext>()?;
    let (claims, customer, channel) = crate::service::customer_login::verify_login_jwt(
        &gql.domain,
        &gql.store,
        &jwt,
        &gql.client_ip.to_string(),
    )
    .await
    .map_err(|e| {
        tracing::info!(reason = %e, "customer login JWT refused");
        Error::new("Invalid customer login JWT")
    })?;
    if channel.channel_id != gql.channel.channel_id {
        return Err(Error::new(
            "The customer login JWT is for another channel; send it to that channel's storefront.",
        ));
    }
    let redirect = claims
        .redirect_to
        .unwrap_or_else(|| storefront_auth_core::customer_login::DEFAULT_REDIRECT.to_string());
    Ok(LoginWithCustomerLoginJwtResult(
        sign_in(gql, customer, guest_cart).await?,
        redirect,
    ))
}

/// Ends this sign-in and every other of the customer, on all devices. The cart named by
/// `cartEntityId` is given back to guests, so the device keeps it.
pub async fn logout(ctx: &Context<'_>, cart_id: Option<String>) -> Result<LogoutResult> {
    let gql = ctx.data::<GqlContext>()?;
    let mut unassigned = CartUnassignResult {
        cart: None,
        errors: Vec::new(),
    };
    if let (Some(id), Some(_)) = (&cart_id, &gql.customer) {
        match carts::unassign(&gql.domain, &gql.shopper(), id).await {
            // Priced as the guest it now belongs to.
            Ok(cart) => {
                unassigned.cart = Some(CartNode(carts::priced(&gql.domain, cart, 0).await?))
            }
            Err(carts::CartError::Store(e)) => return Err(carts::CartError::Store(e).into()),
            Err(e) => unassigned.errors.push(CartUnassignError {
                message: e.to_string(),
            }),
        }
    }
    if let Some(customer) = &gql.customer {
        revocation::sign_out_everywhere(&gql.domain, gql.store.id, customer.id).await?;
    }
    if gql.browser {
        gql.set_cookie(gql.cookies.session_ended());
    }
    Ok(LogoutResult {
        result: "success".into(),
        cart_unassign_result: unassigned,
    })
}
