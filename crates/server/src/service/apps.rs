//! Apps (SPEC §8): registration, the install flow (auth callback with a single-use code, the
//! token exchange), load and uninstall callbacks with `signed_payload_jwt` (and the legacy
//! `signed_payload`). Uninstalling
//! revokes the install's access token at once.

use serde_json::{json, Value};
use storefront_auth_core::{secret, Secret};
use storefront_auth_store::{App, StoreError, StoreRecord};

use crate::service::Domain;

/// How long an authorization code may wait to be exchanged.
pub const CODE_LIFETIME: i64 = 600;

pub use super::app_payloads::{
    legacy_signed_payload, load_url, owner_json, signed_payload, PAYLOAD_LIFETIME,
};
use super::app_payloads::{query_escape, with_payloads, with_query};

pub struct NewApp {
    pub name: String,
    pub auth_callback: String,
    pub load_callback: String,
    pub uninstall_callback: Option<String>,
    pub scopes: Vec<String>,
    /// The registering store (management API); `None` for an operator's app (CLI).
    pub owner_store_id: Option<i64>,
    /// Every store may see and install it.
    pub published: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{0}")]
    Invalid(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A callback URL the server may call (`service::outbound`): HTTPS to a public address, or
/// a host of the development allow-list.
fn check_url(domain: &Domain, field: &str, url: &str) -> Result<(), AppError> {
    match domain.0.outbound.check(url) {
        Ok(_) => Ok(()),
        Err(e) => Err(AppError::Invalid(format!(
            "{field} must be an absolute https URL to a public address, without credentials or fragment: {e}."
        ))),
    }
}

pub async fn register(domain: &Domain, new: NewApp) -> Result<App, AppError> {
    register_with(domain, new, None, None).await
}

/// Registers an app with the credentials given (a seed's fixed ones), the others made.
pub async fn register_with(
    domain: &Domain,
    new: NewApp,
    client_id: Option<&str>,
    client_secret: Option<&str>,
) -> Result<App, AppError> {
    if new.name.trim().is_empty() {
        return Err(AppError::Invalid("name is required.".into()));
    }
    check_url(domain, "auth_callback", &new.auth_callback)?;
    check_url(domain, "load_callback", &new.load_callback)?;
    if let Some(u) = &new.uninstall_callback {
        check_url(domain, "uninstall_callback", u)?;
    }
    let valid_scope = |s: &String| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    };
    if new.scopes.is_empty() || !new.scopes.iter().all(valid_scope) {
        return Err(AppError::Invalid(
            "scopes must be a non-empty list of OAuth scope names.".into(),
        ));
    }
    let app = App {
        client_id: client_id.map_or_else(|| secret::random_alnum(31), str::to_string),
        name: new.name.trim().to_string(),
        client_secret: Secret::new(
            client_secret.map_or_else(|| secret::random_alnum(51), str::to_string),
        ),
        auth_callback: new.auth_callback,
        load_callback: new.load_callback,
        uninstall_callback: new.uninstall_callback,
        scopes: new.scopes,
        created_at: domain.now(),
        owner_store_id: new.owner_store_id,
        published: new.published,
    };
    domain.store().create_app(&app).await?;
    Ok(app)
}

/// The app as listed: never its secret.
pub fn app_json(app: &App) -> Value {
    json!({
        "client_id": app.client_id, "name": app.name, "auth_callback": app.auth_callback,
        "load_callback": app.load_callback, "uninstall_callback": app.uninstall_callback,
        "scopes": app.scopes, "published": app.published,
    })
}

/// Starts an install: records a fresh code and returns the auth callback URL carrying it.
pub async fn begin_install(
    domain: &Domain,
    app: &App,
    store: &StoreRecord,
) -> Result<String, AppError> {
    let code = secret::random_alnum(40);
    let account_uuid = uuid::Uuid::new_v4().to_string();
    domain
        .store()
        .begin_install(
            app,
            store.id,
            &account_uuid,
            &Secret::new(code.clone()).digest(),
            domain.now_for(store.id) + CODE_LIFETIME,
        )
        .await?;
    // An earlier install keeps its account_uuid.
    let install = domain
        .store()
        .install(&app.client_id, store.id)
        .await?
        .ok_or(StoreError::NotFound)?;
    Ok(with_query(
        &app.auth_callback,
        &format!(
            "account_uuid={}&code={}&context={}&scope={}",
            install.account_uuid,
            code,
            query_escape(&format!("stores/{}", store.hash)),
            query_escape(&app.scopes.join(" "))
        ),
    ))
}

/// Uninstalls: revokes the access token, then tells the app (best effort: the revocation
/// does not depend on the app answering). False when the app was not installed.
pub async fn uninstall(domain: &Domain, app: &App, store: &StoreRecord) -> Result<bool, AppError> {
    if !domain
        .store()
        .uninstall(&app.client_id, store.id, domain.now_for(store.id))
        .await?
    {
        return Ok(false);
    }
    if let Some(cb) = &app.uninstall_callback {
        let url = with_payloads(domain, cb, app, store);
        // Logged without its query: it carries the signed payload.
        let shown = super::outbound::safe_for_logs(&url);
        match domain.0.outbound.get(&url).await {
            Ok(status) => {
                tracing::info!(app = %app.client_id, url = %shown, status, "uninstall callback answered")
            }
            Err(e) => {
                tracing::warn!(app = %app.client_id, url = %shown, error = %e, "uninstall callback failed")
            }
        }
    }
    Ok(true)
}

/// The token exchange's grant, as `POST /oauth2/token` answers it.
pub struct Grant {
    pub access_token: Secret,
    pub body: Value,
}

#[derive(Debug, thiserror::Error)]
pub enum ExchangeError {
    #[error("{0}")]
    Request(String),
    #[error("The client credentials are invalid.")]
    Client,
    #[error("Parameter redirect_uri does not match registered URI")]
    RedirectUri,
    #[error("The authorization code is invalid, expired or already used.")]
    Code,
    #[error("grant_type must be authorization_code.")]
    GrantType,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The app whose client secret this is.
async fn authenticated(
    domain: &Domain,
    client_id: &str,
    client_secret: &str,
) -> Result<App, ExchangeError> {
    let app = find(domain, client_id)
        .await?
        .ok_or(ExchangeError::Client)?;
    let given = Secret::new(client_secret).digest();
    if !secret::digests_equal(&app.client_secret.digest(), &given) {
        return Err(ExchangeError::Client);
    }
    Ok(app)
}

/// Exchanges a code for the install's access token (single use, enforced by the database).
pub async fn exchange(
    domain: &Domain,
    form: &serde_json::Map<String, Value>,
) -> Result<Grant, ExchangeError> {
    let field = |k: &str| {
        form.get(k)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
    };
    let (Some(client_id), Some(client_secret), Some(code)) =
        (field("client_id"), field("client_secret"), field("code"))
    else {
        return Err(ExchangeError::Request(
            "client_id, client_secret and code are required.".into(),
        ));
    };
    let app = authenticated(domain, client_id, client_secret).await?;
    if field("grant_type") != Some("authorization_code") {
        return Err(ExchangeError::GrantType);
    }
    if field("redirect_uri") != Some(app.auth_callback.as_str()) {
        return Err(ExchangeError::RedirectUri);
    }
    let hash = field("context")
        .and_then(|c| c.strip_prefix("stores/"))
        .ok_or_else(|| ExchangeError::Request("context must be stores/{store_hash}.".into()))?;
    let store = domain
        .store()
        .store_by_hash(hash)
        .await?
        .ok_or(ExchangeError::Code)?;
    let token = Secret::new(secret::random_alnum(31));
    let claimed = domain
        .store()
        .exchange_code(
            &app.client_id,
            store.id,
            &Secret::new(code).digest(),
            &token.digest(),
            domain.now_for(store.id),
        )
        .await?
        .ok_or(ExchangeError::Code)?;
    let owner = owner_json(&store);
    let body = json!({
        "access_token": token.expose(),
        "scope": claimed.scopes.join(" "),
        "user": owner,
        "owner": owner,
        "context": format!("stores/{}", store.hash),
        "account_uuid": claimed.account_uuid,
    });
    Ok(Grant {
        access_token: token,
        body,
    })
}

/// An app by client id, whoever owns it.
pub async fn find(domain: &Domain, client_id: &str) -> Result<Option<App>, StoreError> {
    domain.store().app(client_id).await
}

/// The app if `store_id` may see it: published, or its own (another store's unpublished app
/// is as if it did not exist).
pub async fn find_visible(
    domain: &Domain,
    store_id: i64,
    client_id: &str,
) -> Result<Option<App>, StoreError> {
    Ok(find(domain, client_id)
        .await?
        .filter(|app| app.visible_to(store_id)))
}

/// Every app, for the operator.
pub async fn list(domain: &Domain) -> Result<Vec<App>, StoreError> {
    domain.store().apps().await
}

/// The apps a store may see.
pub async fn list_visible(domain: &Domain, store_id: i64) -> Result<Vec<App>, StoreError> {
    domain.store().apps_visible_to(store_id).await
}

/// Is the app installed (and not uninstalled) on the store?
pub async fn is_installed(domain: &Domain, app: &App, store_id: i64) -> Result<bool, StoreError> {
    Ok(domain
        .store()
        .install(&app.client_id, store_id)
        .await?
        .is_some_and(|i| i.installed_at.is_some() && i.uninstalled_at.is_none()))
}

#[derive(Debug, thiserror::Error)]
pub enum InstallError {
    #[error("{0} belongs to another store and is not published")]
    NotVisible(String),
    #[error(transparent)]
    App(#[from] AppError),
    #[error("calling the app's auth callback: {0}")]
    Callback(String),
}

/// Installs the app on the store as the operator's command line does it: the install begins,
/// and this server calls the app's auth callback itself (where the control panel would send
/// the merchant's browser). Returns the callback's HTTP status.
pub async fn install_by_callback(
    domain: &Domain,
    app: &App,
    store: &StoreRecord,
) -> Result<u16, InstallError> {
    if !app.visible_to(store.id) {
        return Err(InstallError::NotVisible(app.client_id.clone()));
    }
    let url = begin_install(domain, app, store).await?;
    domain
        .0
        .outbound
        .get(&url)
        .await
        .map_err(|e| InstallError::Callback(e.to_string()))
}
