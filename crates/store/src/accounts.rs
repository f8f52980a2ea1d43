//! API accounts. The access token is stored only as its SHA-256 digest; the client secret is
//! stored because HS256 signatures (SSO, current customer, app payloads) need it.

use storefront_auth_core::Secret;

use crate::{get, Result, Store};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AccountKind {
    Store,
    App,
}

impl AccountKind {
    pub fn as_str(self) -> &'static str {
        match self {
            AccountKind::Store => "store",
            AccountKind::App => "app",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "store" => Some(AccountKind::Store),
            "app" => Some(AccountKind::App),
            _ => None,
        }
    }
}

#[derive(Clone, Debug)]
pub struct Account {
    pub client_id: String,
    pub store_id: i64,
    pub kind: AccountKind,
    pub name: String,
    pub client_secret: Secret,
    pub scopes: Vec<String>,
    pub created_at: i64,
}

impl Account {
    /// Does the account hold `scope` for this HTTP method? A `_read_only` variant allows only
    /// GET and HEAD.
    pub fn has_scope(&self, scope: &str, read_only_request: bool) -> bool {
        self.scopes.iter().any(|s| {
            s == scope || (read_only_request && s.strip_suffix("_read_only") == Some(scope))
        })
    }
}

pub struct NewAccount<'a> {
    pub client_id: &'a str,
    pub store_id: i64,
    pub kind: AccountKind,
    pub name: &'a str,
    pub client_secret: &'a Secret,
    pub access_token: &'a Secret,
    pub scopes: &'a [String],
}

fn account_from(row: &sqlx::any::AnyRow) -> Result<Account> {
    let kind: String = get(row, "kind")?;
    let scopes: String = get(row, "scopes")?;
    let secret: String = get(row, "client_secret")?;
    Ok(Account {
        client_id: get(row, "client_id")?,
        store_id: get(row, "store_id")?,
        kind: AccountKind::parse(&kind)
            .ok_or_else(|| crate::StoreError::Corrupt(format!("account kind {kind}")))?,
        name: get(row, "name")?,
        client_secret: Secret::new(secret),
        scopes: scopes.split_whitespace().map(String::from).collect(),
        created_at: get(row, "created_at")?,
    })
}

const COLS: &str = "client_id, store_id, kind, name, client_secret, scopes, created_at";

impl Store {
    pub async fn create_account(&self, new: NewAccount<'_>, now: i64) -> Result<Account> {
        sqlx::query(
            "INSERT INTO api_accounts (client_id, store_id, kind, name, client_secret, access_token_digest, scopes, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(new.client_id)
        .bind(new.store_id)
        .bind(new.kind.as_str())
        .bind(new.name)
        .bind(new.client_secret.expose())
        .bind(new.access_token.digest())
        .bind(new.scopes.join(" "))
        .bind(now)
        .execute(self.pool())
        .await?;
        self.account(new.client_id)
            .await?
            .ok_or(crate::StoreError::NotFound)
    }

    /// The account whose access token has this digest: a store's API account, or an app
    /// installed on a store.
    pub async fn account_by_token_digest(&self, digest: &str) -> Result<Option<Account>> {
        let row = sqlx::query(&format!(
            "SELECT {COLS} FROM api_accounts WHERE access_token_digest = $1"
        ))
        .bind(digest)
        .fetch_optional(self.pool())
        .await?;
        match row {
            Some(row) => account_from(&row).map(Some),
            None => self.install_account_by_token_digest(digest).await,
        }
    }

    pub async fn account(&self, client_id: &str) -> Result<Option<Account>> {
        let row = sqlx::query(&format!(
            "SELECT {COLS} FROM api_accounts WHERE client_id = $1"
        ))
        .bind(client_id)
        .fetch_optional(self.pool())
        .await?;
        row.as_ref().map(account_from).transpose()
    }

    pub async fn accounts(&self, store_id: i64) -> Result<Vec<Account>> {
        let rows = sqlx::query(&format!(
            "SELECT {COLS} FROM api_accounts WHERE store_id = $1 ORDER BY created_at, client_id"
        ))
        .bind(store_id)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(account_from).collect()
    }

    /// Deletes an account, which is how a store-level access token is revoked.
    pub async fn delete_account(&self, client_id: &str) -> Result<bool> {
        let done = sqlx::query("DELETE FROM api_accounts WHERE client_id = $1")
            .bind(client_id)
            .execute(self.pool())
            .await?;
        Ok(done.rows_affected() > 0)
    }
}
