//! Apps, their installs on stores, and OAuth authorization codes (SPEC §8). A code is claimed
//! by one conditional UPDATE, in the same transaction that stores the install's new access
//! token (as a digest), so two instances can never both exchange it.

use storefront_auth_core::Secret;

use crate::accounts::{Account, AccountKind};
use crate::{get, Result, Store};

#[derive(Clone, Debug)]
pub struct App {
    pub client_id: String,
    pub name: String,
    pub client_secret: Secret,
    pub auth_callback: String,
    pub load_callback: String,
    pub uninstall_callback: Option<String>,
    pub scopes: Vec<String>,
    pub created_at: i64,
    /// The store that registered the app; `None` for an operator's app (the CLI).
    pub owner_store_id: Option<i64>,
    /// Listed to and installable by every store, not only its owner.
    pub published: bool,
}

impl App {
    /// May `store_id` see, install and use this app? Its owner may, and every store may see a
    /// published one.
    pub fn visible_to(&self, store_id: i64) -> bool {
        self.published || self.owner_store_id == Some(store_id)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Install {
    pub app_client_id: String,
    pub store_id: i64,
    pub account_uuid: String,
    pub scopes: Vec<String>,
    pub installed_at: Option<i64>,
    pub uninstalled_at: Option<i64>,
}

/// A claimed authorization code: what the token exchange grants.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClaimedCode {
    pub store_id: i64,
    pub redirect_uri: String,
    pub scopes: Vec<String>,
    pub account_uuid: String,
}

const APP_COLS: &str = "client_id, name, client_secret, auth_callback, load_callback, uninstall_callback, scopes, created_at, owner_store_id, published";

fn app_from(row: &sqlx::any::AnyRow) -> Result<App> {
    let scopes: String = get(row, "scopes")?;
    let secret: String = get(row, "client_secret")?;
    Ok(App {
        client_id: get(row, "client_id")?,
        name: get(row, "name")?,
        client_secret: Secret::new(secret),
        auth_callback: get(row, "auth_callback")?,
        load_callback: get(row, "load_callback")?,
        uninstall_callback: get(row, "uninstall_callback")?,
        scopes: scopes.split_whitespace().map(String::from).collect(),
        created_at: get(row, "created_at")?,
        owner_store_id: get(row, "owner_store_id")?,
        published: get::<i64>(row, "published")? != 0,
    })
}

impl Store {
    pub async fn create_app(&self, app: &App) -> Result<()> {
        sqlx::query(&format!(
            "INSERT INTO apps ({APP_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
        ))
        .bind(&app.client_id)
        .bind(&app.name)
        .bind(app.client_secret.expose())
        .bind(&app.auth_callback)
        .bind(&app.load_callback)
        .bind(&app.uninstall_callback)
        .bind(app.scopes.join(" "))
        .bind(app.created_at)
        .bind(app.owner_store_id)
        .bind(i64::from(app.published))
        .execute(self.pool())
        .await?;
        Ok(())
    }

    pub async fn app(&self, client_id: &str) -> Result<Option<App>> {
        let row = sqlx::query(&format!("SELECT {APP_COLS} FROM apps WHERE client_id = $1"))
            .bind(client_id)
            .fetch_optional(self.pool())
            .await?;
        row.as_ref().map(app_from).transpose()
    }

    /// Every app (the operator's view).
    pub async fn apps(&self) -> Result<Vec<App>> {
        let rows = sqlx::query(&format!(
            "SELECT {APP_COLS} FROM apps ORDER BY created_at, client_id"
        ))
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(app_from).collect()
    }

    /// The apps a store may see: its own and the published ones.
    pub async fn apps_visible_to(&self, store_id: i64) -> Result<Vec<App>> {
        let rows = sqlx::query(&format!(
            "SELECT {APP_COLS} FROM apps WHERE owner_store_id = $1 OR published = 1 ORDER BY created_at, client_id"
        ))
        .bind(store_id)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(app_from).collect()
    }

    /// Starts (or restarts) an install: records the grant and a fresh authorization code.
    /// The install's previous access token keeps working until the code is exchanged.
    pub async fn begin_install(
        &self,
        app: &App,
        store_id: i64,
        account_uuid: &str,
        code_digest: &str,
        expires_at: i64,
    ) -> Result<()> {
        let scopes = app.scopes.join(" ");
        let mut tx = self.pool().begin().await?;
        sqlx::query(
            "INSERT INTO app_installs (app_client_id, store_id, account_uuid, scopes) VALUES ($1, $2, $3, $4)
             ON CONFLICT (app_client_id, store_id) DO UPDATE SET scopes = $4",
        )
        .bind(&app.client_id)
        .bind(store_id)
        .bind(account_uuid)
        .bind(&scopes)
        .execute(&mut *tx)
        .await?;
        sqlx::query("INSERT INTO oauth_codes (digest, app_client_id, store_id, redirect_uri, scopes, expires_at) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(code_digest)
            .bind(&app.client_id)
            .bind(store_id)
            .bind(&app.auth_callback)
            .bind(&scopes)
            .bind(expires_at)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn install(&self, app_client_id: &str, store_id: i64) -> Result<Option<Install>> {
        let row = sqlx::query("SELECT app_client_id, store_id, account_uuid, scopes, installed_at, uninstalled_at FROM app_installs WHERE app_client_id = $1 AND store_id = $2")
            .bind(app_client_id)
            .bind(store_id)
            .fetch_optional(self.pool())
            .await?;
        row.as_ref()
            .map(|r| {
                let scopes: String = get(r, "scopes")?;
                Ok(Install {
                    app_client_id: get(r, "app_client_id")?,
                    store_id: get(r, "store_id")?,
                    account_uuid: get(r, "account_uuid")?,
                    scopes: scopes.split_whitespace().map(String::from).collect(),
                    installed_at: get(r, "installed_at")?,
                    uninstalled_at: get(r, "uninstalled_at")?,
                })
            })
            .transpose()
    }

    /// Exchanges a code once: `None` when it is unknown, used, expired, or another app's or
    /// store's.
    /// On success the install's access token becomes `token_digest`.
    pub async fn exchange_code(
        &self,
        app_client_id: &str,
        store_id: i64,
        code_digest: &str,
        token_digest: &str,
        now: i64,
    ) -> Result<Option<ClaimedCode>> {
        let mut tx = self.pool().begin().await?;
        let row = sqlx::query(
            "UPDATE oauth_codes SET used_at = $1 WHERE digest = $2 AND app_client_id = $3 AND store_id = $4 AND used_at IS NULL AND expires_at > $1 RETURNING store_id, redirect_uri, scopes",
        )
        .bind(now)
        .bind(code_digest)
        .bind(app_client_id)
        .bind(store_id)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let store_id: i64 = get(&row, "store_id")?;
        let scopes: String = get(&row, "scopes")?;
        let install = sqlx::query(
            "UPDATE app_installs SET access_token_digest = $1, installed_at = $2, uninstalled_at = NULL WHERE app_client_id = $3 AND store_id = $4 RETURNING account_uuid",
        )
        .bind(token_digest)
        .bind(now)
        .bind(app_client_id)
        .bind(store_id)
        .fetch_one(&mut *tx)
        .await?;
        let claimed = ClaimedCode {
            store_id,
            redirect_uri: get(&row, "redirect_uri")?,
            scopes: scopes.split_whitespace().map(String::from).collect(),
            account_uuid: get(&install, "account_uuid")?,
        };
        tx.commit().await?;
        Ok(Some(claimed))
    }

    /// Uninstalls: the install's access token stops working at once. False when the app was
    /// not installed.
    pub async fn uninstall(&self, app_client_id: &str, store_id: i64, now: i64) -> Result<bool> {
        let done = sqlx::query("UPDATE app_installs SET access_token_digest = NULL, uninstalled_at = $1 WHERE app_client_id = $2 AND store_id = $3 AND uninstalled_at IS NULL AND installed_at IS NOT NULL")
            .bind(now)
            .bind(app_client_id)
            .bind(store_id)
            .execute(self.pool())
            .await?;
        Ok(done.rows_affected() > 0)
    }

    /// The installed app whose access token has this digest, as a management API caller:
    /// an app account of the install's store holding exactly the granted scopes.
    pub(crate) async fn install_account_by_token_digest(
        &self,
        digest: &str,
    ) -> Result<Option<Account>> {
        let row = sqlx::query(
            "SELECT a.client_id, a.name, a.client_secret, a.created_at, i.store_id, i.scopes FROM app_installs i JOIN apps a ON a.client_id = i.app_client_id WHERE i.access_token_digest = $1",
        )
        .bind(digest)
        .fetch_optional(self.pool())
        .await?;
        row.as_ref()
            .map(|r| {
                let scopes: String = get(r, "scopes")?;
                let secret: String = get(r, "client_secret")?;
                Ok(Account {
                    client_id: get(r, "client_id")?,
                    store_id: get(r, "store_id")?,
                    kind: AccountKind::App,
                    name: get(r, "name")?,
                    client_secret: Secret::new(secret),
                    scopes: scopes.split_whitespace().map(String::from).collect(),
                    created_at: get(r, "created_at")?,
                })
            })
            .transpose()
    }
}
