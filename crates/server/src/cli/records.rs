//! Verbs for stores, channels, API accounts and customers.

use anyhow::{anyhow, bail};
use clap::Subcommand;
use serde_json::json;
use storefront_auth_store::AccountKind;

use crate::service::registration::{self, Field, Problem, RegisterError, Registration};

use super::{find_store, open, Output};
use crate::config::Config;
use crate::service::{self, accounts::ALL_SCOPES};

#[derive(Subcommand)]
pub enum StoresCmd {
    List,
    Create {
        #[arg(long)]
        hash: String,
        #[arg(long)]
        name: String,
        #[arg(long, default_value = "http://localhost:4000")]
        site_url: String,
    },
    /// Changes a store's settings.
    Update {
        #[arg(long)]
        store: String,
        /// The secret a trusted proxy sends as X-BC-Trusted-Proxy-Secret (stored as a digest).
        #[arg(long, conflicts_with = "clear_trusted_proxy_secret")]
        trusted_proxy_secret: Option<String>,
        /// Removes the trusted-proxy secret: no request is vouched for any more.
        #[arg(long)]
        clear_trusted_proxy_secret: bool,
    },
    /// Rehearses a future date's rules on the store's requests now (report or enforce).
    Rehearse {
        #[arg(long)]
        store: String,
        /// The date to rehearse: `YYYY-MM-DD` or an RFC 3339 time.
        #[arg(long, required_unless_present = "off", conflicts_with = "off")]
        at: Option<String>,
        /// `report` (requests pass, with a header naming what would refuse them) or `enforce`.
        #[arg(long, default_value = "report")]
        mode: String,
        /// Ends the rehearsal.
        #[arg(long)]
        off: bool,
    },
    /// Shows or changes the store's own simulated clock (`--at`, `--advance`, `--real`).
    Clock(super::store_clock::ClockArgs),
}

#[derive(Subcommand)]
pub enum ChannelsCmd {
    List {
        #[arg(long)]
        store: String,
    },
    Create {
        #[arg(long)]
        store: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        site_url: String,
    },
}

#[derive(Subcommand)]
pub enum AccountsCmd {
    List {
        #[arg(long)]
        store: String,
    },
    /// Prints the credentials once; the access token is stored only as a digest.
    Create {
        #[arg(long)]
        store: String,
        #[arg(long, default_value = "API account")]
        name: String,
        #[arg(long, default_value = "store")]
        kind: String,
        /// OAuth scope (repeatable), e.g. store_storefront_api or store_v2_customers_read_only.
        #[arg(long = "scope")]
        scopes: Vec<String>,
        #[arg(long)]
        all_scopes: bool,
        #[arg(long)]
        json: bool,
    },
    Delete {
        client_id: String,
    },
}

#[derive(Subcommand)]
pub enum CustomersCmd {
    List {
        #[arg(long)]
        store: String,
    },
    Create {
        #[arg(long)]
        store: String,
        #[arg(long)]
        email: String,
        #[arg(long)]
        first_name: String,
        #[arg(long)]
        last_name: String,
        #[arg(long)]
        password: String,
        #[arg(long)]
        group_id: Option<i64>,
    },
}

pub async fn stores(config: Config, cmd: StoresCmd) -> anyhow::Result<Output> {
    let domain = open(&config).await?;
    match cmd {
        StoresCmd::List => {
            let rows = service::stores::list(&domain).await?;
            Ok(Output(
                rows.iter()
                    .map(|s| format!("{}\t{}\t{}", s.hash, s.id, s.name))
                    .collect::<Vec<_>>()
                    .join("\n"),
            ))
        }
        StoresCmd::Create {
            hash,
            name,
            site_url,
        } => {
            let s = service::stores::create(&domain, &hash, &name, &site_url).await?;
            Ok(Output(format!(
                "created store {} (store_id {})",
                s.hash, s.id
            )))
        }
        StoresCmd::Update {
            store,
            trusted_proxy_secret,
            clear_trusted_proxy_secret,
        } => {
            if trusted_proxy_secret.is_none() && !clear_trusted_proxy_secret {
                bail!("nothing to update: give --trusted-proxy-secret or --clear-trusted-proxy-secret");
            }
            service::stores::set_trusted_proxy_secret(
                &domain,
                &store,
                trusted_proxy_secret.as_deref(),
            )
            .await?;
            Ok(Output(match trusted_proxy_secret {
                Some(_) => format!("store {store}: trusted-proxy secret set (stored as a digest)"),
                None => format!("store {store}: trusted-proxy secret cleared"),
            }))
        }
        StoresCmd::Rehearse {
            store,
            at,
            mode,
            off,
        } => rehearse(&domain, &store, at.filter(|_| !off), &mode).await,
        StoresCmd::Clock(args) => super::store_clock::clock(&domain, args).await,
    }
}

/// `stores rehearse`: starts (with a date) or ends (without) the store's rehearsal.
async fn rehearse(
    domain: &service::Domain,
    store: &str,
    at: Option<String>,
    mode: &str,
) -> anyhow::Result<Output> {
    let record = find_store(domain, store).await?;
    let rehearsal = at
        .map(|at| service::rehearsal::parse(&at, mode))
        .transpose()?;
    service::rehearsal::set(domain, &record, rehearsal).await?;
    Ok(Output(match rehearsal {
        Some(r) => format!(
            "store {store}: rehearsing {} in {} mode",
            storefront_auth_core::clock::format_rfc3339(r.at),
            r.mode.as_str()
        ),
        None => format!("store {store}: no rehearsal"),
    }))
}

pub async fn channels(config: Config, cmd: ChannelsCmd) -> anyhow::Result<Output> {
    let domain = open(&config).await?;
    match cmd {
        ChannelsCmd::List { store } => {
            let st = find_store(&domain, &store).await?;
            let rows = service::stores::channels(&domain, st.id).await?;
            Ok(Output(
                rows.iter()
                    .map(|c| format!("{}\t{}\t{}", c.channel_id, c.name, c.site_url))
                    .collect::<Vec<_>>()
                    .join("\n"),
            ))
        }
        ChannelsCmd::Create {
            store,
            name,
            site_url,
        } => {
            let st = find_store(&domain, &store).await?;
            let c = service::stores::create_channel(&domain, &st, &name, &site_url).await?;
            Ok(Output(format!(
                "created channel {} of {}",
                c.channel_id, st.hash
            )))
        }
    }
}

pub async fn accounts(config: Config, cmd: AccountsCmd) -> anyhow::Result<Output> {
    let domain = open(&config).await?;
    match cmd {
        AccountsCmd::List { store } => {
            let st = find_store(&domain, &store).await?;
            let rows = service::accounts::list(&domain, st.id).await?;
            Ok(Output(
                rows.iter()
                    .map(|a| {
                        format!(
                            "{}\t{}\t{}\t{}",
                            a.client_id,
                            a.kind.as_str(),
                            a.name,
                            a.scopes.join(" ")
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n"),
            ))
        }
        AccountsCmd::Create {
            store,
            name,
            kind,
            scopes,
            all_scopes,
            json,
        } => {
            let st = find_store(&domain, &store).await?;
            let kind =
                AccountKind::parse(&kind).ok_or_else(|| anyhow!("--kind must be store or app"))?;
            let mut scopes = scopes;
            if all_scopes {
                scopes.extend(ALL_SCOPES.iter().map(|s| s.to_string()));
            }
            if scopes.is_empty() {
                bail!("give at least one --scope, or --all-scopes");
            }
            let created = service::accounts::create(&domain, st.id, kind, &name, &scopes).await?;
            Ok(Output(created_account(&created, &st, json)?))
        }
        AccountsCmd::Delete { client_id } => {
            if !service::accounts::delete(&domain, &client_id).await? {
                bail!("no API account {client_id}");
            }
            Ok(Output(format!(
                "deleted API account {client_id}; its access token no longer works"
            )))
        }
    }
}

pub async fn customers(config: Config, cmd: CustomersCmd) -> anyhow::Result<Output> {
    let domain = open(&config).await?;
    match cmd {
        CustomersCmd::List { store } => {
            let st = find_store(&domain, &store).await?;
            let rows = service::customers::list(&domain, st.id, 1_000, 0).await?;
            Ok(Output(
                rows.iter()
                    .map(|c| format!("{}\t{}\t{} {}", c.id, c.email, c.first_name, c.last_name))
                    .collect::<Vec<_>>()
                    .join("\n"),
            ))
        }
        CustomersCmd::Create {
            store,
            email,
            first_name,
            last_name,
            password,
            group_id,
        } => {
            let st = find_store(&domain, &store).await?;
            let r = Registration {
                email,
                first_name,
                last_name,
                password,
                phone: String::new(),
                group_id,
            };
            let c = registration::register(&domain, st.id, &r)
                .await
                .map_err(|e| match e {
                    RegisterError::Invalid(problems) => anyhow!(
                        "{}",
                        problems.iter().map(describe).collect::<Vec<_>>().join("; ")
                    ),
                    other => other.into(),
                })?;
            Ok(Output(format!("created customer {} ({})", c.id, c.email)))
        }
    }
}

/// A registration problem in the command line's words.
fn describe(p: &Problem) -> String {
    let name = |f: &Field| match f {
        Field::Email => "--email",
        Field::FirstName => "--first-name",
        Field::LastName => "--last-name",
        Field::Password => "--password",
        Field::Phone => "the phone number",
        Field::Group => "--group-id",
    };
    match p {
        Problem::EmailInUse => "a customer with this email already exists".into(),
        Problem::UnknownGroup => "--group-id names no customer group of this store".into(),
        Problem::Invalid(f) => format!("{} is not valid", name(f)),
        Problem::Required(f) => format!("{} is required", name(f)),
        Problem::TooShort(Field::Password) => format!(
            "the password must be at least {} characters",
            registration::MIN_PASSWORD
        ),
        Problem::TooShort(f) => format!("{} is too short", name(f)),
        Problem::TooLong(f) => format!("{} is too long", name(f)),
    }
}

/// A new account as the operator sees it once (the access token is stored as a digest).
fn created_account(
    created: &service::accounts::Created,
    st: &storefront_auth_store::StoreRecord,
    json: bool,
) -> anyhow::Result<String> {
    let a = &created.account;
    if json {
        Ok(serde_json::to_string_pretty(&json!({
            "client_id": a.client_id, "client_secret": a.client_secret.expose(),
            "access_token": created.access_token.expose(), "store_hash": st.hash, "store_id": st.id, "scopes": a.scopes,
        }))?)
    } else {
        Ok(format!(
                    "client_id:     {}\nclient_secret: {}\naccess_token:  {}\nstore_hash:    {}\n(the access token is shown only now)",
                    a.client_id, a.client_secret.expose(), created.access_token.expose(), st.hash
                ))
    }
}
