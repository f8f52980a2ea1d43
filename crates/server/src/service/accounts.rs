//! API accounts with freshly generated credentials (SPEC §1).

use storefront_auth_core::secret::random_alnum;
use storefront_auth_core::Secret;
use storefront_auth_store::{Account, AccountKind, NewAccount, Store, StoreError};

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
];

/// A new account and its access token, which is shown once and stored only as a digest.
pub struct Created {
    pub account: Account,
    pub access_token: Secret,
}

pub async fn create(
    store: &Store,
    store_id: i64,
    kind: AccountKind,
    name: &str,
    scopes: &[String],
    now: i64,
) -> Result<Created, StoreError> {
    let client_id = random_alnum(31);
    let client_secret = Secret::new(random_alnum(51));
    let access_token = Secret::new(random_alnum(31));
    let account = store
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
            now,
        )
        .await?;
    Ok(Created {
        account,
        access_token,
    })
}
