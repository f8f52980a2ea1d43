//! Verbs for tokens, signing keys and scope analysis.

use anyhow::{anyhow, bail, Context};
use clap::Subcommand;
use serde_json::json;
use storefront_auth_core::token::{self, TokenKind};

use super::{find_store, open, Output};
use crate::config::Config;
use crate::service::{self, tokens::TokenSpec};

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
