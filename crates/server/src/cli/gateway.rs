//! `storefront-auth gateway check` (issue 21, first part of gateway mode): an operator's
//! GraphQL schema against a source of scope decisions, printed type by type with what is
//! unmapped, in conflict or unknown, before any traffic is put behind the gateway.

use std::path::PathBuf;

use anyhow::{anyhow, bail, Context};

use crate::config::gateway::scope_source;
use clap::Subcommand;
use storefront_auth_core::gateway_scopes::build;

use super::Output;

#[derive(Subcommand)]
pub enum GatewayCmd {
    /// Each object type's effective scope in an SDL file, and what is unmapped, in conflict
    /// or unknown; fails on a conflict, and on an unmapped type with --strict.
    Check {
        /// The upstream's schema (SDL).
        #[arg(long)]
        schema: PathBuf,
        /// `builtin` (today's table), `table:FILE` (TOML: `[types]` and `[fields]` of
        /// "Unauthenticated", "Customer", "B2B" or "none") or `directive:NAME`.
        #[arg(long, default_value = "builtin")]
        scopes: String,
        /// Fail when any object type or root field has no decision.
        #[arg(long)]
        strict: bool,
    },
}

pub fn gateway(cmd: GatewayCmd) -> anyhow::Result<Output> {
    let GatewayCmd::Check {
        schema,
        scopes,
        strict,
    } = cmd;
    let sdl = std::fs::read_to_string(&schema)
        .with_context(|| format!("reading the schema {}", schema.display()))?;
    let source = scope_source(&scopes).map_err(|e| anyhow!("--scopes: {e}"))?;
    let map = build(&sdl, &source).map_err(|e| anyhow!("{}: {e}", schema.display()))?;
    let report = map.report();
    if !map.conflicts.is_empty() {
        bail!("{report}conflicting scope decisions: a type or field needs one requirement");
    }
    if strict && !map.unmapped.is_empty() {
        bail!("{report}unmapped types or root fields (--strict): give each a decision");
    }
    Ok(Output(report.trim_end().to_string()))
}
