//! API accounts with freshly generated credentials (SPEC §1).

use storefront_auth_core::secret::random_alnum;
use storefront_auth_core::Secret;
use storefront_auth_store::{Account, AccountKind, NewAccount, StoreError, StoreRecord};

use super::Domain;

/// Every OAuth scope the product checks, for the demo account and `--all-scopes`.
pub const ALL_SCOPES: &[&str] = &[
    "store_storefront_api",
    "store_storefront_api_customer_impersonation",
    "store_v2_customers_login",
    "store_payments_access_token_create",
    "store_v2_customers",
    "store_v2_products",
    "store_channel_settings",
    "store_apps_manage",
    "store_v2_information",
];

/// A new account and its access token, which is shown once and stored only as a digest.
pub struct Created {
    pub account: Account,
    pub access_token: Secret,
}

pub async fn create(
    domain: &Domain,
    store_id: i64,
    kind: AccountKind,
    name: &str,
    scopes: &[String],
) -> Result<Created, StoreError> {
    let fixed = FixedCredentials::default();
    create_with(domain, store_id, kind, name, scopes, fixed).await
}

/// Credentials a seed fixes; each one not given is made.
#[derive(Default)]
pub struct FixedCredentials<'a> {
    pub client_id: Option<&'a str>,
    pub client_secret: Option<&'a str>,
    pub access_token: Option<&'a str>,
}

/// Creates an account with the credentials given, the others made.
pub async fn create_with(
    domain: &Domain,
    store_id: i64,
    kind: AccountKind,
    name: &str,
    scopes: &[String],
    fixed: FixedCredentials<'_>,
) -> Result<Created, StoreError> {
    let made = |given: Option<&str>, len| given.map_or_else(|| random_alnum(len), str::to_string);
    let client_id = made(fixed.client_id, 31);
    let client_secret = Secret::new(made(fixed.client_secret, 51));
    let access_token = Secret::new(made(fixed.access_token, 31));
    let account = domain
        .store()
        .create_account(
            NewAccount {
                client_id: &client_id,
                store_id,
                kind,
                name,
                client_secret: &client_secret,
                access_token: &access_token,
                scopes,
            },
            domain.now_for(store_id),
        )
        .await?;
    Ok(Created {
        account,
        access_token,
    })
}

pub async fn list(domain: &Domain, store_id: i64) -> Result<Vec<Account>, StoreError> {
    domain.store().accounts(store_id).await
}

/// The API account `client_id` of the store, if it is one of its accounts.
pub async fn in_store(
    domain: &Domain,
    store_id: i64,
    client_id: &str,
) -> Result<Option<Account>, StoreError> {
    Ok(domain
        .store()
        .account(client_id)
        .await?
        .filter(|a| a.store_id == store_id))
}

/// Deletes an account; its access token stops working at once. `false`: no such account.
pub async fn delete(domain: &Domain, client_id: &str) -> Result<bool, StoreError> {
    domain.store().delete_account(client_id).await
}

/// The management API's caller (SPEC §3): the account holding `X-Auth-Token`, and the store
/// at `store_hash` when that account belongs to it.
pub async fn caller(domain: &Domain, access_token: &str) -> Result<Option<Account>, StoreError> {
    domain
        .store()
        .account_by_token_digest(&Secret::new(access_token).digest())
        .await
}

/// The store at `hash` when `account` is one of its accounts.
pub async fn store_of(
    domain: &Domain,
    account: &Account,
    hash: &str,
) -> Result<Option<StoreRecord>, StoreError> {
    Ok(domain
        .store()
        .store_by_hash(hash)
        .await?
        .filter(|s| s.id == account.store_id))
}
