//! What each command-line verb does (SPEC §10). Commands open the same database the server
//! uses, so an operator can manage a running server's data; the server picks up key rotations
//! and revocations within a second.

use anyhow::{anyhow, bail, Context};
use clap::Subcommand;
use serde_json::json;
use storefront_auth_core::token::{self, TokenKind};
use storefront_auth_store::{AccountKind, NewCustomer, StoreRecord};

use crate::config::Config;
use crate::service::{self, accounts::ALL_SCOPES, tokens::TokenSpec};
use crate::state::{AppState, SharedState};

/// Text a command prints on success.
pub struct Output(pub String);

#[derive(Subcommand)]
pub enum StoresCmd {
    List,
    Create {
        #[arg(long)]
        hash: String,
        #[arg(long)]
        name: String,
        #[arg(long, default_value = "http://localhost:3000")]
        site_url: String,
    },
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

#[derive(Subcommand)]
pub enum TokensCmd {
    Create {
        #[arg(long)]
        store: String,
        /// storefront, private or customer_impersonation.
        #[arg(long)]
        kind: String,
        /// Channel id (repeatable); none means every channel.
        #[arg(long = "channel")]
        channels: Vec<i64>,
        /// Allowed CORS origin (storefront tokens, at most 2).
        #[arg(long = "origin")]
        origins: Vec<String>,
        /// Scope of a private token (repeatable): Unauthenticated, Customer, B2B.
        #[arg(long = "scope")]
        scopes: Vec<String>,
        /// Expiry, unix seconds.
        #[arg(long, default_value_t = 2_147_483_647)]
        expires_at: i64,
        /// Create it as this API account (sub); otherwise it is a platform token (sub "BC").
        #[arg(long)]
        account: Option<String>,
    },
    /// Decodes a token and says whether this server would accept it.
    Inspect {
        #[arg(allow_hyphen_values = true)]
        token: String,
    },
    List {
        #[arg(long)]
        store: String,
    },
    /// Revokes by token string or by id (jti).
    Revoke {
        #[arg(long)]
        store: String,
        #[arg(allow_hyphen_values = true)]
        token_or_id: String,
    },
}

#[derive(Subcommand)]
pub enum ScopesCmd {
    /// Which scopes does the GraphQL document in FILE need, and which fields need each?
    Explain {
        file: std::path::PathBuf,
        /// The operation to analyse when the document has several.
        #[arg(long)]
        operation: Option<String>,
        /// Variables as JSON (they decide @skip/@include and page sizes).
        #[arg(long)]
        variables: Option<String>,
    },
}

#[derive(Subcommand)]
pub enum KeysCmd {
    List,
    /// A new key becomes the signer; older keys keep verifying until retired.
    Rotate,
    /// Tokens signed by a retired key stop verifying.
    Retire {
        #[arg(allow_hyphen_values = true)]
        kid: String,
    },
}

async fn open(config: Config) -> anyhow::Result<SharedState> {
    AppState::open(config, None)
        .await
        .context("opening the database")
}

async fn find_store(state: &SharedState, hash: &str) -> anyhow::Result<StoreRecord> {
    state
        .store
        .store_by_hash(hash)
        .await?
        .ok_or_else(|| anyhow!("no store with hash {hash:?}"))
}

pub async fn serve(config: Config) -> anyhow::Result<Output> {
    init_logging(&config.log_format);
    let demo = config.demo;
    let listen = config.listen.clone();
    let listener = tokio::net::TcpListener::bind(&listen)
        .await
        .with_context(|| format!("binding {listen}"))?;
    let state = open(config).await?;
    if demo {
        if let Some(c) =
            service::demo::seed_if_empty(&state.store, &state.passwords, state.now()).await?
        {
            print_demo(&state, &c);
        }
    }
    let server = crate::app::start(state, listener).await?;
    println!("storefront-auth listening on http://{}", server.addr);
    let stopper = server.stopper();
    tokio::spawn(async move {
        shutdown_signal().await;
        tracing::info!("shutting down: finishing in-flight requests");
        let _ = stopper.send(true);
    });
    server.wait().await?;
    Ok(Output(String::new()))
}

fn print_demo(state: &SharedState, c: &service::demo::DemoCredentials) {
    println!("Created the demo store (shown once; the access token is stored only as a digest):");
    println!("  store_hash:    {}", c.store_hash);
    println!("  store_id:      {}", c.store_id);
    println!("  client_id:     {}", c.client_id);
    println!("  client_secret: {}", c.client_secret);
    println!("  access_token:  {}", c.access_token);
    println!(
        "  storefront:    http://{} (channel 1), http://{} (channel 2)",
        state.storefront_host(&c.store_hash, 1),
        state.storefront_host(&c.store_hash, 2)
    );
    println!(
        "  customers:     {} / {} (password {})",
        service::demo::DEMO_CUSTOMERS[0].0,
        service::demo::DEMO_CUSTOMERS[1].0,
        service::demo::DEMO_PASSWORD
    );
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(s) => s,
                Err(_) => return std::future::pending().await,
            };
        tokio::select! { _ = ctrl_c => {}, _ = term.recv() => {} }
    }
    #[cfg(not(unix))]
    let _ = ctrl_c.await;
}

pub fn init_logging(format: &str) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("STOREFRONT_AUTH_LOG")
        .unwrap_or_else(|_| "info".into());
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stdout());
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(ansi);
    let _ = if format == "json" {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
}

pub async fn stores(config: Config, cmd: StoresCmd) -> anyhow::Result<Output> {
    let state = open(config).await?;
    match cmd {
        StoresCmd::List => {
            let rows = state.store.list_stores().await?;
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
            let s =
                service::stores::create(&state.store, &hash, &name, &site_url, state.now()).await?;
            Ok(Output(format!(
                "created store {} (store_id {})",
                s.hash, s.id
            )))
        }
    }
}

pub async fn channels(config: Config, cmd: ChannelsCmd) -> anyhow::Result<Output> {
    let state = open(config).await?;
    match cmd {
        ChannelsCmd::List { store } => {
            let st = find_store(&state, &store).await?;
            let rows = state.store.channels(st.id).await?;
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
            let st = find_store(&state, &store).await?;
            service::stores::check_site_url(&site_url)?;
            let c = state
                .store
                .create_channel(st.id, &name, &site_url, state.now())
                .await?;
            Ok(Output(format!(
                "created channel {} of {}",
                c.channel_id, st.hash
            )))
        }
    }
}

pub async fn accounts(config: Config, cmd: AccountsCmd) -> anyhow::Result<Output> {
    let state = open(config).await?;
    match cmd {
        AccountsCmd::List { store } => {
            let st = find_store(&state, &store).await?;
            let rows = state.store.accounts(st.id).await?;
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
            let st = find_store(&state, &store).await?;
            let kind =
                AccountKind::parse(&kind).ok_or_else(|| anyhow!("--kind must be store or app"))?;
            let mut scopes = scopes;
            if all_scopes {
                scopes.extend(ALL_SCOPES.iter().map(|s| s.to_string()));
            }
            if scopes.is_empty() {
                bail!("give at least one --scope, or --all-scopes");
            }
            let created =
                service::accounts::create(&state.store, st.id, kind, &name, &scopes, state.now())
                    .await?;
            let a = &created.account;
            if json {
                Ok(Output(serde_json::to_string_pretty(&json!({
                    "client_id": a.client_id, "client_secret": a.client_secret.expose(),
                    "access_token": created.access_token.expose(), "store_hash": st.hash, "store_id": st.id, "scopes": a.scopes,
                }))?))
            } else {
                Ok(Output(format!(
                    "client_id:     {}\nclient_secret: {}\naccess_token:  {}\nstore_hash:    {}\n(the access token is shown only now)",
                    a.client_id, a.client_secret.expose(), created.access_token.expose(), st.hash
                )))
            }
        }
        AccountsCmd::Delete { client_id } => {
            if !state.store.delete_account(&client_id).await? {
                bail!("no API account {client_id}");
            }
            Ok(Output(format!(
                "deleted API account {client_id}; its access token no longer works"
            )))
        }
    }
}

pub async fn customers(config: Config, cmd: CustomersCmd) -> anyhow::Result<Output> {
    let state = open(config).await?;
    match cmd {
        CustomersCmd::List { store } => {
            let st = find_store(&state, &store).await?;
            let rows = state.store.customers(st.id, 1_000, 0).await?;
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
            let st = find_store(&state, &store).await?;
            if password.chars().count() < 7 {
                bail!("the password must be at least 7 characters");
            }
            let hash = state
                .passwords
                .hash(password)
                .await
                .ok_or_else(|| anyhow!("password hashing failed"))?;
            let c = state
                .store
                .create_customer(
                    NewCustomer {
                        store_id: st.id,
                        email: &email,
                        first_name: &first_name,
                        last_name: &last_name,
                        phone: "",
                        group_id,
                        password_hash: &hash,
                    },
                    state.now(),
                )
                .await
                .map_err(|e| match e {
                    storefront_auth_store::StoreError::Conflict(_) => {
                        anyhow!("a customer with email {email} already exists")
                    }
                    other => other.into(),
                })?;
            Ok(Output(format!("created customer {} ({})", c.id, c.email)))
        }
    }
}

pub async fn tokens(config: Config, cmd: TokensCmd) -> anyhow::Result<Output> {
    let state = open(config).await?;
    match cmd {
        TokensCmd::Create {
            store,
            kind,
            channels,
            origins,
            scopes,
            expires_at,
            account,
        } => {
            let st = find_store(&state, &store).await?;
            let kind = TokenKind::parse(&kind).ok_or_else(|| {
                anyhow!("--kind must be storefront, private or customer_impersonation")
            })?;
            let mut body = json!({ "expires_at": expires_at, "channel_ids": channels });
            if !origins.is_empty() {
                body["allowed_cors_origins"] = json!(origins);
            }
            if kind == TokenKind::Private {
                body["scopes"] = json!(scopes);
            } else if !scopes.is_empty() {
                bail!("--scope applies to private tokens only");
            }
            let known: Vec<i64> = state
                .store
                .channels(st.id)
                .await?
                .iter()
                .map(|c| c.channel_id)
                .collect();
            let mut spec: TokenSpec =
                crate::management::parse_token_spec(&body, kind, &known, state.now())
                    .map_err(|e| anyhow!(describe(e)))?;
            if let Some(client_id) = account {
                let a = state
                    .store
                    .account(&client_id)
                    .await?
                    .filter(|a| a.store_id == st.id)
                    .ok_or_else(|| anyhow!("no API account {client_id} in store {}", st.hash))?;
                spec.subject = Some(a.client_id);
            }
            let (jwt, _) =
                service::tokens::issue(&state.store, &state.keys(), st.id, spec, state.now())
                    .await?;
            Ok(Output(jwt))
        }
        TokensCmd::Inspect { token: raw } => {
            let claims = token::decode_unverified(&raw)
                .map_err(|e| anyhow!("not a storefront token: {e}"))?;
            let verified = token::verify(&raw, &state.keys());
            let registry = state.store.token(&claims.jti).await?;
            Ok(Output(serde_json::to_string_pretty(&json!({
                "claims": claims,
                "signature": match verified { Ok(_) => "valid".to_string(), Err(e) => format!("invalid: {e}") },
                "registry": registry.as_ref().map(service::tokens::inventory_json),
                "expired": claims.eat < state.now(),
            }))?))
        }
        TokensCmd::List { store } => {
            let st = find_store(&state, &store).await?;
            let rows = state.store.tokens(st.id, 10_000, None).await?;
            Ok(Output(serde_json::to_string_pretty(
                &rows
                    .iter()
                    .map(service::tokens::inventory_json)
                    .collect::<Vec<_>>(),
            )?))
        }
        TokensCmd::Revoke { store, token_or_id } => {
            let st = find_store(&state, &store).await?;
            let jti = match token::verify(&token_or_id, &state.keys()) {
                Ok(c) => c.jti,
                Err(_) if token_or_id.contains('.') => {
                    bail!("this is not a valid token of this server")
                }
                Err(_) => token_or_id,
            };
            if !state.store.revoke_token(st.id, &jti, state.now()).await? {
                bail!("store {} has no token {jti}", st.hash);
            }
            crate::state::notify(
                &state,
                storefront_auth_store::Event::TokenRevoked(jti.clone()),
            )
            .await;
            Ok(Output(format!(
                "revoked {jti}; every instance refuses it within a second"
            )))
        }
    }
}

fn describe(e: crate::error::ApiError) -> String {
    match e {
        crate::error::ApiError::Invalid(fields) => fields
            .iter()
            .map(|f| format!("{}: {}", f.key, f.message))
            .collect::<Vec<_>>()
            .join("\n"),
        other => other.to_string(),
    }
}

pub async fn keys(config: Config, cmd: KeysCmd) -> anyhow::Result<Output> {
    let state = open(config).await?;
    match cmd {
        KeysCmd::List => {
            let rows = state.store.keys().await?;
            let signer = state.keys().signer().map(|k| k.kid().to_string());
            Ok(Output(
                rows.iter()
                    .map(|k| {
                        let status = if k.retired_at.is_some() {
                            "retired"
                        } else if Some(&k.kid) == signer.as_ref() {
                            "signing"
                        } else {
                            "verifying"
                        };
                        format!("{}\t{}\t{}", k.kid, status, k.created_at)
                    })
                    .collect::<Vec<_>>()
                    .join("\n"),
            ))
        }
        KeysCmd::Rotate => {
            let kid =
                service::keys::rotate(&state.store, state.master_key.as_ref(), state.now()).await?;
            crate::state::notify(&state, storefront_auth_store::Event::KeysChanged).await;
            Ok(Output(format!(
                "new signing key {kid}; older keys keep verifying until retired"
            )))
        }
        KeysCmd::Retire { kid } => {
            service::keys::retire(&state.store, &kid, state.now()).await?;
            crate::state::notify(&state, storefront_auth_store::Event::KeysChanged).await;
            Ok(Output(format!(
                "retired {kid}; tokens it signed no longer verify"
            )))
        }
    }
}

/// Static analysis only: needs neither the database nor a running server.
pub fn scopes(cmd: ScopesCmd) -> anyhow::Result<Output> {
    let ScopesCmd::Explain {
        file,
        operation,
        variables,
    } = cmd;
    let query =
        std::fs::read_to_string(&file).with_context(|| format!("reading {}", file.display()))?;
    let variables: serde_json::Value = match variables {
        Some(v) => serde_json::from_str(&v).context("--variables must be a JSON object")?,
        None => json!({}),
    };
    let graphql = crate::state::Graphql::new()?;
    let analysis = crate::storefront::explain::explain_document(
        &graphql.index,
        &query,
        operation.as_deref(),
        &variables,
    )
    .map_err(|e| anyhow!("{}: {e}", file.display()))?;
    Ok(Output(serde_json::to_string_pretty(
        &crate::storefront::explain::report(&analysis),
    )?))
}
