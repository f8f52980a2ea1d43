//! `storefront-auth gateway check` (issue 21, first part of gateway mode): an operator's
//! GraphQL schema against a source of scope decisions, printed type by type with what is
//! unmapped, in conflict or unknown, before any traffic is put behind the gateway.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, Context};
use clap::Subcommand;
use storefront_auth_core::gateway_scopes::{build, Requirement, ScopeSource};

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
    let source = source_of(&scopes)?;
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

fn source_of(scopes: &str) -> anyhow::Result<ScopeSource> {
    match scopes.split_once(':') {
        None if scopes == "builtin" => Ok(ScopeSource::Builtin),
        Some(("directive", name)) if !name.is_empty() => Ok(ScopeSource::Directive(name.into())),
        Some(("table", file)) => table(Path::new(file)),
        _ => bail!("--scopes is builtin, table:FILE or directive:NAME, not {scopes:?}"),
    }
}

/// A TOML table file: `[types]` and `[fields]` mapping names to requirements.
fn table(path: &Path) -> anyhow::Result<ScopeSource> {
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct File {
        #[serde(default)]
        types: BTreeMap<String, String>,
        #[serde(default)]
        fields: BTreeMap<String, String>,
    }
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("reading the scope table {}", path.display()))?;
    let file: File =
        toml::from_str(&text).with_context(|| format!("the scope table {}", path.display()))?;
    let decide = |list: BTreeMap<String, String>| {
        list.into_iter()
            .map(|(at, r)| match Requirement::parse(&r) {
                Some(r) => Ok((at, r)),
                None => Err(anyhow!(
                    "{}: {at} = {r:?} is not \"Unauthenticated\", \"Customer\", \"B2B\" or \"none\"",
                    path.display()
                )),
            })
            .collect::<anyhow::Result<Vec<_>>>()
    };
    let fields = decide(file.fields)?;
    if let Some((at, _)) = fields.iter().find(|(at, _)| !at.contains('.')) {
        bail!(
            "{}: fields are named Type.field, not {at:?}",
            path.display()
        );
    }
    Ok(ScopeSource::Table {
        types: decide(file.types)?,
        fields,
    })
}
