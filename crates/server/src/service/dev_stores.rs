//! Development mode's isolated stores (issue 20): a store of its own for each test worker,
//! made from a seed (the demo seed by default) under a fresh hash with its credentials and a
//! private token, and removed with everything it owns; and minting without ceremony: any token kind from the
//! management API's body, a customer access token, a Customer Login JWT, a PAT. The control API
//! (`crate::dev`) is the only caller; it exists only under `serve --dev`.

use serde_json::Value;
use storefront_auth_core::customer_login::LOGIN_SCOPE;
use storefront_auth_core::secret::{random_hex, Secret};
use storefront_auth_core::token::TokenKind;
use storefront_auth_store::{SessionKind, StoreError, StoreRecord};

use super::seed::{self, Assets, Seed, SeedError, Seeded};
use super::token_request::TokenSpec;
use super::tokens::{self, CreateError, IssueError};
use super::{customers, Domain};

/// Scopes of the private token an isolated store comes with: every one.
const ALL_PRIVATE_SCOPES: [&str; 3] = ["Unauthenticated", "Customer", "B2B"];

/// A fresh store and what a test needs to use it.
pub struct IsolatedStore {
    pub seeded: Seeded,
    /// A private token on every channel with every scope, never expiring.
    pub private_token: String,
    /// The seed's customers: (email, password).
    pub customers: Vec<(String, String)>,
}

#[derive(Debug, thiserror::Error)]
pub enum DevError {
    #[error(transparent)]
    Seed(#[from] SeedError),
    #[error(transparent)]
    Issue(#[from] IssueError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("No such customer in this store.")]
    NoCustomer,
    #[error("No channel {0} in this store.")]
    NoChannel(i64),
    #[error("No API account of this store holds the Customer Login scope.")]
    NoLoginIssuer,
    #[error("No order {0} in this store.")]
    NoOrder(i64),
    #[error(transparent)]
    Payment(#[from] super::payments::PaymentError),
}

/// Creates a store from `seed` (the demo seed when `None`) under a fresh hash (`t` and ten hex
/// digits), named `name` when given.
pub async fn create(
    domain: &Domain,
    seed: Option<(Seed, Assets)>,
    name: Option<String>,
) -> Result<IsolatedStore, DevError> {
    let (mut seed, assets) = match seed {
        Some(given) => given,
        None => Seed::demo()?,
    };
    if let Some(name) = name {
        seed.store.name = name;
    }
    let hash = format!("t{}", random_hex(5));
    let seeded = seed::apply(domain, &seed, &assets, &hash).await?;
    let spec = TokenSpec {
        kind: TokenKind::Private,
        channels: Vec::new(),
        origins: Vec::new(),
        scopes: Some(ALL_PRIVATE_SCOPES.iter().map(|s| s.to_string()).collect()),
        expires_at: i32::MAX as i64,
        subject: seeded.accounts.first().map(|a| a.client_id.clone()),
    };
    let (private_token, _) = tokens::issue(domain, seeded.store.id, spec).await?;
    // Its seed state holds the private token: a reset keeps the worker's token working.
    super::dev_state::keep_as_seed(domain, &seeded.store).await?;
    tracing::info!(store = %hash, "isolated store created");
    let customers = seed.customers.iter();
    Ok(IsolatedStore {
        seeded,
        private_token,
        customers: customers
            .map(|c| (c.email.clone(), c.password.clone()))
            .collect(),
    })
}

/// Removes the store and everything it owns; `false` if there was none. This instance
/// forgets it at once (others within a second: their store directory's refresh).
pub async fn remove(domain: &Domain, store: &StoreRecord) -> Result<bool, StoreError> {
    let removed = domain.store().delete_store(store.id).await?;
    domain.forget_storefront(&store.hash);
    super::faults::clear(domain, &store.hash);
    domain.0.clocks.set(store.id, None);
    tracing::info!(store = %store.hash, removed, "isolated store removed");
    Ok(removed)
}

/// A token of `kind` from the management API's creation body, with its defaults filled in
/// where the body says nothing: channel 1, never expiring, every scope for a private token.
pub async fn mint_token(
    domain: &Domain,
    store: &StoreRecord,
    kind: TokenKind,
    body: &Value,
) -> Result<String, CreateError> {
    let mut body = body.clone();
    if let Some(fields) = body.as_object_mut() {
        fields.entry("channel_id").or_insert(1.into());
        fields.entry("expires_at").or_insert(i32::MAX.into());
        if kind == TokenKind::Private {
            fields
                .entry("scopes")
                .or_insert(ALL_PRIVATE_SCOPES.to_vec().into());
        }
    }
    let (jwt, _) = tokens::create(domain, store.id, None, kind, &body).await?;
    Ok(jwt)
}

/// A customer, by id or by email.
#[derive(Clone, Copy, Debug)]
pub enum CustomerRef<'a> {
    Id(i64),
    Email(&'a str),
}

/// A customer access token for the customer on `channel_id`, as a login would start it: its
/// value, its expiry and the customer's id.
pub async fn mint_customer_access_token(
    domain: &Domain,
    store: &StoreRecord,
    who: CustomerRef<'_>,
    channel_id: i64,
) -> Result<(Secret, i64, i64), DevError> {
    let data = domain.store();
    if data.channel(store.id, channel_id).await?.is_none() {
        return Err(DevError::NoChannel(channel_id));
    }
    let customer = find_customer(domain, store, who).await?;
    let kind = SessionKind::AccessToken;
    let (value, expires_at) =
        customers::start_sign_in(domain, store.id, channel_id, customer, kind).await?;
    Ok((value, expires_at, customer))
}

/// A Customer Login JWT (SPEC §6) for the customer on `channel_id`, signed as the store's
/// first API account holding the Customer Login scope would sign it, issued now on the store's
/// clock; `redirect_to` as given. Returns the JWT and the customer's id.
pub async fn mint_login_jwt(
    domain: &Domain,
    store: &StoreRecord,
    who: CustomerRef<'_>,
    channel_id: i64,
    redirect_to: Option<&str>,
) -> Result<(String, i64), DevError> {
    let data = domain.store();
    if data.channel(store.id, channel_id).await?.is_none() {
        return Err(DevError::NoChannel(channel_id));
    }
    let customer = find_customer(domain, store, who).await?;
    let issuer = data
        .accounts(store.id)
        .await?
        .into_iter()
        .find(|a| a.has_scope(LOGIN_SCOPE, false))
        .ok_or(DevError::NoLoginIssuer)?;
    let mut claims = serde_json::json!({
        "iss": issuer.client_id,
        "iat": domain.now_for(store.id),
        "jti": uuid::Uuid::new_v4().to_string(),
        "operation": "customer_login",
        "store_hash": store.hash,
        "customer_id": customer,
        "channel_id": channel_id,
    });
    if let Some(to) = redirect_to {
        claims["redirect_to"] = to.into();
    }
    let jwt = storefront_auth_core::hs256::sign(&claims, issuer.client_secret.expose().as_bytes());
    Ok((jwt, customer))
}

/// A payment access token for an order of the store that awaits payment.
pub async fn mint_payment_access_token(
    domain: &Domain,
    store: &StoreRecord,
    order_id: i64,
) -> Result<String, DevError> {
    let order = domain
        .store()
        .order(store.id, order_id)
        .await?
        .ok_or(DevError::NoOrder(order_id))?;
    Ok(super::payments::issue(domain, store, &order).await?)
}

async fn find_customer(
    domain: &Domain,
    store: &StoreRecord,
    who: CustomerRef<'_>,
) -> Result<i64, DevError> {
    let data = domain.store();
    let customer = match who {
        CustomerRef::Id(id) => data.customer(store.id, id).await?,
        CustomerRef::Email(email) => data.customer_by_email(store.id, email).await?,
    };
    customer.map(|c| c.id).ok_or(DevError::NoCustomer)
}
