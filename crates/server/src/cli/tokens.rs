//! Verbs for tokens, signing keys and scope analysis.

use anyhow::{anyhow, bail, Context};
use clap::Subcommand;
use serde_json::json;
use storefront_auth_core::token::TokenKind;

use super::{find_store, open, Output};
use crate::config::Config;
use crate::service::fields::as_lines;
use crate::service::revocation::{self, Revocable, RevokeError};
use crate::service::token_inspect::{self, RequestShape};
use crate::service::tokens::{self, CreateError};
use crate::service::{self, Domain};

#[derive(Subcommand)]
pub enum TokensCmd {
    Create(CreateArgs),
    /// Decodes a token and says whether this server would accept it in a request of this
    /// shape, and which check would refuse it.
    Inspect {
        #[arg(allow_hyphen_values = true)]
        token: String,
        /// A browser script's request with this `Origin` (default: server-to-server).
        #[arg(long)]
        origin: Option<String>,
        /// A browser script's request without an `Origin`.
        #[arg(long)]
        browser: bool,
        /// When: `YYYY-MM-DD` or an RFC 3339 time (default: now).
        #[arg(long)]
        at: Option<String>,
        /// On this channel (default: the token's first, or 1).
        #[arg(long)]
        channel: Option<i64>,
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

#[derive(clap::Args)]
pub struct CreateArgs {
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
}

#[derive(Subcommand)]
pub enum ScopesCmd {
    /// Which scopes does the GraphQL document in FILE need, and which fields need each? FILE
    /// may be a directory of `.graphql` files: then every operation, and what all need.
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

pub async fn tokens(config: Config, cmd: TokensCmd) -> anyhow::Result<Output> {
    let domain = open(&config).await?;
    match cmd {
        TokensCmd::Create(args) => create(&domain, args).await,
        TokensCmd::Inspect {
            token: raw,
            origin,
            browser,
            at,
            channel,
        } => {
            let at = at
                .map(|a| {
                    storefront_auth_core::clock::parse_day_or_time(&a).ok_or_else(|| {
                        anyhow!("--at must be a day (2027-04-01) or an RFC 3339 time")
                    })
                })
                .transpose()?;
            let shape = RequestShape {
                browser,
                origin,
                at,
                channel,
            };
            let report = token_inspect::inspect(&domain, &raw, &shape).await?;
            Ok(Output(serde_json::to_string_pretty(&report)?))
        }
        TokensCmd::List { store } => {
            let st = find_store(&domain, &store).await?;
            let (rows, _) = tokens::inventory(&domain, st.id, 10_000, None).await?;
            Ok(Output(serde_json::to_string_pretty(
                &rows.iter().map(tokens::inventory_json).collect::<Vec<_>>(),
            )?))
        }
        TokensCmd::Revoke { store, token_or_id } => {
            let st = find_store(&domain, &store).await?;
            let which = Revocable::TokenOrId(&token_or_id);
            match revocation::revoke(&domain, st.id, which).await {
                Ok(jti) => Ok(Output(format!(
                    "revoked {jti}; every instance refuses it within a second"
                ))),
                Err(RevokeError::NoSuchToken) if token_or_id.contains('.') => {
                    bail!("this is not a valid token of this server")
                }
                Err(RevokeError::NoSuchToken) => {
                    bail!("store {} has no token {token_or_id}", st.hash)
                }
                Err(e) => Err(e.into()),
            }
        }
    }
}

/// Issues a token as the operator asks, through the same validation as the management API.
async fn create(domain: &Domain, args: CreateArgs) -> anyhow::Result<Output> {
    let CreateArgs {
        store,
        kind,
        channels,
        origins,
        scopes,
        expires_at,
        account,
    } = args;
    let st = find_store(domain, &store).await?;
    let kind = TokenKind::parse(&kind)
        .ok_or_else(|| anyhow!("--kind must be storefront, private or customer_impersonation"))?;
    let mut body = json!({ "expires_at": expires_at, "channel_ids": channels });
    if !origins.is_empty() {
        body["allowed_cors_origins"] = json!(origins);
    }
    if kind == TokenKind::Private {
        body["scopes"] = json!(scopes);
    } else if !scopes.is_empty() {
        bail!("--scope applies to private tokens only");
    }
    if let Some(client_id) = &account {
        service::accounts::in_store(domain, st.id, client_id)
            .await?
            .ok_or_else(|| anyhow!("no API account {client_id} in store {}", st.hash))?;
    }
    let (jwt, _) = tokens::create(domain, st.id, account.as_deref(), kind, &body)
        .await
        .map_err(|e| match e {
            CreateError::Invalid(fields) => anyhow!(as_lines(&fields)),
            other => other.into(),
        })?;
    Ok(Output(jwt))
}

pub async fn keys(config: Config, cmd: KeysCmd) -> anyhow::Result<Output> {
    let domain = open(&config).await?;
    match cmd {
        KeysCmd::List => Ok(Output(
            domain
                .list_keys()
                .await?
                .iter()
                .map(|k| format!("{}\t{}\t{}", k.kid, k.status, k.created_at))
                .collect::<Vec<_>>()
                .join("\n"),
        )),
        KeysCmd::Rotate => {
            let kid = domain.rotate_signer().await?;
            Ok(Output(format!(
                "new signing key {kid}; older keys keep verifying until retired"
            )))
        }
        KeysCmd::Retire { kid } => {
            domain.retire_key(&kid).await?;
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
    let variables: serde_json::Value = match variables {
        Some(v) => serde_json::from_str(&v).context("--variables must be a JSON object")?,
        None => json!({}),
    };
    let index =
        storefront_auth_core::analysis::SchemaIndex::from_sdl(&crate::graphql::schema::sdl())
            .map_err(|e| anyhow!("GraphQL schema: {e}"))?;
    if file.is_dir() {
        let report = super::scopes::explain_directory(&index, &file, &variables)?;
        return Ok(Output(serde_json::to_string_pretty(&report)?));
    }
    let query =
        std::fs::read_to_string(&file).with_context(|| format!("reading {}", file.display()))?;
    let analysis =
        crate::graphql::explain::explain_document(&index, &query, operation.as_deref(), &variables)
            .map_err(|e| anyhow!("{}: {e}", file.display()))?;
    Ok(Output(serde_json::to_string_pretty(
        &crate::graphql::explain::report(&analysis),
    )?))
}
