//! `storefront-auth apps …` (SPEC §8, §10): register, list, install (the server itself calls
//! the app's auth callback, so the app can exchange the code while the server runs), open
//! (prints the load URL) and uninstall.

use anyhow::anyhow;
use clap::Subcommand;

use super::{find_store, open, Output};
use crate::config::Config;
use crate::service::apps::{self, NewApp};
use crate::service::Domain;

#[derive(Subcommand)]
pub enum AppsCmd {
    /// Prints the client id and secret once.
    Register {
        #[arg(long)]
        name: String,
        #[arg(long)]
        auth_callback: String,
        #[arg(long)]
        load_callback: String,
        #[arg(long)]
        uninstall_callback: Option<String>,
        /// OAuth scope the app asks for (repeatable).
        #[arg(long = "scope", required = true)]
        scopes: Vec<String>,
        /// The store the app belongs to: only it may see and install the app. Without it the
        /// app is the operator's, published to every store.
        #[arg(long)]
        store: Option<String>,
        /// With --store: publish the app to every store all the same.
        #[arg(long, requires = "store")]
        published: bool,
        #[arg(long)]
        json: bool,
    },
    List,
    /// Calls the app's auth callback with a fresh code; the app exchanges it at /oauth2/token
    /// of the running server.
    Install {
        #[arg(long)]
        store: String,
        client_id: String,
    },
    /// Prints the load callback URL with a fresh signed_payload_jwt.
    Load {
        #[arg(long)]
        store: String,
        client_id: String,
    },
    /// Revokes the install's access token and calls the uninstall callback.
    Uninstall {
        #[arg(long)]
        store: String,
        client_id: String,
    },
}

pub async fn apps(config: Config, cmd: AppsCmd) -> anyhow::Result<Output> {
    let domain = open(&config).await?;
    match cmd {
        AppsCmd::Register {
            name,
            auth_callback,
            load_callback,
            uninstall_callback,
            scopes,
            store,
            published,
            json,
        } => {
            let new = NewApp {
                name,
                auth_callback,
                load_callback,
                uninstall_callback,
                scopes,
                owner_store_id: None,
                published,
            };
            register(&domain, new, store, json).await
        }
        AppsCmd::List => {
            let rows = apps::list(&domain).await?;
            Ok(Output(
                rows.iter()
                    .map(|a| format!("{}\t{}\t{}", a.client_id, a.name, a.scopes.join(" ")))
                    .collect::<Vec<_>>()
                    .join("\n"),
            ))
        }
        AppsCmd::Install { store, client_id } => {
            let st = find_store(&domain, &store).await?;
            let app = find_app(&domain, &client_id).await?;
            match apps::install_by_callback(&domain, &app, &st).await? {
                status @ 200..400 => Ok(Output(format!(
                    "auth callback answered HTTP {status}; the app can now exchange its code"
                ))),
                status => Err(anyhow!("the app's auth callback answered HTTP {status}")),
            }
        }
        AppsCmd::Load { store, client_id } => {
            let st = find_store(&domain, &store).await?;
            let app = find_app(&domain, &client_id).await?;
            Ok(Output(apps::load_url(&domain, &app, &st)))
        }
        AppsCmd::Uninstall { store, client_id } => {
            let st = find_store(&domain, &store).await?;
            let app = find_app(&domain, &client_id).await?;
            match apps::uninstall(&domain, &app, &st).await? {
                true => Ok(Output(format!("uninstalled {client_id} from {}", st.hash))),
                false => Err(anyhow!("{client_id} is not installed on {}", st.hash)),
            }
        }
    }
}

/// Registers an app; its client secret is shown once.
/// An app of one store (`--store`) is its own; an app of no store is published to all.
async fn register(
    domain: &Domain,
    mut new: NewApp,
    store: Option<String>,
    json: bool,
) -> anyhow::Result<Output> {
    if let Some(hash) = &store {
        new.owner_store_id = Some(find_store(domain, hash).await?.id);
    }
    new.published |= new.owner_store_id.is_none();
    let app = apps::register(domain, new).await?;
    if json {
        let mut out = apps::app_json(&app);
        out["client_secret"] = app.client_secret.expose().into();
        return Ok(Output(out.to_string()));
    }
    Ok(Output(format!(
        "registered app {}\nclient_id:     {}\nclient_secret: {}",
        app.name,
        app.client_id,
        app.client_secret.expose()
    )))
}

async fn find_app(domain: &Domain, client_id: &str) -> anyhow::Result<storefront_auth_store::App> {
    apps::find(domain, client_id)
        .await?
        .ok_or_else(|| anyhow!("no app with client id {client_id:?}"))
}
