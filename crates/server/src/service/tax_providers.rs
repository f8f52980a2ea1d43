//! Tax providers (issue 18, SPEC §12): apps register a provider with its base URL (the CLI
//! offers it to every store, a store's API account to that store alone); a merchant connects
//! it with HTTP Basic credentials, which makes it the store's active provider, and
//! disconnects it. The password is sealed at rest and never shown or logged.

use storefront_auth_store::{StoreError, StoreRecord, TaxConnection, TaxProviderRecord};

use super::provider_calls::checked_registration;
use super::Domain;

/// How many providers the server keeps.
pub const MAX_PROVIDERS: i64 = 1_000;
/// The longest username or profile, and the longest password.
pub const MAX_USERNAME: usize = 255;
pub const MAX_PASSWORD: usize = 1_024;

#[derive(Debug, thiserror::Error)]
pub enum TaxProviderError {
    /// Bad input: the field and what is wrong.
    #[error("{1}")]
    Invalid(&'static str, String),
    #[error("Provider {0} does not exist.")]
    Unknown(String),
    #[error("A provider with id {0} is registered already.")]
    Exists(String),
    #[error("The server keeps at most {MAX_PROVIDERS} tax providers.")]
    TooMany,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Registers a provider: offered to `owner`'s store only, or to every store (`None`).
pub async fn register(
    domain: &Domain,
    id: &str,
    name: &str,
    base_url: &str,
    owner: Option<&StoreRecord>,
) -> Result<TaxProviderRecord, TaxProviderError> {
    let (name, base_url) = checked_registration(domain, id, name, base_url)
        .map_err(|(field, why)| TaxProviderError::Invalid(field, why))?;
    let record = TaxProviderRecord {
        id: id.to_string(),
        owner_store_id: owner.map(|s| s.id),
        name,
        base_url,
    };
    match domain
        .store()
        .create_tax_provider(&record, MAX_PROVIDERS, domain.now())
        .await
    {
        Ok(true) => Ok(record),
        Ok(false) => Err(TaxProviderError::TooMany),
        Err(StoreError::Conflict(_)) => Err(TaxProviderError::Exists(id.to_string())),
        Err(e) => Err(e.into()),
    }
}

/// The providers `store` may connect (every provider with `None`).
pub async fn list(
    domain: &Domain,
    store: Option<&StoreRecord>,
) -> Result<Vec<TaxProviderRecord>, StoreError> {
    domain.store().tax_providers(store.map(|s| s.id)).await
}

/// Removes a provider (and every store's connection to it).
pub async fn remove(domain: &Domain, id: &str) -> Result<(), TaxProviderError> {
    match domain.store().delete_tax_provider(id).await? {
        true => Ok(()),
        false => Err(TaxProviderError::Unknown(crate::logs::escaped(id))),
    }
}

/// The provider `id`, when `store` may connect it.
async fn visible(
    domain: &Domain,
    store: &StoreRecord,
    id: &str,
) -> Result<TaxProviderRecord, TaxProviderError> {
    list(domain, Some(store))
        .await?
        .into_iter()
        .find(|p| p.id == id)
        .ok_or_else(|| TaxProviderError::Unknown(id.chars().take(64).collect()))
}

/// What the connection endpoints show: the username, and whether credentials are set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConnectionStatus {
    pub username: String,
    pub configured: bool,
}

/// The name a store's password for a provider is sealed under.
pub(super) fn seal_name(store_id: i64, provider_id: &str) -> String {
    format!("tax connection {store_id} {provider_id}")
}

/// Sets the store's credentials for the provider and makes it the active one.
pub async fn connect(
    domain: &Domain,
    store: &StoreRecord,
    provider_id: &str,
    username: &str,
    password: &str,
    profile: Option<&str>,
) -> Result<ConnectionStatus, TaxProviderError> {
    let provider = visible(domain, store, provider_id).await?;
    let username = username.trim();
    if username.is_empty() || username.chars().count() > MAX_USERNAME || username.contains(':') {
        let why = "username is required: at most 255 characters, without ':'.";
        return Err(TaxProviderError::Invalid("username", why.into()));
    }
    if password.is_empty() || password.len() > MAX_PASSWORD {
        let why = "password is required (at most 1024 bytes).";
        return Err(TaxProviderError::Invalid("password", why.into()));
    }
    if profile.is_some_and(|p| p.chars().count() > MAX_USERNAME) {
        let why = "profile is at most 255 characters.";
        return Err(TaxProviderError::Invalid("profile", why.into()));
    }
    let connection = TaxConnection {
        store_id: store.id,
        provider_id: provider.id.clone(),
        username: username.to_string(),
        password: domain.seal(&seal_name(store.id, &provider.id), password),
        profile: profile.map(str::to_string),
        active: true,
        updated_at: domain.now_for(store.id),
    };
    domain.store().connect_tax_provider(&connection).await?;
    Ok(ConnectionStatus {
        username: connection.username,
        configured: true,
    })
}

/// The store's connection to the provider.
pub async fn status(
    domain: &Domain,
    store: &StoreRecord,
    provider_id: &str,
) -> Result<ConnectionStatus, TaxProviderError> {
    let provider = visible(domain, store, provider_id).await?;
    let found = domain
        .store()
        .tax_connection(store.id, &provider.id)
        .await?;
    Ok(ConnectionStatus {
        configured: found.is_some(),
        username: found.map(|c| c.username).unwrap_or_default(),
    })
}

/// Removes the store's credentials; if the provider was the active one, the store's
/// checkouts charge no tax again (the stand-in's manual tax).
pub async fn disconnect(
    domain: &Domain,
    store: &StoreRecord,
    provider_id: &str,
) -> Result<ConnectionStatus, TaxProviderError> {
    let provider = visible(domain, store, provider_id).await?;
    let removed = domain
        .store()
        .disconnect_tax_provider(store.id, &provider.id)
        .await?;
    Ok(ConnectionStatus {
        username: removed.map(|c| c.username).unwrap_or_default(),
        configured: false,
    })
}
